/// The bounds of `DunningProcess` (Docs/dunning.md, "Limits"): nothing an event file or a policy
/// holds can make it loop, allocate or plan without bound.
public struct ProcessLimits: Hashable, Sendable {
    /// Invoices the process manages at once (open or ended): 1,000,000. A failure of one more
    /// invoice is `ignored`, saying so.
    public var maxInvoices: Int
    /// Attempt numbers per invoice: 1,000. At the bound the invoice gets its final action (`final`, saying so).
    public var maxAttempts: Int
    /// Timeline entries per invoice: 10,000, the last a `final` entry saying the bound was reached.
    public var maxEntries: Int
    /// How often an attempt whose outcome stayed unknown is charged again with the same key: 3;
    /// then a staff task and the final action.
    public var maxUnknownRepeats: Int

    /// The standard bounds.
    public static let standard = ProcessLimits()

    /// Creates bounds; the defaults are ``standard``'s.
    public init(maxInvoices: Int = 1_000_000, maxAttempts: Int = 1000, maxEntries: Int = 10_000, maxUnknownRepeats: Int = 3) {
        self.maxInvoices = maxInvoices
        self.maxAttempts = maxAttempts
        self.maxEntries = maxEntries
        self.maxUnknownRepeats = maxUnknownRepeats
    }
}
