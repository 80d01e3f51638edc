import Foundation
import PurchaseActionsEngine
import Testing

@Suite("Docs/engine.md: the example")
struct EngineExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("The example runs: the purchase fires two slots and runActionSequence answers per action")
    func runs() throws {
        let (log, results) = try engineExample(root: Self.root.path)
        #expect(log.contains("slot.successful-purchase: contact-1 entered"))
        #expect(log.contains("slot.product-purchase.prod-foundations-basic: contact-1 entered"))
        #expect(results.map(\.action) == ["add-tag", "send-email"])
        #expect(results.allSatisfy { !$0.isError })
    }
}
