/// Per-plan overrides of the account's billing defaults.
public struct BillingOverrides: Hashable, Sendable, Codable {
    /// Whether payments are charged automatically.
    public var autocharge: Bool
    /// Attempts per invoice, if overridden.
    public var maxRetries: Int?
    /// Days between attempts, if overridden.
    public var daysBetweenRetries: Int?
    /// Creates overrides.
    public init(autocharge: Bool = true, maxRetries: Int? = nil, daysBetweenRetries: Int? = nil) {
        self.autocharge = autocharge
        self.maxRetries = maxRetries
        self.daysBetweenRetries = daysBetweenRetries
    }
}

/// A subscription plan of a product.
public struct SubscriptionPlan: Hashable, Sendable, Codable {
    /// How often a subscription bills.
    public enum Cycle: String, Hashable, Sendable, Codable, CaseIterable {
        /// Daily.
        case day
        /// Weekly.
        case week
        /// Monthly.
        case month
        /// Yearly.
        case year
    }
    /// Stable id.
    public var id: String
    /// The product's id.
    public var productID: String
    /// Display name.
    public var name: String
    /// Price per cycle in minor units.
    public var price: Int
    /// The billing cycle.
    public var cycle: Cycle
    /// Bills every `frequency` cycles.
    public var frequency: Int
    /// Free trial days, if any.
    public var trialDays: Int?
    /// Billing overrides.
    public var billing: BillingOverrides
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a subscription plan.
    public init(
        id: String, productID: String, name: String, price: Int, cycle: Cycle, frequency: Int = 1, trialDays: Int? = nil,
        billing: BillingOverrides = BillingOverrides(), location: FileLocation
    ) {
        self.id = id
        self.productID = productID
        self.name = name
        self.price = price
        self.cycle = cycle
        self.frequency = frequency
        self.trialDays = trialDays
        self.billing = billing
        self.location = location
    }
}

/// Several products sold together.
public struct ProductBundle: Hashable, Sendable, Codable {
    /// A product in a bundle.
    public struct Item: Hashable, Sendable, Codable {
        /// The product's id.
        public var productID: String
        /// How many.
        public var quantity: Int
        /// Where it was defined.
        public var location: FileLocation
        /// Creates a bundle item.
        public init(productID: String, quantity: Int = 1, location: FileLocation) {
            self.productID = productID
            self.quantity = quantity
            self.location = location
        }
    }
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// The products, in document order.
    public var items: [Item]
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a bundle.
    public init(id: String, name: String, items: [Item], location: FileLocation) {
        self.id = id
        self.name = name
        self.items = items
        self.location = location
    }
}

/// A payment plan: the price paid in several payments.
public struct PaymentPlan: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// Number of payments.
    public var payments: Int
    /// Days between payments.
    public var intervalDays: Int
    /// The first payment's amount in minor units, when it differs from the others.
    public var firstPayment: Int?
    /// Billing overrides.
    public var billing: BillingOverrides
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a payment plan.
    public init(
        id: String, name: String, payments: Int, intervalDays: Int, firstPayment: Int? = nil,
        billing: BillingOverrides = BillingOverrides(), location: FileLocation
    ) {
        self.id = id
        self.name = name
        self.payments = payments
        self.intervalDays = intervalDays
        self.firstPayment = firstPayment
        self.billing = billing
        self.location = location
    }
}
