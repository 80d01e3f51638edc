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
    /// the columns the store indexes (compared with the JSON: ``disagreement(_:at:)``), and its
    /// `error` (whether the store set the row aside before: ``isSetAsideMessage(_:id:)``).
    static let readColumns =
        "json, sequence, id, workflow_id, version, contact_id, state, wake_at, error, typeof(version) = 'integer', typeof(wake_at) IN ('integer', 'null')"

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
        /// The row's `error` (NULL for most rows).
        static let error: Int32 = 8
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
        /// Whether the store set the row aside already (`exited`, no wake-up, and an `error` that is
        /// the store's own message for this id: ``isSetAsideMessage(_:id:)``): it is then left as it
        /// is. A row merely edited to look so (another `error`) is not: it is set aside again.
        var wasSetAside: Bool
    }

    /// The row `select` is at (``readColumns``): its JSON decoded and compared with its columns.
    static func reading(at select: RowBinding) -> RowReading {
        let wasSetAside =
            select.integer(Column.wakeAt) == nil && select.text(Column.state, equals: "exited")
            && select.text(Column.error).map { isSetAsideMessage($0, id: select.text(Column.id) ?? "") } == true
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
    /// The `cause` of the `error` record of an enrollment set aside (``quarantine(id:problem:decoded:at:quarantine:in:)``).
    static let quarantineCause = "store"

    /// Sets aside the stored enrollment `id`, whose row does not read back or whose indexed
    /// columns disagree with its JSON: its row becomes `exited` with no wake-up and `error` saying
    /// why and what to do (so `enrollments --state error` lists it and nothing runs it again), its
    /// `json` is left as it was (the evidence, and what `enrollments --restore` puts back), and an
    /// `error` record is kept for the log, its `why` holding the problem and the row's columns as
    /// they were (`columns`). The record's workflow, version and contact are the JSON's when it
    /// reads back as this enrollment (`decoded`: a column edited by hand is then not what the log
    /// files the record under), else the row's. Everything else of the transaction goes on.
    static func quarantine(id: String, problem: Problem, decoded: Enrollment? = nil, at instant: Instant, quarantine: Quarantine, in db: Database) throws {
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
        let json = decoded.flatMap { $0.id == id ? $0 : nil }
        quarantine.append(
            LogRecord(
                at: instant, cause: quarantineCause, workflowID: json?.workflowID ?? workflowID, version: json?.version ?? version.flatMap { Int(exactly: $0) },
                enrollmentID: id, contactID: json?.contactID ?? contactID, status: .error,
                why: .object([problem.kind.rawValue: problem.text.json, "columns": columns]), message: message))
    }

    /// Whether `error` is the message the store sets aside the enrollment `id` with
    /// (``quarantineMessage(id:problem:)``): how a row the store set aside is told from one an
    /// engine's `error` record ended, or one edited by hand to look set aside.
    static func isSetAsideMessage(_ error: String, id: String) -> Bool {
        error.hasPrefix("the stored enrollment '\(DisplayText.escape(id))' ") && error.contains(setAsideText)
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

    /// The part every set-aside message has (how ``isSetAsideMessage(_:id:)`` knows one).
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

/// What ``SQLiteStore/restoreEnrollment(id:dryRun:force:)`` did: the enrollment put back, or that would be.
public struct RestoredEnrollment: Hashable, Sendable {
    /// The enrollment as its stored JSON reads back: what runs from now on.
    public var enrollment: Enrollment
    /// The time its row is stamped with (the stored clock).
    public var updatedAt: Instant
    /// Whether nothing was changed (a dry run).
    public var dryRun: Bool
    /// What `force` put it back despite (each a sentence saying what follows): its JSON is behind
    /// what the log shows it did, or its contact has another running enrollment in a workflow
    /// version that does not allow re-entry. Empty without `force` (those are refusals then).
    public var warnings: [String]

    /// Creates a result.
    public init(enrollment: Enrollment, updatedAt: Instant, dryRun: Bool, warnings: [String] = []) {
        self.enrollment = enrollment
        self.updatedAt = updatedAt
        self.dryRun = dryRun
        self.warnings = warnings
    }
}

/// What ``SQLiteStore/checkEnrollments(dryRun:)`` found: every stored enrollment read, its JSON
/// compared with the columns the store indexes.
public struct EnrollmentCheck: Hashable, Sendable {
    /// A row found by the check: one that cannot run, set aside (or that would be, in a dry run);
    /// or one whose `updated_at` is not a time, stamped with the stored clock (or that would be).
    public struct Finding: Hashable, Sendable {
        /// The ``kind`` of a row whose `updated_at` is not an integer (milliseconds since 1970):
        /// the enrollment still runs as its JSON says (only the listing reads the column), and the
        /// check stamps the column with the stored clock instead of setting the row aside.
        public static let unreadableUpdatedAt = "unreadableUpdatedAt"

        /// The enrollment's id (its `id` column).
        public var enrollmentID: String
        /// `unreadableEnrollment` (its JSON does not read back) or `columnMismatch` (a column
        /// disagrees with its JSON): the member of the `error` record's `why`; or
        /// ``unreadableUpdatedAt``.
        public var kind: String
        /// The JSON path and what is wrong, or `column <name> is <value>, its JSON says <value>`,
        /// or `column updated_at is <value>, not a time in milliseconds`.
        public var problem: String
        /// Whether the row is set aside (else only its `updated_at` is stamped: ``unreadableUpdatedAt``).
        public var setsAside: Bool { kind != Self.unreadableUpdatedAt }

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
    /// waits. Rows the store set aside before (its own message in `error`) are counted and left
    /// as they are. A row whose `updated_at` is not a time (milliseconds) is found too, and its
    /// `updated_at` stamped with the stored clock (it still runs:
    /// ``EnrollmentCheck/Finding/unreadableUpdatedAt``). A dry run only reports.
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
        typealias Column = SQLiteEnrollmentStore.Column
        // The columns every read compares, then whether `updated_at` is an integer and its text.
        let updatedAtIsInteger = Column.count, updatedAt = Column.count + 1
        let columns = "\(SQLiteEnrollmentStore.readColumns), typeof(updated_at) = 'integer', updated_at"
        var select = RowBinding(
            try db.cachedStatement(
                sql: after == nil
                    ? "SELECT \(columns) FROM enrollment WHERE sequence >= ? ORDER BY sequence LIMIT ?"
                    : "SELECT \(columns) FROM enrollment WHERE sequence > ? ORDER BY sequence LIMIT ?"))
        select.bind(after ?? Int64.min, 1)
        select.bind(max(1, size), 2)
        var last: Int64?
        var count = 0, before = 0
        var found: [(id: String, problem: SQLiteEnrollmentStore.Problem, decoded: Enrollment?)] = []
        // Rows that can run (or were set aside before) whose `updated_at` is not a time: stamped.
        var unstamped: [String] = []
        var findings: [EnrollmentCheck.Finding] = []
        do {
            defer { select.finish() }
            while try select.step() {
                count += 1
                last = select.integer(Column.sequence)
                let id = select.text(Column.id) ?? ""
                let reading = SQLiteEnrollmentStore.reading(at: select)
                if let problem = reading.problem, !reading.wasSetAside {
                    // Setting it aside stamps `updated_at` too.
                    found.append((id, problem, reading.decoded))
                    findings.append(.init(enrollmentID: id, kind: problem.kind.rawValue, problem: problem.text))
                    continue
                }
                if reading.wasSetAside { before += 1 }
                if select.integer(updatedAtIsInteger) != 1 {
                    unstamped.append(id)
                    findings.append(
                        .init(
                            enrollmentID: id, kind: EnrollmentCheck.Finding.unreadableUpdatedAt,
                            problem: "column updated_at is \(SQLiteEnrollmentStore.quoted(select.text(updatedAt))), not a time in milliseconds"))
                }
            }
        }
        if setAside, !findings.isEmpty {
            let quarantine = Quarantine()
            let clock = try Self.clock(db)
            for (id, problem, decoded) in found {
                try SQLiteEnrollmentStore.quarantine(id: id, problem: problem, decoded: decoded, at: clock, quarantine: quarantine, in: db)
            }
            for id in unstamped {
                var update = RowBinding(try db.cachedStatement(sql: "UPDATE enrollment SET updated_at = ? WHERE id = ?"))
                update.bind(clock.millisecondsSinceEpoch, 1)
                update.bind(id, 2)
                try update.execute()
            }
            if !found.isEmpty { try appendLog(quarantine.take(), in: db) }
        }
        return (last, count, before, findings)
    }

    /// Puts back the enrollment `id` the store set aside (Docs/operations.md, "Unreadable
    /// enrollments") once its cause is fixed: its row is made again from its JSON — state,
    /// wake-up, version, workflow and contact columns, its held order — its `error` cleared and
    /// stamped with the stored clock, and a `resumed` record with `"cause":"store"` says so. The
    /// next run goes on with it from where its JSON says (a wake-up already due fires at once).
    /// `nil` when the database has no such enrollment. A dry run checks the same and changes nothing.
    ///
    /// Two checks guard against running steps twice; `force` puts it back despite them (its
    /// ``RestoredEnrollment/warnings`` then say so):
    /// - its JSON is behind its log: the log holds more actions of the enrollment (`completed`
    ///   records with an effect) than its JSON's `performed` counts — an older JSON was put back,
    ///   and its steps would run again (an effect through the outbox is not delivered twice, its
    ///   key being the same, but the log shows it twice, and changes to the contact are made again);
    /// - it runs (its JSON waits or is active) and its contact has another running enrollment in
    ///   its workflow whose version does not allow re-entry (entered while this one was set aside):
    ///   both would run, and the contact get the workflow's messages twice.
    ///
    /// ```swift
    /// let restored = try store.restoreEnrollment(id: "e-1", dryRun: false)
    /// ```
    ///
    /// - Throws: `invalid-enrollment` when the enrollment was not set aside by the store, its JSON
    ///   still does not read back or names another id, its row's `sequence` is not its id's, it has
    ///   more frames than calls nest (`Engine.callDepthLimit` + 1), a workflow version it is on is
    ///   not stored, or (without `force`) one of the two checks above fails; or a store error.
    public func restoreEnrollment(id: String, dryRun: Bool, force: Bool = false) throws(StoreError) -> RestoredEnrollment? {
        let path = self.path
        let doing = "put back the enrollment '\(DisplayText.escape(id))'"
        // What it would put back, then the log read through its own API (not in the transaction):
        // the row is set aside, so nothing runs it meanwhile; the write checks the row again.
        let checked = try read(doing) { db in try Self.restore(id: id, dryRun: true, force: force, path: path, in: db) }
        guard let checked else { return nil }
        var behind: [String] = []
        if let text = try behindLog(checked.enrollment) {
            guard force else { throw StoreError(.invalidEnrollment, "\(text), or give --force to put it back anyway", path: path) }
            behind.append(text)
        }
        var restored = checked
        if !dryRun {
            guard let written = try write(doing, { db in try Self.restore(id: id, dryRun: false, force: force, path: path, in: db) }) else { return nil }
            restored = written
        }
        restored.warnings = behind + restored.warnings
        return restored
    }

    /// Why `enrollment`'s JSON is behind its log, or `nil`: the log's `completed` records of the
    /// enrollment with an effect (an action each, as `performed` counts them) against its JSON's
    /// `performed`. Records pruned by the retention only lower the log's count (never a refusal
    /// for them); the contact's `completed` records are read once.
    func behindLog(_ enrollment: Enrollment) throws(StoreError) -> String? {
        var logged = 0
        for row in try log(LogQuery(contactID: enrollment.contactID, status: .completed)) {
            guard case .object(let members) = row.record, members["enrollment"] == .string(enrollment.id), let effect = members["effect"], effect != .null
            else { continue }
            logged += 1
        }
        guard logged > enrollment.performed else { return nil }
        let name = DisplayText.escape(enrollment.id)
        return
            "the stored json of enrollment '\(name)' is behind its log: the log shows \(logged) actions it performed, its json \(enrollment.performed) (\"performed\"); it is an older json, and putting it back would run its steps again from there (an effect sent through the outbox, such as an email, is not sent again, its key being the same, but the log would show it twice, and tags, fields and other changes to the contact are made again): put its last json back (purchase-actions log --contact \(DisplayText.escape(enrollment.contactID)) --json shows what it did)"
    }

    /// How many other running enrollments ``alsoRunning(_:in:)`` names at most.
    static let alsoRunningShown = 10

    /// Why putting back `enrollment` would run it twice, or `nil`: it runs (active or waiting),
    /// and its contact has another running enrollment in its workflow whose version does not
    /// allow re-entry (or whose stored workflow does not read back) — one the engine would not
    /// have let in had this one been running. The others are named, at most ``alsoRunningShown``.
    private static func alsoRunning(_ enrollment: Enrollment, in db: Database) throws -> String? {
        guard SQLiteEnrollmentStore.isRunning(enrollment.state) else { return nil }
        var select = RowBinding(
            try db.cachedStatement(
                sql: """
                    SELECT e.id FROM enrollment e WHERE e.contact_id = ? AND e.workflow_id = ? AND e.state IN ('active', 'waiting') AND e.id != ?
                    AND coalesce((SELECT CASE WHEN json_valid(w.workflow_json) THEN json_extract(w.workflow_json, '$.settings.allowReentry') END
                        FROM workflow_version w WHERE w.workflow_id = e.workflow_id AND w.number = e.version), 0) IS NOT 1
                    ORDER BY e.sequence LIMIT ?
                    """))
        select.bind(enrollment.contactID, 1)
        select.bind(enrollment.workflowID, 2)
        select.bind(enrollment.id, 3)
        select.bind(alsoRunningShown + 1, 4)
        var others: [String] = []
        do {
            defer { select.finish() }
            while try select.step() { others.append(DisplayText.escape(select.text(0) ?? "")) }
        }
        guard !others.isEmpty else { return nil }
        let named = others.prefix(alsoRunningShown).joined(separator: ", ") + (others.count > alsoRunningShown ? " and more" : "")
        let name = DisplayText.escape(enrollment.id), workflow = DisplayText.escape(enrollment.workflowID)
        return
            "the contact '\(DisplayText.escape(enrollment.contactID))' of enrollment '\(name)' has another running enrollment in workflow '\(workflow)' (\(named)), whose version does not allow re-entry (the engine lets no contact in twice there: it entered while '\(name)' was set aside); putting '\(name)' back would run both, and the contact would get the workflow's messages twice (their keys differ): leave '\(name)' set aside (purchase-actions enrollments --contact \(DisplayText.escape(enrollment.contactID)) lists both)"
    }

    /// The stored clock (the runtime's), or the start of 1970 when no runtime stored one: what a
    /// row changed here is stamped with.
    private static func clock(_ db: Database) throws -> Instant {
        try db.meta("has_clock") == 1 ? Instant(millisecondsSinceEpoch: try db.meta("clock")) : Instant(millisecondsSinceEpoch: 0)
    }

    /// ``restoreEnrollment(id:dryRun:force:)`` in the transaction `db` (all but the log's check).
    private static func restore(id: String, dryRun: Bool, force: Bool, path: String, in db: Database) throws -> RestoredEnrollment? {
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
        guard state == "exited", wakeAt == nil, let error, SQLiteEnrollmentStore.isSetAsideMessage(error, id: id) else {
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
        var warnings: [String] = []
        if let text = try alsoRunning(enrollment, in: db) {
            guard force else { throw StoreError(.invalidEnrollment, "\(text), or give --force to put it back anyway (both run)", path: path) }
            warnings.append(text)
        }
        let clock = try Self.clock(db)
        let restored = RestoredEnrollment(enrollment: enrollment, updatedAt: clock, dryRun: dryRun, warnings: warnings)
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
