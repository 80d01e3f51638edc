import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import PurchaseActionsCore
import Testing

/// Issue 12, item 7: the console shows at most a screenful of findings and the totals per code,
/// a final line with the elapsed time from an injected clock, and a progress bar that appears only
/// after a second, at most ten times a second, only where wanted.
@Suite("import-actions: the console at most a screenful, the final line and the progress bar")
struct ConsoleTests {
    static func finding(_ code: MigrationFinding.Code, line: Int, column: Int = 1) -> MigrationFinding {
        MigrationFinding(code, "m\(line)", at: FileLocation(file: "x.xml", line: line, column: column), workflowID: "")
    }

    @Test("Findings past the screenful are left out; the first 20 in document order are shown, then totals per code")
    func screenful() {
        // Out of document order on purpose: the catalogue's findings come last from a run.
        var findings = (1...500).map { Self.finding(.unknownMergeField, line: 1_000 + $0) }
        findings += (1...5).map { Self.finding(.legacyAction, line: 100 - $0) }
        let lines = ImportConsole.findingLines(findings)
        #expect(lines.count == 20 + 1 + 2)
        #expect(lines[0].hasPrefix("x.xml:95:1: note: m95"), "\(lines[0])")
        #expect(lines[4].hasPrefix("x.xml:99:1: note: m99"))
        #expect(lines[5].hasPrefix("x.xml:1001:1: note:"))
        #expect(lines[19].hasPrefix("x.xml:1015:1: note:"))
        #expect(lines[20] == "note: 485 more not shown; all 505 are in migration-report.json; by code:")
        #expect(Array(lines[21...]) == ["  unknown-merge-field: 500", "  legacy-action: 5"])
    }

    @Test("A screenful or fewer: every finding, no totals")
    func fewFindings() {
        let findings = (1...20).map { Self.finding(.legacyAction, line: 21 - $0) }
        let lines = ImportConsole.findingLines(findings)
        #expect(lines == Migration.documentOrder(findings).map(\.description))
        #expect(ImportConsole.findingLines([]).isEmpty)
    }

    @Test("The first N in document order equal sorting everything and taking N, ties kept in the order found", arguments: [0, 1, 7, 20])
    func firstMatchesSort(limit: Int) {
        var state: UInt64 = 12_345
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 59)
        }
        let findings = (0..<300).map { _ in Self.finding(.literalBraces, line: next(), column: next() % 3) }
        #expect(ImportConsole.first(limit, of: findings) == Array(Migration.documentOrder(findings).prefix(limit)))
    }

    @Test("Counts are grouped by thousands; durations in tenths of a second, then minutes")
    func formats() {
        #expect(ImportConsole.grouped(140_715) == "140,715")
        #expect(ImportConsole.grouped(999) == "999")
        #expect(ImportConsole.grouped(1_000_000) == "1,000,000")
        #expect(ImportConsole.seconds(.milliseconds(2_149)) == "2.1 s")
        #expect(ImportConsole.seconds(.zero) == "0.0 s")
        #expect(ImportConsole.seconds(.seconds(125)) == "2 min 5 s")
        #expect(
            ImportConsole.finalLine(export: "a.xml", folder: "a", summary: "1 workflow (1 action set); all mapped exactly", elapsed: .milliseconds(400))
                == "a.xml → a: 1 workflow (1 action set); all mapped exactly; took 0.4 s")
    }

    @Test("The bar appears only after a second, at most every 100 ms, and is erased once at the end")
    func pacing() throws {
        var progress = ImportProgress(total: 50_000_000, start: .seconds(10), enabled: true)
        #expect(progress.update(bytesRead: 1_000, now: .seconds(10)) == nil)
        #expect(progress.update(bytesRead: 1_000, now: .milliseconds(10_999)) == nil)
        let drawn = progress.update(bytesRead: 15_200_000, now: .seconds(11))
        let first = try #require(drawn)
        #expect(first == "\r\u{1B}[K[#########.....................]  30%  15.2 of 50.0 MB read")
        #expect(progress.update(bytesRead: 16_000_000, now: .milliseconds(11_099)) == nil)
        #expect(progress.update(bytesRead: 16_000_000, now: .milliseconds(11_100)) != nil)
        #expect(progress.finish() == "\r\u{1B}[K")
        #expect(progress.finish() == nil)
        // Only the bar's own carriage return and erase: no other control character.
        let controls = first.unicodeScalars.filter { $0.value < 0x20 || $0.value == 0x7F }
        #expect(controls.map(\.value) == [0x0D, 0x1B])
    }

    @Test("A disabled bar never draws; a small import that ends within a second draws nothing")
    func disabled() {
        var off = ImportProgress(total: 10, start: .zero, enabled: false)
        #expect(off.update(bytesRead: 5, now: .seconds(5)) == nil)
        #expect(off.finish() == nil)
        var quick = ImportProgress(total: 10, start: .zero, enabled: true)
        #expect(quick.update(bytesRead: 10, now: .milliseconds(900)) == nil)
        #expect(quick.finish() == nil)
    }

    @Test("The bar is wanted only on a terminal, without --quiet and outside CI")
    func wanted() {
        #expect(ImportProgress.isWanted(quiet: false, environment: [:], standardErrorIsTerminal: true))
        #expect(!ImportProgress.isWanted(quiet: true, environment: [:], standardErrorIsTerminal: true))
        #expect(!ImportProgress.isWanted(quiet: false, environment: ["CI": "true"], standardErrorIsTerminal: true))
        #expect(!ImportProgress.isWanted(quiet: false, environment: [:], standardErrorIsTerminal: false))
    }

    @Test("The bar never passes 100 % nor goes below 0, and an empty file is complete")
    func bounds() {
        #expect(ImportProgress.bar(bytesRead: 200, total: 100).contains("100%"))
        #expect(ImportProgress.bar(bytesRead: -5, total: 100).hasPrefix("[" + String(repeating: ".", count: 30) + "]   0%"))
        #expect(ImportProgress.bar(bytesRead: 0, total: 0).contains("100%"))
    }

    @Test("Piped (as in this test), an import prints no bar and ends with the final line and its time")
    func pipedImport() throws {
        let scratch = try BuiltProducts.scratch("pa-console")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try CLI.run(["Fixtures/exports/membership-site.xml", "-o", scratch.appendingPathComponent("out").path])
        #expect(result.status == 0)
        #expect(!result.errors.contains("\r") && !result.errors.contains("\u{1B}"))
        let last = try #require(result.output.split(separator: "\n").last)
        #expect(last.contains(" not mapped exactly (listed in migration-report.json); took "), "\(last)")
        #expect(last.hasSuffix(" s"))
    }
}
