import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// The imported legacy policy reproduces the legacy retry timeline of every fixture export: M attempts
/// (the first failure counted) D days apart, each at the first failure's local time, per plan.
@Suite("Dunning: the imported legacy policy reproduces each export's retry timeline")
struct DunningLegacyTimelineTests {
    static let exports = ["course-creator", "membership-site", "physical-goods-store"]

    @Test("Account defaults and every plan's overrides: M attempts D days apart at the same local time", arguments: exports)
    func timeline(export: String) throws {
        let document = try ExportReader().read(file: BuiltProducts.root.path + "/Fixtures/exports/\(export).xml")
        let settings = document.account.settings
        let catalogue = document.account.catalogue
        let policy = DunningPolicy(importing: settings, catalogue: catalogue)
        #expect(policy.id == "legacy-billing" && policy.timezone == settings.timezone)
        #expect(policy.maxInvoiceAgeMonths == settings.billing.maxInvoiceAgeMonths)
        #expect(policy.final.kind == .keepPastDue && policy.check().isEmpty)
        // Reads back from the YAML the import writes.
        #expect(try DunningPolicyFile.policy(Array(DunningPolicyFile.yamlText(policy).utf8), file: "dunning-policy.yaml") == policy)

        var plans: [(String?, BillingOverrides)] = [(nil, BillingOverrides())]
        for plan in catalogue.subscriptionPlans.values { plans.append((plan.id, plan.billing)) }
        for plan in catalogue.paymentPlans.values { plans.append((plan.id, plan.billing)) }
        let chicago = ZonedCalendar(rules: try TimeZoneRules(name: "America/Chicago", posixTZ: "CST6CDT,M3.2.0,M11.1.0"))
        // 2026-03-01 09:30 CST: the retries cross the start of daylight-saving time.
        let first = Instant(secondsSinceEpoch: 1_772_379_000)
        for (plan, billing) in plans {
            #expect(policy.isManaged(plan: plan) == billing.autocharge, "\(export) \(plan ?? "account")")
            let attempts = billing.maxRetries ?? settings.billing.maxRetries
            let days = billing.daysBetweenRetries ?? settings.billing.daysBetweenRetries
            let utcTimes = policy.retryTimes(from: first, calendar: ZonedCalendar(rules: .utc), plan: plan)
            let legacy = (1..<max(attempts, 1)).map { first.adding(seconds: Int64($0 * days * 86_400)) }
            #expect(utcTimes == legacy, "\(export) \(plan ?? "account"): \(attempts) attempts \(days) days apart")
            let local = policy.retryTimes(from: first, calendar: chicago, plan: plan)
            #expect(local.count == legacy.count)
            for time in local {
                let wall = chicago.rules.civil(at: time)
                #expect(wall.hour == 9 && wall.minute == 30, "\(export) \(plan ?? "account"): \(time)")
            }
        }
    }
}
