import PurchaseActionsCore
import Testing

/// Issue 14, item 2 (issue 12, item 1 before it): the account's billing defaults and each plan's
/// billing overrides become the dunning policy `dunning-policy.yaml`; what a policy cannot carry as it
/// is stays a `billing-settings-unused` finding at its own line, quoting what the setting was.
@Suite("Billing settings a dunning policy cannot carry are findings; the rest are not")
struct BillingSettingsFindingTests {
    static func at(_ line: Int) -> FileLocation { FileLocation(file: "billing.xml", line: line, column: 3) }

    static func settings(_ billing: BillingDefaults) -> AccountSettings {
        AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", billing: billing, location: at(2))
    }

    @Test("Retries, days between them and the invoice age are carried by the policy: no finding, even when they differ from the defaults")
    func carriedSettings() {
        let billing = BillingDefaults(maxRetries: 7, daysBetweenRetries: 11, daysBeforeAutocharge: 0, maxInvoiceAgeMonths: 17, location: Self.at(4))
        #expect(LegacyCompiler.billingSettingsFindings(Self.settings(billing)).isEmpty)
        #expect(LegacyCompiler.billingSettingsFindings(Self.settings(BillingDefaults())).isEmpty)
        #expect(LegacyCompiler.billingSettingsFindings(Self.settings(BillingDefaults(maxRetries: 100, daysBetweenRetries: 10_000, maxInvoiceAgeMonths: 1200))).isEmpty)
    }

    @Test("days-before-autocharge other than 0 is a finding at the defaults' line (the account's when built in code), quoting the value")
    func daysBeforeAutocharge() throws {
        let billing = BillingDefaults(maxRetries: 7, daysBetweenRetries: 11, daysBeforeAutocharge: 13, maxInvoiceAgeMonths: 17, location: Self.at(4))
        let findings = LegacyCompiler.billingSettingsFindings(Self.settings(billing))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.code == .billingSettingsUnused)
        #expect(finding.location.line == 4)
        #expect(finding.workflowID == "")
        #expect(finding.message.contains("days-before-autocharge=\"13\""), "\(finding.message)")
        #expect(finding.message.contains("dunning-policy.yaml"))
        #expect(LegacyCompiler.billingSettingsFindings(Self.settings(BillingDefaults(daysBeforeAutocharge: 1))).map(\.location.line) == [2])
    }

    @Test("Values past a policy's limits are a finding saying what they became; each limit one past it", arguments: [
        (BillingDefaults(maxRetries: 101), "max-retries=\"101\" became 100"),
        (BillingDefaults(daysBetweenRetries: 10_001), "days-between-retries=\"10001\" became 10000 days"),
        (BillingDefaults(daysBetweenRetries: 0), "days-between-retries=\"0\" became 1 day"),
        (BillingDefaults(maxInvoiceAgeMonths: 1201), "max-invoice-age-months=\"1201\" became 1200"),
        (BillingDefaults(maxInvoiceAgeMonths: 0), "max-invoice-age-months=\"0\" became 0"),
    ])
    func pastLimits(billing: BillingDefaults, says: String) throws {
        let findings = LegacyCompiler.billingSettingsFindings(Self.settings(billing))
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains(says) == true, "\(findings)")
    }

    @Test("A gap of 0 days with no retries changes nothing: no finding")
    func zeroDaysWithoutRetries() {
        #expect(LegacyCompiler.billingSettingsFindings(Self.settings(BillingDefaults(maxRetries: 1, daysBetweenRetries: 0))).isEmpty)
        #expect(LegacyCompiler.billingSettingsInPolicy(maxRetries: 1, daysBetweenRetries: 0).isEmpty)
        #expect(LegacyCompiler.billingSettingsInPolicy(maxRetries: 2, daysBetweenRetries: 0).count == 1)
    }

    @Test("Plan overrides within a policy's limits are carried: no finding; past them a finding at the plan's line, the account's defaults filling in")
    func planOverrides() {
        var catalogue = Catalogue()
        catalogue.subscriptionPlans["plan-plain"] = SubscriptionPlan(id: "plan-plain", productID: "p", name: "Plain", price: 1, cycle: .month, location: Self.at(10))
        catalogue.subscriptionPlans["plan-retry"] = SubscriptionPlan(
            id: "plan-retry", productID: "p", name: "Retry", price: 1, cycle: .month,
            billing: BillingOverrides(maxRetries: 9, daysBetweenRetries: 19), location: Self.at(11))
        catalogue.paymentPlans["pp-manual"] = PaymentPlan(
            id: "pp-manual", name: "Manual", payments: 3, intervalDays: 30, billing: BillingOverrides(autocharge: false), location: Self.at(12))
        #expect(LegacyCompiler.billingSettingsFindings(catalogue).isEmpty)
        #expect(LegacyCompiler.plansWithBillingOverrides(catalogue).map(\.id) == ["plan-retry", "pp-manual"])
        catalogue.subscriptionPlans["plan-often"] = SubscriptionPlan(
            id: "plan-often", productID: "p", name: "Often", price: 1, cycle: .month, billing: BillingOverrides(maxRetries: 4), location: Self.at(13))
        #expect(LegacyCompiler.billingSettingsFindings(catalogue).isEmpty)
        let zero = LegacyCompiler.billingSettingsFindings(catalogue, defaults: BillingDefaults(maxRetries: 1, daysBetweenRetries: 0))
        #expect(zero.map(\.location.line) == [13], "the plan retries with the account's 0 days: \(zero)")
        #expect(zero.first?.message.contains("subscription plan 'plan-often'") == true)
    }

    @Test("Plans with overrides past the policy's most are findings at their lines; the first ones are not")
    func tooManyPlans() {
        var catalogue = Catalogue()
        let count = LegacyCompiler.policyMaxPlans + 1
        for index in 0..<count {
            let id = "plan-\(index)"
            catalogue.subscriptionPlans[id] = SubscriptionPlan(
                id: id, productID: "p", name: id, price: 1, cycle: .month, billing: BillingOverrides(autocharge: false), location: Self.at(index + 1))
        }
        let findings = LegacyCompiler.billingSettingsFindings(catalogue)
        #expect(findings.map(\.location.line) == [count])
        #expect(findings.first?.message.contains("at most 10000 plans") == true)
    }

    @Test("A run with only carried billing settings says 'all mapped exactly'; days before autocharge never does; the whole-account compile agrees")
    func runFindings() {
        var run = MigrationRun()
        run.add(account: Self.settings(BillingDefaults(maxRetries: 5, location: Self.at(4))))
        run.add(catalogue: Catalogue())
        #expect(run.findings.isEmpty)
        #expect(run.summary(warnings: 0).contains("all mapped exactly"))
        var late = MigrationRun()
        let settings = Self.settings(BillingDefaults(daysBeforeAutocharge: 2, location: Self.at(4)))
        late.add(account: settings)
        late.add(catalogue: Catalogue())
        #expect(late.findings.map(\.code) == [.billingSettingsUnused])
        #expect(!late.summary(warnings: 0).contains("all mapped exactly"))
        let whole = LegacyCompiler.compile(LegacyAccount(settings: settings, catalogue: Catalogue()))
        #expect(whole.findings.map(\.code) == [.billingSettingsUnused])
    }
}
