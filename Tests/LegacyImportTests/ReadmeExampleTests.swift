import LegacyImport
import PurchaseActions
import Testing

@Suite("Examples in README.md and the DocC catalogue")
struct ReadmeExampleTests {
    @Test("The library example reads every action set of a bundled export")
    func readmeExample() throws {
        // As in README.md ("From Swift"), with the path made absolute for the test.
        let stream = try ExportReader().stream(file: Repository.path("Fixtures/exports/course-creator.xml"))
        var seen: [(String, [String])] = []
        while let item = try stream.next() {
            if case .actionSet(let set) = item { seen.append((set.id, set.actions.map(\.kind.elementName))) }
        }
        #expect(seen.count == 6)
        #expect(seen.allSatisfy { !$0.1.isEmpty })
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
