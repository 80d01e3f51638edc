import PurchaseActionsCore

/// How `SimulatedGateway` answers each charge (Docs/dunning-simulation.md, "The gateway script";
/// Docs/gateway-script.schema.json): rules tried in order, the first whose `when` holds gives the
/// answer; none: `default`, itself by default "decline as the invoice's first failure declined".
///
/// ```json
/// {"format": 1,
///  "rules": [{"when": {"card": "card-9", "afterCardUpdate": true}, "answer": {"outcome": "approved"}},
///            {"when": {"attempt": 3, "amountAtMost": 5000}, "answer": {"outcome": "unknown", "lookup": "approved"}}],
///  "default": {"outcome": "declined"}}
/// ```
public struct GatewayScript: Hashable, Sendable {
    /// The format version this reader knows: `1`.
    public static let formatVersion = 1
    /// The most rules a script may hold: 10,000.
    public static let maxRules = 10_000
    /// The longest id or code: 200 characters.
    public static let maxKeyLength = 200

    /// What a charge must be for a rule to apply; every member given must hold.
    public struct Match: Hashable, Sendable {
        /// The invoice charged.
        public var invoice: String?
        /// The contact charged.
        public var contact: String?
        /// The card charged (after a card update, the new card's id).
        public var card: String?
        /// The card's network (`other` for a card with no network).
        public var network: CardNetwork?
        /// The attempt number, 2 to 1000.
        public var attempt: Int?
        /// The amount is at least this (minor units).
        public var amountAtLeast: Int?
        /// The amount is at most this (minor units).
        public var amountAtMost: Int?
        /// The invoice's first failure had this decline code (lower case).
        public var declineCode: String?
        /// The card charged came (`true`) or did not come (`false`) from a card update.
        public var afterCardUpdate: Bool?

        /// Creates a match; no member matches every charge.
        public init(invoice: String? = nil, contact: String? = nil, card: String? = nil, network: CardNetwork? = nil, attempt: Int? = nil,
                    amountAtLeast: Int? = nil, amountAtMost: Int? = nil, declineCode: String? = nil, afterCardUpdate: Bool? = nil) {
            self.invoice = invoice
            self.contact = contact
            self.card = card
            self.network = network
            self.attempt = attempt
            self.amountAtLeast = amountAtLeast
            self.amountAtMost = amountAtMost
            self.declineCode = declineCode
            self.afterCardUpdate = afterCardUpdate
        }

        /// Whether the charge is one this matches.
        public func matches(_ charge: Charge) -> Bool {
            if let invoice, invoice != charge.request.invoice { return false }
            if let contact, contact != charge.request.contact { return false }
            if let card, card != charge.request.card { return false }
            if let network, network != charge.network { return false }
            if let attempt, attempt != charge.request.attempt { return false }
            if let amountAtLeast, charge.request.amount < amountAtLeast { return false }
            if let amountAtMost, charge.request.amount > amountAtMost { return false }
            if let declineCode, declineCode != charge.firstDeclineCode { return false }
            if let afterCardUpdate, afterCardUpdate != charge.afterCardUpdate { return false }
            return true
        }
    }

    /// A decline to answer with: a code (and advice code), or `nil` for the invoice's first failure's.
    public struct DeclineAnswer: Hashable, Sendable {
        /// The decline code, or `nil`: the first failure's code and advice code.
        public var code: String?
        /// The advice code (only with `code`).
        public var adviceCode: String?

        /// Creates a decline answer.
        public init(code: String? = nil, adviceCode: String? = nil) {
            self.code = code
            self.adviceCode = adviceCode
        }
    }

    /// What a status look-up says after an unknown outcome.
    public enum Lookup: Hashable, Sendable {
        /// The charge went through.
        case approved
        /// It was declined.
        case declined(DeclineAnswer)
        /// Nothing was charged (the default).
        case notFound
        /// Still not known.
        case unknown
    }

    /// What the gateway answers.
    public enum Answer: Hashable, Sendable {
        /// Charged.
        case approved
        /// Declined.
        case declined(DeclineAnswer)
        /// Not known (a timeout); the status look-up then says `Lookup`.
        case unknown(then: Lookup)
    }

    /// One rule.
    public struct Rule: Hashable, Sendable {
        /// When it applies.
        public var when: Match
        /// What it answers.
        public var answer: Answer

        /// Creates a rule.
        public init(when: Match, answer: Answer) {
            self.when = when
            self.answer = answer
        }
    }

    /// What a rule sees of a charge.
    public struct Charge: Hashable, Sendable {
        /// The request.
        public var request: ChargeRequest
        /// The card's network.
        public var network: CardNetwork
        /// The invoice's first failure's decline code, lower case.
        public var firstDeclineCode: String?
        /// Whether the card came from a card update.
        public var afterCardUpdate: Bool

        /// Creates a charge.
        public init(request: ChargeRequest, network: CardNetwork, firstDeclineCode: String?, afterCardUpdate: Bool) {
            self.request = request
            self.network = network
            self.firstDeclineCode = firstDeclineCode
            self.afterCardUpdate = afterCardUpdate
        }
    }

    /// The rules, in order.
    public var rules: [Rule]
    /// The answer when no rule matches.
    public var defaultAnswer: Answer

    /// A script; with no rules and the default default, every charge declines as the invoice's first failure did.
    public init(rules: [Rule] = [], defaultAnswer: Answer = .declined(DeclineAnswer())) {
        self.rules = rules
        self.defaultAnswer = defaultAnswer
    }

    /// The answer to a charge: the first matching rule's, else the default.
    public func answer(for charge: Charge) -> Answer {
        rules.first { $0.when.matches(charge) }?.answer ?? defaultAnswer
    }
}
