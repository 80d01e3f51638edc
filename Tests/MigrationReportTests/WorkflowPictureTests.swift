import Foundation
import MigrationReport
import PurchaseActionsCore
import Testing

@Suite struct WorkflowPictureSkeletonTests {
    @Test func mermaidStartsWithAFlowchart() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Fixtures/expected/physical-goods-store/workflows/slot.failed-purchase.json")
        let workflow = try Workflow.load(Array(try Data(contentsOf: file)))
        #expect(WorkflowPicture(workflow).mermaid.hasPrefix("flowchart"))
    }
}
