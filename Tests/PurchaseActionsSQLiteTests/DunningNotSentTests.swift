import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Issue 14 leftovers: a charge not sent (the gateway unreachable) ends at the invoice's age limit,
/// and is not charged to the old card after a card update.
@Suite("Durable runtime: a charge not sent stops at the invoice's age limit and moves to a new card")
struct DunningNotSentTests {
    static let t0 = DunningRuntimeTests.t0
    static func at(days: Int = 0, hours: Int = 0) -> Instant { DunningRuntimeTests.at(days: days, hours: hours) }

    /// Retries 2 days apart, invoices older than one month not charged, the final action keeps the invoice past due.
    static func policy(ageLimit: Bool = true) throws -> DunningPolicy {
        let yaml = """
            format: 1
            id: billing
            name: Billing
            timezone: UTC
            retries: {gaps: [2d, 2d]}
            maxInvoiceAgeMonths: \(ageLimit ? "1" : "null")
            cardUpdate: {retry: immediately, reset: [schedule]}
            final: {action: keep-past-due}
            """
        return try DunningPolicyFile.policy(Array(yaml.utf8), file: "dunning-policy.yaml")
    }

    static func notSent(_ charge: DueCharge, _ reason: String = "cannot connect to http://gateway.invalid/charges: no such host") -> ChargeAttemptResult {
        ChargeAttemptResult(request: charge.request, resolution: .notSent(reason: reason), charged: false, lookups: 0, detail: "not sent")
    }

    static func outboxRow(_ store: SQLiteStore, _ key: String) throws -> (state: String, attempts: Int, lastError: String?)? {
        try store.queue.read { db in
            try Row.fetchOne(db, sql: "SELECT state, attempts, last_error FROM outbox WHERE key = ?", arguments: [key]).map {
                ((try $0.get(0)) as String, (try $0.get(1)) as Int, (try $0.get(2)) as String?)
            }
        }
    }

    static func cardUpdated(at time: Instant, card: String = "card-2", contact: String = "c-1") -> Event {
        var event = Event(id: "card-update-\(time.millisecondsSinceEpoch)", type: .paymentMethodUpdated, occurredAt: time, contact: ContactReference(id: contact))
        event.card = Card(id: card, expires: "2031-01", network: "visa")
        return event
    }

    /// The first retry's charge, due at +2 d, tried once and not sent.
    static func firstChargeNotSent(_ runtime: DurableRuntime) async throws -> DueCharge {
        try await runtime.ingest(DunningRuntimeTests.failed("inv-1"))
        try await runtime.advance(to: at(days: 2))
        let due = try await runtime.dueCharges(at: at(days: 2), limit: 10)
        let charge = try #require(due.first)
        #expect(due.count == 1)
        try await runtime.noteSending(outboxKey: charge.outboxKey)
        try await runtime.recordCharge(notSent(charge), outboxKey: charge.outboxKey, at: at(days: 2))
        return charge
    }

    @Test("a charge never sent past the invoice's age limit: skipped (too old, not charged), the final action, the row closed; before the limit it only waits")
    func ageLimitSettles() async throws {
        let store = try DunningRuntimeTests.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        let charge = try await Self.firstChargeNotSent(runtime)
        #expect(try Self.outboxRow(store, charge.outboxKey)?.state == "pending")
        // Still down, tried every hour for weeks: within the month it only waits.
        var hour = 48
        while hour < 30 * 24 {
            hour += 6
            let due = try await runtime.dueCharges(at: Self.at(hours: hour), limit: 10)
            for charge in due {
                try await runtime.noteSending(outboxKey: charge.outboxKey)
                try await runtime.recordCharge(Self.notSent(charge), outboxKey: charge.outboxKey, at: Self.at(hours: hour))
            }
        }
        #expect(try store.dunningInvoices(openOnly: true, limit: 10).map(\.invoice.id) == ["inv-1"])
        // 2026-01-05T10:00Z + 1 month = 2026-02-05T10:00Z: the first try not sent at or after it settles the invoice.
        let limit = try #require(try store.dunningInvoices(openOnly: true, limit: 10).first?.invoice.ageLimit)
        #expect(limit == StoreFixture.at("2026-02-05T10:00:00Z"))
        let late = try await runtime.dueCharges(at: limit.adding(seconds: 3_600), limit: 10)
        #expect(late.map(\.outboxKey) == [charge.outboxKey])
        try await runtime.noteSending(outboxKey: charge.outboxKey)
        try await runtime.recordCharge(Self.notSent(late[0]), outboxKey: charge.outboxKey, at: limit.adding(seconds: 3_600))

        let invoice = try #require(try store.dunningInvoices(openOnly: false, limit: 10).first?.invoice)
        #expect(invoice.status == .final)
        #expect(invoice.finalKind == .keepPastDue)
        #expect(invoice.chargeInFlight == nil)
        let timeline = try store.dunningTimeline(invoice: "inv-1", limit: 100)
        #expect(timeline.map(\.kind).suffix(2) == ["skipped", "final"])
        let skipped = try #require(timeline.last { $0.kind == "skipped" })
        #expect(skipped.entry.compactText.contains("older than 1 months (maxInvoiceAgeMonths)"), "\(skipped.entry.compactText)")
        #expect(skipped.entry.compactText.contains("never sent"), "\(skipped.entry.compactText)")
        #expect(!timeline.contains { $0.kind == "attempt" }, "nothing was charged")
        let row = try #require(try Self.outboxRow(store, charge.outboxKey))
        #expect(row.state == "delivered")
        #expect(row.lastError?.hasPrefix("not sent: cannot connect to http://gateway.invalid/charges") == true, "\(row.lastError ?? "-")")
        #expect(row.lastError?.hasSuffix("not charged: the invoice passed its age limit (maxInvoiceAgeMonths)") == true)
        #expect(try await runtime.dueCharges(at: Self.at(days: 400), limit: 10).isEmpty)
        #expect(try store.notSentCharges().count == 0)
        // A restarted runtime reads the same.
        let restarted = try DurableRuntime(store: store)
        #expect(await restarted.isInvoiceSettled("inv-1"))
    }

    @Test("a policy with no age limit keeps waiting for the gateway; a try cut short (may have charged) is not settled at the limit")
    func noLimitOrCutShortWaits() async throws {
        do {
            let store = try DunningRuntimeTests.newStore(try Self.policy(ageLimit: false))
            let runtime = try DurableRuntime(store: store)
            let charge = try await Self.firstChargeNotSent(runtime)
            let due = try await runtime.dueCharges(at: Self.at(days: 400), limit: 10)
            try await runtime.recordCharge(Self.notSent(due[0]), outboxKey: charge.outboxKey, at: Self.at(days: 400))
            #expect(try store.dunningInvoices(openOnly: true, limit: 10).count == 1)
            #expect(try Self.outboxRow(store, charge.outboxKey)?.state == "pending")
        }
        let store = try DunningRuntimeTests.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        let charge = try await Self.firstChargeNotSent(runtime)
        // A try starts and the worker dies before recording it; the next try marks the row "maybe charged".
        try await runtime.noteSending(outboxKey: charge.outboxKey)
        try await runtime.noteSending(outboxKey: charge.outboxKey)
        #expect(try Self.outboxRow(store, charge.outboxKey)?.lastError?.hasPrefix("maybe charged (a try was cut short): ") == true)
        let due = try await runtime.dueCharges(at: Self.at(days: 40), limit: 10)
        try await runtime.recordCharge(Self.notSent(due[0]), outboxKey: charge.outboxKey, at: Self.at(days: 40))
        #expect(try store.dunningInvoices(openOnly: true, limit: 10).count == 1, "the gateway's answer to the key settles it")
        let row = try #require(try Self.outboxRow(store, charge.outboxKey))
        #expect(row.state == "pending")
        #expect(row.lastError?.hasPrefix("maybe charged (a try was cut short): not sent: ") == true, "\(row.lastError ?? "-")")
    }

    @Test("a card update while the charge was only ever not sent: the row is dropped, the next attempt charges the new card at once")
    func cardUpdateMovesTheCharge() async throws {
        let store = try DunningRuntimeTests.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        let charge = try await Self.firstChargeNotSent(runtime)
        #expect(charge.request.card == "card-1")
        try await runtime.ingest(Self.cardUpdated(at: Self.at(days: 2, hours: 1)))
        #expect(try Self.outboxRow(store, charge.outboxKey) == nil, "the row not sent is gone")
        try await runtime.advance(to: Self.at(days: 2, hours: 1))
        let due = try await runtime.dueCharges(at: Self.at(days: 2, hours: 1), limit: 10)
        #expect(due.map(\.outboxKey) == ["charge:inv-1/attempt-3"], "a new key: the old one may be known to the gateway")
        #expect(due.first?.request.card == "card-2")
        #expect(due.first?.attempt == 1)
        let kinds = try DunningRuntimeTests.kinds(store, "inv-1")
        #expect(kinds == ["started", "skipped", "card-updated"], "\(kinds)")
        let approved = ChargeAttemptResult(request: due[0].request, resolution: .approved(charge: "ch_2"), charged: true, lookups: 0, detail: "charged")
        try await runtime.recordCharge(approved, outboxKey: due[0].outboxKey, at: Self.at(days: 2, hours: 1))
        #expect(try store.dunningInvoices(openOnly: false, limit: 10).first?.invoice.status == .recovered)
        #expect(try store.notSentCharges().count == 0)
    }

    @Test("a card update drops a charge row never tried (charged to the new card) and keeps one whose try was cut short and another contact's; a worker that read the dropped row does not charge it")
    func cardUpdateKeepsRowsThatMayHaveCharged() async throws {
        let store = try DunningRuntimeTests.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(DunningRuntimeTests.failed("inv-1"))
        try await runtime.ingest(DunningRuntimeTests.failed("inv-2", card: "card-9", contact: "c-2"))
        try await runtime.advance(to: Self.at(days: 2))
        let due = try await runtime.dueCharges(at: Self.at(days: 2), limit: 10)
        #expect(due.count == 2)
        // inv-1: never tried. inv-2: not sent, then a try cut short.
        let second = try #require(due.first { $0.request.invoice == "inv-2" })
        try await runtime.noteSending(outboxKey: second.outboxKey)
        try await runtime.recordCharge(Self.notSent(second), outboxKey: second.outboxKey, at: Self.at(days: 2))
        try await runtime.noteSending(outboxKey: second.outboxKey)
        try await runtime.ingest(Self.cardUpdated(at: Self.at(days: 2, hours: 1)))
        try await runtime.ingest(Self.cardUpdated(at: Self.at(days: 2, hours: 1), card: "card-10", contact: "c-2"))
        // The worker had read inv-1's row before the update: marking its try finds it gone.
        let first = try #require(due.first { $0.request.invoice == "inv-1" })
        #expect(try await runtime.noteSending(outboxKey: first.outboxKey) == false)
        try await runtime.advance(to: Self.at(days: 2, hours: 1))
        let after = try await runtime.dueCharges(at: Self.at(days: 3), limit: 10)
        #expect(after.map(\.outboxKey).sorted() == ["charge:inv-1/attempt-3", "charge:inv-2/attempt-2"])
        #expect(after.first { $0.request.invoice == "inv-1" }?.request.card == "card-2")
        #expect(after.first { $0.request.invoice == "inv-2" }?.request.card == "card-9")
        #expect(try DunningRuntimeTests.kinds(store, "inv-1").contains("skipped"))
        #expect(try store.notSentCharges().count == 1)
    }

    @Test("the summary of charges not sent: how many, due since when, the reason of the one tried last")
    func summary() async throws {
        let store = try DunningRuntimeTests.newStore(try Self.policy())
        let runtime = try DurableRuntime(store: store)
        #expect(try store.notSentCharges() == NotSentCharges(count: 0, since: nil, lastReason: nil))
        try await runtime.ingest(DunningRuntimeTests.failed("inv-1"))
        try await runtime.ingest(DunningRuntimeTests.failed("inv-2", at: Self.at(hours: 5), card: "card-9", contact: "c-2"))
        try await runtime.advance(to: Self.at(days: 2, hours: 5))
        let due = try await runtime.dueCharges(at: Self.at(days: 2, hours: 5), limit: 10)
        #expect(due.count == 2)
        try await runtime.recordCharge(Self.notSent(due[0], "first reason"), outboxKey: due[0].outboxKey, at: Self.at(days: 2, hours: 5))
        try await runtime.recordCharge(Self.notSent(due[1], "second reason"), outboxKey: due[1].outboxKey, at: Self.at(days: 2, hours: 6))
        #expect(try store.notSentCharges() == NotSentCharges(count: 2, since: Self.at(days: 2), lastReason: "second reason"))
    }
}
