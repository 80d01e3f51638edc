import Foundation
import MigrationReport
import PurchaseActionsCore
import Testing

@Suite struct WorkflowPictureSkeletonTests {
    @Test func mermaidStartsWithAFlowchart() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Fixtures/expected/physical-goods-store/workflows/action-set.as-declined.json")
        let workflow = try Workflow.load(Array(try Data(contentsOf: file)))
        #expect(WorkflowPicture(workflow).mermaid.hasPrefix("flowchart"))
    }
}
