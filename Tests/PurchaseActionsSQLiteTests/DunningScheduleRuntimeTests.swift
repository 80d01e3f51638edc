import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// The policy's schedule on the engine (Docs/dunning.md, "The schedule on the engine"): each invoice
/// in dunning is one enrollment of `dunning.<policy id>`, moved by the runtime as the process decides.
@Suite("Durable runtime: each invoice in dunning is an enrollment of the policy's schedule workflow")
struct DunningScheduleRuntimeTests {
    typealias Base = DunningRuntimeTests
    static func at(days: Int = 0, hours: Int = 0) -> Instant { Base.at(days: days, hours: hours) }

    /// Publishes the policy with its action workflows and its two schedule workflows (as `publish` does).
    static func publish(_ policy: DunningPolicy, to store: SQLiteStore, at time: Instant = StoreFixture.start) throws {
        let automation = Automation(workflows: policy.actionWorkflows + policy.scheduleWorkflows())
        _ = try store.publish(automation, dunningPolicy: DunningPolicyDocument(id: policy.id, fileVersion: policy.version, json: policy.json), at: time)
    }

    static func newStore(_ policy: DunningPolicy) throws -> SQLiteStore {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try publish(policy, to: store)
        return store
    }

    /// The invoice's enrollment: its state, version and the step it is at (the `enrollments` command's step column).
    static func schedule(_ store: SQLiteStore, _ invoice: String) throws -> (state: String, version: Int, step: String?)? {
        guard let stored = try store.dunningInvoices(openOnly: false, limit: 100).first(where: { $0.invoice.id == invoice }),
            let id = stored.invoice.enrollment,
            let enrollment = try store.enrollments(EnrollmentQuery(limit: 1000)).first(where: { $0.enrollment.id == id })?.enrollment
        else { return nil }
        let state: String
        switch enrollment.state {
        case .active: state = "running"
        case .waiting: state = "waiting"
        case .finished: state = "finished"
        case .exited: state = "exited"
        }
        var step: String?
        if let frame = enrollment.frames.last, let workflow = try store.workflow(id: frame.workflowID, version: frame.version ?? enrollment.version) {
            step = StepLocator(workflow).stepID(atPosition: frame.position)
        }
        return (state, enrollment.version, step)
    }

    /// A renewal of `invoice`'s subscription paid by hand: the invoice is paid another way.
    static func paidElsewhere(_ invoice: String, contact: String, at time: Instant) -> Event {
        var paid = Event(id: "paid-\(invoice)", type: .subscriptionRenewed, occurredAt: time, contact: ContactReference(id: contact))
        paid.order = Order(id: "ord-\(invoice)", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: "plan-monthly"))])
        paid.order?.chargeMode = .recorded
        paid.order?.gateway = "stripe"
        paid.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: invoice)
        paid.subscription = SubscriptionReference(id: "sub-\(invoice)", plan: "plan-monthly")
        return paid
    }

    static func decline(_ charge: DueCharge, _ code: String, advice: String? = nil) -> ChargeAttemptResult {
        ChargeAttemptResult(request: charge.request, resolution: .declined(code: code, adviceCode: advice), charged: true, lookups: 0, detail: "declined")
    }

    static func approve(_ charge: DueCharge) -> ChargeAttemptResult {
        ChargeAttemptResult(request: charge.request, resolution: .approved(charge: "ch_1"), charged: true, lookups: 0, detail: "charged")
    }

    @Test("the schedule's steps follow the invoice: due wait, retry-charge, outcome, a soft decline back to the next attempt, the goal on recovery")
    func followsTheInvoice() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        let started = try #require(try Self.schedule(store, "inv-1"))
        #expect(started.state == "waiting")
        #expect(started.step == "attempt-2-due")

        try await runtime.advance(to: Self.at(days: 2))
        let first = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        #expect(first.map(\.outboxKey) == ["charge:inv-1/attempt-2"])
        #expect(try Self.schedule(store, "inv-1")?.step == "attempt-2-outcome")
        // The retry-charge step is in the log, as an internal effect: the outbox holds only the charge.
        let records = try store.log(LogQuery(workflowID: "dunning.billing")).map(\.record.compactText)
        #expect(records.contains { $0.contains("\"kind\":\"retry-charge\"") && $0.contains("\"step\":\"attempt-2\"") }, "\(records)")
        #expect(try store.outbox(dead: false).map(\.kind).allSatisfy { $0 == "charge" })

        try await runtime.recordCharge(Self.decline(first[0], "insufficient_funds"), outboxKey: first[0].outboxKey, at: Self.at(days: 2))
        #expect(try Self.schedule(store, "inv-1")?.step == "attempt-3-due")

        try await runtime.advance(to: Self.at(days: 4))
        let second = try await runtime.dueCharges(at: Self.at(days: 4), limit: 10)
        #expect(try Self.schedule(store, "inv-1")?.step == "attempt-3-outcome")
        try await runtime.recordCharge(Self.approve(second[0]), outboxKey: second[0].outboxKey, at: Self.at(days: 4))
        let ended = try #require(try Self.schedule(store, "inv-1"))
        #expect(ended.state == "finished")
        let goal = try store.log(LogQuery(workflowID: "dunning.billing", status: .goal))
        #expect(goal.count == 1)
    }

    @Test("a hard decline waits for a new card in the decline workflow; the card update's retry moves it to the next attempt")
    func hardDeclineWaitsForCard() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        try await runtime.recordCharge(Self.decline(due[0], "stolen_card"), outboxKey: due[0].outboxKey, at: Self.at(days: 2))
        #expect(try Self.schedule(store, "inv-1")?.step == "hard-wait-for-card")

        var update = Event(id: "card-new", type: .paymentMethodUpdated, occurredAt: Self.at(days: 3), contact: ContactReference(id: "c-1"))
        update.card = Card(id: "card-2", expires: "2031-01", network: "visa")
        try await runtime.ingest(update)
        try await runtime.advance(to: Self.at(days: 3))
        let retry = try await runtime.dueCharges(at: Self.at(days: 3), limit: 10)
        #expect(retry.map(\.request.card) == ["card-2"])
        #expect(try Self.schedule(store, "inv-1")?.step == "attempt-3-outcome")
    }

    @Test("the final action moves the enrollment to `final`, which ends it")
    func finalEndsIt() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        for day in [2, 4] {
            try await runtime.advance(to: Self.at(days: day))
            for charge in try await runtime.dueCharges(at: Self.at(days: day), limit: 10) {
                try await runtime.recordCharge(Self.decline(charge, "do_not_honor"), outboxKey: charge.outboxKey, at: Self.at(days: day))
            }
        }
        try await runtime.advance(to: Self.at(days: 60))
        #expect(try store.dunningInvoices(openOnly: false, limit: 10).first?.invoice.status == .final)
        let ended = try #require(try Self.schedule(store, "inv-1"))
        #expect(ended.state == "exited")
        #expect(ended.step == "final")
    }

    @Test("one contact, two invoices: an outcome of one moves only its own enrollment")
    func invoicesKeptApart() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        try await runtime.ingest(Base.failed("inv-2", at: Self.at(hours: 1), card: "card-1"))
        #expect(try Self.schedule(store, "inv-2")?.step == "attempt-2-due")
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        let first = try #require(due.first { $0.request.invoice == "inv-1" })
        try await runtime.recordCharge(Self.approve(first), outboxKey: first.outboxKey, at: Self.at(days: 2))
        #expect(try Self.schedule(store, "inv-1")?.state == "finished")
        #expect(try Self.schedule(store, "inv-2")?.state == "waiting")
        // A recovery the event source reports about the other invoice does not move this one either.
        var reported = Base.failed("inv-1")
        reported.id = "inv-1/recovered"
        reported.type = .autochargeRecovered
        reported.occurredAt = Self.at(days: 2, hours: 1)
        reported.payment?.declineCode = nil
        try await runtime.ingest(reported)
        #expect(try Self.schedule(store, "inv-2")?.state == "waiting")
    }

    @Test("an invoice's enrollment keeps its workflow version across a publish; the next invoice starts on the new one")
    func versionsKept() async throws {
        let store = try Self.newStore(try Base.policy(gaps: "[2d, 2d]"))
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        try Self.publish(try Base.policy(gaps: "[1d, 1d, 1d]"), to: store, at: StoreFixture.start.adding(seconds: 60))
        try await runtime.ingest(Base.failed("inv-2", at: Self.at(hours: 1), card: "card-2", contact: "c-2"))
        #expect(try Self.schedule(store, "inv-1")?.version == 1)
        #expect(try Self.schedule(store, "inv-2")?.version == 2)
    }

    @Test("paid another way or cancelled: the enrollment exits")
    func settledElsewhereExits() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        try await runtime.ingest(Base.failed("inv-2", at: Self.at(hours: 1), card: "card-2", contact: "c-2"))
        try await runtime.ingest(Self.paidElsewhere("inv-1", contact: "c-1", at: Self.at(hours: 2)))
        #expect(try Self.schedule(store, "inv-1")?.state == "exited")
        var cancelled = Event(id: "cancel-2", type: .subscriptionCancelled, occurredAt: Self.at(hours: 3), contact: ContactReference(id: "c-2"))
        cancelled.subscription = SubscriptionReference(id: "sub-inv-2", plan: "plan-monthly")
        try await runtime.ingest(cancelled)
        #expect(try Self.schedule(store, "inv-2")?.state == "exited")
    }

    @Test("a policy published before its schedule was compiled runs as before, with no enrollment")
    func olderPublishHasNone() async throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try Base.publish(try Base.policy(), to: store)
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        #expect(try store.dunningInvoices(openOnly: true, limit: 10).first?.invoice.enrollment == nil)
        try await runtime.advance(to: Self.at(days: 2))
        #expect(try await runtime.dueCharges(at: Self.at(days: 2), limit: 10).map(\.outboxKey) == ["charge:inv-1/attempt-2"])
    }

    @Test("an invoice id reused by another contact is an error row of the log")
    func reusedInvoiceIsAnError() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        var other = Base.failed("inv-1", contact: "c-9")
        other.id = "inv-1/other-contact"
        try await runtime.ingest(other)
        let errors = try store.log(LogQuery(status: .error)).map(\.record.compactText)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("refused: invoice inv-1 is in dunning for contact c-1") == true)
    }
    @Test("a hard first failure waits for a card from the start; a policy with no retries ends its enrollment at final")
    func firstFailureAndNoRetries() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1", code: "stolen_card"))
        #expect(try Self.schedule(store, "inv-1")?.step == "hard-wait-for-card")

        let none = try DunningPolicyFile.policy(Array(Base.policyYAML(id: "once").replacingOccurrences(of: "retries: {gaps: [2d, 2d]}", with: "retries: none").utf8), file: "p.yaml")
        let other = try Self.newStore(none)
        let runtime2 = try DurableRuntime(store: other)
        try await runtime2.ingest(Base.failed("inv-2"))
        #expect(try other.dunningInvoices(openOnly: false, limit: 10).first?.invoice.status == .final)
        let ended = try #require(try Self.schedule(other, "inv-2"))
        #expect(ended.state == "exited")
        #expect(ended.step == "final")
    }

    @Test("a gateway's decline code the events format cannot hold: the enrollment still reads back and branches as the process classed it")
    func oddDeclineCodes() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        try await runtime.recordCharge(Self.decline(due[0], "Do Not Honor — refusé"), outboxKey: due[0].outboxKey, at: Self.at(days: 2))
        #expect(try Self.schedule(store, "inv-1")?.step == "attempt-3-due")
        #expect(try store.enrollments(EnrollmentQuery(limit: 100)).allSatisfy { $0.error == nil })
        #expect(try store.log(LogQuery(status: .error)).isEmpty)
        // A 200-character code, and a runtime rebuilt from the store reads the enrollment back.
        try await runtime.advance(to: Self.at(days: 4))
        let next = try await runtime.dueCharges(at: Self.at(days: 4), limit: 10)
        try await runtime.recordCharge(Self.decline(next[0], String(repeating: "x", count: 200)), outboxKey: next[0].outboxKey, at: Self.at(days: 4))
        _ = try DurableRuntime(store: store)
        #expect(try store.enrollments(EnrollmentQuery(limit: 100)).allSatisfy { $0.error == nil })
    }

    @Test("an invoice's schedule keeps the decline workflow it was published with: a republished policy's new class for a code does not reach it")
    func declineWorkflowPinned() async throws {
        let store = try Self.newStore(try Base.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        let harder = try DunningPolicyFile.policy(Array((Base.policyYAML() + "\ndeclines: {codes: {do_not_honor: hard}}\n").utf8), file: "p.yaml")
        try Self.publish(harder, to: store, at: StoreFixture.start.adding(seconds: 60))
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        try await runtime.recordCharge(Self.decline(due[0], "do_not_honor"), outboxKey: due[0].outboxKey, at: Self.at(days: 2))
        // Version 1 classes do_not_honor soft (the standard table): on to attempt 3, not a card wait.
        #expect(try Self.schedule(store, "inv-1")?.step == "attempt-3-due")
        // A new invoice starts on version 2, where it is hard.
        try await runtime.ingest(Base.failed("inv-2", at: Self.at(days: 2, hours: 1), code: "do_not_honor", card: "card-2", contact: "c-2"))
        #expect(try Self.schedule(store, "inv-2")?.step == "hard-wait-for-card")
    }

    @Test("an invoice whose stored enrollment id was edited to another contact's is left alone: the other schedule does not move")
    func editedEnrollmentIDLeftAlone() async throws {
        let store = try Self.newStore(try Base.policy())
        var runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Base.failed("inv-1"))
        try await runtime.ingest(Base.failed("inv-2", at: Self.at(hours: 1), card: "card-2", contact: "c-2"))
        let other = try #require(try store.dunningInvoices(openOnly: false, limit: 10).first { $0.invoice.id == "inv-2" }?.invoice.enrollment)
        let own = try #require(try store.dunningInvoices(openOnly: false, limit: 10).first { $0.invoice.id == "inv-1" }?.invoice.enrollment)
        try await store.queue.write { db in
            try db.execute(sql: "UPDATE dunning_invoice SET json = replace(json, ?, ?) WHERE id = 'inv-1'", arguments: ["\"enrollment\":\"\(own)\"", "\"enrollment\":\"\(other)\""])
        }
        runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.paidElsewhere("inv-1", contact: "c-1", at: Self.at(hours: 2)))
        #expect(try Self.schedule(store, "inv-2")?.state == "waiting")
    }
}
