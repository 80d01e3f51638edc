internal import GRDB
public import PurchaseActionsCore
import PurchaseActionsEngine

extension SQLiteStore {
    /// The log records matching `query`, oldest first (with a `limit`, the latest that many).
    ///
    /// The batches that may hold a match are chosen by their indexes (contact, `log_workflow`,
    /// `at_last`) and, for a status, by their text holding `"status":"<status>"`; then each record
    /// is compared itself: its contact, workflow, status and `at`.
    ///
    /// A record that cannot be read (a batch edited by hand or damaged) fails the call with the
    /// first such record's error; ``logListing(_:)`` lists the others and says which could not be read.
    ///
    /// ```swift
    /// for row in try store.log(LogQuery(contactID: "c-1")) { print(row.record.compactText) }
    /// ```
    public func log(_ query: LogQuery) throws(StoreError) -> [StoredLogRecord] {
        let listing = try logListing(query)
        if let first = listing.unreadable.first { throw first }
        return listing.records
    }

    /// The log records matching `query`, as ``log(_:)`` finds them, going on past those that
    /// cannot be read: each unreadable record (or batch, when the batch itself is damaged) that the
    /// query's batches hold is named in ``LogListing/unreadable`` — it cannot be compared with the
    /// query, so it is named whether or not it would have matched — and the listing goes on.
    ///
    /// `purchase-actions log` prints what it can read, then names the unreadable records and exits 65.
    public func logListing(_ query: LogQuery) throws(StoreError) -> LogListing {
        var conditions: [String] = []
        var arguments: [LogArgument] = []
        if let contact = query.contactID { conditions.append("contact_id = ?"); arguments.append(.text(contact)) }
        if let workflow = query.workflowID {
            conditions.append("sequence IN (SELECT sequence FROM log_workflow WHERE workflow_id = ?)")
            arguments.append(.text(workflow))
        }
        if let since = query.since { conditions.append("at_last >= ?"); arguments.append(.integer(since.millisecondsSinceEpoch)) }
        if let status = query.status {
            // Only batches whose text holds the member as the runtime writes it (compact JSON, so a
            // quote inside a string is escaped and never forms it): the others are not parsed, as
            // schema 5 compared the column in SQL (`log --status error` on a big log).
            conditions.append("instr(records, ?) > 0")
            arguments.append(.text(#""status":""# + status.rawValue + #"""#))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limit = query.limit.map { max(0, $0) }
        let sql = "SELECT sequence, count, records FROM log_batch \(filter) ORDER BY sequence\(limit == nil ? "" : " DESC")"
        let since = query.since
        return try read("read the log") { db in
            var listing = LogListing()
            if limit == 0 { return listing }
            try Self.forEachLogRecord(
                sql, arguments: arguments, reversed: limit != nil, in: db,
                unreadable: { listing.noteUnreadable($0) }
            ) { batch, sequence, text in
                let record: JSONValue
                do throws(JSONError) {
                    record = try JSONValue.parse(text)
                } catch {
                    listing.noteUnreadable(Self.badBatch(batch, "its record \(sequence) is not JSON: \(error.message)"))
                    return true
                }
                guard case .object = record else {
                    // The runtime writes every record as an object: anything else was edited in.
                    listing.noteUnreadable(Self.badBatch(batch, "its record \(sequence) is not a JSON object"))
                    return true
                }
                guard Self.matches(record, query, since: since) else { return true }
                listing.records.append(StoredLogRecord(sequence: sequence, record: record))
                return limit.map { listing.records.count < $0 } ?? true
            }
            if limit != nil {
                listing.records.reverse()
                listing.unreadable.reverse()
            }
            return listing
        }
    }

    /// Whether a record (its JSON) has the query's contact, workflow and status and is at or after `since`.
    private static func matches(_ record: JSONValue, _ query: LogQuery, since: Instant?) -> Bool {
        guard query.contactID != nil || query.workflowID != nil || query.status != nil || since != nil else { return true }
        guard case .object(let members) = record else { return false }
        func text(_ key: String) -> String? {
            guard case .string(let value)? = members[key] else { return nil }
            return value
        }
        if let contact = query.contactID, text("contact") != contact { return false }
        if let workflow = query.workflowID, text("workflow") != workflow { return false }
        if let status = query.status, text("status") != status.rawValue { return false }
        if let since {
            guard let at = text("at"), let instant = Instant.parseRFC3339(at)?.instant, instant >= since else { return false }
        }
        return true
    }

    /// The enrollments matching `query`, oldest first. `error` lists those an `error` record ended
    /// (also `exited`). A row that cannot run — its `json` does not read back, or a column the
    /// store indexes disagrees with it — is listed as an error, never a failure of the listing:
    /// under its row's id, workflow, version and contact (what the filters match), its state and
    /// steps as its JSON says when that reads back (else `exited`, no frames), its `error` saying
    /// why; with `--state error` it is listed once it is set aside. So is a row whose `updated_at`
    /// is not a time (then the start of 1970): it still runs, and `enrollments --check` stamps it.
    public func enrollments(_ query: EnrollmentQuery) throws(StoreError) -> [StoredEnrollment] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let workflow = query.workflowID { conditions.append("workflow_id = ?"); arguments.append(workflow) }
        if let contact = query.contactID { conditions.append("contact_id = ?"); arguments.append(contact) }
        switch query.state {
        case .running?: conditions.append("state = 'active'")
        case .waiting?: conditions.append("state = 'waiting'")
        case .finished?: conditions.append("state = 'finished'")
        case .exited?: conditions.append("state = 'exited'")
        case .error?: conditions.append("error IS NOT NULL")
        case nil: break
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limit = query.limit.map { " LIMIT \(max(0, $0))" } ?? ""
        // The columns every read compares (``SQLiteEnrollmentStore/readColumns``), then these.
        typealias Column = SQLiteEnrollmentStore.Column
        let updatedAtColumn = Column.count, updatedAtIsInteger = updatedAtColumn + 1
        let sql = "SELECT \(SQLiteEnrollmentStore.readColumns), updated_at, typeof(updated_at) = 'integer' FROM enrollment \(filter) ORDER BY sequence\(limit)"
        return try read("read the enrollments") { db in
            // Text bound and read with its length (GRDB's binding and rows end text at a NUL byte,
            // which an `error` may hold).
            let statement = try db.makeStatement(sql: sql)
            // The raw handle is used after the last use of `statement`, whose deinit finalizes it.
            defer { withExtendedLifetime(statement) {} }
            var select = RowBinding(statement)
            for (index, argument) in zip(Int32(1)..., arguments) { select.bind(argument, index) }
            defer { select.finish() }
            var rows: [StoredEnrollment] = []
            while try select.step() {
                let id = select.text(Column.id) ?? ""
                // A value the schema does not allow there (edited by hand): listed at the start of 1970, as an error.
                let updatedAtIsTime = select.integer(updatedAtIsInteger) == 1
                let updatedAt = Instant(millisecondsSinceEpoch: updatedAtIsTime ? select.integer(updatedAtColumn) ?? 0 : 0)
                var error = select.text(Column.error)
                let reading = SQLiteEnrollmentStore.reading(at: select)
                if let problem = reading.problem {
                    // A row that cannot run (set aside, or not met by the worker yet).
                    error = error ?? SQLiteEnrollmentStore.quarantineMessage(id: id, problem: problem)
                } else if !updatedAtIsTime {
                    error = error ?? Self.updatedAtMessage(id: id, value: select.text(updatedAtColumn))
                }
                guard var enrollment = reading.decoded else {
                    rows.append(StoredEnrollment(enrollment: try Self.standIn(select, at: updatedAt), updatedAt: updatedAt, error: error))
                    continue
                }
                // Its columns disagree with its JSON: listed under what the row says (the filters
                // match its columns, and the error names its id), the rest as its JSON says.
                if reading.problem != nil {
                    enrollment.id = id
                    enrollment.workflowID = select.text(Column.workflowID) ?? ""
                    enrollment.version = Int(truncatingIfNeeded: select.integer(Column.version) ?? 0)
                    enrollment.contactID = select.text(Column.contactID) ?? ""
                }
                rows.append(StoredEnrollment(enrollment: enrollment, updatedAt: updatedAt, error: error))
            }
            return rows
        }
    }

    /// What the listing says of a row whose `updated_at` is not a time.
    static func updatedAtMessage(id: String, value: String?) -> String {
        "the row of enrollment '\(DisplayText.escape(id))' has the updated_at \(SQLiteEnrollmentStore.quoted(value)), not a time in milliseconds: the database was changed by hand or damaged; the enrollment runs as its json says; purchase-actions enrollments --check stamps the column with the stored clock"
    }

    /// The stand-in (``SQLiteEnrollmentStore/standIn(id:workflowID:version:contactID:at:)``) of the
    /// row `select` is at (``SQLiteEnrollmentStore/readColumns``).
    private static func standIn(_ select: RowBinding, at instant: Instant) throws -> Enrollment {
        typealias Column = SQLiteEnrollmentStore.Column
        return try SQLiteEnrollmentStore.standIn(
            id: select.text(Column.id) ?? "", workflowID: select.text(Column.workflowID) ?? "",
            version: Int(truncatingIfNeeded: select.integer(Column.version) ?? 0), contactID: select.text(Column.contactID) ?? "", at: instant)
    }

    /// The outbox rows, oldest first: with `dead`, only dead letters; else every row.
    public func outbox(dead: Bool) throws(StoreError) -> [OutboxEntry] {
        try outbox(state: dead ? .dead : nil, last: nil)
    }

    /// The outbox rows in one state (or all), oldest first; with `last`, only the newest `last`
    /// of them (the query's own `LIMIT`, so a large outbox is never read whole for a few rows).
    public func outbox(state: OutboxEntry.State?, last: Int?) throws(StoreError) -> [OutboxEntry] {
        let filter = state.map { "WHERE state = '\($0.rawValue)'" } ?? ""
        let sql =
            if let last {
                "SELECT * FROM (SELECT * FROM outbox \(filter) ORDER BY sequence DESC LIMIT \(max(0, last))) ORDER BY sequence"
            } else {
                "SELECT * FROM outbox \(filter) ORDER BY sequence"
            }
        return try read("read the outbox") { db in
            try Row.fetchAll(db, sql: sql).map { row in
                OutboxEntry(
                    key: (try row.get("key")), kind: (try row.get("kind")), details: try JSONValue.parse((try row.get("details_json")) as String),
                    state: OutboxEntry.State(rawValue: (try row.get("state"))) ?? .pending, attempts: (try row.get("attempts")),
                    nextAttemptAt: ((try row.get("next_attempt_at")) as Int64?).map(Instant.init(millisecondsSinceEpoch:)), lastError: (try row.get("last_error")),
                    createdAt: Instant(millisecondsSinceEpoch: (try row.get("created_at"))))
            }
        }
    }

    /// Makes the dead (or pending) row with this key pending and due at once (at the stored
    /// clock), with 8 more attempts before it is dead again (its attempts go on being numbered from where they were, so a receiver never sees one attempt number twice for a key); `false` when there is no such row or it was delivered.
    public func retry(key: String) throws(StoreError) -> Bool {
        try write("retry '\(DisplayText.escape(key))'") { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'pending', retry_base = attempts, next_attempt_at = (SELECT value FROM meta WHERE name = 'clock') WHERE key = ? AND state != 'delivered'",
                arguments: [key])
            return db.changesCount == 1
        }
    }

    /// Counts per workflow (from the log, and the enrollments waiting now), sorted by workflow id:
    /// sums of `log_workflow`, each distinct `effects` text read once.
    public func stats() throws(StoreError) -> [WorkflowStats] {
        try read("count the log") { db in
            var byID: [String: WorkflowStats] = [:]
            // Counts the runtime writes are integers from 0: anything else was edited by hand (a
            // text read as 0, a real number cut, a sum past the largest number).
            let invalid = """
                SELECT workflow_id, entered, finished, exited, errors FROM log_workflow
                WHERE NOT (typeof(entered) = 'integer' AND typeof(finished) = 'integer' AND typeof(exited) = 'integer'
                    AND typeof(errors) = 'integer' AND entered >= 0 AND finished >= 0 AND exited >= 0 AND errors >= 0) LIMIT 1
                """
            if let row = try Row.fetchOne(db, sql: invalid) {
                let counts = (1...4).map { String(describing: row[$0] as DatabaseValue) }.joined(separator: ", ")
                let id = row[0] as DatabaseValue
                throw Self.badCounts(String.fromDatabaseValue(id) ?? String(describing: id), counts)
            }
            let sums = "SELECT workflow_id, sum(entered), sum(finished), sum(exited), sum(errors) FROM log_workflow GROUP BY workflow_id"
            let rows: [Row]
            do {
                rows = try Row.fetchAll(db, sql: sums)
            } catch let error as DatabaseError where error.message?.contains("integer overflow") == true {
                throw StoreError(
                    .notADatabase,
                    "the log's counts of a workflow add up past the largest number: the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
            }
            for row in rows {
                let id: String = (try row.get(0))
                var stats = byID[id] ?? WorkflowStats(workflowID: id)
                stats.entered += (try row.get(1)) as Int
                stats.completed += (try row.get(2)) as Int
                stats.exited += (try row.get(3)) as Int
                stats.errors += (try row.get(4)) as Int
                byID[id] = stats
            }
            let effects = "SELECT workflow_id, effects, count(*) FROM log_workflow WHERE effects IS NOT NULL GROUP BY workflow_id, effects"
            for row in try Row.fetchAll(db, sql: effects) {
                let id: String = (try row.get(0))
                let text: String = (try row.get(1))
                let rows: Int = (try row.get(2))
                guard case .object(let counts)? = try? JSONValue.parse(text) else {
                    throw Self.badCounts(id, text)
                }
                var stats = byID[id] ?? WorkflowStats(workflowID: id)
                for (kind, value) in counts {
                    guard case .integer(let count) = value else { throw Self.badCounts(id, text) }
                    let (product, overflow) = count.multipliedReportingOverflow(by: rows)
                    let (sum, overflowSum) = (stats.effectsByKind[kind] ?? 0).addingReportingOverflow(product)
                    guard !overflow, !overflowSum else { throw Self.badCounts(id, text) }
                    stats.effectsByKind[kind] = sum
                }
                byID[id] = stats
            }
            for row in try Row.fetchAll(db, sql: "SELECT workflow_id, count(*) FROM enrollment WHERE state = 'waiting' GROUP BY workflow_id") {
                let id: String = (try row.get(0))
                byID[id, default: WorkflowStats(workflowID: id)].waiting = (try row.get(1))
            }
            for id in try String.fetchAll(db, sql: "SELECT DISTINCT workflow_id FROM workflow_version") where byID[id] == nil {
                byID[id] = WorkflowStats(workflowID: id)
            }
            return byID.values.sorted { $0.workflowID < $1.workflowID }
        }
    }

    /// The error of a `log_workflow` row whose counts (of statuses, or of effects) are not the runtime's.
    private static func badCounts(_ workflowID: String, _ text: String) -> StoreError {
        StoreError(
            .notADatabase,
            "the log's counts of workflow '\(DisplayText.escape(workflowID))' (\(DisplayText.escape(String(text.prefix(80))))) are not the runtime's: the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
    }

    /// The retention: removes log batches whose records are all before `instant` (a batch — the records
    /// one commit wrote one after another for one contact — straddling the cut is kept whole until its latest record
    /// is before it; ``PruneResult/logRows`` counts records), finished and exited enrollments last saved
    /// before it, delivered outbox rows created before it, and dunning timeline entries before it of
    /// invoices no longer in dunning. Running enrollments, pending and dead outbox rows, processed
    /// event ids, held orders and the dunning invoices themselves are kept (they decide what runs:
    /// a failure reported again for an invoice that ended is not a new series). The log's record
    /// numbers go on from where they were.
    public func prune(before instant: Instant) throws(StoreError) -> PruneResult {
        let cut = instant.millisecondsSinceEpoch
        return try write("prune the log") { db in
            var result = PruneResult()
            try db.setMeta("next_log", try Self.nextLogSequence(db))
            result.logRows = try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM log_batch WHERE at_last < ?", arguments: [cut]) ?? 0
            try db.execute(sql: "DELETE FROM log_workflow WHERE sequence IN (SELECT sequence FROM log_batch WHERE at_last < ?)", arguments: [cut])
            try db.execute(sql: "DELETE FROM log_batch WHERE at_last < ?", arguments: [cut])
            try db.execute(sql: "DELETE FROM enrollment WHERE state IN ('finished', 'exited') AND updated_at < ?", arguments: [cut])
            result.enrollments = db.changesCount
            try db.execute(sql: "DELETE FROM outbox WHERE state = 'delivered' AND created_at < ?", arguments: [cut])
            result.deliveredOutboxRows = db.changesCount
            try db.execute(
                sql: "DELETE FROM dunning_entry WHERE at < ? AND invoice NOT IN (SELECT id FROM dunning_invoice WHERE status = 'open')", arguments: [cut])
            result.dunningEntries = db.changesCount
            return result
        }
    }

    /// The committed position of an input, if any.
    public func inputPosition(source: String) throws(StoreError) -> InputPosition? {
        try read("read the position of '\(DisplayText.escape(source))'") { db in
            try Row.fetchOne(db, sql: "SELECT offset, line, tail FROM input_position WHERE source = ?", arguments: [source]).map { row in
                let position = InputPosition(source: source, offset: (try row.get(0)), line: (try row.get(1)), tail: (try row.get(2)))
                // A position is never negative, and its tail is hex of at most `tailBytes` bytes: anything
                // else was edited by hand, and reading from it would trap or read the wrong bytes.
                guard position.offset >= 0, position.line >= 0,
                      position.tail.map({ $0.utf8.count <= 2 * InputPosition.tailBytes && $0.utf8.count.isMultiple(of: 2) && $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } }) ?? true
                else {
                    throw StoreError(
                        .notADatabase,
                        "the stored position of '\(DisplayText.escape(source))' (byte \(position.offset), line \(position.line)) is not one the worker writes: the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
                }
                return position
            }
        }
    }

    /// The stored clock, if a runtime ever stored one.
    func storedClock(_ db: Database) throws -> Instant? {
        try db.meta("has_clock") == 1 ? Instant(millisecondsSinceEpoch: try db.meta("clock")) : nil
    }
}
