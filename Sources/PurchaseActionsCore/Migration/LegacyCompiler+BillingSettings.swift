/// The account's billing defaults and each plan's billing overrides: the legacy retry schedule.
/// `import-actions` writes them as the dunning policy `dunning-policy.yaml` (Docs/mapping.md,
/// "Billing automation"; `DunningPolicy(importing:catalogue:)`), which carries the retry count,
/// the days between retries, each plan's `autocharge="false"` and the oldest invoice charged.
/// What a policy cannot carry is a `billing-settings-unused` finding at the setting's line, saying
/// what the setting was and what the policy does instead, so nothing is dropped silently:
/// `days-before-autocharge` other than 0 (a policy starts at the first failed charge, whenever the
/// source makes it), and values a policy holds only within its limits (a gap of 0 days becomes 1
/// day; more than ``policyMaxGapDays`` days, ``policyMaxAttempts`` attempts or
/// ``policyMaxInvoiceAgeMonths`` months are cut to them; plans past the ``policyMaxPlans``th
/// with overrides are left out of the policy).
extension LegacyCompiler {
    /// The most attempts a policy's schedule holds (`DunningLimits.standard.maxAttempts`).
    public static let policyMaxAttempts = 100
    /// The longest gap a policy writes, in days (`DunningLimits.standard.maxDurationAmount`).
    public static let policyMaxGapDays = 10_000
    /// The largest `maxInvoiceAgeMonths` a policy holds (`DunningLimits.standard.maxInvoiceAgeMonths`).
    public static let policyMaxInvoiceAgeMonths = 1200
    /// The most plan overrides a policy holds (`DunningLimits.standard.maxPlans`).
    public static let policyMaxPlans = 10_000

    /// What the import does with the settings, the same words in every such finding.
    static let billingSettingsPolicy = "the other billing settings are in dunning-policy.yaml"

    /// `billing-settings-unused` findings for the account's `<billing-defaults>` (at its line, or
    /// the account's for settings built in code): one when `days-before-autocharge` is not 0, and
    /// one when a value is outside what a policy holds (``billingSettingsInPolicy(maxRetries:daysBetweenRetries:)``).
    public static func billingSettingsFindings(_ settings: AccountSettings) -> [MigrationFinding] {
        let billing = settings.billing
        let location = billing.location ?? settings.location
        var findings: [MigrationFinding] = []
        if billing.daysBeforeAutocharge != 0 {
            findings.append(
                MigrationFinding(
                    .billingSettingsUnused,
                    "account billing defaults: days-before-autocharge=\"\(billing.daysBeforeAutocharge)\" is not carried: a dunning policy starts at the first failed automatic charge, whenever the payment source makes it; have the source charge \(billing.daysBeforeAutocharge) day\(billing.daysBeforeAutocharge == 1 ? "" : "s") after the due date (\(billingSettingsPolicy))",
                    at: location, workflowID: ""))
        }
        var changes = billingSettingsInPolicy(maxRetries: billing.maxRetries, daysBetweenRetries: billing.daysBetweenRetries)
        if billing.maxInvoiceAgeMonths < 1 || billing.maxInvoiceAgeMonths > policyMaxInvoiceAgeMonths {
            let carried = min(max(0, billing.maxInvoiceAgeMonths), policyMaxInvoiceAgeMonths)
            changes.append("max-invoice-age-months=\"\(billing.maxInvoiceAgeMonths)\" became \(carried) (a policy holds 0 to \(policyMaxInvoiceAgeMonths) months)")
        }
        if !changes.isEmpty {
            findings.append(
                MigrationFinding(
                    .billingSettingsUnused, "account billing defaults not carried as they are: " + changes.joined(separator: "; ") + " in dunning-policy.yaml",
                    at: location, workflowID: ""))
        }
        return findings
    }

    /// What a policy changes of a retry schedule of `maxRetries` attempts `daysBetweenRetries`
    /// days apart, in words (none when it carries them as they are): more than
    /// ``policyMaxAttempts`` attempts are cut to it; with retries, a gap of 0 days becomes 1 day and
    /// one of more than ``policyMaxGapDays`` days is cut to it.
    public static func billingSettingsInPolicy(maxRetries: Int, daysBetweenRetries days: Int) -> [String] {
        var changes: [String] = []
        if maxRetries > policyMaxAttempts {
            changes.append("max-retries=\"\(maxRetries)\" became \(policyMaxAttempts) attempts (the most a policy holds)")
        }
        guard min(maxRetries, policyMaxAttempts) > 1 else { return changes }
        if days < 1 {
            changes.append("days-between-retries=\"\(days)\" became 1 day (a policy's gaps in days are at least 1 day)")
        } else if days > policyMaxGapDays {
            changes.append("days-between-retries=\"\(days)\" became \(policyMaxGapDays) days (the longest gap a policy holds)")
        }
        return changes
    }

    /// Every subscription plan and payment plan with billing overrides (`autocharge="false"`,
    /// `max-retries`, `days-between-retries`), in document order: subscription plans, then payment
    /// plans. The first ``policyMaxPlans`` are the plans a policy holds.
    public static func plansWithBillingOverrides(_ catalogue: Catalogue) -> [(kind: String, id: String, billing: BillingOverrides, location: FileLocation)] {
        func has(_ billing: BillingOverrides) -> Bool { !billing.autocharge || billing.maxRetries != nil || billing.daysBetweenRetries != nil }
        return catalogue.subscriptionPlans.values.compactMap { has($0.billing) ? ("subscription plan", $0.id, $0.billing, $0.location) : nil }
            + catalogue.paymentPlans.values.compactMap { has($0.billing) ? ("payment plan", $0.id, $0.billing, $0.location) : nil }
    }

    /// `billing-settings-unused` findings for plans whose overrides a policy cannot carry as they
    /// are (with the account's `defaults` filling what a plan leaves out), at the plan's line, in
    /// document order: values outside a policy's limits, and every plan with overrides past the
    /// ``policyMaxPlans``th, which the policy leaves out (its invoices take the account's schedule).
    public static func billingSettingsFindings(_ catalogue: Catalogue, defaults: BillingDefaults = BillingDefaults()) -> [MigrationFinding] {
        var findings: [MigrationFinding] = []
        for (index, plan) in plansWithBillingOverrides(catalogue).enumerated() {
            if index >= policyMaxPlans {
                findings.append(
                    MigrationFinding(
                        .billingSettingsUnused,
                        "billing overrides of \(plan.kind) '\(plan.id)' (\(overrideValues(plan.billing))) are not in dunning-policy.yaml: a policy holds at most \(policyMaxPlans) plans, so its invoices follow the account's schedule; add the plan to the policy by hand",
                        at: plan.location, workflowID: ""))
                continue
            }
            guard plan.billing.maxRetries != nil || plan.billing.daysBetweenRetries != nil else { continue }
            let changes = billingSettingsInPolicy(
                maxRetries: plan.billing.maxRetries ?? defaults.maxRetries, daysBetweenRetries: plan.billing.daysBetweenRetries ?? defaults.daysBetweenRetries)
            guard !changes.isEmpty else { continue }
            findings.append(
                MigrationFinding(
                    .billingSettingsUnused,
                    "billing overrides of \(plan.kind) '\(plan.id)' not carried as they are: " + changes.joined(separator: "; ") + " in dunning-policy.yaml",
                    at: plan.location, workflowID: ""))
        }
        return findings
    }

    private static func overrideValues(_ billing: BillingOverrides) -> String {
        var values: [String] = []
        if !billing.autocharge { values.append("autocharge=\"false\"") }
        if let retries = billing.maxRetries { values.append("max-retries=\"\(retries)\"") }
        if let days = billing.daysBetweenRetries { values.append("days-between-retries=\"\(days)\"") }
        return values.joined(separator: " ")
    }
}
