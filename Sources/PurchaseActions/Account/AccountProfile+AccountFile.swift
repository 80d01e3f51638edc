extension AccountProfile {
    /// The profile an import's `account.json` gives: the same as the export's
    /// (`AccountProfile(_:)` of a `LegacyAccount`), so `{{company.Name}}` and `{{owner.Email}}`
    /// render the same from the output folder as from the export.
    public init(_ file: AccountFile) {
        self.init(LegacyAccount(settings: file.settings, catalogue: file.catalogue))
    }
}

extension AccountFile {
    /// The product each subscription plan sells, by plan id (`Automation.productOfPlan`).
    public var productOfPlan: [String: String] { catalogue.subscriptionPlans.mapValues(\.productID) }
}
