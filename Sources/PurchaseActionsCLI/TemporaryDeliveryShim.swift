// TEMPORARY until h-delivery is merged: delete this file then.
import PurchaseActionsCore
import PurchaseActionsEngine

struct DeliveryError: Error, CustomStringConvertible {
    enum Code: String { case invalidURL = "invalid-url", io }
    var code: Code
    var message: String
    var description: String { message }
}

struct RecordingDeliverer: Deliverer {
    init(path: String) throws(DeliveryError) {}
    func deliver(_ message: OutboxMessage) async -> DeliveryOutcome { .delivered }
}

final class HTTPPostDeliverer: Deliverer {
    init(url: String) throws(DeliveryError) {}
    func deliver(_ message: OutboxMessage) async -> DeliveryOutcome { .delivered }
    func shutdown() async throws {}
}
