import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite struct DunningBudgetTests {
    typealias D = Dunning

    static func oneCharge(_ whenExceeded: BudgetSettings.WhenExceeded) -> DunningPolicy {
        D.policy { $0.budgets = BudgetSettings(networks: [.other: NetworkBudget(attempts: 1, window: .days(3))], whenExceeded: whenExceeded) }
    }

    @Test func aSecondInvoiceOnTheCardIsDeferredUntilTheBudgetAllows() {
        let run = D.run(Self.oneCharge(.defer), [D.failed("inv-1"), D.failed("inv-2", contact: "c-2")])
        // One charge of the card every 3 days: inv-1 at day 2; inv-2, due then too, waits; each charge as soon as the budget allows.
        #expect(run.charges.map(\.at) == [D.at(days: 2), D.at(days: 5), D.at(days: 8), D.at(days: 11)])
        #expect(run.charges.first?.request.invoice == "inv-1")
        #expect(run.entries.contains { $0.kind == .deferred && $0.invoice == "inv-2" && $0.at == D.at(days: 2) })
        #expect(run.process.invoice("inv-2")?.deferrals ?? 0 >= 1)
    }

    @Test func skipCountsTheAttemptAsFailed() {
        let run = D.run(Self.oneCharge(.skip), [D.failed("inv-1"), D.failed("inv-2", contact: "c-2")])
        #expect(run.entries.contains { $0.kind == .skipped && $0.invoice == "inv-2" && $0.at == D.at(days: 2) })
        #expect(run.process.invoice("inv-2")?.budgetSkips == 2)
        #expect(run.process.invoice("inv-2")?.attemptsFailed == 3)
        #expect(run.process.invoice("inv-2")?.charges == 0)
        #expect(run.process.invoice("inv-2")?.status == .final)
    }

    @Test func cardsWithoutAnIdAreBudgetedPerInvoice() {
        let run = D.run(Self.oneCharge(.defer), [D.failed("inv-1", card: nil), D.failed("inv-2", card: nil, contact: "c-2")])
        #expect(run.charges.filter { $0.at == D.at(days: 2) }.count == 2)
    }

    @Test func theLedgerFitsAChargeWhenTheOldestLeavesTheWindow() {
        var ledger = CardAttemptLedger()
        let budget = NetworkBudget(attempts: 2, window: .hours(10))
        ledger.record(.card("c"), budget: budget, at: D.at(hours: 0))
        ledger.record(.card("c"), budget: budget, at: D.at(hours: 1))
        #expect(ledger.firstFit(.card("c"), budget: budget, at: D.at(hours: 2)) == D.at(hours: 10))
        #expect(ledger.firstFit(.card("c"), budget: budget, at: D.at(hours: 10)) == D.at(hours: 10))
        #expect(ledger.firstFit(.card("d"), budget: budget, at: D.at(hours: 2)) == D.at(hours: 2))
        #expect(ledger.charges(.card("c"), budget: budget, endingAt: D.at(hours: 9)) == 2)
        ledger.prune(before: D.at(hours: 10))
        #expect(ledger.keyCount == 1)
        ledger.prune(before: D.at(hours: 11))
        #expect(ledger.keyCount == 0)
    }

    @Test func theLedgerKeepsOnlyTheBudgetsLastCharges() {
        var ledger = CardAttemptLedger()
        let budget = NetworkBudget(attempts: 3, window: .days(1))
        for hour in 0..<1000 { ledger.record(.card("c"), budget: budget, at: D.at(hours: hour * 24)) }
        #expect(ledger.charges(.card("c"), budget: budget, endingAt: D.at(hours: 999 * 24)) == 1)
    }
}
