internal import GRDB
public import PurchaseActionsCore
public import PurchaseActionsEngine

extension DurableRuntime {
    /// Outbox rows due for delivery at `instant` (pending, next attempt at or before it), oldest
    /// first, at most `limit`; each message's `OutboxMessage.attempt` is the attempt it would be.
    /// Charges (kind `charge`) are not among them: they go to the payment gateway
    /// (``dueCharges(at:limit:)``). A checkpoint's failure kept since the last write is thrown
    /// first, so nothing is sent whose outcome could not be recorded.
    public func dueDeliveries(at instant: Instant, limit: Int) async throws(StoreError) -> [OutboxMessage] {
        // A checkpoint's failure stops the worker before it sends anything more (its outcomes
        // could not be recorded for long, and would be sent again).
        try store.throwKeptFailure()
        return try store.read("read the outbox") { db in
            let sql = "SELECT key, kind, details_json, attempts, created_at FROM outbox WHERE state = 'pending' AND kind <> 'charge' AND next_attempt_at <= ? ORDER BY next_attempt_at, sequence LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [instant.millisecondsSinceEpoch, max(0, limit)]).map { row in
                OutboxMessage(
                    key: (try row.get(0)), kind: (try row.get(1)), details: try JSONValue.parse((try row.get(2)) as String), attempt: try Self.nextAttempt((try row.get(3)) as Int64? ?? 0, key: (try row.get(0))),
                    createdAt: Instant(millisecondsSinceEpoch: (try row.get(4))))
            }
        }
    }

    /// Records an attempt's outcome for the row with this key: delivered, or failed — tried again
    /// after 30 s × 2^(attempt − 1), at most 1 hour, and dead after ``deliveryAttempts`` attempts or
    /// a permanent failure (`purchase-actions outbox --retry KEY` makes it pending again). A key
    /// that is not pending (delivered already, or unknown) is left as it is.
    public func record(_ outcome: DeliveryOutcome, key: String, at instant: Instant) async throws(StoreError) {
        try await record([(key: key, outcome: outcome)], at: instant)
    }

    /// Records the outcomes of several attempts in one transaction (one commit, one fsync, however
    /// many), each as ``record(_:key:at:)`` does; all are kept or, when the commit fails, none (their
    /// rows stay pending and are delivered again with the same keys). Record only outcomes the
    /// deliverer returned: a row is marked delivered only after its deliverer said so. A
    /// checkpoint's failure kept since the last write is thrown after the outcomes commit (they
    /// are kept); ``dueDeliveries(at:limit:)`` throws it before anything is sent.
    ///
    /// ```swift
    /// var outcomes: [(key: String, outcome: DeliveryOutcome)] = []
    /// for message in try await runtime.dueDeliveries(at: now, limit: 100) {
    ///     outcomes.append((message.key, await deliverer.deliver(message)))
    /// }
    /// try await runtime.record(outcomes, at: now)
    /// ```
    public func record(_ outcomes: [(key: String, outcome: DeliveryOutcome)], at instant: Instant) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let doing = outcomes.count == 1 ? "record the delivery of '\(DisplayText.escape(outcomes[0].key))'" : "record \(outcomes.count) deliveries"
        // The deliveries were made: their outcomes commit first, and a checkpoint's failure is
        // thrown after, so they are not sent again at the next run.
        try store.write(doing, recording: true) { db in
            for (key, outcome) in outcomes { try Self.record(outcome, key: key, at: instant, in: db) }
        }
    }

    /// ``record(_:key:at:)`` inside the open transaction.
    static func record(_ outcome: DeliveryOutcome, key: String, at instant: Instant, in db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT attempts, retry_base FROM outbox WHERE key = ? AND state = 'pending'"), arguments: [key]),
            let attempts = (try row.get(0)) as Int64?, let base = (try row.get(1)) as Int64?
        else { return }
        let attempt = try Self.nextAttempt(attempts, key: key)
        let sinceRetry = attempt &- Int(clamping: base)
        switch outcome {
        case .delivered:
            try db.cachedStatement(sql: "UPDATE outbox SET state = 'delivered', attempts = ?, next_attempt_at = NULL, last_error = NULL WHERE key = ?")
                .execute(arguments: [attempt, key])
        case .failed(let reason, let permanent):
            if permanent || sinceRetry >= Self.deliveryAttempts {
                try db.cachedStatement(sql: "UPDATE outbox SET state = 'dead', attempts = ?, next_attempt_at = NULL, last_error = ? WHERE key = ?")
                    .execute(arguments: [attempt, reason, key])
            } else {
                let delay = Self.backoff(afterAttempt: sinceRetry)
                try db.cachedStatement(sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE key = ?")
                    .execute(arguments: [attempt, instant.millisecondsSinceEpoch &+ delay, reason, key])
            }
        }
    }

    /// The number of the attempt after `attempts` made: a stored count the worker never writes
    /// (negative, or the largest there is) is refused as `not-a-database` naming the row, never
    /// wrapped into a number a receiver would see.
    static func nextAttempt(_ attempts: Int64, key: String) throws(StoreError) -> Int {
        guard attempts >= 0, attempts < Int64(Int32.max) else {
            throw StoreError(
                .notADatabase,
                "the outbox row '\(DisplayText.escape(key))' says \(attempts) attempts were made, a count the worker never writes: the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
        }
        return Int(attempts) + 1
    }

    /// Milliseconds before the attempt after `attempt` (from 1): 30 s × 2^(attempt − 1), at most 1 hour.
    static func backoff(afterAttempt attempt: Int) -> Int64 {
        let shift = min(max(attempt - 1, 0), 7)
        return min(30_000 << Int64(shift), 3_600_000)
    }
}
