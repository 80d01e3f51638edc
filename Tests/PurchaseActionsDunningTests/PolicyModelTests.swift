import PurchaseActionsDunning
import Testing

@Suite struct PolicyModelTests {
    @Test func legacyDefaultsAreThreeAttemptsTwoDaysApart() {
        let policy = DunningPolicy(id: "legacy", name: "Legacy")
        #expect(policy.retries == .gaps([.days(2), .days(2)]))
        #expect(policy.retries.totalAttempts == 3)
        #expect(policy.final.kind == .keepPastDue)
    }

    @Test func requestKeyNamesInvoiceAndAttempt() {
        let request = ChargeRequest(invoice: "inv-1", attempt: 2, contact: "c-1", card: nil, amount: 100, currency: "USD")
        #expect(request.idempotencyKey == "inv-1/attempt-2")
    }

    @Test func durationText() {
        #expect(PolicyDuration.days(2).description == "2d")
        #expect(PolicyDuration.hours(36).nominalHours == 36)
        #expect(PolicyDuration.days(Int.max).nominalHours == Int.max)
    }
}
