import PurchaseActionsCore
import Testing

/// Issue 12, item 1: the account's billing defaults and each plan's billing overrides are never
/// dropped silently; the engine does not retry charges yet, so each is a `billing-settings-unused`
/// finding at its own line, quoting what the setting was.
@Suite("Billing settings the engine does not use are findings")
struct BillingSettingsFindingTests {
    static func at(_ line: Int) -> FileLocation { FileLocation(file: "billing.xml", line: line, column: 3) }

    static func settings(_ billing: BillingDefaults) -> AccountSettings {
        AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", billing: billing, location: at(2))
    }

    @Test("<billing-defaults> in the export is a finding at its line with every value")
    func accountDefaults() throws {
        let billing = BillingDefaults(maxRetries: 7, daysBetweenRetries: 11, daysBeforeAutocharge: 13, maxInvoiceAgeMonths: 17, location: Self.at(4))
        let findings = LegacyCompiler.billingSettingsFindings(Self.settings(billing))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.code == .billingSettingsUnused)
        #expect(finding.location.line == 4)
        #expect(finding.workflowID == "")
        for value in ["max-retries=\"7\"", "days-between-retries=\"11\"", "days-before-autocharge=\"13\"", "max-invoice-age-months=\"17\""] {
            #expect(finding.message.contains(value), "\(finding.message)")
        }
        #expect(finding.message.contains("does not retry"))
    }

    @Test("Settings built in code: a finding only when they differ from the legacy defaults, at the account's line")
    func builtInCode() throws {
        #expect(LegacyCompiler.billingSettingsFindings(Self.settings(BillingDefaults())).isEmpty)
        let changed = LegacyCompiler.billingSettingsFindings(Self.settings(BillingDefaults(maxRetries: 5)))
        #expect(changed.map(\.location.line) == [2])
    }

    @Test("Each subscription or payment plan with overrides is a finding at the plan's line; plans without none")
    func planOverrides() {
        var catalogue = Catalogue()
        catalogue.subscriptionPlans["plan-plain"] = SubscriptionPlan(id: "plan-plain", productID: "p", name: "Plain", price: 1, cycle: .month, location: Self.at(10))
        catalogue.subscriptionPlans["plan-retry"] = SubscriptionPlan(
            id: "plan-retry", productID: "p", name: "Retry", price: 1, cycle: .month,
            billing: BillingOverrides(maxRetries: 9, daysBetweenRetries: 19), location: Self.at(11))
        catalogue.paymentPlans["pp-manual"] = PaymentPlan(
            id: "pp-manual", name: "Manual", payments: 3, intervalDays: 30, billing: BillingOverrides(autocharge: false), location: Self.at(12))
        let findings = LegacyCompiler.billingSettingsFindings(catalogue)
        #expect(findings.map(\.location.line) == [11, 12])
        #expect(findings.allSatisfy { $0.code == .billingSettingsUnused })
        #expect(findings.first?.message.contains("subscription plan 'plan-retry' (max-retries=\"9\" days-between-retries=\"19\")") == true, "\(findings)")
        #expect(findings.last?.message.contains("payment plan 'pp-manual' (autocharge=\"false\")") == true, "\(findings)")
    }

    @Test("A run with billing defaults never says 'all mapped exactly'; the whole-account compile agrees")
    func notAllMappedExactly() {
        var run = MigrationRun()
        let settings = Self.settings(BillingDefaults(location: Self.at(4)))
        run.add(account: settings)
        run.add(catalogue: Catalogue())
        #expect(run.findings.map(\.code) == [.billingSettingsUnused])
        #expect(!run.summary(warnings: 0).contains("all mapped exactly"))
        let whole = LegacyCompiler.compile(LegacyAccount(settings: settings, catalogue: Catalogue()))
        #expect(whole.findings.map(\.code) == [.billingSettingsUnused])
    }
}
