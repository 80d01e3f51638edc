import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite("The legacy billing settings as a policy, and the retry times of a schedule")
struct LegacyPolicyTests {
    static let location = FileLocation(file: "export.xml", line: 1)

    @Test("maxRetries M and D days make M - 1 gaps of D days; M of 0 or 1 is none; plan overrides fall back to the account's")
    func legacyMapping() {
        let policy = DunningPolicy.legacy(
            BillingDefaults(maxRetries: 4, daysBetweenRetries: 3, maxInvoiceAgeMonths: 6),
            plans: [
                ("plan-a", BillingOverrides(maxRetries: 2)), ("plan-b", BillingOverrides(daysBetweenRetries: 1)),
                ("plan-off", BillingOverrides(autocharge: false)), ("plan-same", BillingOverrides()), ("plan-one", BillingOverrides(maxRetries: 1)),
            ],
            timezone: "Europe/Berlin")
        #expect(policy.id == "legacy-billing" && policy.timezone == "Europe/Berlin" && policy.maxInvoiceAgeMonths == 6)
        #expect(policy.retries == .gaps([.days(3), .days(3), .days(3)]))
        #expect(policy.plans == [
            "plan-a": PlanOverride(retries: .gaps([.days(3)])), "plan-b": PlanOverride(retries: .gaps([.days(1), .days(1), .days(1)])),
            "plan-off": PlanOverride(autocharge: false), "plan-one": PlanOverride(retries: RetrySchedule.none),
        ])
        #expect(policy.final.kind == .keepPastDue)
        #expect(DunningPolicy.legacy(BillingDefaults(maxRetries: 0), plans: [], timezone: nil).retries == RetrySchedule.none)
        #expect(DunningPolicy.legacy(BillingDefaults(), plans: [], timezone: nil).retries == .gaps([.days(2), .days(2)]))
        // Out of range settings still make a policy that reads back.
        let extreme = DunningPolicy.legacy(BillingDefaults(maxRetries: Int.max, daysBetweenRetries: 0, maxInvoiceAgeMonths: Int.max), plans: [], timezone: nil)
        #expect(extreme.retries.totalAttempts == DunningLimits.standard.maxAttempts)
        #expect((try? DunningPolicy(json: extreme.json)) == extreme)
    }

    @Test("Importing an account uses its billing, timezone and the plans of its catalogue")
    func importing() {
        var catalogue = Catalogue()
        catalogue.subscriptionPlans["sp-1"] = SubscriptionPlan(
            id: "sp-1", productID: "p", name: "Monthly", price: 100, cycle: .month, billing: BillingOverrides(maxRetries: 5), location: Self.location)
        catalogue.paymentPlans["pp-1"] = PaymentPlan(
            id: "pp-1", name: "3 payments", payments: 3, intervalDays: 30, billing: BillingOverrides(autocharge: false), location: Self.location)
        let settings = AccountSettings(id: "acct", name: "A", timezone: "America/Denver", currency: "USD", location: Self.location)
        let policy = DunningPolicy(importing: settings, catalogue: catalogue)
        #expect(policy == DunningPolicy(
            id: "legacy-billing", name: "Legacy billing defaults", timezone: "America/Denver",
            plans: ["sp-1": PlanOverride(retries: .gaps(Array(repeating: .days(2), count: 4))), "pp-1": PlanOverride(autocharge: false)]))
        #expect(policy.check().isEmpty)
    }

    @Test("The legacy timeline: 3 attempts 2 days apart at the same local time, across a DST change")
    func legacyTimeline() throws {
        let calendar = ZonedCalendar(rules: try TimeZoneRules(name: "America/Chicago", posixTZ: "CST6CDT,M3.2.0,M11.1.0"))
        // 2026-03-07 10:00 CST (16:00Z); DST starts 2026-03-08.
        let first = Instant(secondsSinceEpoch: 1_772_899_200)
        let times = DunningPolicy(id: "p", name: "P").retryTimes(from: first, calendar: calendar, plan: nil)
        #expect(times.map(\.description) == ["2026-03-09T15:00:00Z", "2026-03-11T15:00:00Z"])
    }

    @Test("Hours are exact; within spreads evenly and ends at the window's end; a plan's schedule applies")
    func scheduleForms() throws {
        let utc = ZonedCalendar(rules: .utc)
        let first = Instant(secondsSinceEpoch: 0)
        var policy = DunningPolicy(id: "p", name: "P", retries: .gaps([.hours(36), .days(1)]))
        #expect(policy.retryTimes(from: first, calendar: utc, plan: nil).map(\.secondsSinceEpoch) == [129_600, 216_000])
        policy.plans["quick"] = PlanOverride(retries: .within(attempts: 5, window: .days(2)))
        #expect(policy.retryTimes(from: first, calendar: utc, plan: "quick").map(\.secondsSinceEpoch) == [43_200, 86_400, 129_600, 172_800])
        #expect(policy.retryTimes(from: first, calendar: utc, plan: "other").count == 2)
        policy.retries = .none
        #expect(policy.retryTimes(from: first, calendar: utc, plan: nil).isEmpty)
        // Near the end of the supported range the list stops rather than overflowing.
        let late = Instant(secondsSinceEpoch: 253_402_214_400)  // 9999-12-31
        #expect(DunningPolicy.retryTimes(.gaps([.days(10_000), .hours(10_000)]), from: late, calendar: utc).isEmpty)
    }
}
