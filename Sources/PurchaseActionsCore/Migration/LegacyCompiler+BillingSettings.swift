/// The account's billing defaults and each plan's billing overrides: the legacy retry schedule,
/// which no workflow carries and the engine does not run yet (Docs/mapping.md, "Billing
/// automation"). Each becomes a `billing-settings-unused` finding at its own line, saying what the
/// setting was, so a migration never says "all mapped exactly" while one is set.
extension LegacyCompiler {
    /// What the engine does instead, the same words in every such finding.
    static let billingSettingsInstead =
        "the engine does not retry or schedule charges yet; set the retry schedule up in the payment processor (or a dunning policy, when there is one)"

    /// A `billing-settings-unused` finding for the account's `<billing-defaults>` (at its line),
    /// when the export has the element or the settings differ from the legacy defaults.
    public static func billingSettingsFindings(_ settings: AccountSettings) -> [MigrationFinding] {
        let billing = settings.billing
        let legacy = BillingDefaults()
        let differs =
            billing.maxRetries != legacy.maxRetries || billing.daysBetweenRetries != legacy.daysBetweenRetries
            || billing.daysBeforeAutocharge != legacy.daysBeforeAutocharge || billing.maxInvoiceAgeMonths != legacy.maxInvoiceAgeMonths
        guard billing.location != nil || differs else { return [] }
        let values =
            "max-retries=\"\(billing.maxRetries)\" days-between-retries=\"\(billing.daysBetweenRetries)\" days-before-autocharge=\"\(billing.daysBeforeAutocharge)\" max-invoice-age-months=\"\(billing.maxInvoiceAgeMonths)\""
        return [
            MigrationFinding(
                .billingSettingsUnused, "account billing defaults (\(values)) are not used: \(billingSettingsInstead)",
                at: billing.location ?? settings.location, workflowID: "")
        ]
    }

    /// A `billing-settings-unused` finding for each subscription plan and payment plan with billing
    /// overrides (`autocharge="false"`, `max-retries`, `days-between-retries`), at the plan's line,
    /// in document order (subscription plans, then payment plans).
    public static func billingSettingsFindings(_ catalogue: Catalogue) -> [MigrationFinding] {
        catalogue.subscriptionPlans.values.compactMap { billingOverrideFinding($0.billing, "subscription plan", $0.id, $0.location) }
            + catalogue.paymentPlans.values.compactMap { billingOverrideFinding($0.billing, "payment plan", $0.id, $0.location) }
    }

    private static func billingOverrideFinding(_ billing: BillingOverrides, _ kind: String, _ id: String, _ location: FileLocation) -> MigrationFinding? {
        var values: [String] = []
        if !billing.autocharge { values.append("autocharge=\"false\"") }
        if let retries = billing.maxRetries { values.append("max-retries=\"\(retries)\"") }
        if let days = billing.daysBetweenRetries { values.append("days-between-retries=\"\(days)\"") }
        guard !values.isEmpty else { return nil }
        return MigrationFinding(
            .billingSettingsUnused,
            "billing overrides of \(kind) '\(id)' (\(values.joined(separator: " "))) are not used: \(billingSettingsInstead)",
            at: location, workflowID: "")
    }
}
