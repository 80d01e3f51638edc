internal import GRDB
public import PurchaseActionsCore
public import PurchaseActionsDunning
import PurchaseActionsEngine

/// A charge of a published dunning policy waiting in the outbox for the payment gateway
/// (``DurableRuntime/dueCharges(at:limit:)``).
public struct DueCharge: Hashable, Sendable {
    /// The outbox row's key (``DurableRuntime/recordCharge(_:outboxKey:at:)`` names it):
    /// `charge:<idempotency key>`, and `#<n>` after it for the n-th charge of an attempt whose
    /// outcome stayed unknown.
    public var outboxKey: String
    /// The charge: its `idempotencyKey` is what the gateway sees, the same on every try.
    public var request: ChargeRequest
    /// Which try of the row this is, from 1: more than 1 after tries not sent (the gateway
    /// unreachable; ``DurableRuntime/recordCharge(_:outboxKey:at:)`` puts the row off).
    public var attempt: Int
    /// When the policy planned it (the row's first due time).
    public var dueAt: Instant

    /// Creates a due charge.
    public init(outboxKey: String, request: ChargeRequest, attempt: Int, dueAt: Instant) {
        self.outboxKey = outboxKey
        self.request = request
        self.attempt = attempt
        self.dueAt = dueAt
    }
}

extension DurableRuntime {
    /// Outbox rows of kind `charge` due at `instant` (pending), oldest first, at most `limit`.
    ///
    /// Each row must be its invoice's charge in flight (the same request: invoice, attempt, card,
    /// amount, currency; the row's key `charge:<idempotency key>`, `#<n>` after it for a repeat):
    /// a row that is not (an outbox edited by hand) throws `invalid-dunning-state` naming it, and
    /// nothing is charged.
    public func dueCharges(at instant: Instant, limit: Int) async throws(StoreError) -> [DueCharge] {
        try reloadIfNeeded()
        let due = try readDueCharges(at: instant, limit: limit)
        for charge in due {
            let request = charge.request
            let base = "charge:" + request.idempotencyKey
            let keyFits = charge.outboxKey == base || (charge.outboxKey.hasPrefix(base + "#") && Int(charge.outboxKey.dropFirst(base.count + 1)) != nil)
            let inFlight = dunning.invoice(request.invoice)?.chargeInFlight
            guard keyFits, inFlight == request else {
                throw StoreError(
                    .invalidDunningState,
                    "the outbox's charge row '\(DisplayText.escape(charge.outboxKey))' is not invoice '\(DisplayText.escape(request.invoice))''s charge in flight (the row was edited, or belongs to no invoice in dunning): nothing was charged; restore the row from a backup, or delete it and the invoice's dunning stays where it is (purchase-actions dunning invoices)",
                    path: store.path)
            }
        }
        return due
    }

    /// The pending charge rows, as stored.
    private func readDueCharges(at instant: Instant, limit: Int) throws(StoreError) -> [DueCharge] {
        let path = store.path
        return try store.read("read the charges due") { db in
            let sql = """
                SELECT key, details_json, attempts, next_attempt_at FROM outbox
                WHERE state = 'pending' AND kind = 'charge' AND next_attempt_at <= ? ORDER BY next_attempt_at, sequence LIMIT ?
                """
            return try Row.fetchAll(db, sql: sql, arguments: [instant.millisecondsSinceEpoch, max(0, limit)]).map { row in
                let key: String = try row.get(0)
                guard let request = Self.chargeRequest(try JSONValue.parse((try row.get(1)) as String)) else {
                    throw StoreError(.invalidDunningState, "the charge '\(DisplayText.escape(key))' in the outbox does not read as a charge", path: path)
                }
                return DueCharge(
                    outboxKey: key, request: request, attempt: Int(clamping: (try row.get(2)) as Int64? ?? 0) &+ 1,
                    dueAt: Instant(millisecondsSinceEpoch: (try row.get(3)) as Int64? ?? 0))
            }
        }
    }

    /// The earliest time a dunning process has something due (an attempt, a customer message
    /// waiting for the send window, a stage boundary), `nil` when none: a worker on a virtual clock
    /// advances to it, charges, and goes on, so each retry is charged at its planned time.
    public var nextDunningDue: Instant? {
        try? reloadIfNeeded()
        return dunning.nextDue
    }

    /// Whether dunning no longer wants the invoice charged (paid another way, recovered, cancelled,
    /// final, or not an invoice in dunning): `SafeCharger`'s `isPaid`, read just before the charge.
    public func isInvoiceSettled(_ invoice: String) async -> Bool {
        try? reloadIfNeeded()
        return !(dunning.invoice(invoice)?.isOpen ?? false)
    }

    /// Records what the gateway said of a due charge, in one transaction with its outbox row
    /// (delivered): the policy's process takes the outcome (`DunningProcess.record`), and what it
    /// makes (timeline entries, actions run as workflows, the next charge) commits with it. The
    /// clock moves to `instant` first (wake-ups and dunning due by then run); an `instant` before
    /// the clock is recorded at the clock (a process's time never goes back). A row that is not
    /// pending (recorded already) is left as it is. A result with no outcome (the invoice was paid
    /// before the charge: nothing charged) marks the row delivered and writes a `skipped` entry.
    ///
    /// A result `ChargeAttemptResult.isNotSent` (the request never reached the gateway) is not
    /// recorded: the process is not told, nothing moves, and the row stays pending, due again
    /// ``notSentBackoffSeconds(tries:)`` after `instant`, its `attempts` counting the tries not sent
    /// and `last_error` saying why (what `purchase-actions outbox` shows); past the invoice's age
    /// limit the attempt is settled instead (DurableRuntime+NotSent.swift, `putOff`).
    public func recordCharge(_ result: ChargeAttemptResult, outboxKey: String, at instant: Instant) async throws(StoreError) {
        if case .notSent(let reason) = result.resolution { return try putOff(result, reason: reason, outboxKey: outboxKey, at: instant) }
        // The charge was made: its outcome commits first, and a checkpoint's failure is thrown after.
        try transaction("record the charge '\(DisplayText.escape(outboxKey))'", recording: true) { db in
            guard try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT attempts FROM outbox WHERE key = ? AND state = 'pending' AND kind = 'charge'"), arguments: [outboxKey]) != nil
            else { return }
            var records = try fireDunning(upTo: instant, in: db).records
            if instant > engine.now { records += engine.advance(to: instant) }
            try context.check()
            let at = engine.now
            let request = result.request
            if let outcome = result.outcome, let index = dunning.owner[request.invoice] {
                let entries = dunning.with(index) { $0.record(request, outcome: outcome, at: at) }
                records += try handle(entries, version: index, in: db)
            } else {
                let entry = DunningEntry(
                    at: at, invoice: request.invoice, kind: .skipped, attempt: request.attempt,
                    detail: result.outcome == nil ? result.detail : "\(result.detail) (an invoice no policy manages now: nothing recorded)")
                records += try handle([entry], version: dunning.owner[request.invoice], in: db)
            }
            try dunning.persist(in: db)
            try db.cachedStatement(
                sql: "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL WHERE key = ?"
            ).execute(arguments: [outboxKey])
            try context.check()
            try context.flush()
            try writeLog(records, in: db)
            try writeClock(in: db)
        }
    }

    /// The pause before a charge not sent is tried again, the first time: 60 seconds.
    public static let notSentFirstBackoffSeconds: Int64 = 60
    /// The longest pause before a charge not sent is tried again: one hour.
    public static let notSentMaximumBackoffSeconds: Int64 = 3_600

    /// The pause after the `tries`-th try of a charge that was not sent (from 1): 60 s, doubled
    /// each time (2 min, 4 min, ... 32 min), at most ``notSentMaximumBackoffSeconds``. There is no
    /// limit on the tries: a charge not sent charged nothing, so it waits for the gateway for as
    /// long as the invoice is open (paid meanwhile: not charged, `skipped`) and within its age limit.
    public static func notSentBackoffSeconds(tries: Int) -> Int64 {
        let doublings = min(max(tries - 1, 0), 6)
        return min(notSentMaximumBackoffSeconds, notSentFirstBackoffSeconds << Int64(doublings))
    }

    // MARK: - Inside the runtime's transactions

    /// Whether events of this type go to the dunning processes (a failed, recovered or succeeded
    /// charge, a renewal, a card update, a cancellation): such an event may plan a charge.
    public static func concernsDunning(_ type: EventType) -> Bool { dunningEventTypes.contains(type) }

    /// The event types a dunning process takes.
    static let dunningEventTypes: Set<EventType> = [
        .autochargeFailed, .autochargeRecovered, .paymentSucceeded, .subscriptionRenewed, .paymentMethodUpdated, .subscriptionCancelled,
    ]

    /// Most due times of the processes one call of ``fireDunning(upTo:in:)`` runs (the rest run at the next).
    static let dunningWakesPerCommit = 1_000

    /// Gives an event the engine has just run (not a duplicate) to the dunning processes it
    /// concerns, at its time (the engine's clock when it was late), and returns the records of the
    /// actions that ran.
    func dunningIngest(_ event: Event, in db: Database) throws -> [LogRecord] {
        guard !dunning.isEmpty, Self.dunningEventTypes.contains(event.type) else { return [] }
        var event = event
        if event.occurredAt < engine.now { event.occurredAt = engine.now }
        let invoice = event.autocharge?.invoice ?? event.payment?.invoice
        let targets: [Int]
        switch event.type {
        case .paymentMethodUpdated, .subscriptionCancelled: targets = Array(dunning.versions.indices)
        default:
            guard let invoice, let index = dunning.version(forInvoice: invoice, starting: event.type == .autochargeFailed) else { return [] }
            targets = [index]
        }
        var records = try dropNotSentCharges(before: event, in: db)
        for index in targets {
            let entries = dunning.with(index) { $0.ingest(event) }
            // The schedule's enrollment first: the entries may already end it (a policy with no retry).
            if event.type == .autochargeFailed { records += try startSchedules(entries, event: event, version: index) }
            records += try handle(entries, version: index, in: db)
        }
        try dunning.persist(in: db)
        return records
    }

    /// Runs what the processes have due by `instant`, in time order, the engine's clock moved to
    /// each due time first (its wake-ups before it fire): charges become outbox rows, entries are
    /// written, actions run. At most ``dunningWakesPerCommit`` due times; `finished` is false when
    /// more are due by `instant`.
    func fireDunning(upTo instant: Instant, in db: Database) throws -> (records: [LogRecord], worked: Bool, finished: Bool) {
        var records: [LogRecord] = []
        var rounds = 0
        while let next = dunning.nextDue, next <= instant {
            guard rounds < Self.dunningWakesPerCommit else { return (records, true, false) }
            rounds += 1
            if next > engine.now {
                records += engine.advance(to: next)
                try context.check()
            }
            var happened = false
            for index in dunning.versions.indices {
                guard let due = dunning.versions[index].process.nextDue, due <= next else { continue }
                let requests = dunning.with(index) { $0.due(at: next) }
                let entries = dunning.versions[index].process.drainEntries()
                happened = happened || !requests.isEmpty || !entries.isEmpty || dunning.versions[index].process.nextDue != due
                records += try handle(entries, version: index, in: db)
                for request in requests {
                    records += try signalDue(request, invoice: dunning.versions[index].process.invoice(request.invoice))
                    try queueCharge(request, at: next, in: db)
                }
            }
            try dunning.persist(in: db)
            // A due time that made nothing and is still due would be run again and again: stop (a guard).
            guard happened else { return (records, true, true) }
        }
        return (records, rounds > 0, true)
    }

    /// Writes entries to the timeline and runs the actions they carry as engine workflows.
    func handle(_ entries: [DunningEntry], version index: Int?, in db: Database) throws -> [LogRecord] {
        guard !entries.isEmpty else { return [] }
        var records: [LogRecord] = []
        let insert = try db.cachedStatement(
            sql: "INSERT INTO dunning_entry (at, invoice, policy_id, policy_version, kind, json) VALUES (?, ?, ?, ?, ?, ?)")
        let version = index.map { dunning.versions[$0] }
        for entry in entries {
            try insert.execute(arguments: [
                entry.at.millisecondsSinceEpoch, entry.invoice, version?.policyID, version?.number, entry.kind.rawValue, entry.json.compactText,
            ])
            if entry.kind == .ignored, entry.detail.hasPrefix("refused:") {
                // An event the process refused (an invoice id reused for another contact) is an
                // error of the event source: the log says so, where `log --status error` finds it.
                records.append(
                    LogRecord(at: entry.at, cause: "dunning:\(entry.invoice)", status: .error, message: "dunning of invoice \(entry.invoice): \(entry.detail)"))
            }
            guard let version else { continue }
            let workflowID: String?
            switch entry.kind {
            case .message, .task, .notification, .action: workflowID = entry.action?.engineWorkflowID
            case .final: workflowID = version.process.policy.final.engineWorkflowID
            default: workflowID = nil
            }
            let invoice = version.process.invoice(entry.invoice)
            if let workflowID {
                var ran = try runAction(workflowID, for: entry, contact: invoice?.contact)
                if entry.kind == .final, let kind = Self.cancellation(version.process.policy.final.kind), let invoice {
                    try nameCancellation(in: &ran, invoice: invoice, when: kind, in: db)
                }
                records += ran
            }
            if let invoice { records += try driveSchedule(entry, invoice: invoice, policy: version.process.policy) }
        }
        return records
    }

    /// `now` for `cancel-now`, `period-end` for `cancel-at-period-end`, else `nil`.
    static func cancellation(_ kind: FinalAction.Kind) -> String? {
        switch kind {
        case .cancelNow: "now"
        case .cancelAtPeriodEnd: "period-end"
        case .keepPastDue, .writeOff, .runWorkflow: nil
        }
    }

    /// Writes into the `cancel-subscription` effects a final action made (its outbox rows, and the
    /// records the log gets) what to cancel: `contact`, `subscription` and `invoice` (the ids the
    /// failure event gave; `null` when it gave none), `subscriptionPlan` the invoice's plan, and
    /// `when`, `now` or `period-end`. A workflow run by id knows only the contact; the runtime
    /// knows the invoice.
    private func nameCancellation(in records: inout [LogRecord], invoice: DunningInvoice, when: String, in db: Database) throws {
        for index in records.indices {
            guard var effect = records[index].effect, effect.kind == "cancel-subscription", case .object(var details) = effect.details else { continue }
            details["contact"] = .string(invoice.contact)
            details["subscription"] = invoice.subscription.map(JSONValue.string) ?? .null
            details["invoice"] = .string(invoice.id)
            if details["subscriptionPlan"] == nil || details["subscriptionPlan"] == .null {
                details["subscriptionPlan"] = invoice.plan.map(JSONValue.string) ?? .null
            }
            details["when"] = .string(when)
            effect.details = .object(details)
            records[index].effect = effect
            let what = invoice.subscription.map { "subscription \($0)" } ?? invoice.plan.map { "the subscription of plan \($0)" } ?? "every active subscription"
            records[index].message = "\(records[index].stepID ?? "cancel-subscription"): cancel \(what) of invoice \(invoice.id) \(when == "now" ? "now" : "at the period's end")"
            if let key = effect.idempotencyKey {
                let text = effect.details.compactText
                try db.cachedStatement(sql: "UPDATE outbox SET details_json = ? WHERE key = ? AND kind = 'cancel-subscription'")
                    .execute(arguments: [text, key])
                // The log takes an effect's details from the text the outbox was first written with:
                // give it the named ones.
                context.setDetails(key, text)
            }
        }
    }

    /// Runs one action's workflow for the invoice's contact; a contact or workflow the engine does
    /// not know is an `error` record, and dunning goes on.
    private func runAction(_ workflowID: String, for entry: DunningEntry, contact: String?) throws -> [LogRecord] {
        let cause = "dunning:\(entry.invoice)"
        guard let contact, contact != "-", !contact.hasPrefix("email:") else {
            return [
                LogRecord(
                    at: engine.now, cause: cause, workflowID: workflowID, status: .error,
                    message: "dunning of invoice \(entry.invoice): \(entry.detail): not run: the failure event named no contact id (contact.id), so the engine cannot tell whom to run it for")
            ]
        }
        switch Result(catching: { () throws(EngineError) in try engine.run(workflowID: workflowID, contactID: contact) }) {
        case .success(let ran):
            try context.check()
            return ran
        case .failure(let error):
            try context.check()
            return [
                LogRecord(
                    at: engine.now, cause: cause, workflowID: workflowID, contactID: contact, status: .error,
                    message: "dunning of invoice \(entry.invoice): \(entry.detail): not run: \(error.message)")
            ]
        }
    }

    /// An outbox row of kind `charge` for a request `due(at:)` handed out: key
    /// `charge:<idempotency key>`, or `#2`, `#3`, ... when the attempt was charged before (its
    /// outcome unknown).
    private func queueCharge(_ request: ChargeRequest, at instant: Instant, in db: Database) throws {
        let base = "charge:" + request.idempotencyKey
        var key = base
        var n = 1
        while try Int64.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM outbox WHERE key = ?"), arguments: [key]) != nil {
            n += 1
            key = "\(base)#\(n)"
            guard n <= 1_000 else { throw StoreError(.invalidDunningState, "the charge \(base) was queued 1,000 times", path: store.path) }
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (key, kind, details_json, state, attempts, next_attempt_at, created_at) VALUES (?, 'charge', ?, 'pending', 0, ?, ?)
                """
        ).execute(arguments: [key, Self.chargeJSON(request).compactText, instant.millisecondsSinceEpoch, instant.millisecondsSinceEpoch])
    }

    /// `{"idempotencyKey", "invoice", "attempt", "contact", "card", "amount", "currency"}`: a charge
    /// row's details (what `purchase-actions outbox` shows).
    static func chargeJSON(_ request: ChargeRequest) -> JSONValue {
        .members([
            "idempotencyKey": request.idempotencyKey.json, "invoice": request.invoice.json, "attempt": request.attempt.json,
            "contact": request.contact.json, "card": request.card.json, "amount": request.amount.json, "currency": request.currency.json,
        ])
    }

    /// Reads ``chargeJSON(_:)`` back; `nil` when it is not one (or its key is not the attempt's).
    static func chargeRequest(_ json: JSONValue) -> ChargeRequest? {
        guard case .object(let members) = json, case .string(let invoice)? = members["invoice"], case .integer(let attempt)? = members["attempt"],
            case .string(let contact)? = members["contact"], case .integer(let amount)? = members["amount"],
            case .string(let currency)? = members["currency"], case .string(let key)? = members["idempotencyKey"]
        else { return nil }
        var card: String?
        if case .string(let text)? = members["card"] { card = text }
        let request = ChargeRequest(invoice: invoice, attempt: attempt, contact: contact, card: card, amount: amount, currency: currency)
        return request.idempotencyKey == key ? request : nil
    }
}

/// One invoice in dunning as stored (``SQLiteStore/dunningInvoices(openOnly:limit:)``).
public struct StoredDunningInvoice: Hashable, Sendable {
    /// The invoice's state.
    public var invoice: DunningInvoice
    /// The dunning policy's id.
    public var policyID: String
    /// The policy version it started under (``StoredDunningPolicy/number``): it keeps it to the end.
    public var policyVersion: Int

    /// Creates a stored invoice.
    public init(invoice: DunningInvoice, policyID: String, policyVersion: Int) {
        self.invoice = invoice
        self.policyID = policyID
        self.policyVersion = policyVersion
    }
}

/// One line of a dunning timeline as stored (``SQLiteStore/dunningTimeline(invoice:limit:)``).
public struct StoredDunningEntry: Hashable, Sendable {
    /// Its place in the store, ascending.
    public var sequence: Int64
    /// When it happened.
    public var at: Instant
    /// The invoice.
    public var invoice: String
    /// The entry's kind (`DunningEntry.Kind`'s raw value).
    public var kind: String
    /// The dunning policy's id, `nil` for an entry about an invoice no policy manages (`ignored`).
    public var policyID: String?
    /// The policy version (``StoredDunningPolicy/number``) of the invoice's process, `nil` likewise.
    public var policyVersion: Int?
    /// The entry (`DunningEntry.json`).
    public var entry: JSONValue

    /// Creates a stored entry.
    public init(sequence: Int64, at: Instant, invoice: String, kind: String, policyID: String?, policyVersion: Int?, entry: JSONValue) {
        self.sequence = sequence
        self.at = at
        self.invoice = invoice
        self.kind = kind
        self.policyID = policyID
        self.policyVersion = policyVersion
        self.entry = entry
    }
}

extension SQLiteStore {
    /// The invoices in dunning, in the order they started: open ones only with `openOnly`, at most `limit`.
    public func dunningInvoices(openOnly: Bool, limit: Int) throws(StoreError) -> [StoredDunningInvoice] {
        let path = self.path
        return try read("read the invoices in dunning") { db in
            let sql = "SELECT id, policy_id, policy_version, json FROM dunning_invoice \(openOnly ? "WHERE status = 'open'" : "") ORDER BY sequence LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [max(0, limit)]).map { row in
                let id: String = try row.get(0)
                do {
                    let invoice = try DunningInvoice(storageJSON: try JSONValue.parse((try row.get(3)) as String))
                    return StoredDunningInvoice(invoice: invoice, policyID: (try row.get(1)), policyVersion: (try row.get(2)))
                } catch {
                    throw StoreError(
                        .invalidDunningState,
                        "the stored dunning invoice '\(DisplayText.escape(id))' (table dunning_invoice) does not read: \(DunningState.describe(error)); restore it from a backup",
                        path: path)
                }
            }
        }
    }

    /// How many invoices each dunning policy (by id, all its versions) holds, by status
    /// (`open`, `recovered`, `paid-elsewhere`, `final`, `cancelled`).
    public func dunningInvoiceCounts() throws(StoreError) -> [String: [String: Int]] {
        try read("count the invoices in dunning") { db in
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT policy_id, status, count(*) FROM dunning_invoice GROUP BY policy_id, status") {
                counts[(try row.get(0)) as String, default: [:]][(try row.get(1)) as String] = (try row.get(2))
            }
            return counts
        }
    }

    /// Timeline entries (of one invoice, or all), oldest first, at most `limit` (the newest ones when more).
    public func dunningTimeline(invoice: String?, limit: Int) throws(StoreError) -> [StoredDunningEntry] {
        let path = self.path
        return try read("read the dunning timeline") { db in
            let filter = invoice == nil ? "" : "WHERE invoice = ?"
            let sql = "SELECT * FROM (SELECT sequence, at, invoice, kind, policy_id, policy_version, json FROM dunning_entry \(filter) ORDER BY sequence DESC LIMIT ?) ORDER BY sequence"
            let arguments: StatementArguments = invoice.map { [$0, max(0, limit)] } ?? [max(0, limit)]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let sequence: Int64 = try row.get(0)
                let entry: JSONValue
                do {
                    entry = try JSONValue.parse((try row.get(6)) as String)
                } catch {
                    throw StoreError(
                        .invalidDunningState,
                        "the dunning timeline entry \(sequence) (table dunning_entry) does not read: \(DunningState.describe(error)); delete the row or restore it from a backup",
                        path: path)
                }
                return StoredDunningEntry(
                    sequence: sequence, at: Instant(millisecondsSinceEpoch: (try row.get(1))), invoice: (try row.get(2)), kind: (try row.get(3)),
                    policyID: (try row.get(4)), policyVersion: (try row.get(5)), entry: entry)
            }
        }
    }
}
