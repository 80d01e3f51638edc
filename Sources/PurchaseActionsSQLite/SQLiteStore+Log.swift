internal import GRDB
internal import GRDBSQLite
import PurchaseActionsCore
import PurchaseActionsEngine

/// The log in batches (schema 6): the records one caller's event writes (one ``SQLiteStore/appendLog(_:detailsText:in:)``)
/// that follow each other with one contact (or none) are one row of `log_batch`, their compact JSON
/// texts (`LogRecord.json.compactText`, byte for byte: ``LogRecord/CompactWriter``) joined by
/// `"\n"` — compact JSON never holds a raw newline: the writer escapes every control character.
/// Record `i` (from 0) of the batch at `sequence` is record number `sequence + i` of the log, the
/// number schema 5 gave it. `log_workflow` holds a row per batch and workflow it names: the index
/// of `log --workflow` and the counts `stats` adds up.
///
/// Reading a batch splits its text at `"\n"`: a row edited by hand whose text does not split into
/// its `count` records, or whose record is not JSON, is a `not-a-database` ``StoreError`` naming the
/// batch's sequence (the listing stops there, as a schema 5 row that was not JSON stopped it);
/// text that is not UTF-8 is read with U+FFFD in place of the bad bytes, as every text of the
/// store is. Reading never holds more than one batch (at most 1,000 records) besides the result.
enum LogArgument {
    case text(String)
    case integer(Int64)
}

extension SQLiteStore {
    /// At most this many records in one batch: a caller's longer run of records of one contact
    /// (a wake-up firing many steps) is cut into batches of this many, so a batch stays one
    /// event's size to read.
    static let logBatchLimit = 1_000

    /// Appends the records to the log, in order (and notes on an enrollment an `error` record that
    /// ended it). `detailsText` gives, by idempotency key, the effect details' compact text the
    /// outbox was written with (made once for both).
    static func appendLog(_ records: [LogRecord], detailsText: [String: String] = [:], in db: Database) throws {
        guard !records.isEmpty else { return }
        try writeLog(LogComposer.composed(records, detailsText: detailsText), in: db)
    }

    /// The number the next record takes: past the last batch's records, and past every number
    /// given before (`meta.next_log`, which ``prune(before:)`` keeps), so numbers never repeat
    /// even when the whole log was pruned.
    static func nextLogSequence(_ db: Database) throws -> Int64 {
        var next = max(1, try db.meta("next_log"))
        let last = RowBinding(try db.cachedStatement(sql: "SELECT sequence, count FROM log_batch ORDER BY sequence DESC LIMIT 1"))
        defer { last.finish() }
        if try last.step(), let sequence = last.integer(0) {
            let count = last.integer(1) ?? 0
            guard count > 0 else { throw badBatch(sequence, "its count \(count) is not a number of records the log writes") }
            let (end, overflow) = sequence.addingReportingOverflow(count)
            guard !overflow else { throw badBatch(sequence, "its records would be numbered past the largest number") }
            next = max(next, end)
        }
        return next
    }

    /// The error of a batch row that is not one the runtime writes.
    static func badBatch(_ sequence: Int64, _ what: String) -> StoreError {
        StoreError(
            .notADatabase,
            "the log's batch at sequence \(sequence) is not one the runtime writes (\(what)): the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
    }

    /// Records of one batch being gathered: their text, and the counts of each workflow they name.
    struct LogBatch {
        /// The records' compact JSON texts joined by `"\n"`.
        var text: [UInt8] = []
        var count = 0
        var contactID: String?
        /// The latest `at` of the records (milliseconds).
        var atLast = Int64.min
        /// The workflows named, in the order first named, with their counts.
        var workflows: [WorkflowCounts] = []

        /// What a batch counts for one workflow (a row of `log_workflow`).
        struct WorkflowCounts {
            var id: String
            var entered: Int64 = 0
            var finished: Int64 = 0
            var exited: Int64 = 0
            var errors: Int64 = 0
            /// Effects by kind, in the order first seen.
            var effects: [(kind: String, count: Int64)] = []
        }

        init() { text.reserveCapacity(4096) }

        /// A batch whose text has room for `bytes` bytes (the size of the batch before it, so the
        /// next one of the same size is allocated once, never grown).
        init(reserving bytes: Int) { text.reserveCapacity(max(1024, bytes)) }

        mutating func removeAll() {
            text.removeAll(keepingCapacity: true)
            count = 0
            contactID = nil
            atLast = .min
            workflows.removeAll(keepingCapacity: true)
        }

        /// Counts a record whose text was appended to ``text`` already (after a `"\n"` when it is
        /// not the batch's first): the batch's count, contact and latest time, and what it counts
        /// for its workflow.
        mutating func tally(_ heading: LogRecord.Heading) {
            if count == 0 { contactID = heading.contactID }
            count += 1
            atLast = max(atLast, heading.at.millisecondsSinceEpoch)
            guard let workflowID = heading.workflowID else { return }
            let index: Int
            if let found = workflows.firstIndex(where: { $0.id == workflowID }) {
                index = found
            } else {
                workflows.append(WorkflowCounts(id: workflowID))
                index = workflows.count - 1
            }
            switch heading.status {
            case .entered: workflows[index].entered += 1
            case .finished: workflows[index].finished += 1
            case .exited: workflows[index].exited += 1
            case .error: workflows[index].errors += 1
            default: break
            }
            if let kind = heading.effectKind {
                if let found = workflows[index].effects.firstIndex(where: { $0.kind == kind }) {
                    workflows[index].effects[found].count += 1
                } else {
                    workflows[index].effects.append((kind, 1))
                }
            }
        }

        /// Writes the batch (nothing when empty) as the row at `sequence`, with its `log_workflow` rows.
        func write(sequence: Int64, in db: Database) throws {
            guard count > 0 else { return }
            var insert = RowBinding(
                try db.cachedStatement(sql: "INSERT INTO log_batch (sequence, count, at_last, contact_id, records) VALUES (?, ?, ?, ?, ?)"))
            insert.bind(sequence, 1)
            insert.bind(count, 2)
            insert.bind(atLast, 3)
            insert.bind(contactID, 4)
            insert.bind(utf8: text, 5)
            try insert.execute()
            for workflow in workflows {
                try SQLiteStore.writeWorkflowCounts(
                    workflow.id, sequence: sequence, entered: workflow.entered, finished: workflow.finished, exited: workflow.exited,
                    errors: workflow.errors, effects: workflow.effects, in: db)
            }
        }
    }

    /// Writes the `log_workflow` row of a batch and workflow; `effects` as a compact JSON object
    /// of counts by kind, keys in code-point order (`NULL` when there is none).
    static func writeWorkflowCounts(
        _ workflowID: String, sequence: Int64, entered: Int64, finished: Int64, exited: Int64, errors: Int64, effects: [(kind: String, count: Int64)],
        in db: Database
    ) throws {
        var insert = RowBinding(
            try db.cachedStatement(
                sql: "INSERT INTO log_workflow (workflow_id, sequence, entered, finished, exited, errors, effects) VALUES (?, ?, ?, ?, ?, ?, ?)"))
        insert.bind(workflowID, 1)
        insert.bind(sequence, 2)
        insert.bind(entered, 3)
        insert.bind(finished, 4)
        insert.bind(exited, 5)
        insert.bind(errors, 6)
        if effects.isEmpty {
            insert.bind(nil as String?, 7)
        } else {
            var text: [UInt8] = [UInt8(ascii: "{")]
            for (index, effect) in effects.sorted(by: { $0.kind.utf8.lexicographicallyPrecedes($1.kind.utf8) }).enumerated() {
                if index > 0 { text.append(UInt8(ascii: ",")) }
                JSONValue.writeString(effect.kind, to: &text)
                text.append(UInt8(ascii: ":"))
                text.append(contentsOf: String(effect.count).utf8)
            }
            text.append(UInt8(ascii: "}"))
            insert.bind(utf8: text, 7)
        }
        try insert.execute()
    }

    // MARK: Reading

    /// The records of the batches `sql` selects (`sequence, count, records`, in the order wanted),
    /// each split and numbered, handed to `body` as `(batch's sequence, record's sequence, text)` in
    /// the batch's order — reversed when `reversed` (for a `sql` in descending order). `body`
    /// returns `false` to stop. A batch that cannot be split and numbered fails the call, or, given
    /// `unreadable`, is handed to it and skipped.
    static func forEachLogRecord(
        _ sql: String, arguments: [LogArgument], reversed: Bool, in db: Database, unreadable: ((StoreError) -> Void)? = nil,
        _ body: (Int64, Int64, String) throws -> Bool
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        // The raw handle is used after the last use of `statement`, whose deinit finalizes it.
        defer { withExtendedLifetime(statement) {} }
        var select = RowBinding(statement)
        for (index, argument) in zip(Int32(1)..., arguments) {
            switch argument {
            case .text(let text): select.bind(text, index)
            case .integer(let value): select.bind(value, index)
            }
        }
        defer { select.finish() }
        var texts: [String] = []
        while try select.step() {
            let sequence = select.integer(0) ?? 0
            let count = select.integer(1) ?? 0
            texts.removeAll(keepingCapacity: true)
            select.withTextBytes(2) { bytes in
                for piece in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                    texts.append(String(decoding: piece, as: UTF8.self))
                }
            }
            let damage: StoreError? =
                if count <= 0 || Int64(texts.count) != count {
                    badBatch(sequence, "its text holds \(texts.count) record\(texts.count == 1 ? "" : "s") where its count says \(count)")
                } else if sequence <= 0 || sequence.addingReportingOverflow(count).overflow {
                    badBatch(sequence, "its records cannot be numbered from \(sequence)")
                } else {
                    nil
                }
            if let damage {
                guard let unreadable else { throw damage }
                unreadable(damage)
                continue
            }
            for offset in reversed ? Array(texts.indices.reversed()) : Array(texts.indices) {
                guard try body(sequence, sequence + Int64(offset), texts[offset]) else { return }
            }
        }
    }

    /// The log's records as `(sequence, text)`, oldest first: each record's compact JSON as it was written.
    static func logTexts(in db: Database) throws -> [(Int64, String)] {
        var rows: [(Int64, String)] = []
        try forEachLogRecord("SELECT sequence, count, records FROM log_batch ORDER BY sequence", arguments: [], reversed: false, in: db) {
            rows.append(($1, $2))
            return true
        }
        return rows
    }
}
