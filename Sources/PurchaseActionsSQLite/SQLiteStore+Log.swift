internal import GRDB
internal import GRDBSQLite
import PurchaseActionsCore
import PurchaseActionsEngine

/// The log's rows (schema 5): each record's members in columns — those the queries filter on,
/// and the rest with `why` and the effect's details as compact JSON text — instead of its whole
/// JSON, which is composed again when read (``SQLiteStore/logTexts(_:arguments:in:)``), byte for byte
/// `LogRecord.json.compactText` as schema 4 stored it. Rows a schema 4 file had keep that text
/// in `json` (read as it is).
/// A value a log query compares a column with.
enum LogArgument {
    case text(String)
    case integer(Int64)
}

extension SQLiteStore {
    /// The columns ``logTexts(_:arguments:in:)`` reads, in its order.
    static let logColumns =
        "sequence, json, at, cause, contact_id, effect_kind, effect_deliver_at, effect_details, effect_key, enrollment_id, message, status, step_id, version, why, workflow_id"

    /// Appends the records to the log, in order (and notes on an enrollment an `error` record that
    /// ended it). `detailsText` gives, by idempotency key, the effect details' compact text the
    /// outbox was written with (made once for both).
    static func appendLog(_ records: [LogRecord], detailsText: [String: String] = [:], in db: Database) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO log (at, contact_id, workflow_id, status, effect_kind, cause, version, enrollment_id, step_id, message, why,
                    effect_key, effect_deliver_at, effect_details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for record in records {
            let parts = record.parts
            let effect = parts.effect
            let key = effect?.idempotencyKey
            let details = effect.map { effect in key.flatMap { detailsText[$0] } ?? effect.compactDetailsText }
            var row = RowBinding(insert)
            row.bind(parts.at.millisecondsSinceEpoch, 1)
            row.bind(parts.contactID, 2)
            row.bind(parts.workflowID, 3)
            row.bind(parts.status.rawValue, 4)
            row.bind(effect?.kind, 5)
            row.bind(parts.cause, 6)
            row.bind(parts.version, 7)
            row.bind(parts.enrollmentID, 8)
            row.bind(parts.stepID, 9)
            row.bind(parts.message, 10)
            row.bind(parts.whyText, 11)
            row.bind(key, 12)
            row.bind(effect?.deliverAt?.millisecondsSinceEpoch, 13)
            row.bind(details, 14)
            try row.execute()
            if parts.status == .error, let id = parts.enrollmentID {
                try SQLiteEnrollmentStore.noteError(parts.message, enrollmentID: id, in: db)
            }
        }
    }

    /// The rows `sql` selects (``logColumns``, in order) as `(sequence, text)`: each record as compact
    /// JSON text (`LogRecord.json.compactText`), its `json` when a schema 4 file wrote it, else
    /// composed from its columns with the members in key order, `nil` ones left out. Text is read
    /// with its length (GRDB's rows end text at a NUL byte, which a message may hold).
    ///
    /// `arguments` are text or integers, bound with their length as ``RowBinding`` binds the rows'
    /// values (GRDB's binding ends text at a NUL byte).
    static func logTexts(_ sql: String, arguments: [LogArgument], in db: Database) throws -> [(Int64, String)] {
        let statement = try db.makeStatement(sql: sql)
        // The raw handle below is used after the last use of `statement`, whose deinit finalizes
        // it: keep the statement alive to the end.
        defer { withExtendedLifetime(statement) {} }
        var binding = RowBinding(statement)
        for (index, argument) in zip(Int32(1)..., arguments) {
            switch argument {
            case .text(let text): binding.bind(text, index)
            case .integer(let value): binding.bind(value, index)
            }
        }
        try binding.check()
        let handle = statement.sqliteStatement
        var rows: [(Int64, String)] = []
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        func text(_ index: Int32) -> String? {
            guard sqlite3_column_type(handle, index) != SQLITE_NULL else { return nil }
            let bytes = sqlite3_column_text(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes, count > 0 else { return "" }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        func integer(_ index: Int32) -> Int64? {
            sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
        }
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
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
            }
            let sequence = sqlite3_column_int64(handle, 0)
            if let stored = text(1) {
                rows.append((sequence, stored))
                continue
            }
            output.removeAll(keepingCapacity: true)
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
            rows.append((sequence, String(decoding: output, as: UTF8.self)))
        }
        return rows
    }
}
