/// A whole legacy account: settings, catalogue, sequences, action sets, slots and billing automation.
///
/// Build one in code, or read one from an export with `ExportReader` in the `LegacyImport` module.
public struct LegacyAccount: Hashable, Sendable, Codable {
    /// Settings and billing defaults.
    public var settings: AccountSettings
    /// Tags, fields, users, products, plans, templates.
    public var catalogue: Catalogue
    /// Follow-up sequences, in document order.
    public var sequences: [FollowUpSequence]
    /// Action sets, in document order.
    public var actionSets: [ActionSet]
    /// Purchase-action slots, in document order.
    public var slots: [PurchaseSlot]
    /// Billing-automation rules, in document order.
    public var billingRules: [BillingAutomationRule]
    /// Extensions found at the top level of the export.
    public var extensions: [OpaquePart]

    /// Creates an account.
    public init(
        settings: AccountSettings, catalogue: Catalogue = Catalogue(), sequences: [FollowUpSequence] = [],
        actionSets: [ActionSet] = [], slots: [PurchaseSlot] = [], billingRules: [BillingAutomationRule] = [],
        extensions: [OpaquePart] = []
    ) {
        self.settings = settings
        self.catalogue = catalogue
        self.sequences = sequences
        self.actionSets = actionSets
        self.slots = slots
        self.billingRules = billingRules
        self.extensions = extensions
    }
}
