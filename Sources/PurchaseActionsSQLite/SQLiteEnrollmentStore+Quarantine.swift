internal import GRDB
public import PurchaseActionsCore
public import PurchaseActionsEngine

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

// MARK: Reading a row

extension SQLiteEnrollmentStore {
    /// The columns every read of an enrollment row selects, in the order of ``Column``: its `json`,
    /// the columns the store indexes (compared with the JSON: ``disagreement(_:at:)``), and whether
    /// the row was set aside before.
    static let readColumns =
        "json, sequence, id, workflow_id, version, contact_id, state, wake_at, error IS NOT NULL, typeof(version) = 'integer', typeof(wake_at) IN ('integer', 'null')"

    /// The 0-based places of ``readColumns``.
    enum Column {
        static let json: Int32 = 0
        static let sequence: Int32 = 1
        static let id: Int32 = 2
        static let workflowID: Int32 = 3
        static let version: Int32 = 4
        static let contactID: Int32 = 5
        static let state: Int32 = 6
        static let wakeAt: Int32 = 7
        static let hasError: Int32 = 8
        /// Whether `version` holds an integer, as the schema says (else it is compared as text).
        static let versionIsInteger: Int32 = 9
        /// Whether `wake_at` holds an integer or NULL.
        static let wakeAtIsInteger: Int32 = 10
        /// How many.
        static let count: Int32 = 11
    }

    /// Why a row cannot run: its `json` does not read back, or a column the store indexes says
    /// something else than the JSON.
    struct Problem: Hashable {
        /// Which: its name is the member of the `error` record's `why`.
        enum Kind: String {
            /// The `json` does not read back.
            case unreadableEnrollment
            /// A column the store indexes disagrees with the `json`.
            case columnMismatch
        }

        /// Which.
        var kind: Kind
        /// The JSON path and what is wrong, or the column and both values.
        var text: String

        /// The `json` does not read back: `<JSON path>: <what is wrong>`.
        static func unreadable(_ text: String) -> Problem { Problem(kind: .unreadableEnrollment, text: text) }
        /// A column disagrees: `column <name> is <value>, its JSON says <value>`.
        static func mismatch(_ text: String) -> Problem { Problem(kind: .columnMismatch, text: text) }
    }

    /// What a row read gives.
    struct RowReading {
        /// What the row's `json` reads back as, if it does.
        var decoded: Enrollment?
        /// Why the row cannot run (``decoded`` then `nil`, or its columns disagree with it); `nil` when it can.
        var problem: Problem?
        /// The enrollment, when the row reads back and its columns agree with it.
        var enrollment: Enrollment? { problem == nil ? decoded : nil }
        /// Whether the row was set aside already (`exited`, no wake-up, an `error`): it is then left as it is.
        var wasSetAside: Bool
    }

    /// The row `select` is at (``readColumns``): its JSON decoded and compared with its columns.
    static func reading(at select: RowBinding) -> RowReading {
        let wasSetAside = select.integer(Column.hasError) == 1 && select.integer(Column.wakeAt) == nil && select.text(Column.state, equals: "exited")
        let enrollment: Enrollment
        do {
            enrollment = try Enrollment(json: JSONValue.parse(select.text(Column.json) ?? ""))
        } catch {
            return RowReading(problem: .unreadable("\(error.path): \(error.message)"), wasSetAside: wasSetAside)
        }
        return RowReading(decoded: enrollment, problem: disagreement(enrollment, at: select).map(Problem.mismatch), wasSetAside: wasSetAside)
    }

    /// The first column the store indexes whose value is not the one `enrollment` (the row's JSON)
    /// gives — `sequence`, `id`, `workflow_id`, `version`, `contact_id`, `state`, `wake_at` — as
    /// `column <name> is <value>, its JSON says <value>`; `nil` when they all agree. Compared in
    /// place (integers, and text byte for byte): no string is made unless one differs, so every
    /// read can afford it.
    static func disagreement(_ enrollment: Enrollment, at select: RowBinding) -> String? {
        func text(_ column: Int32, _ name: String, _ expected: String) -> String? {
            select.text(column, equals: expected) ? nil : "column \(name) is \(quoted(select.text(column))), its JSON says \(quoted(expected))"
        }
        // `typed`: the column holds an integer (or NULL); else its value is shown as the text it is.
        func integer(_ column: Int32, _ name: String, _ expected: Int64?, typed: Bool = true, _ show: (Int64) -> String = { String($0) }) -> String? {
            let value = select.integer(column)
            guard value != expected || !typed else { return nil }
            let stored = typed ? value.map(show) ?? "NULL" : quoted(select.text(column))
            return "column \(name) is \(stored), its JSON says \(expected.map(show) ?? "none")"
        }
        return text(Column.id, "id", enrollment.id)
            ?? integer(Column.sequence, "sequence", sequence(enrollment.id))
            ?? text(Column.workflowID, "workflow_id", enrollment.workflowID)
            ?? integer(Column.version, "version", Int64(enrollment.version), typed: select.integer(Column.versionIsInteger) == 1)
            ?? text(Column.contactID, "contact_id", enrollment.contactID)
            ?? text(Column.state, "state", stateName(enrollment.state))
            ?? integer(Column.wakeAt, "wake_at", enrollment.wakeAt?.millisecondsSinceEpoch, typed: select.integer(Column.wakeAtIsInteger) == 1, describeTime)
    }

    /// A column's text for a message: quoted and escaped, or `NULL`.
    static func quoted(_ text: String?) -> String { text.map { "'\(DisplayText.escape($0))'" } ?? "NULL" }

    /// A time column's value for a message: its milliseconds, and the time when it is one the engine computes with.
    static func describeTime(_ milliseconds: Int64) -> String {
        let instant = Instant(millisecondsSinceEpoch: milliseconds)
        return instant.isSupported ? "\(milliseconds) (\(instant))" : "\(milliseconds)"
    }
}

// MARK: Setting aside

extension SQLiteEnrollmentStore {
    /// The `cause` of the `error` record of an enrollment set aside (``quarantine(id:problem:at:quarantine:in:)``).
    static let quarantineCause = "store"

    /// Sets aside the stored enrollment `id`, whose row does not read back or whose indexed
    /// columns disagree with its JSON: its row becomes `exited` with no wake-up and `error` saying
    /// why and what to do (so `enrollments --state error` lists it and nothing runs it again), its
    /// `json` is left as it was (the evidence, and what `enrollments --restore` puts back), and an
    /// `error` record is kept for the log, its `why` holding the problem and the row's columns as
    /// they were (`columns`). Everything else of the transaction goes on.
    static func quarantine(id: String, problem: Problem, at instant: Instant, quarantine: Quarantine, in db: Database) throws {
        // Its columns as far as they read (the row itself may be damaged too).
        var select = RowBinding(try db.cachedStatement(sql: "SELECT workflow_id, version, contact_id, state, wake_at FROM enrollment WHERE id = ?"))
        select.bind(id, 1)
        var workflowID: String?, version: Int64?, contactID: String?, state: String?, wakeAt: Int64?
        do {
            defer { select.finish() }
            if try select.step() {
                (workflowID, version, contactID, state, wakeAt) = (select.text(0), select.integer(1), select.text(2), select.text(3), select.integer(4))
            }
        }
        let message = quarantineMessage(id: id, problem: problem)
        var update = RowBinding(try db.cachedStatement(sql: "UPDATE enrollment SET state = 'exited', wake_at = NULL, error = ?, updated_at = ? WHERE id = ?"))
        update.bind(message, 1)
        update.bind(instant.millisecondsSinceEpoch, 2)
        update.bind(id, 3)
        try update.execute()
        let columns: JSONValue = .members([
            "workflow_id": workflowID.json, "version": version.map { JSONValue.integer(Int(truncatingIfNeeded: $0)) }, "contact_id": contactID.json,
            "state": state.json, "wake_at": wakeAt.map { JSONValue.integer(Int(truncatingIfNeeded: $0)) },
        ])
        quarantine.append(
            LogRecord(
                at: instant, cause: quarantineCause, workflowID: workflowID, version: version.flatMap { Int(exactly: $0) }, enrollmentID: id,
                contactID: contactID, status: .error, why: .object([problem.kind.rawValue: problem.text.json, "columns": columns]), message: message))
    }

    /// What the `error` record and column of an enrollment set aside say.
    static func quarantineMessage(id: String, problem: Problem) -> String {
        let name = DisplayText.escape(id)
        return switch problem.kind {
        case .columnMismatch:
            "the stored enrollment '\(name)' disagrees with its row's columns (\(problem.text)); \(setAsideText) the row was changed by hand or by another program; to run it again check its json and put it back with purchase-actions enrollments --restore \(name) (its columns are made again from its json), or restore the database from a backup (Docs/operations.md, \"Backups\")"
        case .unreadableEnrollment:
            "the stored enrollment '\(name)' does not read back (\(problem.text)); \(setAsideText) the database was changed by hand or damaged; to run it again fix its json and put it back with purchase-actions enrollments --restore \(name), or restore the database from a backup (Docs/operations.md, \"Backups\")"
        }
    }

    /// The part every set-aside message has (how ``restore(id:dryRun:)`` knows one).
    static let setAsideText = "it is set aside as error and never runs again, the other enrollments go on:"

    /// Notes on an ended enrollment's row the message of the `error` record that ended it, bound
    /// with its length (GRDB's binding ends text at a NUL byte; the log keeps the whole message).
    static func noteError(_ message: String, enrollmentID: String, in db: Database) throws {
        var update = RowBinding(try db.cachedStatement(sql: "UPDATE enrollment SET error = ? WHERE id = ? AND state IN ('finished', 'exited')"))
        update.bind(message, 1)
        update.bind(enrollmentID, 2)
        try update.execute()
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

// MARK: Putting back, checking every row

/// What ``SQLiteStore/restoreEnrollment(id:dryRun:)`` did: the enrollment put back, or that would be.
public struct RestoredEnrollment: Hashable, Sendable {
    /// The enrollment as its stored JSON reads back: what runs from now on.
    public var enrollment: Enrollment
    /// The time its row is stamped with (the stored clock).
    public var updatedAt: Instant
    /// Whether nothing was changed (a dry run).
    public var dryRun: Bool

    /// Creates a result.
    public init(enrollment: Enrollment, updatedAt: Instant, dryRun: Bool) {
        self.enrollment = enrollment
        self.updatedAt = updatedAt
        self.dryRun = dryRun
    }
}

/// What ``SQLiteStore/checkEnrollments(dryRun:)`` found: every stored enrollment read, its JSON
/// compared with the columns the store indexes.
public struct EnrollmentCheck: Hashable, Sendable {
    /// A row that cannot run, set aside by the check (or that would be, in a dry run).
    public struct Finding: Hashable, Sendable {
        /// The enrollment's id (its `id` column).
        public var enrollmentID: String
        /// `unreadableEnrollment` (its JSON does not read back) or `columnMismatch` (a column
        /// disagrees with its JSON): the member of the `error` record's `why`.
        public var kind: String
        /// The JSON path and what is wrong, or `column <name> is <value>, its JSON says <value>`.
        public var problem: String

        /// Creates a finding.
        public init(enrollmentID: String, kind: String, problem: String) {
            self.enrollmentID = enrollmentID
            self.kind = kind
            self.problem = problem
        }
    }

    /// How many rows were read.
    public var checked = 0
    /// How many of them were set aside before (left as they are: `enrollments --restore` puts one back).
    public var setAsideBefore = 0
    /// The rows found now, in the table's order.
    public var findings: [Finding] = []
    /// Whether nothing was changed (a dry run).
    public var dryRun: Bool

    /// Creates an empty result.
    public init(dryRun: Bool) { self.dryRun = dryRun }
}

extension SQLiteStore {
    /// How many rows each transaction of ``checkEnrollments(dryRun:)`` reads: 1,000 (a worker
    /// running meanwhile waits for at most one page).
    static let checkPageSize = 1_000

    /// Reads every stored enrollment, `checkPageSize` rows a transaction in the table's order,
    /// and sets aside (as the worker does where it meets one: Docs/operations.md, "Unreadable
    /// enrollments") each row whose JSON does not read back or whose indexed columns disagree with
    /// it — a row the worker may never read, such as one whose `wake_at` is NULL while its JSON
    /// waits. Rows set aside before are counted and left as they are. A dry run only reports.
    ///
    /// ```swift
    /// let check = try store.checkEnrollments(dryRun: true)
    /// for finding in check.findings { print(finding.enrollmentID, finding.problem) }
    /// ```
    public func checkEnrollments(dryRun: Bool) throws(StoreError) -> EnrollmentCheck {
        try checkEnrollments(dryRun: dryRun, pageSize: Self.checkPageSize)
    }

    /// ``checkEnrollments(dryRun:)`` with pages of `pageSize` rows (at least 1). Ends: each page
    /// starts past the last row of the one before, and an empty page ends it.
    func checkEnrollments(dryRun: Bool, pageSize: Int) throws(StoreError) -> EnrollmentCheck {
        var result = EnrollmentCheck(dryRun: dryRun)
        // Sequences are positive (an id e-<n> gives n), but a hand-edited row may hold any integer:
        // the first page starts before every one of them (`sequence >= Int64.min`).
        var after: Int64? = nil
        while true {
            let page: (last: Int64?, count: Int, before: Int, findings: [EnrollmentCheck.Finding])
            if dryRun {
                page = try read("check the enrollments") { db in try Self.checkPage(after: after, size: pageSize, setAside: false, in: db) }
            } else {
                page = try write("check the enrollments") { db in try Self.checkPage(after: after, size: pageSize, setAside: true, in: db) }
            }
            result.checked += page.count
            result.setAsideBefore += page.before
            result.findings += page.findings
            guard let last = page.last else { return result }
            after = last
        }
    }

    /// One page of ``checkEnrollments(dryRun:pageSize:)``: the rows after sequence `after` (from
    /// the first row when `nil`).
    private static func checkPage(
        after: Int64?, size: Int, setAside: Bool, in db: Database
    ) throws -> (last: Int64?, count: Int, before: Int, findings: [EnrollmentCheck.Finding]) {
        var select = RowBinding(
            try db.cachedStatement(
                sql: after == nil
                    ? "SELECT \(SQLiteEnrollmentStore.readColumns) FROM enrollment WHERE sequence >= ? ORDER BY sequence LIMIT ?"
                    : "SELECT \(SQLiteEnrollmentStore.readColumns) FROM enrollment WHERE sequence > ? ORDER BY sequence LIMIT ?"))
        select.bind(after ?? Int64.min, 1)
        select.bind(max(1, size), 2)
        var last: Int64?
        var count = 0, before = 0
        var found: [(id: String, problem: SQLiteEnrollmentStore.Problem)] = []
        do {
            defer { select.finish() }
            while try select.step() {
                count += 1
                last = select.integer(SQLiteEnrollmentStore.Column.sequence)
                let reading = SQLiteEnrollmentStore.reading(at: select)
                guard let problem = reading.problem else { continue }
                if reading.wasSetAside { before += 1 } else { found.append((select.text(SQLiteEnrollmentStore.Column.id) ?? "", problem)) }
            }
        }
        if setAside, !found.isEmpty {
            let quarantine = Quarantine()
            let clock = try Self.clock(db)
            for (id, problem) in found { try SQLiteEnrollmentStore.quarantine(id: id, problem: problem, at: clock, quarantine: quarantine, in: db) }
            try appendLog(quarantine.take(), in: db)
        }
        return (last, count, before, found.map { .init(enrollmentID: $0.id, kind: $0.problem.kind.rawValue, problem: $0.problem.text) })
    }

    /// Puts back the enrollment `id` the store set aside (Docs/operations.md, "Unreadable
    /// enrollments") once its cause is fixed: its row is made again from its JSON — state,
    /// wake-up, version, workflow and contact columns, its held order — its `error` cleared and
    /// stamped with the stored clock, and a `resumed` record with `"cause":"store"` says so. The
    /// next run goes on with it from where its JSON says (a wake-up already due fires at once).
    /// `nil` when the database has no such enrollment. A dry run checks the same and changes nothing.
    ///
    /// ```swift
    /// let restored = try store.restoreEnrollment(id: "e-1", dryRun: false)
    /// ```
    ///
    /// - Throws: `invalid-enrollment` when the enrollment was not set aside by the store, its JSON
    ///   still does not read back or names another id, it has more frames than calls nest
    ///   (`Engine.callDepthLimit` + 1), or a workflow version it is on is not stored; or a store error.
    public func restoreEnrollment(id: String, dryRun: Bool) throws(StoreError) -> RestoredEnrollment? {
        let path = self.path
        let body = { (db: Database) throws -> RestoredEnrollment? in try Self.restore(id: id, dryRun: dryRun, path: path, in: db) }
        let doing = "put back the enrollment '\(DisplayText.escape(id))'"
        return try dryRun ? read(doing, body) : write(doing, body)
    }

    /// The stored clock (the runtime's), or the start of 1970 when no runtime stored one: what a
    /// row changed here is stamped with.
    private static func clock(_ db: Database) throws -> Instant {
        try db.meta("has_clock") == 1 ? Instant(millisecondsSinceEpoch: try db.meta("clock")) : Instant(millisecondsSinceEpoch: 0)
    }

    /// ``restoreEnrollment(id:dryRun:)`` in the transaction `db`.
    private static func restore(id: String, dryRun: Bool, path: String, in db: Database) throws -> RestoredEnrollment? {
        let name = DisplayText.escape(id)
        var select = RowBinding(try db.cachedStatement(sql: "SELECT json, state, wake_at, error, sequence, typeof(sequence) FROM enrollment WHERE id = ?"))
        select.bind(id, 1)
        let text: String, state: String?, wakeAt: Int64?, error: String?, rowSequence: Int64?, sequenceIsInteger: Bool
        do {
            defer { select.finish() }
            guard try select.step() else { return nil }
            (text, state, wakeAt, error) = (select.text(0) ?? "", select.text(1), select.integer(2), select.text(3))
            (rowSequence, sequenceIsInteger) = (select.integer(4), select.text(5) == "integer")
        }
        let whatToDo = "fix its json (Docs/operations.md, \"Unreadable enrollments\") and run enrollments --restore \(name) again, or restore the database from a backup"
        // The row is written back by the sequence its id gives: a row whose `sequence` column was
        // changed would overwrite whichever row holds that sequence, so it is refused.
        let implied = SQLiteEnrollmentStore.sequence(id)
        guard let implied, sequenceIsInteger, rowSequence == implied else {
            let shown = sequenceIsInteger ? rowSequence.map { String($0) } ?? "NULL" : "not an integer"
            let fix = implied.map { "set it back to \($0) (for a row that holds \($0), first set its own sequence back to the number of its id) and run enrollments --restore \(name) again, or restore the database from a backup" }
                ?? "this id is not one the store made (e-<n>): restore the database from a backup"
            throw StoreError(.invalidEnrollment, "the row of enrollment '\(name)' has the sequence \(shown), not the one its id gives: \(fix)", path: path)
        }
        guard state == "exited", wakeAt == nil, let error, error.hasPrefix("the stored enrollment '\(name)' "), error.contains(SQLiteEnrollmentStore.setAsideText) else {
            let why = error.map { "it ended with an error: \(DisplayText.escape($0))" } ?? "its state is \(SQLiteEnrollmentStore.quoted(state))"
            throw StoreError(
                .invalidEnrollment,
                "the enrollment '\(name)' was not set aside by the store (\(why)): --restore puts back only an enrollment set aside because its row did not read back or disagreed with its json (purchase-actions enrollments --state error lists them)",
                path: path)
        }
        let enrollment: Enrollment
        do {
            enrollment = try Enrollment(json: JSONValue.parse(text))
        } catch {
            throw StoreError(.invalidEnrollment, "the stored enrollment '\(name)' still does not read back (\(error.path): \(error.message)): \(whatToDo)", path: path)
        }
        guard enrollment.id == id else {
            throw StoreError(
                .invalidEnrollment, "the stored json of enrollment '\(name)' names the enrollment '\(DisplayText.escape(enrollment.id))': \(whatToDo)", path: path)
        }
        guard enrollment.frames.count <= Engine.callDepthLimit + 1 else {
            throw StoreError(
                .invalidEnrollment,
                "the stored enrollment '\(name)' has \(enrollment.frames.count) frames; calls nest at most \(Engine.callDepthLimit) deep (\(Engine.callDepthLimit + 1) frames): \(whatToDo)",
                path: path)
        }
        // Every workflow version it is on is stored (a frame of no version runs in the current one).
        let places = [(enrollment.workflowID, Optional(enrollment.version))] + enrollment.frames.map { ($0.workflowID, $0.version) }
        for (workflowID, version) in places {
            let stored: Bool
            if let version {
                stored = try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT 1 FROM workflow_version WHERE workflow_id = ? AND number = ?"), arguments: [workflowID, version]) != nil
            } else {
                stored = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM workflow_version WHERE workflow_id = ? LIMIT 1"), arguments: [workflowID]) != nil
            }
            guard stored else {
                let which = version.map { "version \($0)" } ?? "any version"
                throw StoreError(
                    .invalidEnrollment,
                    "the stored enrollment '\(name)' is on workflow '\(DisplayText.escape(workflowID))' \(which), which the database does not hold (purchase-actions workflows lists the versions stored): \(whatToDo)",
                    path: path)
            }
        }
        let clock = try Self.clock(db)
        let restored = RestoredEnrollment(enrollment: enrollment, updatedAt: clock, dryRun: dryRun)
        guard !dryRun else { return restored }
        try SQLiteEnrollmentStore.write(enrollment, at: clock, in: db)
        try db.cachedStatement(sql: "UPDATE enrollment SET error = NULL WHERE id = ?").execute(arguments: [id])
        let record = LogRecord(
            at: clock, cause: SQLiteEnrollmentStore.quarantineCause, workflowID: enrollment.workflowID, version: enrollment.version, enrollmentID: id,
            contactID: enrollment.contactID, status: .resumed, why: .members(["restored": SQLiteEnrollmentStore.stateName(enrollment.state).json]),
            message: "the enrollment '\(name)' set aside by the store was put back (purchase-actions enrollments --restore): it goes on from its stored json")
        try appendLog([record], in: db)
        return restored
    }
}
