/// A card network, for retry budgets. Events name it in `card.network`; a card without one is `other`.
public enum CardNetwork: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Visa.
    case visa
    /// Mastercard.
    case mastercard
    /// American Express.
    case amex
    /// Discover.
    case discover
    /// Any other network, or not known.
    case other

    /// Orders as declared.
    public static func < (lhs: CardNetwork, rhs: CardNetwork) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// At most `attempts` charges of one card in any rolling `window`.
public struct NetworkBudget: Hashable, Sendable {
    /// Charges allowed in the window, at least 1.
    public var attempts: Int
    /// The rolling window.
    public var window: PolicyDuration

    /// Creates a budget.
    public init(attempts: Int, window: PolicyDuration) {
        self.attempts = attempts
        self.window = window
    }
}
