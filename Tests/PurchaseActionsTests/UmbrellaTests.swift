import PurchaseActions
import Testing

@Suite struct UmbrellaTests {
    @Test func oneImportGivesTheModelTheReaderAndTheEngine() throws {
        let workflows: [Workflow] = []
        let engine = try Engine(workflows: workflows, start: Instant(millisecondsSinceEpoch: 0))
        #expect(engine.workflows.isEmpty)
        #expect(ExportLimits().maxDepth > 0)
    }
}
