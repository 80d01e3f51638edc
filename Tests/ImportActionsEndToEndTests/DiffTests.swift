import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import PurchaseActionsCore
import Testing

/// `import-actions diff OLD NEW`: two exports or two output folders, compared by id.
@Suite("import-actions diff")
struct DiffTests {
    static let v1 = "Fixtures/exports/course-creator.xml"
    static let v2 = "Fixtures/exports-v2/course-creator.xml"

    /// What the edits of Fixtures/exports-v2/README.md give.
    static let expected = """
        ~ workflow action-set.as-masterclass (\(v1):165 → \(v2):165): steps
            - step as-masterclass.mail (\(v1):167)
            + step as-masterclass.untag (\(v2):167)
        ~ workflow action-set.as-receipt (\(v1):125 → \(v2):125)
            ~ step as-receipt.mail (\(v1):126 → \(v2):126): action.subject
        + workflow action-set.as-refund (\(v2):175)
        ~ workflow action-set.as-vip (\(v1):152 → \(v2):152)
            ~ step as-vip.tier (\(v1):154 → \(v2):154): action.tag
        - workflow billing.ba-vip-failed-1 (\(v1):185)
        """

    @Test("Two versions of an export: workflows and steps by id with their lines, the new finding, the counts; exit 1")
    func twoExports() throws {
        let result = try CLI.run(["diff", Self.v1, Self.v2])
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.isEmpty)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.prefix(9).joined(separator: "\n") == Self.expected)
        #expect(lines[9].hasPrefix("+ finding \(Self.v2):42: [unknown-merge-field] the subject of template 'tpl-receipt' ") && lines[9].contains("~Contact.ShoeSize~"))
        #expect(lines[10] == "workflows: 1 added, 1 removed, 3 changed (steps: 1 added, 1 removed, 2 changed); findings: 1 added, 0 removed")
        #expect(lines.count == 12 && lines[11] == "")
        // The other way round: added and removed swap.
        let back = try CLI.run(["diff", Self.v2, Self.v1])
        #expect(back.status == 1)
        #expect(back.output.contains("- workflow action-set.as-refund (\(Self.v2):175)\n"))
        #expect(back.output.contains("- finding \(Self.v2):42: [unknown-merge-field]"))
    }

    @Test("Identical inputs print nothing and exit 0: an export with itself, with its output folder, with its lines moved", arguments: [false, true])
    func identical(json: Bool) throws {
        try ImportWritingTests.withScratch { scratch in
            let flag = json ? ["--json"] : []
            for name in ["course-creator", "membership-site", "physical-goods-store"] {
                let export = "Fixtures/exports/\(name).xml"
                for (old, new) in [(export, export), (export, "Fixtures/expected/\(name)"), ("Fixtures/expected/\(name)", export)] {
                    let result = try CLI.run(["diff", old, new] + flag)
                    #expect(result.status == 0 && result.output.isEmpty && result.errors.isEmpty, "\(old) \(new): \(result.output)\(result.errors)")
                }
            }
            // Lines moved (a comment at the top): sources are not compared. course-creator has no findings.
            let text = try String(contentsOf: CLI.root.appendingPathComponent(Self.v1), encoding: .utf8)
            let moved = scratch.appendingPathComponent("moved.xml")
            try Data(text.replacing("<export ", with: "<!-- moved -->\n\n<export ").utf8).write(to: moved)
            let result = try CLI.run(["diff", Self.v1, moved.path] + flag)
            #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
        }
    }

    @Test("Two output folders give the same differences as their exports")
    func twoFolders() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("v2").path
            #expect(try CLI.run([Self.v2, "-o", out, "-q"]).status == 0)
            let folders = try CLI.run(["diff", "Fixtures/expected/course-creator", out])
            let exports = try CLI.run(["diff", Self.v1, Self.v2])
            #expect(folders.status == 1)
            #expect(folders.output == exports.output)
        }
    }

    @Test("--json: one canonical document, the same on every run, valid against Docs/diff.schema.json", .requires(.jsonschema))
    func json() throws {
        let result = try CLI.run(["diff", Self.v1, Self.v2, "--json"])
        #expect(result.status == 1)
        let again = try CLI.run(["diff", Self.v1, Self.v2, "--json"])
        #expect(again.output == result.output)
        let document = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let workflows = try #require(document["workflows"] as? [String: [[String: Any]]])
        #expect(workflows["added"]?.map { $0["id"] as? String } == ["action-set.as-refund"])
        #expect(workflows["removed"]?.map { $0["id"] as? String } == ["billing.ba-vip-failed-1"])
        #expect(workflows["changed"]?.map { $0["id"] as? String } == ["action-set.as-masterclass", "action-set.as-receipt", "action-set.as-vip"])
        try ImportWritingTests.withScratch { scratch in
            let file = scratch.appendingPathComponent("diff.json")
            try Data(result.output.utf8).write(to: file)
            let check = try BuiltProducts.runProgram(
                URL(fileURLWithPath: RequiredTool.executable(named: "python3")!),
                ["Tools/check-json.py", "--schema", "Docs/diff.schema.json", "--canonical", file.path], in: CLI.root)
            #expect(check.status == 0, "\(check.output)\(check.errors)")
        }
    }

    @Test("Inputs that cannot be read end with the documented exit codes")
    func errors() throws {
        try ImportWritingTests.withScratch { scratch in
            let missing = try CLI.run(["diff", Self.v1, "nowhere.xml"])
            #expect(missing.status == 66)
            #expect(missing.errors == "nowhere.xml: error: no such file or folder; import-actions diff takes two exports (XML) or two output folders of import-actions\n")
            let invalid = try CLI.run(["diff", "Fixtures/malformed/unknown-tag.xml", Self.v1])
            #expect(invalid.status == 65)
            #expect(invalid.errors.hasPrefix("Fixtures/malformed/unknown-tag.xml:21:56: error: unknown tag 'tag-customers'"))
            // A folder whose report is not one.
            let folder = scratch.appendingPathComponent("out")
            #expect(try CLI.run([Self.v1, "-o", folder.path, "-q"]).status == 0)
            try Data("{\n  \"findings\": {}\n}\n".utf8).write(to: folder.appendingPathComponent("migration-report.json"))
            let report = try CLI.run(["diff", Self.v1, folder.path])
            #expect(report.status == 65)
            #expect(report.errors == "\(folder.path)/migration-report.json:2: error: $.findings: expected an array of findings (a migration report written by import-actions holds one)\n")
            let usage = try CLI.run(["diff", Self.v1])
            #expect(usage.status == 64)
        }
    }

    @Test("A finding message holding control characters is printed escaped, on its own line; --json escapes it as JSON")
    func hostileFinding() throws {
        try ImportWritingTests.withScratch { scratch in
            let golden = CLI.root.appendingPathComponent("Fixtures/expected/physical-goods-store")
            let copy = scratch.appendingPathComponent("copy")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            for entry in ["workflows", "templates", "account.json"] {
                try FileManager.default.copyItem(at: golden.appendingPathComponent(entry), to: copy.appendingPathComponent(entry))
            }
            let report = try String(contentsOf: golden.appendingPathComponent("migration-report.json"), encoding: .utf8)
            let hostile = report.replacing("\"message\": \"fulfillment list", with: "\"message\": \"\\u001b[31m\\nerror: forged\\u202e fulfillment list")
            #expect(hostile != report)
            try Data(hostile.utf8).write(to: copy.appendingPathComponent("migration-report.json"))
            let result = try CLI.run(["diff", "Fixtures/expected/physical-goods-store", copy.path])
            #expect(result.status == 1)
            let lines = result.output.split(separator: "\n")
            try #require(lines.count == 3, "\(result.output)\(result.errors)")
            #expect(lines[1].hasPrefix("+ finding Fixtures/exports/physical-goods-store.xml:181: [queued-fulfillment-list] \\u{1B}[31m\\nerror: forged\\u{202E} fulfillment list"))
            #expect(!result.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
            let json = try CLI.run(["diff", "Fixtures/expected/physical-goods-store", copy.path, "--json"])
            #expect(json.output.contains("\"\\u001b[31m\\nerror: forged\\u202e fulfillment list"))
        }
    }

    @Test("At most 10 member paths per change, then …; a change inside a branch is shown on the step inside")
    func memberPaths() {
        var paths: [String] = []
        let old = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<12).map { ("m\($0)", JSONValue.integer(0)) }))
        let new = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<12).map { ("m\($0)", JSONValue.integer(1)) }))
        DiffResult.differences(old, new, "", into: &paths)
        #expect(paths == ["m0", "m1", "m10", "m11", "m2", "m3", "m4", "m5", "m6", "m7", "…"])

        func workflow(_ subject: String) -> Workflow {
            let mail = Step(id: "mail", .action(.sendEmail(EmailMessage(to: .contact, from: nil, subject: subject))))
            let branch = Step(id: "if", .branch([Branch(name: "b", when: .field("x", .isEmpty), steps: [mail])], otherwise: []))
            return Workflow(id: "w", name: "W", priority: 0, triggers: [], steps: [branch], settings: WorkflowSettings(accountTimezone: "UTC"))
        }
        let change = DiffResult.compare(workflow("a"), workflow("b"))
        #expect(change?.members == [])
        #expect(change?.changedSteps.map(\.id) == ["mail"])
        #expect(change?.changedSteps.first?.members == ["action.subject"])
        #expect(DiffResult.compare(workflow("a"), workflow("a")) == nil)
    }
}

/// Review of issue 12: a migration's `workflows/` folder given alone takes the findings of the
/// `migration-report.json` beside it, as `simulate` and `validate` take its templates and account.
@Suite("import-actions diff, a workflows/ folder alone")
struct DiffWorkflowsFolderTests {
    @Test("An export against the workflows/ folder of its output: the same migration, exit 0", arguments: ["physical-goods-store", "membership-site"])
    func exportAgainstWorkflows(name: String) throws {
        for (old, new) in [("Fixtures/exports/\(name).xml", "Fixtures/expected/\(name)/workflows"), ("Fixtures/expected/\(name)/workflows/", "Fixtures/exports/\(name).xml")] {
            let result = try CLI.run(["diff", old, new])
            #expect(result.status == 0 && result.output.isEmpty && result.errors.isEmpty, "\(old) \(new): \(result.output)\(result.errors)")
        }
    }

    @Test("A workflows/ folder with no report beside it has no findings")
    func noReportBeside() throws {
        try ImportWritingTests.withScratch { scratch in
            // The migration without its report: workflows/, templates/ and account.json.
            for name in ["workflows", "templates", "account.json"] {
                try FileManager.default.copyItem(
                    at: CLI.root.appendingPathComponent("Fixtures/expected/physical-goods-store/" + name), to: scratch.appendingPathComponent(name))
            }
            let workflows = scratch.appendingPathComponent("workflows")
            let result = try CLI.run(["diff", "Fixtures/exports/physical-goods-store.xml", workflows.path])
            #expect(result.status == 1)
            #expect(result.output.contains("- finding "))
            #expect(!result.output.contains("~ workflow") && !result.output.contains("+ workflow") && !result.output.contains("- workflow"))
        }
    }
}
