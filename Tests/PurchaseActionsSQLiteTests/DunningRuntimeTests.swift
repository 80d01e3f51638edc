import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// The durable runtime running a published dunning policy: state in SQLite, charges through the
/// outbox, actions as engine workflows (Docs/architecture.md, "Dunning").
@Suite("Durable runtime: a published dunning policy runs on the worker")
struct DunningRuntimeTests {
    static let t0 = StoreFixture.at("2026-01-05T10:00:00Z")
    static func at(days: Int = 0, hours: Int = 0) -> Instant { t0.adding(seconds: Int64(days * 86_400 + hours * 3600)) }

    /// A policy: retries `gaps`, a tag after the 2nd failed attempt, a tag on recovery.
    static func policyYAML(id: String = "billing", gaps: String = "[2d, 2d]") -> String {
        """
        format: 1
        id: \(id)
        name: Billing
        timezone: UTC
        retries: {gaps: \(gaps)}
        attempts:
          - failed: 2
            actions: [{type: add-tag, tag: past-due}]
        recovered: [{type: remove-tag, tag: past-due}, {type: add-tag, tag: recovered}]
        """
    }

    static func policy(id: String = "billing", gaps: String = "[2d, 2d]") throws -> DunningPolicy {
        try DunningPolicyFile.policy(Array(policyYAML(id: id, gaps: gaps).utf8), file: "dunning-policy.yaml")
    }

    /// Publishes the policy with its action workflows (as `purchase-actions publish` does).
    static func publish(_ policy: DunningPolicy, to store: SQLiteStore, at time: Instant = StoreFixture.start) throws {
        let automation = Automation(workflows: policy.actionWorkflows)
        _ = try store.publish(automation, dunningPolicy: DunningPolicyDocument(id: policy.id, fileVersion: policy.version, json: policy.json), at: time)
    }

    static func failed(_ invoice: String, attempt: Int = 1, at time: Instant = t0, code: String = "insufficient_funds", card: String = "card-1",
                       contact: String = "c-1") -> Event {
        var event = Event(id: "\(invoice)/failed-\(attempt)", type: .autochargeFailed, occurredAt: time, contact: ContactReference(id: contact))
        event.order = Order(id: "ord-\(invoice)", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: "plan-monthly"))])
        event.order?.chargeMode = .card
        event.order?.gateway = "stripe"
        event.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: code, invoice: invoice)
        event.autocharge = Autocharge(attempt: attempt, invoice: invoice)
        event.subscription = SubscriptionReference(id: "sub-\(invoice)", plan: "plan-monthly")
        event.card = Card(id: card, expires: "2030-01", network: "visa")
        return event
    }

    static func newStore(_ policy: DunningPolicy) throws -> SQLiteStore {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try publish(policy, to: store)
        return store
    }

    static func tags(_ store: SQLiteStore, _ contact: String) throws -> [String] {
        try store.queue.read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT json FROM contact WHERE id = ?", arguments: [contact]),
                case .object(let members) = try JSONValue.parse(text), case .array(let tags)? = members["tags"]
            else { return [] }
            return tags.compactMap { if case .string(let tag) = $0 { tag } else { nil } }.sorted()
        }
    }

    static func kinds(_ store: SQLiteStore, _ invoice: String) throws -> [String] {
        try store.dunningTimeline(invoice: invoice, limit: 1000).map(\.kind)
    }

    @Test("a first failure starts dunning; the retry is an outbox charge at the schedule's gap; declined, the next; approved, recovered")
    func retriesThroughTheOutbox() async throws {
        let store = try Self.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.failed("inv-1"))
        #expect(try store.dunningInvoices(openOnly: true, limit: 10).map(\.invoice.id) == ["inv-1"])
        #expect(try await runtime.dueCharges(at: Self.at(days: 3), limit: 10).isEmpty)

        try await runtime.advance(to: Self.at(days: 2))
        let first = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        #expect(first.map(\.outboxKey) == ["charge:inv-1/attempt-2"])
        #expect(first.first?.request.amount == 2900)
        #expect(first.first?.request.card == "card-1")
        // Charges never reach the other deliverers.
        #expect(try await runtime.dueDeliveries(at: Self.at(days: 2), limit: 10).allSatisfy { $0.kind != "charge" })
        #expect(await runtime.isInvoiceSettled("inv-1") == false)

        let declined = ChargeAttemptResult(
            request: first[0].request, resolution: .declined(code: "insufficient_funds", adviceCode: nil), charged: true, lookups: 0, detail: "declined")
        try await runtime.recordCharge(declined, outboxKey: first[0].outboxKey, at: Self.at(days: 2))
        // Recorded once: the row is delivered, a second record changes nothing.
        try await runtime.recordCharge(declined, outboxKey: first[0].outboxKey, at: Self.at(days: 2))
        #expect(try await runtime.dueCharges(at: Self.at(days: 3), limit: 10).isEmpty)
        // The 2nd failed attempt ran its action on the engine: the contact is tagged.
        #expect(try Self.tags(store, "c-1") == ["past-due"])

        try await runtime.advance(to: Self.at(days: 4))
        let second = try await runtime.dueCharges(at: Self.at(days: 4), limit: 10)
        #expect(second.map(\.outboxKey) == ["charge:inv-1/attempt-3"])
        let approved = ChargeAttemptResult(request: second[0].request, resolution: .approved(charge: "ch_1"), charged: true, lookups: 0, detail: "charged")
        try await runtime.recordCharge(approved, outboxKey: second[0].outboxKey, at: Self.at(days: 4))
        let invoice = try #require(try store.dunningInvoices(openOnly: false, limit: 10).first)
        #expect(invoice.invoice.status == .recovered)
        #expect(invoice.invoice.recoveredAttempt == 3)
        #expect(invoice.policyID == "billing")
        #expect(invoice.policyVersion == 1)
        #expect(await runtime.isInvoiceSettled("inv-1"))
        #expect(try Self.tags(store, "c-1") == ["recovered"])
        #expect(try Self.kinds(store, "inv-1") == ["started", "attempt", "action", "attempt", "recovered", "action", "action"])
        try await runtime.advance(to: Self.at(days: 30))
        #expect(try await runtime.dueCharges(at: Self.at(days: 30), limit: 10).isEmpty)
    }

    @Test("a restart between the charge and its record charges the same key again: the gateway answers the first result, one real charge")
    func crashBetweenChargeAndRecord() async throws {
        let store = try Self.newStore(try Self.policy())
        let gateway = CountingGateway()
        do {
            let runtime = try DurableRuntime(store: store)
            try await runtime.ingest(Self.failed("inv-1"))
            try await runtime.advance(to: Self.at(days: 2))
            let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
            #expect(due.count == 1)
            // Charged, then the process dies before recording.
            _ = await SafeCharger.charge(due[0].request, gateway: gateway, isPaid: { await runtime.isInvoiceSettled(due[0].request.invoice) })
        }
        let restarted = try DurableRuntime(store: store)
        let again = try await restarted.dueCharges(at: Self.at(days: 2), limit: 10)
        #expect(again.map(\.outboxKey) == ["charge:inv-1/attempt-2"])
        #expect(again.first?.attempt == 1)
        let result = await SafeCharger.charge(again[0].request, gateway: gateway, isPaid: { await restarted.isInvoiceSettled(again[0].request.invoice) })
        try await restarted.recordCharge(result, outboxKey: again[0].outboxKey, at: Self.at(days: 2))
        #expect(await gateway.calls["inv-1/attempt-2"] == 2)
        #expect(await gateway.charges["inv-1/attempt-2"] == 1)
        #expect(try store.dunningInvoices(openOnly: false, limit: 10).first?.invoice.status == .recovered)
    }

    @Test("an outcome recorded with a time before the clock is recorded at the clock: a process's time never goes back")
    func recordedAtTheClock() async throws {
        let store = try Self.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.failed("inv-1"))
        // Events read later in the same run move the clock past the charge's due time before it is made.
        try await runtime.ingest(Self.failed("inv-2", at: Self.at(days: 3), card: "card-2", contact: "c-2"))
        let due = try #require(try await runtime.dueCharges(at: Self.at(days: 3), limit: 10).first)
        #expect(due.dueAt == Self.at(days: 2))
        let declined = ChargeAttemptResult(request: due.request, resolution: .declined(code: "do_not_honor", adviceCode: nil), charged: true, lookups: 0, detail: "declined")
        try await runtime.recordCharge(declined, outboxKey: due.outboxKey, at: due.dueAt)
        let invoice = try #require(try store.dunningInvoices(openOnly: true, limit: 10).first { $0.invoice.id == "inv-1" })
        #expect(invoice.invoice.nextAttemptAt == Self.at(days: 5))
        #expect(try store.dunningTimeline(invoice: "inv-1", limit: 10).map(\.at).last == Self.at(days: 3))
        #expect(await runtime.now == Self.at(days: 3))
    }

    @Test("a charge row edited by hand (another invoice, another amount) is refused, naming the row: nothing is charged")
    func editedChargeRowRefused() async throws {
        let store = try Self.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.failed("inv-1"))
        try await runtime.advance(to: Self.at(days: 2))
        #expect(try await runtime.dueCharges(at: Self.at(days: 2), limit: 10).count == 1)
        for edit in [
            #"{"amount":999999,"attempt":2,"card":"card-1","contact":"c-1","currency":"USD","idempotencyKey":"inv-1/attempt-2","invoice":"inv-1"}"#,
            #"{"amount":2900,"attempt":2,"card":"card-9","contact":"c-9","currency":"USD","idempotencyKey":"inv-9/attempt-2","invoice":"inv-9"}"#,
        ] {
            try await store.queue.write { db in try db.execute(sql: "UPDATE outbox SET details_json = ? WHERE kind = 'charge'", arguments: [edit]) }
            var caught: StoreError?
            do { _ = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10) } catch { caught = error }
            #expect(caught?.code == .invalidDunningState)
            #expect(caught?.message.contains("charge:inv-1/attempt-2") == true)
        }
    }

    @Test("a stored invoice, ledger row or timeline entry that does not read is an invalid-dunning-state error naming its row and table")
    func corruptRowsNamed() async throws {
        let store = try Self.newStore(try Self.policy())
        do {
            let runtime = try DurableRuntime(store: store)
            try await runtime.ingest(Self.failed("inv-1"))
        }
        try await store.queue.write { db in
            try db.execute(sql: "UPDATE dunning_invoice SET json = '{not json' WHERE id = 'inv-1'")
            try db.execute(sql: "UPDATE dunning_entry SET json = '[1'")
        }
        let listed = try #require(throws: StoreError.self) { _ = try store.dunningInvoices(openOnly: false, limit: 10) }
        #expect(listed.code == .invalidDunningState)
        #expect(listed.message.contains("'inv-1' (table dunning_invoice)"))
        let loaded = try #require(throws: StoreError.self) { _ = try DurableRuntime(store: store) }
        #expect(loaded.code == .invalidDunningState)
        #expect(loaded.message.contains("'inv-1' (table dunning_invoice)"))
        let timeline = try #require(throws: StoreError.self) { _ = try store.dunningTimeline(invoice: nil, limit: 10) }
        #expect(timeline.message.contains("(table dunning_entry)"))
        try await store.queue.write { db in
            try db.execute(sql: "DELETE FROM dunning_invoice")
            try db.execute(sql: "INSERT INTO dunning_ledger (key, json) VALUES ('card:x', '{')")
        }
        let ledger = try #require(throws: StoreError.self) { _ = try DurableRuntime(store: store) }
        #expect(ledger.message.contains("'card:x' (table dunning_ledger)"))
    }

    @Test("a hard decline is never retried; the final action comes when the schedule's last attempt time passes")
    func hardDecline() async throws {
        let store = try Self.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.failed("inv-1"))
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        let stolen = ChargeAttemptResult(request: due[0].request, resolution: .declined(code: "stolen_card", adviceCode: nil), charged: true, lookups: 0, detail: "declined")
        try await runtime.recordCharge(stolen, outboxKey: due[0].outboxKey, at: Self.at(days: 2))
        try await runtime.advance(to: Self.at(days: 60))
        #expect(try await runtime.dueCharges(at: Self.at(days: 60), limit: 10).isEmpty)
        let invoice = try #require(try store.dunningInvoices(openOnly: false, limit: 10).first)
        #expect(invoice.invoice.status == .final)
        #expect(invoice.invoice.charges == 1)
    }

    @Test("state survives a restart at every step: a runtime rebuilt from the store goes on exactly as one that kept running")
    func restartsMatch() async throws {
        let policy = try Self.policy()
        func run(restarting: Bool) async throws -> [String] {
            let store = try Self.newStore(policy)
            var runtime = try DurableRuntime(store: store)
            func maybeRestart() throws { if restarting { runtime = try DurableRuntime(store: store) } }
            try await runtime.ingest(Self.failed("inv-1"))
            try await runtime.ingest(Self.failed("inv-2", at: Self.at(hours: 5), card: "card-2", contact: "c-2"))
            for day in 1...12 {
                try maybeRestart()
                try await runtime.advance(to: Self.at(days: day))
                for charge in try await runtime.dueCharges(at: Self.at(days: day), limit: 10) {
                    try maybeRestart()
                    let resolution: ChargeAttemptResult.Resolution =
                        charge.request.invoice == "inv-2" && charge.request.attempt == 3 ? .approved(charge: "ch") : .declined(code: "do_not_honor", adviceCode: nil)
                    let result = ChargeAttemptResult(request: charge.request, resolution: resolution, charged: true, lookups: 0, detail: "x")
                    try await runtime.recordCharge(result, outboxKey: charge.outboxKey, at: Self.at(days: day))
                }
            }
            return try store.dunningTimeline(invoice: nil, limit: 1000).map { "\($0.at) \($0.invoice) \($0.entry.compactText)" }
                + store.dunningInvoices(openOnly: false, limit: 10).map { $0.invoice.storageJSON.compactText }
        }
        let straight = try await run(restarting: false)
        let restarted = try await run(restarting: true)
        #expect(straight.count > 10)
        #expect(straight == restarted)
    }

    @Test("an invoice keeps the policy version it started under; new failures take the version published last")
    func versionsKept() async throws {
        let store = try Self.newStore(try Self.policy(gaps: "[2d, 2d]"))
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.failed("inv-1"))
        try Self.publish(try Self.policy(gaps: "[1d, 1d]"), to: store, at: StoreFixture.start.adding(seconds: 60))
        try await runtime.ingest(Self.failed("inv-2", at: Self.at(hours: 1), card: "card-2", contact: "c-2"))
        let invoices = try store.dunningInvoices(openOnly: true, limit: 10)
        #expect(invoices.map { "\($0.invoice.id) v\($0.policyVersion)" } == ["inv-1 v1", "inv-2 v2"])
        try await runtime.advance(to: Self.at(days: 1, hours: 1))
        #expect(try await runtime.dueCharges(at: Self.at(days: 1, hours: 1), limit: 10).map(\.outboxKey) == ["charge:inv-2/attempt-2"])
        try await runtime.advance(to: Self.at(days: 2))
        #expect(try await runtime.dueCharges(at: Self.at(days: 2), limit: 10).map(\.outboxKey) == ["charge:inv-2/attempt-2", "charge:inv-1/attempt-2"])
    }

    @Test("a duplicate failure event starts nothing twice; a payment elsewhere stops dunning and the charge due is skipped")
    func duplicatesAndPayments() async throws {
        let store = try Self.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(Self.failed("inv-1"))
        try await runtime.ingest(Self.failed("inv-1"))
        #expect(try Self.kinds(store, "inv-1") == ["started"])
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        var paid = Event(id: "paid-inv-1", type: .subscriptionRenewed, occurredAt: Self.at(days: 2, hours: 1), contact: ContactReference(id: "c-1"))
        paid.order = Order(id: "ord-inv-1", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: "plan-monthly"))])
        paid.order?.chargeMode = .recorded
        paid.order?.gateway = "stripe"
        paid.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: "inv-1")
        paid.subscription = SubscriptionReference(id: "sub-inv-1", plan: "plan-monthly")
        try await runtime.ingest(paid)
        #expect(await runtime.isInvoiceSettled("inv-1"))
        let gateway = CountingGateway()
        let result = await SafeCharger.charge(due[0].request, gateway: gateway, isPaid: { await runtime.isInvoiceSettled("inv-1") })
        #expect(result.outcome == nil)
        try await runtime.recordCharge(result, outboxKey: due[0].outboxKey, at: Self.at(days: 2, hours: 1))
        #expect(await gateway.calls.isEmpty)
        #expect(try Self.kinds(store, "inv-1").suffix(2) == ["action", "skipped"])
        #expect(try store.dunningInvoices(openOnly: false, limit: 10).first?.invoice.status == .paidElsewhere)
    }

    @Test("publishing a policy without its action workflows is refused: the worker could not run them")
    func actionWorkflowsRequired() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let policy = try Self.policy()
        #expect(throws: StoreError.self) {
            _ = try store.publish(
                Automation(workflows: []), dunningPolicy: DunningPolicyDocument(id: policy.id, fileVersion: nil, json: policy.json), at: StoreFixture.start)
        }
        #expect(try store.dunningPolicies().isEmpty)
    }
}

/// A gateway that approves and, like a real one, answers a key it has seen with its first result;
/// it counts calls and real charges per idempotency key.
actor CountingGateway: PaymentGateway {
    var calls: [String: Int] = [:]
    var charges: [String: Int] = [:]
    var results: [String: ChargeOutcome] = [:]

    func charge(_ request: ChargeRequest) async -> ChargeOutcome {
        calls[request.idempotencyKey, default: 0] += 1
        if let first = results[request.idempotencyKey] { return first }
        charges[request.idempotencyKey, default: 0] += 1
        let outcome = ChargeOutcome.approved(charge: "ch-\(request.idempotencyKey)")
        results[request.idempotencyKey] = outcome
        return outcome
    }

    func status(idempotencyKey: String) async -> ChargeStatus {
        switch results[idempotencyKey] {
        case .approved(let charge)?: .approved(charge: charge)
        case .declined(let code, let advice)?: .declined(code: code, adviceCode: advice)
        case .unknown, nil: .notFound
        }
    }
}
