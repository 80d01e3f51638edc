internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// Stored enrollments set aside in the open transaction because their row does not read back
/// (Docs/operations.md, "Unreadable enrollments"): the log records saying so, written with the
/// transaction's other records (``DurableRuntime/writeLog(_:in:)``) and forgotten with a
/// rollback, as the row's own change is.
final class Quarantine {
    /// The records not written yet.
    private(set) var records: [LogRecord] = []

    /// Adds a record.
    func append(_ record: LogRecord) { records.append(record) }

    /// The records not written yet; then none.
    func take() -> [LogRecord] {
        defer { records.removeAll() }
        return records
    }

    /// Forgets the records (after a rollback).
    func discard() { records.removeAll() }
}

extension SQLiteEnrollmentStore {
    /// The `cause` of the `error` record of an enrollment set aside (``quarantine(id:problem:in:)``).
    static let quarantineCause = "store"

    /// Sets aside the stored enrollment `id`, whose row does not read back: its row becomes
    /// `exited` with no wake-up and `error` saying why and what to do (so `enrollments --state
    /// error` lists it and nothing runs it again), its `json` is left as it was (the evidence), and
    /// an `error` record is kept for the log. Everything else of the transaction goes on.
    static func quarantine(id: String, problem: String, at instant: Instant, quarantine: Quarantine, in db: Database) throws {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT workflow_id, version, contact_id FROM enrollment WHERE id = ?"), arguments: [id])
        // Its columns as far as they read (the row itself may be damaged too).
        let workflowID: String? = row.flatMap { row in try? row.get(0) as String }
        let version: Int? = row.flatMap { row in try? row.get(1) as Int }
        let contactID: String? = row.flatMap { row in try? row.get(2) as String }
        let message = quarantineMessage(id: id, problem: problem)
        try db.cachedStatement(sql: "UPDATE enrollment SET state = 'exited', wake_at = NULL, error = ?, updated_at = ? WHERE id = ?")
            .execute(arguments: [message, instant.millisecondsSinceEpoch, id])
        quarantine.append(
            LogRecord(
                at: instant, cause: quarantineCause, workflowID: workflowID, version: version, enrollmentID: id, contactID: contactID, status: .error,
                why: .members(["unreadableEnrollment": problem.json]), message: message))
    }

    /// What the `error` record and column of an enrollment set aside say.
    static func quarantineMessage(id: String, problem: String) -> String {
        "the stored enrollment '\(DisplayText.escape(id))' does not read back (\(problem)); it is set aside as error and never runs again, the other enrollments go on: the database was changed by hand or damaged; to run it again restore the database from a backup (Docs/operations.md, \"Backups\")"
    }

    /// Why a row's `json` does not read back, as a JSON path and message; `nil` when it does.
    static func problem(decoding text: String) -> (Enrollment?, String?) {
        do {
            return (try Enrollment(json: JSONValue.parse(text)), nil)
        } catch {
            return (nil, "\(error.path): \(error.message)")
        }
    }
}

extension SQLiteEnrollmentStore {
    /// An `exited` enrollment with no frames made from a row's columns: how a row that does not read
    /// back is listed (``SQLiteStore/enrollments(_:)``).
    static func standIn(id: String, workflowID: String, version: Int, contactID: String, at instant: Instant) throws -> Enrollment {
        try Enrollment(
            json: .members([
                "id": id.json, "workflowID": workflowID.json, "version": version.json, "contactID": contactID.json, "holdsOrder": false.json,
                "startedAt": instant.description.json, "frames": .array([]), "state": Enrollment.State.exited.json, "chain": 0.json,
                "performed": 0.json,
            ]))
    }
}
