/// What a decline means for retrying (Docs/dunning.md, "Declines").
public enum DeclineClass: String, Hashable, Sendable, CaseIterable {
    /// The issuer will never approve this card: never retry it; wait for a new card.
    case hard
    /// Retry on the schedule.
    case soft
    /// Retry after the time the network's advice gives (Mastercard advice codes 24–30), not the schedule's.
    case retryAfter = "retry-after"
    /// Wait for a new card (expired card, new account information); a card update retries.
    case updateRequired = "update-required"
}

/// A decline classed: the gateway's code, the network's advice code, the class, and for
/// `retry-after` when to retry.
public struct Decline: Hashable, Sendable {
    /// The gateway's decline code as reported, lower-cased.
    public var code: String
    /// The Mastercard merchant advice code (`"01"` … `"30"`), when reported.
    public var adviceCode: String?
    /// The class.
    public var declineClass: DeclineClass
    /// For `retry-after`: how long after the decline the next attempt comes.
    public var retryAfter: PolicyDuration?
    /// Which row decided: `"advice 25"`, `"code insufficient_funds"`, `"policy"`, `"unknown"`.
    public var reason: String

    /// Creates a decline.
    public init(code: String, adviceCode: String? = nil, declineClass: DeclineClass, retryAfter: PolicyDuration? = nil, reason: String) {
        self.code = code
        self.adviceCode = adviceCode
        self.declineClass = declineClass
        self.retryAfter = retryAfter
        self.reason = reason
    }
}
