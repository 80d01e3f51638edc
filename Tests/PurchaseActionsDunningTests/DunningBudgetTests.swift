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
        // One charge of the card every 3 days. The two reported first failures (day 0) were charges of the
        // card too, so the retries due at day 2 wait for day 3: inv-1 then; inv-2 waits on; each charge
        // as soon as the budget allows.
        #expect(run.charges.map(\.at) == [D.at(days: 3), D.at(days: 6), D.at(days: 9), D.at(days: 12)])
        #expect(run.charges.first?.request.invoice == "inv-1")
        #expect(run.entries.contains { $0.kind == .deferred && $0.invoice == "inv-1" && $0.at == D.at(days: 2) })
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
        // Each invoice's own first failure (day 0) fills its budget until day 3; then both are charged at once.
        #expect(run.charges.filter { $0.at == D.at(days: 3) }.count == 2)
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

/// What the new-user review found (issue 14): reported failures count in the budget, as `check` counts them.
@Suite struct DunningReviewTests {
    typealias D = Dunning

    @Test("A schedule that check says exceeds the budget alone waits in the simulation too: the reported first failure counts")
    func reportedFailureCounts() {
        let policy = D.policy {
            $0.retries = .gaps([.days(1), .days(1), .days(1)])
            $0.budgets = BudgetSettings(networks: [.other: NetworkBudget(attempts: 3, window: .days(7))])
        }
        #expect(policy.check().contains { $0.code == "budget-exceeded-alone" })
        let run = D.run(policy, [D.failed("inv-1")])
        #expect(run.charges.map(\.at) == [D.at(days: 1), D.at(days: 2), D.at(days: 7)], "the fourth charge in 7 days waits until the first failure leaves the window")
        #expect(run.process.invoice("inv-1")?.deferrals == 1)
    }

    @Test("attempt-rule-never-runs: a rule past the schedule's last attempt, unless a card update starts a new series")
    func attemptRuleNeverRuns() {
        var policy = D.policy {
            $0.retries = .gaps([.days(2)])
            $0.attempts = [AttemptRule(attempt: 2, actions: [.addTag("a")]), AttemptRule(attempt: 3, actions: [.addTag("b")])]
            $0.cardUpdate = CardUpdateRule(retryImmediately: false, resetSchedule: false)
        }
        let warnings = policy.check().filter { $0.code == "attempt-rule-never-runs" }
        #expect(warnings.map(\.path.description) == ["$.attempts[1].failed"])
        policy.cardUpdate = CardUpdateRule()
        #expect(!policy.check().contains { $0.code == "attempt-rule-never-runs" })
    }

    @Test("After a card update, the old card's decline no longer holds a declineClass stage: the stage clears and is not entered again")
    func cardUpdateClearsDeclineStage() throws {
        let policy = D.policy {
            $0.stages = [DunningStage(id: "card-blocked", name: "Card blocked", when: .declineClass([.updateRequired]), actions: [.email(template: "update-card")])]
            $0.cardUpdate = CardUpdateRule(retryImmediately: false, resetSchedule: false, resetStage: true)
        }
        // The new card is declined as insufficient_funds (soft): the stage must not come back.
        let script = try D.script(#"{"format":1,"rules":[{"when":{"afterCardUpdate":true},"answer":{"outcome":"declined","declineCode":"insufficient_funds"}}]}"#)
        let run = D.run(policy, [D.failed("inv-1", code: "expired_card"), D.cardUpdate(card: "card-2", at: D.at(hours: 5))], script: script)
        let stages = run.entries.filter { $0.kind == .stage }
        #expect(stages.map(\.stage) == ["card-blocked", nil], "\(stages.map { "\($0.at) \($0.detail)" })")
    }

    @Test("Without --until, a run whose invoices all ended ends with the last thing that happened")
    func endIsTheLastEntry() {
        let result = DunningSimulation.run(policy: D.policy(), failures: [D.failed("inv-1")], calendar: D.utc)
        let last = result.invoices.flatMap(\.entries).map(\.at).max()
        #expect(result.end == last)
        #expect(result.end == D.at(days: 4))
        let bounded = DunningSimulation.run(policy: D.policy(), failures: [D.failed("inv-1")], until: .days(30), calendar: D.utc)
        #expect(bounded.end == D.at(days: 30), "with until, the run ends where it was asked to")
    }
}

/// What the attacker review found (issue 14): an attempt whose outcome is unknown is charged again
/// with its own key before anything else, whatever happens meanwhile, and never dropped silently.
@Suite struct DunningUnknownOutcomeTests {
    typealias D = Dunning

    static func unknownScript() throws -> GatewayScript {
        try D.script(#"{"format":1,"default":{"outcome":"unknown","lookup":"unknown"}}"#)
    }

    static func policy(_ edit: (inout DunningPolicy) -> Void = { _ in }) -> DunningPolicy {
        D.policy {
            $0.retries = .gaps([.days(2), .days(2), .days(2)])
            edit(&$0)
        }
    }

    /// The keys charged, in order, and whether any attempt number was charged before an earlier unknown one was settled.
    static func keys(_ run: (process: DunningProcess, entries: [DunningEntry], charges: [D.Charge], gateway: GatewaySimulator)) -> [String] {
        run.charges.map(\.request.idempotencyKey)
    }

    @Test("A card update while attempt 2 is unknown: attempt 2 is charged again, same key and old card, before any new key")
    func cardUpdate() throws {
        let run = D.run(Self.policy(), [D.failed("i1"), D.cardUpdate(card: "card-2", at: D.at(days: 3))], script: try Self.unknownScript())
        let keys = Self.keys(run)
        #expect(keys.first == "i1/attempt-2")
        #expect(keys.allSatisfy { $0 == "i1/attempt-2" }, "\(keys)")
        #expect(run.charges.allSatisfy { $0.request.card == "card-1" }, "the unknown charge is repeated exactly as it was")
    }

    @Test("The source reports attempt 3 while attempt 2 is unknown: attempt 2's key comes first again")
    func reported() throws {
        let run = D.run(Self.policy(), [D.failed("i1"), D.failed("i1", attempt: 3, at: D.at(days: 3))], script: try Self.unknownScript())
        let keys = Self.keys(run)
        #expect(keys.allSatisfy { $0 == "i1/attempt-2" }, "\(keys)")
    }

    @Test("whenExceeded: skip never skips an unknown attempt: it waits for the budget")
    func budgetSkip() throws {
        let policy = Self.policy {
            $0.budgets = BudgetSettings(networks: [.other: NetworkBudget(attempts: 1, window: .days(3))], whenExceeded: .skip)
        }
        let run = D.run(policy, [D.failed("i1")], script: try Self.unknownScript())
        // Attempt 2 is skipped over budget (the first failure filled it); attempt 3 is charged, unknown,
        // and then only charged again with its own key, waiting for the budget, never skipped.
        let keys = Self.keys(run)
        #expect(keys.count >= 2 && Set(keys) == ["i1/attempt-3"], "\(keys)")
        #expect(run.entries.contains { $0.kind == .deferred && $0.attempt == 3 })
    }

    @Test("Paid another way while attempt 2 is unknown: a staff task to check the charge and refund it")
    func paidElsewhere() throws {
        var renewed = Event(id: "paid-i1", type: .subscriptionRenewed, occurredAt: D.at(days: 3), contact: ContactReference(id: "c-1"))
        renewed.payment = Payment(index: 3, amount: 2900, currency: "USD", invoice: "i1")
        let run = D.run(Self.policy(), [D.failed("i1"), renewed], script: try Self.unknownScript())
        #expect(run.entries.contains { $0.kind == .task && $0.detail.contains("i1/attempt-2") && $0.detail.contains("refund") }, "\(run.entries.map(\.detail))")
    }

    @Test("The age limit ends an invoice whose attempt is unknown: the staff task too")
    func ageLimit() throws {
        let policy = Self.policy {
            $0.retries = .gaps([.days(20), .days(20)])
            $0.maxInvoiceAgeMonths = 1
        }
        let run = D.run(policy, [D.failed("i1")], script: try Self.unknownScript())
        #expect(run.entries.contains { $0.kind == .task && $0.detail.contains("i1/attempt-2") }, "\(run.entries.map(\.detail))")
    }
}

/// The run's bound on timeline entries, all invoices together (Docs/dunning-simulation.md, "Bounds").
@Suite struct DunningEntryBoundTests {
    typealias D = Dunning

    @Test("A run that writes exactly the bound finishes; one that reaches a lower bound with more to run stops, saying so")
    func bound() {
        let failures = [D.failed("inv-1"), D.failed("inv-2", contact: "c-2")]
        let whole = DunningSimulation.run(policy: D.policy(), failures: failures, calendar: D.utc)
        let written = whole.invoices.reduce(0) { $0 + $1.entries.count }
        #expect(whole.stopped == nil)
        let atBound = DunningSimulation.run(policy: D.policy(), failures: failures, calendar: D.utc, maxEntries: written)
        #expect(atBound.stopped == nil)
        #expect(atBound == whole)
        // The first event's entries reach a bound of 1 while the second event and the retries are still to run.
        let past = DunningSimulation.run(policy: D.policy(), failures: failures, calendar: D.utc, maxEntries: 1)
        #expect(past.stopped?.contains("reached 1 timeline entries") == true, "\(past.stopped ?? "nil")")
        #expect(past.invoices.reduce(0) { $0 + $1.entries.count } < written)
        #expect(past.json.canonicalText.contains("\"stopped\""))
    }
}
