public import PurchaseActionsCore

/// Something a step did, recorded for the log and, for external effects, for delivery.
public struct Effect: Sendable {
    /// What kind of effect.
    public var kind: String {
        get {
            switch content {
            case .given(let kind, _, _): kind
            case .action(let report): report.instruction.kind
            }
        }
        set { content = .given(kind: newValue, details: details, key: idempotencyKey) }
    }
    /// Its details, as the log writes them (and a deliverer reads them).
    public var details: JSONValue {
        get {
            switch content {
            case .given(_, let details, _): details
            case .action(let report): report.details
            }
        }
        set { content = .given(kind: kind, details: newValue, key: idempotencyKey) }
    }
    /// `kind`, `details` and `idempotencyKey`: as given, or composed when read from what an action
    /// reported (read from its instruction when asked, so running an action does not touch it).
    private var content: Content
    /// Whether it leaves the engine (email, SMS, POST, charge, ...) rather than changing a contact.
    public var isExternal: Bool
    /// For external effects: the key a receiver uses to drop duplicates, from (enrollment, step, attempt).
    public var idempotencyKey: String? {
        get {
            switch content {
            case .given(_, _, let key): key
            case .action(let report): report.idempotencyKey
            }
        }
        set { content = .given(kind: kind, details: details, key: newValue) }
    }
    /// When it may be delivered (later than now when a send window holds it).
    public var deliverAt: Instant?

    /// Creates an effect.
    public init(kind: String, details: JSONValue, isExternal: Bool, idempotencyKey: String? = nil, deliverAt: Instant? = nil) {
        self.content = .given(kind: kind, details: details, key: idempotencyKey)
        self.isExternal = isExternal
        self.deliverAt = deliverAt
    }
}

extension Effect {
    private enum Content: Sendable {
        case given(kind: String, details: JSONValue, key: String?)
        case action(ActionReport)
    }

    /// ``details`` as `compactText` (on one line, keys sorted): an action's written straight to
    /// bytes for the kinds a durable store records by the thousand (tags, emails, webhooks),
    /// without composing the `JSONValue`; byte for byte `details.compactText`.
    public var compactDetailsText: String {
        switch content {
        case .given(_, let details, _): details.compactText
        case .action(let report): report.compactDetailsText
        }
    }

    /// Creates an action's effect, whose details (templates rendered) and key are composed only when read.
    init(_ report: ActionReport, isExternal: Bool, deliverAt: Instant?) {
        content = .action(report)
        self.isExternal = isExternal
        self.deliverAt = deliverAt
    }
}

extension Effect: Hashable {
    /// Effects are equal when everything they say is equal, however it was composed.
    public static func == (lhs: Effect, rhs: Effect) -> Bool {
        lhs.kind == rhs.kind && lhs.isExternal == rhs.isExternal && lhs.idempotencyKey == rhs.idempotencyKey && lhs.deliverAt == rhs.deliverAt
            && lhs.details == rhs.details
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(idempotencyKey)
        hasher.combine(deliverAt)
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
    #if DEBUG
    public private(set) var effects: [Effect] = []
    #else
    @exclusivity(unchecked) public private(set) var effects: [Effect] = []
    #endif
    /// Creates an empty recorder.
    public init() {}
    public func record(_ effect: Effect) { effects.append(effect) }

    /// Removes and returns the effects recorded so far, in order: what a deliverer takes from the
    /// outbox (the recorder then holds only effects recorded after).
    public func take() -> [Effect] {
        defer { effects.removeAll() }
        return effects
    }
}
