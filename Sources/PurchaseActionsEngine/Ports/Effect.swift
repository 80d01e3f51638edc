public import PurchaseActions

/// Something a step did, recorded for the log and, for external effects, for delivery.
public struct Effect: Hashable, Sendable {
    /// What kind of effect.
    public var kind: String
    /// Its details, as the log writes them.
    public var details: JSONValue
    /// Whether it leaves the engine (email, SMS, POST, charge, ...) rather than changing a contact.
    public var isExternal: Bool
    /// For external effects: the key a receiver uses to drop duplicates, from (enrollment, step, attempt).
    public var idempotencyKey: String?
    /// When it may be delivered (later than now when a send window holds it).
    public var deliverAt: Instant?

    /// Creates an effect.
    public init(kind: String, details: JSONValue, isExternal: Bool, idempotencyKey: String? = nil, deliverAt: Instant? = nil) {
        self.kind = kind
        self.details = details
        self.isExternal = isExternal
        self.idempotencyKey = idempotencyKey
        self.deliverAt = deliverAt
    }
}

/// Where external effects go to be delivered: an outbox. Tests and `simulate` record them.
public protocol EffectSink: AnyObject {
    /// Accepts an effect for delivery.
    func record(_ effect: Effect)
}

/// An outbox that only remembers, in order.
public final class RecordingEffectSink: EffectSink {
    /// The effects recorded, in order.
    public private(set) var effects: [Effect] = []
    /// Creates an empty recorder.
    public init() {}
    public func record(_ effect: Effect) { effects.append(effect) }
}
