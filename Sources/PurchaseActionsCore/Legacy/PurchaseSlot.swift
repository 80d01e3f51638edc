/// A legacy e-commerce trigger slot and the action set it runs.
public struct PurchaseSlot: Hashable, Sendable, Codable {
    /// Which trigger.
    public enum Kind: Hashable, Sendable, Codable {
        /// A customer logs in to a multi-step cart.
        case onLogin
        /// The buyer was not already a contact.
        case contactCreation
        /// An order's card charge succeeded.
        case successfulPurchase
        /// The order was placed but the card was declined.
        case failedPurchase
        /// Any other error stopped the order.
        case errorPurchase
        /// A product was bought.
        case product(id: String)
        /// A subscription plan was bought.
        case subscriptionPlan(id: String)

        /// The stable key of the slot: `successful-purchase`, `product-purchase:prod-1`, ...
        public var key: String {
            switch self {
            case .onLogin: "on-login"
            case .contactCreation: "contact-creation"
            case .successfulPurchase: "successful-purchase"
            case .failedPurchase: "failed-purchase"
            case .errorPurchase: "error-purchase"
            case .product(let id): "product-purchase:\(id)"
            case .subscriptionPlan(let id): "subscription-purchase:\(id)"
            }
        }
    }
    /// Which trigger.
    public var kind: Kind
    /// The action set it runs.
    public var actionSetID: String
    /// Extensions kept as they were.
    public var extensions: [OpaquePart]
    /// Where the slot was.
    public var location: FileLocation
    /// Creates a slot.
    public init(kind: Kind, actionSetID: String, extensions: [OpaquePart] = [], location: FileLocation) {
        self.kind = kind
        self.actionSetID = actionSetID
        self.extensions = extensions
        self.location = location
    }
}

/// A legacy billing-automation rule: an action set run on a failed or recovered autocharge, or an expiring card.
public struct BillingAutomationRule: Hashable, Sendable, Codable {
    /// What a rule is restricted to.
    public enum Scope: Hashable, Sendable, Codable {
        /// Any product or plan.
        case any
        /// One product.
        case product(id: String)
        /// One subscription plan.
        case subscriptionPlan(id: String)
    }
    /// When it fires.
    public enum Trigger: Hashable, Sendable, Codable {
        /// The Nth autocharge attempt for an invoice failed.
        case autochargeFailed(attempt: Int, scope: Scope)
        /// An autocharge succeeded after an earlier failure.
        case autochargeRecovered(scope: Scope)
        /// A card expires in this many days (counted back from the last day of the expiry month).
        case cardExpiring(days: Int)
    }
    /// Stable id.
    public var id: String
    /// When it fires.
    public var trigger: Trigger
    /// The action set it runs.
    public var actionSetID: String
    /// Extensions kept as they were.
    public var extensions: [OpaquePart]
    /// Where the rule was.
    public var location: FileLocation
    /// Creates a rule.
    public init(id: String, trigger: Trigger, actionSetID: String, extensions: [OpaquePart] = [], location: FileLocation) {
        self.id = id
        self.trigger = trigger
        self.actionSetID = actionSetID
        self.extensions = extensions
        self.location = location
    }
}
