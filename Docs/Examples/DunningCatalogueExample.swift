// The sample of Sources/PurchaseActionsDunning/PurchaseActionsDunning.docc/PurchaseActionsDunning.md, compiled and run.
import PurchaseActions
import Testing

/// Months of failures through a policy, offline: how many invoices it recovers.
func recoveredBy(_ policyJSON: JSONValue, failures: [Event]) throws -> (recovered: Int, charges: Int) {
    let policy = try DunningPolicy(json: policyJSON)
    let result = DunningSimulation.run(policy: policy, failures: failures, calendar: ZonedCalendar(rules: .utc))
    return (result.totals.recovered, result.totals.charges)
}

@Suite("Docs: the PurchaseActionsDunning catalogue's sample runs")
struct DunningCatalogueExampleTests {
    @Test("The legacy policy charges the two retries of one failure; the default script declines them")
    func sample() throws {
        var failure = Event(
            id: "inv-1/attempt-1", type: .autochargeFailed, occurredAt: Instant(millisecondsSinceEpoch: 1_767_225_600_000),
            contact: ContactReference(id: "c-1"))
        failure.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: "insufficient_funds", invoice: "inv-1")
        failure.autocharge = Autocharge(attempt: 1, invoice: "inv-1")
        let policy = try JSONValue.parse(Array(#"{"format":1,"id":"legacy","name":"Legacy"}"#.utf8))
        let (recovered, charges) = try recoveredBy(policy, failures: [failure])
        #expect(recovered == 0)
        #expect(charges == 2)
    }
}
