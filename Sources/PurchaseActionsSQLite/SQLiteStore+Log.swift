internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// The log's rows (schema 5): each record's members in columns — those the queries filter on,
/// and the rest with `why` and the effect's details as compact JSON text — instead of its whole
/// JSON, which is composed again when read (``SQLiteStore/logText(_:)``), byte for byte
/// `LogRecord.json.compactText` as schema 4 stored it. Rows a schema 4 file had keep that text
/// in `json` (read as it is).
extension SQLiteStore {
    /// The columns ``logText(_:)`` reads, in its order.
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
            let details = effect.map { effect in key.flatMap { detailsText[$0] } ?? effect.details.compactText }
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
                try db.cachedStatement(sql: "UPDATE enrollment SET error = ? WHERE id = ? AND state IN ('finished', 'exited')")
                    .execute(arguments: [parts.message, id])
            }
        }
    }

    /// A log row's record as compact JSON text (`LogRecord.json.compactText`): its `json` when a
    /// schema 4 file wrote it, else composed from its columns (``logColumns``, from index 1) with
    /// the members in key order, `nil` ones left out.
    static func logText(_ row: Row) throws -> String {
        if let stored = (try row.get(1)) as String? { return stored }
        var output: [UInt8] = []
        output.reserveCapacity(512)
        var first = true
        func key(_ name: String) {
            output.append(contentsOf: ((first ? "{\"" : ",\"") + name + "\":").utf8)
            first = false
        }
        func string(_ name: String, _ index: Int) throws {
            guard let value = (try row.get(index)) as String? else { return }
            key(name)
            JSONValue.writeString(value, to: &output)
        }
        key("at")
        JSONValue.writeString(Instant(millisecondsSinceEpoch: (try row.get(2))).description, to: &output)
        try string("cause", 3)
        try string("contact", 4)
        if let kind = (try row.get(5)) as String? {
            key("effect")
            output.append(UInt8(ascii: "{"))
            var inner: [String] = []
            if let deliverAt = (try row.get(6)) as Int64? {
                var text: [UInt8] = []
                JSONValue.writeString(Instant(millisecondsSinceEpoch: deliverAt).description, to: &text)
                inner.append(#""deliverAt":"# + String(decoding: text, as: UTF8.self))
            }
            inner.append(#""details":"# + ((try row.get(7)) as String? ?? "null"))
            if let effectKey = (try row.get(8)) as String? {
                var text: [UInt8] = []
                JSONValue.writeString(effectKey, to: &text)
                inner.append(#""key":"# + String(decoding: text, as: UTF8.self))
            }
            var kindText: [UInt8] = []
            JSONValue.writeString(kind, to: &kindText)
            inner.append(#""kind":"# + String(decoding: kindText, as: UTF8.self))
            output.append(contentsOf: inner.joined(separator: ",").utf8)
            output.append(UInt8(ascii: "}"))
        }
        try string("enrollment", 9)
        try string("message", 10)
        try string("status", 11)
        try string("step", 12)
        if let version = (try row.get(13)) as Int? {
            key("version")
            output.append(contentsOf: String(version).utf8)
        }
        if let why = (try row.get(14)) as String? {
            key("why")
            output.append(contentsOf: why.utf8)
        }
        try string("workflow", 15)
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }
}
