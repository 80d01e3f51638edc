import CommandLineSupport
import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import LegacyImport
import MigrationReport
import PurchaseActionsCore
import Testing

/// Issue 12, item 7 (memory flat in the number of action sets): the import's findings go to a
/// file in the staging folder and come back in document order, exactly as sorting them all in
/// memory gives; the console's warnings are capped like its findings.
@Suite("import-actions: findings spilled to a file and read back in document order; warnings capped")
struct FindingSpillTests {
    static func finding(_ index: Int, line: Int, column: Int? = nil, workflow: String = "w") -> MigrationFinding {
        MigrationFinding(
            index.isMultiple(of: 4) ? .legacyAction : .unknownMergeField, "finding \(index) \"quoted\" ✓\n",
            at: FileLocation(file: "x.xml", path: "/export/action-sets/action-set[@id='as-\(index)']", line: line, column: column),
            workflowID: workflow)
    }

    /// Spills `parts` (each added as one batch) and returns what comes back, with the summary.
    static func roundTrip(_ parts: [[MigrationFinding]]) throws -> (entries: [[UInt8]], spill: FindingSpill) {
        let scratch = try BuiltProducts.scratch("pa-spill")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let spill = try FindingSpill(in: directory)
        for part in parts { try spill.add(part) }
        try spill.close()
        let reader = try spill.entries()
        var entries: [[UInt8]] = []
        while let entry = try reader.next() { entries.append(entry) }
        #expect(FileManager.default.fileExists(atPath: directory.staging + "/" + FindingSpill.fileName))
        spill.remove()
        #expect(!FileManager.default.fileExists(atPath: directory.staging + "/" + FindingSpill.fileName))
        return (entries, spill)
    }

    @Test("An entry written directly is reportJSONEntry's bytes: escapes, every scalar, empty parts, lines past the limit")
    func entryBytes() {
        let texts = ["", "plain", "\"\\/\u{0}\u{1F}\u{7F}\n\r\t\u{8}\u{C}", "é ✓ 🙂 \u{2028}\u{FEFF}", String(repeating: "ab\"", count: 400)]
        for (index, text) in texts.enumerated() {
            for line in [0, -5, 1, 1 << 40] {
                let finding = MigrationFinding(
                    index.isMultiple(of: 2) ? .legacyAction : .unknownMergeField, text,
                    at: FileLocation(file: text + ".xml", parentPath: "/export/" + text, element: "e", id: index == 1 ? nil : text, line: line, column: 2),
                    workflowID: text)
                #expect(FindingSpill.entry(finding) == finding.reportJSONEntry, "\(text) at \(line)")
            }
        }
    }

    @Test("Parts in document order, then the templates' findings at earlier lines: one merge gives Migration.documentOrder of them all")
    func partsThenTemplates() throws {
        // Account and catalogue first, then 300 parts with 0 to 3 findings each (unsorted within a
        // part, ties at one line and column), then template findings back at catalogue lines.
        var parts: [[MigrationFinding]] = [[Self.finding(0, line: 3, column: 5, workflow: ""), Self.finding(1, line: 40, workflow: "")]]
        var index = 2
        for part in 0..<300 {
            let line = 100 + part * 10
            parts.append((0..<(part % 4)).map { offset in
                defer { index += 1 }
                return Self.finding(index, line: line + (3 - offset), column: offset == 2 ? nil : 7)
            })
        }
        parts.append((0..<30).map { offset in
            defer { index += 1 }
            return Self.finding(index, line: 10 + offset % 7, column: 1, workflow: "")
        })
        let all = parts.flatMap { $0 }
        let (entries, spill) = try Self.roundTrip(parts)
        #expect(entries == Migration.documentOrder(all).map(\.reportJSONEntry))
        #expect(spill.summary == FindingSummary(all))
        #expect(spill.runStarts.count == 2, "one run for the parts, one for the templates")
        #expect(spill.summary.total == all.count && spill.summary.first == Array(Migration.documentOrder(all).prefix(FindingSummary.firstLimit)))
    }

    @Test("Findings in any order (a run per step back, up to one per finding) still come back in document order", arguments: [1, 7, 5_000])
    func anyOrder(seed: UInt64) throws {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let parts = (0..<200).map { part in (0..<next(5)).map { Self.finding(part * 10 + $0, line: 1 + next(50), column: next(3) == 0 ? nil : next(4)) } }
        let all = parts.flatMap { $0 }
        let (entries, spill) = try Self.roundTrip(parts)
        #expect(entries == Migration.documentOrder(all).map(\.reportJSONEntry))
        #expect(spill.summary == FindingSummary(all))
        #expect(spill.runStarts.count > 10)
    }

    @Test("No findings: nothing comes back; a finding longer than the read buffer comes back whole")
    func emptyAndLong() throws {
        #expect(try Self.roundTrip([]).entries.isEmpty)
        #expect(try Self.roundTrip([[], []]).entries.isEmpty)
        var long = Self.finding(1, line: 9)
        long.message = String(repeating: "é", count: 300_000)
        let short = Self.finding(2, line: 2)
        let (entries, _) = try Self.roundTrip([[long], [short]])
        #expect(entries == [short.reportJSONEntry, long.reportJSONEntry])
    }

    @Test("A run that does not retain findings keeps no workflow ids either, and counts the workflows")
    func runKeepsNoIDs() {
        var run = MigrationRun(retainingFindings: false)
        run.add(catalogue: Catalogue())
        for number in 1...3 {
            run.add(ActionSet(id: "as-\(number)", name: "S", actions: [], location: FileLocation(file: "x.xml", line: number)))
        }
        #expect(run.workflowIDs.isEmpty && run.workflowCount == 3)
        #expect(run.summary(warnings: 0) == "3 workflows (3 action sets); all mapped exactly")
    }

    @Test("The console shows the first 20 warnings, then one line with how many more and where they all are")
    func warningsCapped() {
        let warnings = (1...1_001).map { ImportWarning("w\($0)", at: FileLocation(file: "x.xml", line: $0)) }
        let lines = ImportConsole.warningLines(warnings)
        #expect(lines.count == 21)
        #expect(lines[0] == warnings[0].description && lines[19] == warnings[19].description)
        #expect(lines[20] == "note: 981 more warnings not shown; all 1,001 are in migration-report.json")
        #expect(ImportConsole.warningLines(Array(warnings.prefix(20))) == warnings.prefix(20).map(\.description))
        #expect(ImportConsole.warningLines(Array(warnings.prefix(21))).count == 21)
        #expect(ImportConsole.warningLines([]).isEmpty)
    }

    /// An export whose action sets each hold text inside an action: the reader warns once per set.
    static func strayText(_ sets: Int) -> String {
        TestExports.withActionSets(
            (1...sets).map { #"<action-set id="as-\#($0)" name="S"><apply-tag id="as-\#($0).t" tag="tag-a">stray</apply-tag></action-set>"# }
                .joined(separator: "\n"))
    }

    @Test("An import with 30 reader warnings prints 20 and a count, writing and with --check; the report lists all 30")
    func warningsCappedEndToEnd() throws {
        let scratch = try BuiltProducts.scratch("pa-warnings")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let export = scratch.appendingPathComponent("stray.xml")
        try Data(Self.strayText(30).utf8).write(to: export)
        let written = try CLI.run([export.path, "-o", scratch.appendingPathComponent("out").path])
        #expect(written.status == 0, "\(written.errors)")
        let warningLines = written.errors.split(separator: "\n").filter { $0.contains(": warning: ") }
        #expect(warningLines.count == 20, "\(written.errors)")
        #expect(written.errors.contains("note: 10 more warnings not shown; all 30 are in migration-report.json\n"), "\(written.errors)")
        let report = try String(contentsOf: scratch.appendingPathComponent("out/migration-report.json"), encoding: .utf8)
        #expect(report.components(separatedBy: "\"message\": \"text inside").count - 1 == 30)
        let checked = try CLI.run([export.path, "--check", "--no-schema"])
        #expect(checked.status == 1)
        #expect(checked.errors.split(separator: "\n").filter { $0.contains(": warning: ") }.count == 20)
        #expect(checked.errors.contains("note: 10 more warnings not shown; all 30 are listed by an import without --check, in migration-report.json\n"), "\(checked.errors)")
        #expect(checked.output.contains("  warnings: 30\n"))
    }
}

extension RequiredTool {
    /// Python 3, which runs Tools/generate-export.py.
    static let python3 = RequiredTool(program: "python3", for: "Tools/generate-export.py", install: "apt-get install python3")
}

/// Review of issue 12: the generator's exports are valid whatever their options.
@Suite("Tools/generate-export.py writes valid exports")
struct GeneratorTests {
    @Test("--users 200 (seed 42) names no user or fulfillment list with a line break: the export reads with no error", .requires(.python3))
    func usersWithoutLineBreaks() throws {
        let scratch = try BuiltProducts.scratch("pa-generate")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let export = scratch.appendingPathComponent("users.xml")
        let python = URL(fileURLWithPath: try #require(RequiredTool.executable(named: "python3")))
        let generated = try BuiltProducts.runProgram(
            python, ["Tools/generate-export.py", "--users", "200", "--templates", "200", "--action-sets", "20", "--seed", "42", "-q", "-o", export.path], in: CLI.root)
        #expect(generated.status == 0, "\(generated.errors)")
        let text = try String(contentsOf: export, encoding: .utf8)
        #expect(text.contains("<user id=\"user-200\""))
        // Tabs are allowed in a header field and kept; line breaks are not.
        for line in text.split(separator: "\n") where line.contains("<user ") || line.contains("<fulfillment-list-template ") {
            #expect(!line.contains("&#10;") && !line.contains("&#13;"), "\(line)")
        }
        let checked = try CLI.run([export.path, "--check", "--no-schema", "-q"])
        #expect(checked.status == 0, "\(checked.errors)")
    }
}
