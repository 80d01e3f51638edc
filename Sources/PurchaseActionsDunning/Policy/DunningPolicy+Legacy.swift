public import PurchaseActionsCore

extension DunningPolicy {
    /// The id of the policy an import writes: `legacy-billing`.
    public static let legacyID = "legacy-billing"

    /// The policy that reproduces the legacy billing settings (Docs/dunning.md, "Defaults"):
    /// `maxRetries` M attempts (the first failure counted) `daysBetweenRetries` D days apart become
    /// `M - 1` gaps of D days (M of 0 or 1: `none`); each plan whose settings differ becomes an entry of
    /// `plans` (`autocharge: false`, or its own schedule from its M and D, each falling back to the
    /// account's); the final action is `keep-past-due` (the legacy system did nothing at the end);
    /// `maxInvoiceAgeMonths` is the account's.
    ///
    /// A D of 0 becomes 1 day (the shortest gap a policy writes in days), and M and D are clamped to
    /// ``DunningLimits/standard`` (100 attempts, 10,000 days), so the result always reads back.
    public static func legacy(_ billing: BillingDefaults, plans: [(id: String, billing: BillingOverrides)], timezone: String?) -> DunningPolicy {
        var overrides: [String: PlanOverride] = [:]
        for (id, plan) in plans {
            let hasSchedule = plan.maxRetries != nil || plan.daysBetweenRetries != nil
            guard !plan.autocharge || hasSchedule else { continue }  // nothing of its own
            let schedule = hasSchedule
                ? legacySchedule(maxRetries: plan.maxRetries ?? billing.maxRetries, days: plan.daysBetweenRetries ?? billing.daysBetweenRetries)
                : nil
            overrides[id] = PlanOverride(autocharge: plan.autocharge, retries: schedule)
        }
        let limits = DunningLimits.standard
        return DunningPolicy(
            id: legacyID, name: "Legacy billing defaults", timezone: timezone,
            retries: legacySchedule(maxRetries: billing.maxRetries, days: billing.daysBetweenRetries), plans: overrides,
            final: FinalAction(.keepPastDue), maxInvoiceAgeMonths: min(max(0, billing.maxInvoiceAgeMonths), limits.maxInvoiceAgeMonths))
    }

    /// The imported account's policy: ``legacy(_:plans:timezone:)`` with the account's billing
    /// defaults and timezone and the overrides of its subscription plans, then its payment plans
    /// (a payment plan with the id of a subscription plan replaces its entry).
    public init(importing settings: AccountSettings, catalogue: Catalogue) {
        var plans: [(id: String, billing: BillingOverrides)] = []
        for plan in catalogue.subscriptionPlans.values { plans.append((plan.id, plan.billing)) }
        for plan in catalogue.paymentPlans.values { plans.append((plan.id, plan.billing)) }
        self = Self.legacy(settings.billing, plans: plans, timezone: settings.timezone)
    }

    /// `M - 1` gaps of D days, within the standard limits.
    static func legacySchedule(maxRetries: Int, days: Int) -> RetrySchedule {
        let limits = DunningLimits.standard
        let attempts = min(maxRetries, limits.maxAttempts)
        guard attempts > 1 else { return .none }
        let gap = PolicyDuration.days(min(max(days, 1), limits.maxDurationAmount))
        return .gaps(Array(repeating: gap, count: attempts - 1))
    }
}
