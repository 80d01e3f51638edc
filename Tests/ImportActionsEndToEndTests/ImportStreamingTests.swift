import CommandLineSupport
import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import MigrationReport
import PurchaseActionsCore
import Testing

/// Issue 12, item 7: the console's tally of findings, a run that does not keep its parts' findings,
/// and the background writer, which gives exactly the bytes of the in-memory way.
@Suite("import-actions: finding tally, background writing")
struct ImportStreamingTests {
    static func finding(_ index: Int, line: Int, message: String = "m") -> MigrationFinding {
        MigrationFinding(
            index.isMultiple(of: 3) ? .legacyAction : .unknownMergeField, "\(message) \(index) \"quoted\"\n",
            at: FileLocation(file: "x.xml", path: "/export/action-sets/action-set[@id='as-\(index)']", line: line, column: index % 7),
            workflowID: "action-set.as-\(index)")
    }

    @Test("The summary keeps the console's lines the same as the whole list gives")
    func tallyMatchesList() {
        let findings = (0..<300).map { Self.finding($0, line: 1_000 - $0 % 250) }
        var tally = FindingSummary()
        for (order, finding) in findings.enumerated() { tally.add(finding, order: order) }
        let sorted = Migration.documentOrder(findings)
        var lines = sorted.prefix(20).map(\.description)
        lines.append("note: 280 more not shown; all 300 are in migration-report.json; by code:")
        lines += ["  unknown-merge-field: 200", "  legacy-action: 100"]
        #expect(ImportConsole.findingLines(tally) == lines)
        #expect(ImportConsole.findingLines(findings) == lines)
        #expect(tally.total == 300)
        #expect(tally.first == Array(sorted.prefix(FindingSummary.firstLimit)))
    }

    @Test("A run that does not retain findings counts them, keeps the account's, and says the same summary")
    func runWithoutRetaining() {
        var settings = AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", location: FileLocation(file: "x.xml", line: 2))
        settings.billing.location = FileLocation(file: "x.xml", line: 3)
        settings.billing.daysBeforeAutocharge = 1  // the one billing setting a dunning policy cannot carry: an account finding
        let set = ActionSet(
            id: "as-1", name: "One", actions: [Action(id: "f", kind: .sendFax(templateID: "tpl-fax"), location: FileLocation(file: "x.xml", line: 9))],
            location: FileLocation(file: "x.xml", line: 8))
        var kept = MigrationRun()
        var counted = MigrationRun(retainingFindings: false)
        kept.add(account: settings)
        counted.add(account: settings)
        kept.add(catalogue: Catalogue())
        counted.add(catalogue: Catalogue())
        let output = counted.add(set)
        kept.add(set)
        #expect(!output.findings.isEmpty)
        #expect(counted.findings.map(\.code) == [.billingSettingsUnused])
        #expect(counted.findingCount == kept.findings.count)
        #expect(counted.summary(warnings: 0) == kept.summary(warnings: 0))
    }

    @Test("A file the background writer cannot create fails the write or the finish, naming the file")
    func writerFailure() throws {
        let scratch = try BuiltProducts.scratch("pa-writer")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let writer = BackgroundWriter(directory)
        try writer.write(to: "workflows/a.json") { JSONValue.string("a").canonicalBytes }
        var failure: CommandError?
        do {
            try writer.write(to: "no-such-folder/b.json") { JSONValue.string("b").canonicalBytes }
            try writer.finish()
        } catch {
            failure = error
        }
        #expect(failure?.description.contains("no-such-folder/b.json") == true, "\(String(describing: failure))")
        writer.cancel()
        #expect(FileManager.default.fileExists(atPath: directory.staging + "/workflows/a.json"))
    }

    @Test("Files written on the background thread hold exactly the canonical text")
    func writerBytes() throws {
        let scratch = try BuiltProducts.scratch("pa-writer")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let writer = BackgroundWriter(directory)
        let values = (0..<200).map { JSONValue.members(["id": .string("w\($0)"), "n": .integer($0)]) }
        for (index, value) in values.enumerated() { try writer.write(to: "workflows/w\(index).json") { value.canonicalBytes } }
        try writer.finish()
        for (index, value) in values.enumerated() {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory.staging + "/workflows/w\(index).json")))
            #expect(bytes == value.canonicalBytes)
        }
    }

    /// What the jobs of ``orderedJobs()`` record: touched by the writer's thread only until it finishes.
    final class Record: @unchecked Sendable {
        var order: [Int] = []
    }

    @Test("Jobs run one at a time in the order queued (the report's bodies keep their order); a failing job stops the rest")
    func orderedJobs() throws {
        let scratch = try BuiltProducts.scratch("pa-writer")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let record = Record()
        let writer = BackgroundWriter(directory)
        for index in 0..<500 { try writer.perform { record.order.append(index) } }
        try writer.finish()
        #expect(record.order == Array(0..<500))

        let failing = Record()
        let second = BackgroundWriter(directory)
        var failure: CommandError?
        do {
            try second.perform { failing.order.append(0) }
            try second.perform { () throws(CommandError) in throw CommandError(.io, "job 1 failed") }
            for index in 2..<200 { try second.perform { failing.order.append(index) } }
            try second.finish()
        } catch {
            failure = error
        }
        second.cancel()
        #expect(failure?.description.contains("job 1 failed") == true)
        // The job before the failure ran; none after it did.
        #expect(failing.order == [0])
    }
}
