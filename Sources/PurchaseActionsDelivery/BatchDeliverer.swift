public import PurchaseActionsEngine

/// A `Deliverer` that can deliver several messages at once more cheaply than one by one (the
/// recording deliverer: one `fsync` for the batch instead of one per line). The worker gives it
/// each batch of due outbox rows (at most 100) and records the outcomes together
/// (`DurableRuntime.record(_:at:)`).
public protocol BatchDeliverer: Deliverer {
    /// Delivers `messages` in order and returns one outcome per message, in the same order. A
    /// message is `delivered` only once it is delivered (for a recording, on disk).
    func deliver(batch messages: [OutboxMessage]) async -> [DeliveryOutcome]
}

extension RecordingDeliverer: BatchDeliverer {
    /// Appends every message's line with one `write` and one `fsync` for all: all `delivered` once
    /// they are on disk, or all `failed` (not permanent, the file cut back to its length before)
    /// when they could not be written. After a crash the lines written whole stay; their rows,
    /// not yet recorded as delivered, are delivered again with the same keys.
    public func deliver(batch messages: [OutboxMessage]) async -> [DeliveryOutcome] {
        guard !messages.isEmpty else { return [] }
        var bytes: [UInt8] = []
        for message in messages {
            bytes.append(contentsOf: message.deliveryLine.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        let outcome = await file.append(bytes)
        return Array(repeating: outcome, count: messages.count)
    }
}
