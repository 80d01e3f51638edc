import Foundation
import PurchaseActions
import PurchaseActionsDelivery
import PurchaseActionsSQLite
import Testing

/// The compiled copy of `DurableRuntime.record(_:at:)`'s sample (outcomes of a batch committed
/// together), run against a scratch database.
@Suite("Docs: recording a batch of delivery outcomes")
struct DurableBatchRecordExample {
    @Test("The batch sample delivers what is due and records every outcome in one call")
    func batchSample() async throws {
        let path = DurableDocCommentExamples.scratch()
        let now = DurableDocCommentExamples.now
        let store = try SQLiteStore(path: path)
        let mail = EmailMessage(to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "Hi", text: "Hi")
        let workflow = Workflow(
            id: "w", name: "w", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])], steps: [Step(id: "mail", .action(.sendEmail(mail)))],
            settings: WorkflowSettings(accountTimezone: "UTC"))
        _ = try store.publish(Automation(workflows: [workflow]), at: now)
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(DurableDocCommentExamples.event("ev-1"))
        let recording = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("deliveries.jsonl").path
        let deliverer = try RecordingDeliverer(path: recording)

        var outcomes: [(key: String, outcome: DeliveryOutcome)] = []
        for message in try await runtime.dueDeliveries(at: now, limit: 100) {
            outcomes.append((message.key, await deliverer.deliver(message)))
        }
        try await runtime.record(outcomes, at: now)

        #expect(outcomes.count == 1)
        #expect(try store.outbox(state: .delivered, last: nil).count == 1)
    }
}
