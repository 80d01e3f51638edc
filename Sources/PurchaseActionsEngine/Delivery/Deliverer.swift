public import PurchaseActionsCore

/// One external effect on its way out of the outbox: what a ``Deliverer`` sends.
///
/// The durable runtime writes an outbox row in the same transaction as the step that caused the
/// effect, and hands it to a deliverer until the deliverer says it was delivered. A crash between
/// sending and recording the delivery sends it again with the same ``key``: delivery is at least
/// once, and the receiver drops duplicates by the key (Docs/operations.md, "Exactly once").
public struct OutboxMessage: Hashable, Sendable {
    /// The idempotency key, from (enrollment, step, attempt): the same on every attempt.
    public var key: String
    /// The effect's kind (`send-email`, `send-sms`, `http-post`, ...).
    public var kind: String
    /// The effect's details as the log writes them (rendered subject, body, URL, ...).
    public var details: JSONValue
    /// Which delivery attempt this is, from 1.
    public var attempt: Int
    /// When the step that caused it ran (the engine's clock).
    public var createdAt: Instant

    /// Creates a message.
    public init(key: String, kind: String, details: JSONValue, attempt: Int = 1, createdAt: Instant) {
        self.key = key
        self.kind = kind
        self.details = details
        self.attempt = attempt
        self.createdAt = createdAt
    }
}

/// What a ``Deliverer`` says of one attempt.
public enum DeliveryOutcome: Hashable, Sendable {
    /// The receiver has it (or had it already: a duplicate it dropped by the key).
    case delivered
    /// Not delivered; `permanent` when trying again cannot help (the receiver refused it for
    /// good), else it is tried again later with backoff. `reason` is for the outbox listing.
    case failed(reason: String, permanent: Bool)
}

/// Sends the outbox's messages somewhere: a file, an HTTP endpoint, a mail server (a port: the
/// adapters live in `PurchaseActionsDelivery`).
///
/// A deliverer must be safe to call again with a message it already delivered (same ``OutboxMessage/key``):
/// it passes the key on so the receiver can drop the duplicate.
public protocol Deliverer: Sendable {
    /// Sends one message and says what happened; it never throws: a failure is an outcome.
    func deliver(_ message: OutboxMessage) async -> DeliveryOutcome
}
