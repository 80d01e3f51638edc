import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("Examples in README.md and the DocC catalogue")
struct ReadmeExampleTests {
    @Test("The library example compiles a bundled export into workflows")
    func readmeExample() throws {
        // As in README.md ("From Swift"), with the path made absolute for the test.
        let document = try ExportReader().read(file: Repository.path("Fixtures/exports/course-creator.xml"))
        let migration = LegacyCompiler.compile(document.account)
        var printed: [String] = []
        for workflow in migration.workflows { printed.append("\(workflow.id) \(workflow.triggers.map(\.event))") }
        for finding in migration.findings { printed.append(finding.description) }
        #expect(printed.count == 11)
        #expect(printed.contains("slot.successful-purchase [payment.succeeded]"))
        // The one payment plan's billing overrides (max-retries, days-between-retries) are carried by the
        // dunning policy the import writes (dunning-policy.yaml): no finding.
        #expect(migration.findings.isEmpty)
    }

    @Test("The DocC summary example counts what the export holds")
    func summaryExample() throws {
        let stream = try ExportReader().stream(file: Repository.path("Fixtures/exports/physical-goods-store.xml"))
        var summary = ExportSummary()
        while let item = try stream.next() { summary.add(item) }
        #expect(summary.sequences == 1)
        #expect(summary.lines.first?.hasPrefix("account: copper-kettle") == true)
        #expect(stream.warnings.isEmpty)
    }
}
