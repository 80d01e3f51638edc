// The samples of Docs/delivery.md, compiled (DocSamplesTests checks they are here). They are not
// run: the recording one would write in the working folder and the HTTP one post to example.com;
// Tests/PurchaseActionsDeliveryTests runs both deliverers against a file and a loopback server.
import PurchaseActionsDelivery
import PurchaseActionsEngine

enum DeliveryExamples {
    static func recording(_ message: OutboxMessage) async throws -> DeliveryOutcome {
        let deliverer = try RecordingDeliverer(path: "deliveries.jsonl")
        let outcome = await deliverer.deliver(message)   // .delivered once the line is on disk
        return outcome
    }

    static func post(_ message: OutboxMessage) async throws -> DeliveryOutcome {
        let deliverer = try HTTPPostDeliverer(url: "https://hooks.example.com/purchase-actions",
                                              timeout: .seconds(10),
                                              headers: [("Authorization", "Bearer s3cret")])
        let outcome = await deliverer.deliver(message)
        try await deliverer.shutdown()   // once done: closes the connections
        return outcome
    }
}
