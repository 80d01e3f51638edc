internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// The engine's ``EnrollmentStore`` over the open transaction: enrollments (`Enrollment.json`)
/// with their state and wake-up in indexed columns, held orders, processed event ids, and the
/// enrollment counter in `meta`. Enrollments and the counter are kept in the transaction and
/// written behind (``TransactionContext``): queries over many rows flush them first.
///
/// A row whose `json` does not read back is set aside where it is met (``quarantine(id:problem:decoded:at:quarantine:in:)``):
/// that enrollment alone ends as `error`, the engine never sees it, and the transaction goes on.
final class SQLiteEnrollmentStore: EnrollmentStore {
    private let context: TransactionContext
    /// The enrollments set aside in the open transaction.
    let quarantine: Quarantine

    init(_ context: TransactionContext, quarantine: Quarantine = Quarantine()) {
        self.context = context
        self.quarantine = quarantine
    }

    /// The enrollment a row read gives (``reading(at:)``): `nil` when the row does not read back or
    /// its indexed columns disagree with its JSON — then it is set aside here, unless it was set
    /// aside before (it stays so, with no new record).
    private func settle(_ reading: RowReading, id: String, in db: Database) throws -> Enrollment? {
        if let enrollment = reading.enrollment { return enrollment }
        guard !reading.wasSetAside, let problem = reading.problem else { return nil }
        try Self.quarantine(id: id, problem: problem, decoded: reading.decoded, at: context.clock(), quarantine: quarantine, in: db)
        return nil
    }

    func markProcessed(eventID: String) -> Bool {
        context.run(false) { db in
            var insert = RowBinding(try context.statement(.processedInsert, sql: "INSERT INTO processed_event (id) VALUES (?) ON CONFLICT (id) DO NOTHING", in: db))
            insert.bind(eventID, 1)
            try insert.execute()
            return db.changesCount == 1
        }
    }

    func hasProcessed(eventID: String) -> Bool {
        context.run(false) { db in
            var select = RowBinding(try db.cachedStatement(sql: "SELECT 1 FROM processed_event WHERE id = ?"))
            select.bind(eventID, 1)
            defer { select.finish() }
            return try select.step()
        }
    }

    func enrollment(id: String) -> Enrollment? {
        if let kept = context.enrollments[id] { return kept }
        return context.run(nil) { db in
            var select = RowBinding(try db.cachedStatement(sql: "SELECT \(Self.readColumns) FROM enrollment WHERE id = ?"))
            select.bind(id, 1)
            let reading: RowReading
            do {
                defer { select.finish() }
                guard try select.step() else { return nil }
                reading = Self.reading(at: select)
            }
            guard let enrollment = try settle(reading, id: id, in: db) else { return nil }
            context.enrollments[id] = enrollment
            return enrollment
        }
    }

    /// Kept in the transaction, written at the next flush (``TransactionContext``).
    func save(_ enrollment: Enrollment) {
        context.run(()) { _ in context.saveEnrollment(enrollment) }
    }

    /// Inserts or replaces an enrollment's row (and its held order); `text` is its
    /// `compactJSONText` when the caller made it already.
    static func write(_ enrollment: Enrollment, text: String? = nil, at instant: Instant, in db: Database) throws {
        try write(enrollment, at: instant, in: db) { row in row.bind(text ?? enrollment.compactJSONText, 9) }
    }

    /// ``write(_:text:at:in:)`` with the text as the UTF-8 bytes of its `compactJSONText` (bound as
    /// they are: no string made of them).
    /// `context`, when the transaction's, keeps the statement for the next row.
    static func write(_ enrollment: Enrollment, utf8 text: [UInt8], at instant: Instant, in db: Database, context: TransactionContext? = nil) throws {
        try write(enrollment, at: instant, in: db, context: context) { row in row.bind(utf8: text, 9) }
    }

    /// Writes the row, `bindText` binding its `json` (parameter 9).
    private static func write(
        _ enrollment: Enrollment, at instant: Instant, in db: Database, context: TransactionContext? = nil, bindText: (inout RowBinding) -> Void
    ) throws {
        guard let sequence = sequence(enrollment.id) else {
            throw StoreError(.invalidEnrollment, "enrollment id '\(DisplayText.escape(enrollment.id))' is not one the store made (e-<n>)")
        }
        if enrollment.holdsOrder, let order = enrollment.orderID {
            var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO enrollment_order (workflow_id, order_id) VALUES (?, ?) ON CONFLICT DO NOTHING"))
            insert.bind(enrollment.workflowID, 1)
            insert.bind(order, 2)
            try insert.execute()
        }
        let sql = """
            INSERT INTO enrollment (sequence, id, workflow_id, version, contact_id, state, wake_at, updated_at, json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (sequence) DO UPDATE SET workflow_id = excluded.workflow_id, version = excluded.version,
                contact_id = excluded.contact_id, state = excluded.state, wake_at = excluded.wake_at,
                updated_at = excluded.updated_at, json = excluded.json
            """
        var row = RowBinding(try context?.statement(.enrollmentWrite, sql: sql, in: db) ?? db.cachedStatement(sql: sql))
        row.bind(sequence, 1)
        row.bind(enrollment.id, 2)
        row.bind(enrollment.workflowID, 3)
        row.bind(enrollment.version, 4)
        row.bind(enrollment.contactID, 5)
        row.bind(stateName(enrollment.state), 6)
        row.bind(enrollment.wakeAt?.millisecondsSinceEpoch, 7)
        row.bind(instant.millisecondsSinceEpoch, 8)
        bindText(&row)
        try row.execute()
    }

    func runningEnrollments(contactID: String) -> [Enrollment] {
        context.run([]) { db in
            // The rows read first (the statement done), then set aside those that need it: setting
            // one aside changes the rows the statement walks.
            var found: [(sequence: Int64, id: String, reading: RowReading?)] = []
            var select = RowBinding(
                try db.cachedStatement(sql: "SELECT \(Self.readColumns) FROM enrollment WHERE contact_id = ? AND state IN ('active', 'waiting') ORDER BY sequence"))
            select.bind(contactID, 1)
            do {
                defer { select.finish() }
                while try select.step() {
                    let id = select.text(Self.Column.id) ?? ""
                    guard !context.isDirty(enrollmentID: id) else { continue }
                    found.append((select.integer(Self.Column.sequence) ?? 0, id, context.enrollments[id] == nil ? Self.reading(at: select) : nil))
                }
            }
            var rows: [(Int64, Enrollment)] = []
            for (sequence, id, reading) in found {
                if let reading {
                    guard let enrollment = try settle(reading, id: id, in: db) else { continue }
                    context.enrollments[id] = enrollment
                    rows.append((sequence, enrollment))
                } else if let kept = context.enrollments[id] {
                    rows.append((sequence, kept))
                }
            }
            var merged = false
            for id in context.dirtyByContact[contactID] ?? [] {
                guard let enrollment = context.enrollments[id], Self.isRunning(enrollment.state), let sequence = Self.sequence(id) else { continue }
                rows.append((sequence, enrollment))
                merged = true
            }
            if merged { rows.sort { $0.0 < $1.0 } }
            return rows.map(\.1)
        }
    }

    func isEnrolled(contactID: String, workflowID: String) -> Bool { runningCount(contactID: contactID, workflowID: workflowID) > 0 }

    func runningCount(contactID: String) -> Int { runningCount(contactID: contactID, workflowID: nil) }

    func runningCount(contactID: String, workflowID: String) -> Int { runningCount(contactID: contactID, workflowID: Optional(workflowID)) }

    /// Running enrollments of the contact (in the workflow if one is given): the table's rows not
    /// kept dirty, and the dirty ones as kept.
    private func runningCount(contactID: String, workflowID: String?) -> Int {
        context.run(0) { db in
            var count = 0
            var select: RowBinding
            if let workflowID {
                select = RowBinding(
                    try context.statement(
                        .runningInWorkflow, sql: "SELECT id FROM enrollment WHERE contact_id = ? AND state IN ('active', 'waiting') AND workflow_id = ?", in: db))
                select.bind(workflowID, 2)
            } else {
                select = RowBinding(
                    try context.statement(.runningInAll, sql: "SELECT id FROM enrollment WHERE contact_id = ? AND state IN ('active', 'waiting')", in: db))
            }
            select.bind(contactID, 1)
            do {
                defer { select.finish() }
                while try select.step() {
                    if !context.isDirty(enrollmentID: select.text(0) ?? "") { count += 1 }
                }
            }
            for id in context.dirtyByContact[contactID] ?? [] {
                guard let enrollment = context.enrollments[id], Self.isRunning(enrollment.state) else { continue }
                if workflowID == nil || enrollment.workflowID == workflowID { count += 1 }
            }
            return count
        }
    }

    func hasEnrolled(workflowID: String, orderID: String) -> Bool {
        if context.dirtyOrders.contains(TransactionContext.orderKey(workflowID, orderID)) { return true }
        return context.run(false) { db in
            var select = RowBinding(try db.cachedStatement(sql: "SELECT 1 FROM enrollment_order WHERE workflow_id = ? AND order_id = ?"))
            select.bind(workflowID, 1)
            select.bind(orderID, 2)
            defer { select.finish() }
            return try select.step()
        }
    }

    func nextWakeUp(atOrBefore instant: Instant) -> (Instant, String)? {
        context.run(nil) { db in
            // The table's earliest whose row is not stale, then the kept ones'.
            var best = try context.storedNextWakeUp(atOrBefore: instant, in: db)
            for (id, wakeAt) in context.dirtyWakes where wakeAt <= instant {
                guard let sequence = Self.sequence(id) else { continue }
                if let current = best, (current.0, current.2) <= (wakeAt, sequence) { continue }
                best = (wakeAt, id, sequence)
            }
            return best.map { ($0.0, $0.1) }
        }
    }

    /// The earliest wake-up at or before `instant` (the partial index `enrollment_wake`).
    static func nextWakeUp(atOrBefore instant: Instant, in db: Database) throws -> (Instant, String)? {
        let sql = "SELECT wake_at, id FROM enrollment WHERE wake_at IS NOT NULL AND wake_at <= ? ORDER BY wake_at, sequence LIMIT 1"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [instant.millisecondsSinceEpoch]) else { return nil }
        return (Instant(millisecondsSinceEpoch: (try row.get(0))), (try row.get(1)))
    }

    func newEnrollmentID() -> String {
        context.run("e-0") { db in
            let number = try context.nextEnrollment ?? db.meta("next_enrollment")
            context.nextEnrollment = try number.nextCounter("next_enrollment")
            context.nextEnrollmentIsDirty = true
            return "e-\(number)"
        }
    }

    var waitingCount: Int {
        context.run(0) { db in
            try context.flushEnrollments(db)
            return try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM enrollment WHERE state = 'waiting'")) ?? 0
        }
    }

    /// An enrollment read back from its row's `json`; one that does not read back (the file was
    /// edited by hand or damaged) is `invalid-enrollment` naming the enrollment and the JSON path.
    static func decode(_ text: String, id: String) throws(StoreError) -> Enrollment {
        do {
            return try Enrollment(json: JSONValue.parse(text))
        } catch {
            throw StoreError(
                .invalidEnrollment,
                "the stored enrollment '\(DisplayText.escape(id))' (its row in the table enrollment) does not read back: \(error.path): \(error.message); the database was changed by hand or damaged: restore it from a backup (Docs/operations.md, \"Backups\")")
        }
    }

    /// The number in an id the store made (`e-<n>`).
    static func sequence(_ id: String) -> Int64? {
        guard id.hasPrefix("e-"), let number = Int64(id.dropFirst(2)), number > 0 else { return nil }
        return number
    }

    /// Whether the state counts as running (the `state` column `active` or `waiting`).
    static func isRunning(_ state: Enrollment.State) -> Bool {
        switch state {
        case .active, .waiting: true
        case .finished, .exited: false
        }
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
