import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import Testing

/// `diff` reads a migration report's findings by the rules of Docs/migration-report.schema.json,
/// and refuses a report past its size from its size, unread.
@Suite("import-actions diff: the report's findings and size")
struct DiffReportFindingTests {
    static let golden = "Fixtures/expected/physical-goods-store"

    /// A copy of the golden folder whose report has `old` replaced by `new`; `body` gets the result of `diff golden copy`.
    static func withReport(_ old: String, _ new: String, _ body: (BuiltProducts.Result, URL) throws -> Void) throws {
        try ImportWritingTests.withScratch { scratch in
            let source = CLI.root.appendingPathComponent(golden)
            let copy = scratch.appendingPathComponent("copy")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            for entry in ["workflows", "templates", "account.json"] {
                try FileManager.default.copyItem(at: source.appendingPathComponent(entry), to: copy.appendingPathComponent(entry))
            }
            let report = try String(contentsOf: source.appendingPathComponent("migration-report.json"), encoding: .utf8)
            let changed = report.replacing(old, with: new)
            #expect(changed != report, "\(old)")
            try Data(changed.utf8).write(to: copy.appendingPathComponent("migration-report.json"))
            try body(try CLI.run(["diff", golden, copy.path]), copy)
        }
    }

    @Test(
        "A finding outside the report's schema: exit 65 at its JSON path, nothing printed on standard output",
        arguments: [
            (#""line": 181"#, #""line": -5"#, "$.findings[0].source.line"),
            (#""line": 181"#, #""line": "181""#, "$.findings[0].source.line"),
            (#""code": "queued-fulfillment-list""#, #""code": "queued-fulfillment-list\u001b[2J""#, "$.findings[0].code"),
            (#""code": "queued-fulfillment-list""#, #""code": "made-up""#, "$.findings[0].code"),
            (#""message": "fulfillment list"#, #""message": 3, "x": "fulfillment list"#, "$.findings[0].message"),
        ])
    func invalidFinding(old: String, new: String, path: String) throws {
        try Self.withReport(old, new) { result, copy in
            #expect(result.status == 65, "\(result.output)\(result.errors)")
            #expect(result.output.isEmpty)
            #expect(result.errors.hasPrefix(copy.path + "/migration-report.json:"), "\(result.errors)")
            #expect(result.errors.contains(": error: \(path): expected"), "\(result.errors)")
            #expect(!result.errors.unicodeScalars.contains("\u{1B}"))
        }
    }

    @Test("A workflow id outside the schema's pattern, and a source without its path, are refused")
    func workflowAndPath() throws {
        try Self.withReport(#""workflow": "action-set.as-order-thanks""#, #""workflow": "action-set as-order-thanks""#) { result, _ in
            #expect(result.status == 65)
            #expect(result.errors.contains("error: $.findings[0].workflow: expected a workflow id"), "\(result.errors)")
        }
        #expect(DiffInput.isWorkflowID("a" + String(repeating: "b", count: 127)))
        #expect(!DiffInput.isWorkflowID("a" + String(repeating: "b", count: 128)))
        #expect(!DiffInput.isWorkflowID("-a") && !DiffInput.isWorkflowID("") && DiffInput.isWorkflowID("action-set.as-vip:2_x"))
    }

    @Test("A report one byte past 512 MiB (sparse) is refused from its size, unread: limit-exceeded, exit 65")
    func reportTooLarge() throws {
        try Self.withReport("\"formatVersion\": 2", "\"formatVersion\":  2") { _, copy in
            let path = copy.appendingPathComponent("migration-report.json").path
            #expect(truncate(path, off_t(DiffInput.maxReportBytes + 1)) == 0)
            let result = try CLI.run(["diff", Self.golden, copy.path])
            #expect(result.status == 65)
            #expect(
                result.errors
                    == "\(path): error: the file is larger than 536870912 bytes (512 MiB), the most a migration report read by diff may hold (Docs/cli.md, \"diff\")\n")
        }
    }
}
