internal import GRDB
internal import GRDBSQLite
import PurchaseActionsCore
import PurchaseActionsEngine

extension SQLiteStore {
    /// The move to schema 6 (the log in batches): each row of schema 5's `log` becomes a batch of
    /// one record at its own sequence, its text the JSON `log --json` read from it (its `json` when
    /// a schema 4 file wrote it, else composed from its columns as schema 5 read it), with its
    /// `log_workflow` row; `meta.next_log` is set past the last row. Streamed row by row (never the
    /// whole log in memory); the caller's migration drops `log` afterwards.
    ///
    /// A stored `json` holding a raw newline (a row edited by hand: the runtime never wrote one) is
    /// stored as the compact text of the JSON it parses to, which reads back the same; one that is
    /// not JSON is stored as it was, and reading it is the error naming its batch.
    static func migrateLogToBatches(_ db: Database) throws {
        let sql = """
            SELECT sequence, json, at, cause, contact_id, effect_kind, effect_deliver_at, effect_details, effect_key, enrollment_id,
                message, status, step_id, version, why, workflow_id FROM log ORDER BY sequence
            """
        let statement = try db.makeStatement(sql: sql)
        // The raw handle below is used after the last use of `statement`, whose deinit finalizes
        // it: keep the statement alive to the end.
        defer { withExtendedLifetime(statement) {} }
        let handle = statement.sqliteStatement
        // Reset (its read of `log` ended) whatever happens, before the caller drops the table.
        defer { sqlite3_reset(handle) }
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        // The row's columns, read with their length (a NUL byte inside is kept).
        let row = RowBinding(statement)
        func text(_ index: Int32) -> String? { row.text(index) }
        func integer(_ index: Int32) -> Int64? { row.integer(index) }
        var first = true
        func key(_ name: StaticString) {
            output.append(UInt8(ascii: first ? "{" : ","))
            output.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { output.append(contentsOf: $0) }
            output.append(contentsOf: "\":".utf8)
            first = false
        }
        func string(_ name: StaticString, _ index: Int32) {
            guard let value = text(index) else { return }
            key(name)
            JSONValue.writeString(value, to: &output)
        }
        let insertStatement = try db.makeStatement(sql: "INSERT INTO log_batch (sequence, count, at_last, contact_id, records) VALUES (?, 1, ?, ?, ?)")
        var next: Int64 = 1
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
            }
            let sequence = sqlite3_column_int64(handle, 0)
            output.removeAll(keepingCapacity: true)
            if let stored = text(1) {
                if stored.utf8.contains(UInt8(ascii: "\n")), let value = try? JSONValue.parse(stored) {
                    output.append(contentsOf: value.compactText.utf8)
                } else {
                    output.append(contentsOf: stored.utf8)
                }
            } else {
                first = true
                key("at")
                JSONValue.writeString(Instant(millisecondsSinceEpoch: integer(2) ?? 0).description, to: &output)
                string("cause", 3)
                string("contact", 4)
                if let kind = text(5) {
                    key("effect")
                    output.append(UInt8(ascii: "{"))
                    if let deliverAt = integer(6) {
                        output.append(contentsOf: #""deliverAt":"#.utf8)
                        JSONValue.writeString(Instant(millisecondsSinceEpoch: deliverAt).description, to: &output)
                        output.append(UInt8(ascii: ","))
                    }
                    output.append(contentsOf: #""details":"#.utf8)
                    output.append(contentsOf: (text(7) ?? "null").utf8)
                    if let effectKey = text(8) {
                        output.append(contentsOf: #","key":"#.utf8)
                        JSONValue.writeString(effectKey, to: &output)
                    }
                    output.append(contentsOf: #","kind":"#.utf8)
                    JSONValue.writeString(kind, to: &output)
                    output.append(UInt8(ascii: "}"))
                }
                string("enrollment", 9)
                string("message", 10)
                string("status", 11)
                string("step", 12)
                if let version = integer(13) {
                    key("version")
                    output.append(contentsOf: String(version).utf8)
                }
                if let why = text(14) {
                    key("why")
                    output.append(contentsOf: why.utf8)
                }
                string("workflow", 15)
                output.append(UInt8(ascii: "}"))
            }
            var insert = RowBinding(insertStatement)
            insert.bind(sequence, 1)
            insert.bind(integer(2) ?? 0, 2)
            insert.bind(text(4), 3)
            insert.bind(utf8: output, 4)
            try insert.execute()
            if let workflowID = text(15) {
                let status = text(11)
                func counts(_ wanted: LogRecord.Status) -> Int64 { status == wanted.rawValue ? 1 : 0 }
                try writeWorkflowCounts(
                    workflowID, sequence: sequence, entered: counts(.entered), finished: counts(.finished), exited: counts(.exited),
                    errors: counts(.error), effects: text(5).map { [(kind: $0, count: Int64(1))] } ?? [], in: db)
            }
            if sequence < Int64.max { next = max(next, sequence + 1) }
        }
        try db.setMeta("next_log", next)
    }
}
