/// The legacy account's settings: who it is, its timezone and currency, and the billing defaults.
public struct AccountSettings: Hashable, Sendable, Codable {
    /// The account's stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// IANA timezone name, for example `America/New_York`.
    public var timezone: String
    /// ISO 4217 currency code of every money value in the export.
    public var currency: String
    /// The legacy setting "run purchase actions on all orders": product-specific actions also run for
    /// legacy order forms and manual orders.
    public var runPurchaseActionsOnAllOrders: Bool
    /// The account's billing defaults.
    public var billing: BillingDefaults
    /// Extensions kept as they were.
    public var extensions: [OpaquePart]
    /// Where the account element was.
    public var location: FileLocation

    /// Creates account settings.
    public init(
        id: String, name: String, timezone: String, currency: String, runPurchaseActionsOnAllOrders: Bool = false,
        billing: BillingDefaults = BillingDefaults(), extensions: [OpaquePart] = [], location: FileLocation
    ) {
        self.id = id
        self.name = name
        self.timezone = timezone
        self.currency = currency
        self.runPurchaseActionsOnAllOrders = runPurchaseActionsOnAllOrders
        self.billing = billing
        self.extensions = extensions
        self.location = location
    }
}

/// The legacy billing automation defaults.
public struct BillingDefaults: Hashable, Sendable, Codable {
    /// Autocharge attempts per invoice, the first failed attempt included. Legacy default 3.
    public var maxRetries: Int
    /// Days between attempts. Legacy default 2.
    public var daysBetweenRetries: Int
    /// Days to wait after the due date before the first autocharge. Default 0.
    public var daysBeforeAutocharge: Int
    /// Invoices older than this many months are not autocharged. Legacy default 12.
    public var maxInvoiceAgeMonths: Int
    /// Where `<billing-defaults>` was, or `nil` when the export has none (the legacy defaults
    /// apply) or the settings were built in code.
    public var location: FileLocation?

    /// Creates billing defaults; with no arguments, the legacy system's defaults.
    public init(
        maxRetries: Int = 3, daysBetweenRetries: Int = 2, daysBeforeAutocharge: Int = 0, maxInvoiceAgeMonths: Int = 12,
        location: FileLocation? = nil
    ) {
        self.maxRetries = maxRetries
        self.daysBetweenRetries = daysBetweenRetries
        self.daysBeforeAutocharge = daysBeforeAutocharge
        self.maxInvoiceAgeMonths = maxInvoiceAgeMonths
        self.location = location
    }
}
