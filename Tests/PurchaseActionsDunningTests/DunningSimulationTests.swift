import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite struct DunningSimulationTests {
    typealias D = Dunning

    static let failures = [
        D.failed("inv-1"),
        D.failed("inv-2", code: "lost_card", card: "card-2", contact: "c-2", subscription: "sub-2"),
        D.failed("inv-3", code: "expired_card", card: "card-3", contact: "c-3", subscription: "sub-3", amount: 5000),
        D.cardUpdate(contact: "c-3", card: "card-3b", at: D.at(days: 1)),
        D.failed("inv-4", contact: "c-4", index: 1),
        D.failed("inv-5", contact: "c-5", subscription: "sub-5"),
        D.paid("inv-5", at: D.at(days: 1), contact: "c-5"),
    ]

    @Test func totalsAndTimelines() throws {
        let script = try D.script(#"{"format": 1, "rules": [{"when": {"afterCardUpdate": true}, "answer": {"outcome": "approved"}}]}"#)
        let result = DunningSimulation.run(policy: D.policy(), failures: Self.failures, script: script, calendar: D.utc)
        #expect(result.invoices.map(\.invoice) == ["inv-1", "inv-2", "inv-3", "inv-4", "inv-5"])
        #expect(result.invoices.map(\.summary) == ["final (keep-past-due)", "final (keep-past-due)", "recovered (attempt 2)", "ignored", "paid-elsewhere"])
        let totals = result.totals
        #expect(totals.invoices == 5 && totals.managed == 4 && totals.ignored == 1)
        #expect(totals.recovered == 1 && totals.recoveredAmounts == ["USD": 5000])
        #expect(totals.paidElsewhere == 1)
        #expect(totals.finals == [.keepPastDue: 2])
        #expect(totals.charges == 3)
        #expect(totals.attemptsPerRecovery == "3.00")
        #expect(totals.open == 0)
        #expect(result.start == D.t0)
    }

    @Test func theSameRunGivesTheSameBytes() throws {
        let shuffled = Array(Self.failures.reversed())
        let a = DunningSimulation.run(policy: D.policy(), failures: Self.failures, calendar: D.utc).json.canonicalText
        let b = DunningSimulation.run(policy: D.policy(), failures: Self.failures, calendar: D.utc).json.canonicalText
        let c = DunningSimulation.run(policy: D.policy(), failures: shuffled, calendar: D.utc).json.canonicalText
        #expect(a == b)
        #expect(a == c)
        #expect(DunningSimulation.run(policy: D.policy(), failures: Self.failures, calendar: D.utc).json.compactText.contains(#""totals":{"attemptsPerRecovery":null"#))
    }

    @Test func untilStopsTheClock() {
        let result = DunningSimulation.run(policy: D.policy(), failures: [D.failed("inv-1")], until: .days(3), calendar: D.utc)
        #expect(result.invoices.first?.outcome == "open")
        #expect(result.totals.open == 1)
        #expect(result.totals.charges == 1)
    }

    @Test func comparisonListsTheInvoicesThatEndDifferently() throws {
        let script = try D.script(#"{"format": 1, "rules": [{"when": {"attempt": 4}, "answer": {"outcome": "approved"}}]}"#)
        let failures = [D.failed("inv-1"), D.failed("inv-2", code: "lost_card", contact: "c-2", subscription: "sub-2")]
        let legacy = DunningSimulation.run(policy: D.policy(), failures: failures, script: script, calendar: D.utc)
        let longer = DunningSimulation.run(policy: D.policy { $0.retries = .gaps([.days(2), .days(2), .days(2)]) }, failures: failures, script: script, calendar: D.utc)
        let comparison = SimulationComparison(longer, legacy)
        #expect(comparison.differences == [.init(invoice: "inv-1", left: "recovered (attempt 4)", right: "final (keep-past-due)")])
        #expect(comparison.json.compactText.contains(#""differences":[{"compare":"final (keep-past-due)","invoice":"inv-1","policy":"recovered (attempt 4)"}]"#))
    }

    @Test func noFailuresGiveAnEmptyResult() {
        let result = DunningSimulation.run(policy: D.policy(), failures: [], calendar: D.utc)
        #expect(result.invoices.isEmpty && result.start == nil)
    }
}
