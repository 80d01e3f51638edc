internal import GRDB
public import PurchaseActionsCore
public import PurchaseActionsEngine

extension DurableRuntime {
    /// Outbox rows due for delivery at `instant` (pending, next attempt at or before it), oldest
    /// first, at most `limit`; each message's `OutboxMessage.attempt` is the attempt it would be.
    /// Charges (kind `charge`) are not among them: they go to the payment gateway
    /// (``dueCharges(at:limit:)``).
    public func dueDeliveries(at instant: Instant, limit: Int) async throws(StoreError) -> [OutboxMessage] {
        try store.read("read the outbox") { db in
            let sql = "SELECT key, kind, details_json, attempts, created_at FROM outbox WHERE state = 'pending' AND kind <> 'charge' AND next_attempt_at <= ? ORDER BY next_attempt_at, sequence LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [instant.millisecondsSinceEpoch, max(0, limit)]).map { row in
                OutboxMessage(
                    key: (try row.get(0)), kind: (try row.get(1)), details: try JSONValue.parse((try row.get(2)) as String), attempt: Int(clamping: (try row.get(3)) as Int64? ?? 0) &+ 1,
                    createdAt: Instant(millisecondsSinceEpoch: (try row.get(4))))
            }
        }
    }

    /// Records an attempt's outcome for the row with this key: delivered, or failed — tried again
    /// after 30 s × 2^(attempt − 1), at most 1 hour, and dead after ``deliveryAttempts`` attempts or
    /// a permanent failure (`purchase-actions outbox --retry KEY` makes it pending again). A key
    /// that is not pending (delivered already, or unknown) is left as it is.
    public func record(_ outcome: DeliveryOutcome, key: String, at instant: Instant) async throws(StoreError) {
        try store.write("record the delivery of '\(DisplayText.escape(key))'") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT attempts, retry_base FROM outbox WHERE key = ? AND state = 'pending'", arguments: [key]),
                let attempts = (try row.get(0)) as Int64?, let base = (try row.get(1)) as Int64?
            else { return }
            let attempt = Int(clamping: attempts) &+ 1
            let sinceRetry = attempt &- Int(clamping: base)
            switch outcome {
            case .delivered:
                try db.execute(
                    sql: "UPDATE outbox SET state = 'delivered', attempts = ?, next_attempt_at = NULL, last_error = NULL WHERE key = ?", arguments: [attempt, key])
            case .failed(let reason, let permanent):
                if permanent || sinceRetry >= Self.deliveryAttempts {
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'dead', attempts = ?, next_attempt_at = NULL, last_error = ? WHERE key = ?",
                        arguments: [attempt, reason, key])
                } else {
                    let delay = Self.backoff(afterAttempt: sinceRetry)
                    try db.execute(
                        sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE key = ?",
                        arguments: [attempt, instant.millisecondsSinceEpoch &+ delay, reason, key])
                }
            }
        }
    }

    /// Milliseconds before the attempt after `attempt` (from 1): 30 s × 2^(attempt − 1), at most 1 hour.
    static func backoff(afterAttempt attempt: Int) -> Int64 {
        let shift = min(max(attempt - 1, 0), 7)
        return min(30_000 << Int64(shift), 3_600_000)
    }
}
