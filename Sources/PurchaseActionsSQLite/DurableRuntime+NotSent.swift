internal import GRDB
public import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine

/// Charges not sent: the payment gateway was not reached, so nothing was charged
/// (Docs/payment-gateway.md, "Not sent"). The outbox row of such a charge stays pending and is
/// tried again after a back-off; its `attempts` counts the tries not sent, its `last_error` says
/// `not sent: <reason>`. Each try first marks the row (``noteSending(outboxKey:)``), so a try cut
/// short by a crash or a shutdown (its outcome not recorded: it may have charged) leaves a mark
/// that stays; only a row whose every try was recorded not sent is taken for a charge that charged
/// nothing: settled at the invoice's age limit, dropped on a card update.
extension DurableRuntime {
    /// The not-sent branch of ``recordCharge(_:outboxKey:at:)``: the charge `result` (not sent,
    /// `reason`) of the pending row `outboxKey` is put off or, past the invoice's age limit,
    /// settled.
    ///
    /// - Put off: the process is not told, nothing moves; the row stays pending, due again
    ///   ``notSentBackoffSeconds(tries:)`` after `instant`, `attempts` counting the tries and
    ///   `last_error` saying `not sent: <reason>`.
    /// - Settled, when the invoice is open, the row its charge in flight and `instant` (at the
    ///   clock at the earliest) at or past its age limit (`maxInvoiceAgeMonths`): as the process
    ///   settles an attempt due past the limit, the attempt is `skipped` (never sent: not
    ///   charged) and the policy's final action runs (`DunningProcess.settleNotSent`); the row is
    ///   closed in the same transaction (`delivered`, nothing charged, `last_error` saying so).
    ///   Not when a try of the row was cut short (``noteSending(outboxKey:)``: it may have
    ///   charged): that row is put off, and the gateway's answer to its key settles it.
    ///
    /// A row that is not pending (recorded already) is left as it is.
    func putOff(_ result: ChargeAttemptResult, reason: String, outboxKey: String, at instant: Instant) throws(StoreError) {
        try transaction("put off the charge '\(DisplayText.escape(outboxKey))'") { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT attempts, last_error FROM outbox WHERE key = ? AND state = 'pending' AND kind = 'charge'"), arguments: [outboxKey])
            else { return }
            let made = Int(clamping: (try row.get(0)) as Int64) &+ 1
            let text = Self.notSentText(reason, replacing: try row.get(1))
            let request = result.request
            let at = max(instant, engine.now)
            if !text.hasPrefix(Self.maybeChargedPrefix), let index = dunning.owner[request.invoice], let invoice = dunning.invoice(request.invoice), invoice.isOpen,
                invoice.chargeInFlight == request, let limit = invoice.ageLimit, at >= limit
            {
                var records = try fireDunning(upTo: at, in: db).records
                if at > engine.now { records += engine.advance(to: at) }
                try context.check()
                let now = engine.now
                if let entries = dunning.with(index, { $0.settleNotSent(request, at: now, reason: reason) }) {
                    records += try handle(entries, version: index, in: db)
                    try dunning.persist(in: db)
                    try db.cachedStatement(
                        sql: "UPDATE outbox SET state = 'delivered', attempts = ?, next_attempt_at = NULL, last_error = ? WHERE key = ?"
                    ).execute(arguments: [made, text + "; not charged: the invoice passed its age limit (maxInvoiceAgeMonths)", outboxKey])
                    try context.check()
                    try context.flush()
                    try writeLog(records, in: db)
                    try writeClock(in: db)
                    return
                }
                // Nothing to settle after the wake-ups (a guard): what they did commits, the row is put off.
                try dunning.persist(in: db)
                try context.check()
                try context.flush()
                try writeLog(records, in: db)
                try writeClock(in: db)
            }
            let next = instant.adding(seconds: Self.notSentBackoffSeconds(tries: made))
            try db.cachedStatement(sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE key = ?")
                .execute(arguments: [made, next.millisecondsSinceEpoch, text, outboxKey])
        }
    }

    /// `not sent: `: how `last_error` of a charge row starts when every try of it was not sent.
    static let notSentPrefix = "not sent: "
    /// `sending: `: how `last_error` of a charge row starts while a try of it is made.
    static let sendingPrefix = "sending: "
    /// How `last_error` of a charge row starts for good once a try of it was cut short (its
    /// outcome not recorded: it may have charged).
    static let maybeChargedPrefix = "maybe charged (a try was cut short): "

    /// The `last_error` a try not sent leaves: `not sent: <reason>`, after the mark of a try cut
    /// short when the row has one.
    static func notSentText(_ reason: String, replacing current: String?) -> String {
        (current?.hasPrefix(maybeChargedPrefix) == true ? maybeChargedPrefix : "") + notSentPrefix + reason
    }

    /// Marks the pending charge row `outboxKey` as being tried: call it before each try (the
    /// worker does). Its `last_error` becomes `sending: <what it was>` (`sending: first try`)
    /// until the try is recorded; a row still marked so when the next try starts had a try cut
    /// short (a crash, a shutdown during the charge: its outcome was not recorded, it may have
    /// charged), and its `last_error` starts with `maybe charged (a try was cut short): ` for as
    /// long as it is pending. Only a row whose tries were all recorded not sent (`not sent: …`)
    /// is ever taken for one that charged nothing (on a card update, `dropNotSentCharges`). A row not
    /// pending is left as it is.
    ///
    /// Returns whether the row is still pending: `false` when it is not (a card update dropped it,
    /// or it was recorded meanwhile), and the charge must not be made.
    @discardableResult
    public func noteSending(outboxKey: String) async throws(StoreError) -> Bool {
        var pending = false
        try transaction("mark the charge '\(DisplayText.escape(outboxKey))' as being sent") { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT last_error FROM outbox WHERE key = ? AND state = 'pending' AND kind = 'charge'"), arguments: [outboxKey])
            else { return }
            pending = true
            let current: String? = try row.get(0)
            let marked: String
            if let current, current.hasPrefix(Self.maybeChargedPrefix) {
                return
            } else if let current, current.hasPrefix(Self.sendingPrefix) {
                marked = Self.maybeChargedPrefix + current.dropFirst(Self.sendingPrefix.count)
            } else {
                marked = Self.sendingPrefix + (current ?? "first try")
            }
            try db.cachedStatement(sql: "UPDATE outbox SET last_error = ? WHERE key = ?").execute(arguments: [marked, outboxKey])
        }
        return pending
    }

    /// On a `payment_method.updated` event (at its time, `event.occurredAt`), before the processes
    /// take it: each open invoice of the contact whose charge in flight is a pending outbox row
    /// that was never tried, or only ever not sent (every try recorded not sent, none since),
    /// charged nothing, so the row is deleted and the process takes the charge back
    /// (`DunningProcess.withdrawNotSent`: `skipped`, the attempt due again); the card update then
    /// plans it on the new card by the policy's `cardUpdate` rule. A row marked `sending: ` (a try
    /// whose outcome was not recorded: it may have charged) stays: it is charged as it was. A
    /// worker that read the dropped row before this finds it gone when it marks its try
    /// (``noteSending(outboxKey:)`` returns `false`) and does not charge it.
    /// Returns the records of the actions the entries ran.
    func dropNotSentCharges(before event: Event, in db: Database) throws -> [LogRecord] {
        guard event.type == .paymentMethodUpdated else { return [] }
        var records: [LogRecord] = []
        let select = try db.cachedStatement(
            sql: "SELECT attempts, last_error, details_json FROM outbox WHERE key = ? AND state = 'pending' AND kind = 'charge'")
        for index in dunning.versions.indices {
            for request in dunning.versions[index].process.chargesInFlight(forContactOf: event) {
                // The charge in flight of an attempt charged once is its first row (repeats, `#n`, are of unknown outcomes: never taken back).
                let key = "charge:" + request.idempotencyKey
                guard let row = try Row.fetchOne(select, arguments: [key]) else { continue }
                let tries: Int64 = try row.get(0)
                let lastError: String? = try row.get(1)
                // Never tried (no try started: the worker marks each try first), or every try not sent.
                let reason: String
                if tries == 0, lastError == nil {
                    reason = "no try had been made yet"
                } else if tries > 0, let error = lastError, error.hasPrefix(Self.notSentPrefix) {
                    reason = "the payment gateway was not reached: " + error.dropFirst(Self.notSentPrefix.count)
                } else {
                    continue
                }
                guard Self.chargeRequest(try JSONValue.parse((try row.get(2)) as String)) == request else { continue }
                let at = event.occurredAt
                guard let entries = dunning.with(index, { $0.withdrawNotSent(request, at: at, reason: reason) }) else { continue }
                try db.cachedStatement(sql: "DELETE FROM outbox WHERE key = ?").execute(arguments: [key])
                records += try handle(entries, version: index, in: db)
            }
        }
        return records
    }
}

/// The charges the payment gateway has not been reached for (``SQLiteStore/notSentCharges()``):
/// pending outbox rows of kind `charge` whose tries so far were not sent.
public struct NotSentCharges: Hashable, Sendable {
    /// How many.
    public var count: Int
    /// When the oldest of them came due (its row was written), `nil` when none.
    public var since: Instant?
    /// Why the one tried last was not sent (`cannot connect to …`), `nil` when none.
    public var lastReason: String?

    /// Creates a summary.
    public init(count: Int, since: Instant?, lastReason: String?) {
        self.count = count
        self.since = since
        self.lastReason = lastReason
    }
}

extension SQLiteStore {
    /// The charges still not sent: pending outbox rows of kind `charge` tried at least once (each
    /// such try was not sent: a try with an answer closes the row): how many, since
    /// when the oldest came due, and the reason of the one tried last (its try is its next due time
    /// less the back-off it was given, ``DurableRuntime/notSentBackoffSeconds(tries:)``).
    /// `purchase-actions run --drain` prints it and exits 75 when there are some.
    public func notSentCharges() throws(StoreError) -> NotSentCharges {
        try read("read the charges not sent") { db in
            // `attempts` of a pending charge row counts its tries not sent (a try with an answer closes the row).
            let filter = "state = 'pending' AND kind = 'charge' AND attempts > 0"
            guard let row = try Row.fetchOne(db, sql: "SELECT count(*), min(created_at) FROM outbox WHERE \(filter)"), (try row.get(0)) as Int > 0 else {
                return NotSentCharges(count: 0, since: nil, lastReason: nil)
            }
            let first = DurableRuntime.notSentFirstBackoffSeconds * 1000
            let most = DurableRuntime.notSentMaximumBackoffSeconds * 1000
            let last = try String.fetchOne(
                db,
                sql: """
                    SELECT last_error FROM outbox WHERE \(filter)
                    ORDER BY next_attempt_at - min(?, ? << min(max(attempts - 1, 0), 6)) DESC, sequence DESC LIMIT 1
                    """,
                arguments: [most, first])
            var reason = last ?? ""
            if let range = reason.firstRange(of: DurableRuntime.notSentPrefix) { reason = String(reason[range.upperBound...]) }
            return NotSentCharges(
                count: try row.get(0), since: ((try row.get(1)) as Int64?).map { Instant(millisecondsSinceEpoch: $0) }, lastReason: reason)
        }
    }
}
