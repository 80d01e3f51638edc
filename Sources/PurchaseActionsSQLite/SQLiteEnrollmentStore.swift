internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// The engine's ``EnrollmentStore`` over the open transaction: enrollments (`Enrollment.json`)
/// with their state and wake-up in indexed columns, held orders, processed event ids, and the
/// enrollment counter in `meta`. Nothing is cached: every answer is the transaction's.
final class SQLiteEnrollmentStore: EnrollmentStore {
    private let context: TransactionContext

    init(_ context: TransactionContext) { self.context = context }

    func markProcessed(eventID: String) -> Bool {
        context.run(false) { db in
            try db.cachedStatement(sql: "INSERT INTO processed_event (id) VALUES (?) ON CONFLICT (id) DO NOTHING").execute(arguments: [eventID])
            return db.changesCount == 1
        }
    }

    func hasProcessed(eventID: String) -> Bool {
        context.run(false) { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM processed_event WHERE id = ?"), arguments: [eventID]) != nil
        }
    }

    func enrollment(id: String) -> Enrollment? {
        context.run(nil) { db in
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT json FROM enrollment WHERE id = ?"), arguments: [id]) else { return nil }
            return try Enrollment(json: JSONValue.parse(text))
        }
    }

    func save(_ enrollment: Enrollment) {
        context.run(()) { db in
            try Self.write(enrollment, at: context.clock(), in: db)
        }
    }

    /// Inserts or replaces an enrollment's row (and its held order).
    static func write(_ enrollment: Enrollment, at instant: Instant, in db: Database) throws {
        guard let sequence = sequence(enrollment.id) else {
            throw StoreError(.invalidEnrollment, "enrollment id '\(DisplayText.escape(enrollment.id))' is not one the store made (e-<n>)")
        }
        if enrollment.holdsOrder, let order = enrollment.orderID {
            try db.cachedStatement(sql: "INSERT INTO enrollment_order (workflow_id, order_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .execute(arguments: [enrollment.workflowID, order])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO enrollment (sequence, id, workflow_id, version, contact_id, state, wake_at, updated_at, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sequence) DO UPDATE SET workflow_id = excluded.workflow_id, version = excluded.version,
                    contact_id = excluded.contact_id, state = excluded.state, wake_at = excluded.wake_at,
                    updated_at = excluded.updated_at, json = excluded.json
                """
        ).execute(arguments: [
            sequence, enrollment.id, enrollment.workflowID, enrollment.version, enrollment.contactID, stateName(enrollment.state),
            enrollment.wakeAt?.millisecondsSinceEpoch, instant.millisecondsSinceEpoch, enrollment.json.compactText,
        ])
    }

    func runningEnrollments(contactID: String) -> [Enrollment] {
        context.run([]) { db in
            let sql = "SELECT json FROM enrollment WHERE contact_id = ? AND state IN ('active', 'waiting') ORDER BY sequence"
            return try String.fetchAll(db.cachedStatement(sql: sql), arguments: [contactID]).map { text in try Enrollment(json: JSONValue.parse(text)) }
        }
    }

    func isEnrolled(contactID: String, workflowID: String) -> Bool { runningCount(contactID: contactID, workflowID: workflowID) > 0 }

    func runningCount(contactID: String) -> Int {
        context.run(0) { db in
            let sql = "SELECT count(*) FROM enrollment WHERE contact_id = ? AND state IN ('active', 'waiting')"
            return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [contactID]) ?? 0
        }
    }

    func runningCount(contactID: String, workflowID: String) -> Int {
        context.run(0) { db in
            let sql = "SELECT count(*) FROM enrollment WHERE contact_id = ? AND state IN ('active', 'waiting') AND workflow_id = ?"
            return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [contactID, workflowID]) ?? 0
        }
    }

    func hasEnrolled(workflowID: String, orderID: String) -> Bool {
        context.run(false) { db in
            let sql = "SELECT 1 FROM enrollment_order WHERE workflow_id = ? AND order_id = ?"
            return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: [workflowID, orderID]) != nil
        }
    }

    func nextWakeUp(atOrBefore instant: Instant) -> (Instant, String)? {
        context.run(nil) { db in try Self.nextWakeUp(atOrBefore: instant, in: db) }
    }

    /// The earliest wake-up at or before `instant` (the partial index `enrollment_wake`).
    static func nextWakeUp(atOrBefore instant: Instant, in db: Database) throws -> (Instant, String)? {
        let sql = "SELECT wake_at, id FROM enrollment WHERE wake_at IS NOT NULL AND wake_at <= ? ORDER BY wake_at, sequence LIMIT 1"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [instant.millisecondsSinceEpoch]) else { return nil }
        return (Instant(millisecondsSinceEpoch: row[0]), row[1])
    }

    func newEnrollmentID() -> String {
        context.run("e-0") { db in
            let number = try db.meta("next_enrollment")
            try db.setMeta("next_enrollment", number + 1)
            return "e-\(number)"
        }
    }

    var waitingCount: Int {
        context.run(0) { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM enrollment WHERE state = 'waiting'")) ?? 0 }
    }

    /// The number in an id the store made (`e-<n>`).
    static func sequence(_ id: String) -> Int64? {
        guard id.hasPrefix("e-"), let number = Int64(id.dropFirst(2)), number > 0 else { return nil }
        return number
    }

    /// The `state` column's value.
    static func stateName(_ state: Enrollment.State) -> String {
        switch state {
        case .active: "active"
        case .waiting: "waiting"
        case .finished: "finished"
        case .exited: "exited"
        }
    }
}
