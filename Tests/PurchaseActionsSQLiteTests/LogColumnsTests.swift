import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// The log's records read back byte for byte as schema 4 stored them (`LogRecord.json.compactText`),
/// for every kind of record (schema 5 kept them in columns, schema 6 in batches), and a schema 4
/// file migrates with its log read the same.
@Suite("The log's text: read back byte for byte as schema 4 stored it")
struct LogColumnsTests {
    static let nasty = "a\"b\\c\n\r\t\u{0}\u{8}\u{C}\u{1B}\u{7F}é—\u{2028}💥"

    /// Records of every status, with and without each optional member, effect and `why`, hostile text.
    static func records() -> [LogRecord] {
        let at = StoreFixture.at("2025-03-04T05:06:07.089Z")
        var records: [LogRecord] = []
        for (index, status) in LogRecord.Status.allCases.enumerated() {
            records.append(LogRecord(at: at, cause: "e-\(index)", status: status, message: ""))
            records.append(
                LogRecord(
                    at: at.adding(.seconds(Int64(index))), cause: nasty, workflowID: nasty, version: index - 3, enrollmentID: nasty, contactID: nasty,
                    stepID: nasty, status: status,
                    effect: Effect(
                        kind: nasty, details: .object([nasty: .array([.null, .bool(true), .integer(-3), .string(nasty), .object([:])]), "b": .string("")]),
                        isExternal: true, idempotencyKey: nasty, deliverAt: at.adding(.seconds(86_400))),
                    why: .object(["z": .integer(Int.min), "a": .object(["y": .null, "x": .array([])])]), message: nasty))
            records.append(
                LogRecord(
                    at: at, cause: "c", workflowID: "w", version: 1, contactID: "c-1", status: status,
                    effect: Effect(kind: "add-tag", details: .null, isExternal: false), why: .string(nasty), message: "m"))
            records.append(LogRecord(at: Instant(millisecondsSinceEpoch: -62_135_596_800_000), cause: "x", status: status, why: .array([]), message: "é"))
        }
        return records
    }

    /// The log's rows as text, oldest first.
    static func storedText(_ store: SQLiteStore) throws -> [String] {
        try store.read("read") { db in try SQLiteStore.logTexts(in: db).map(\.1) }
    }

    @Test("Every status, every member present and absent, hostile text: the text read is compactText; the queries filter as before")
    func everyKind() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let records = Self.records()
        try store.queue.write { db in try SQLiteStore.appendLog(records, in: db) }
        #expect(try Self.storedText(store) == records.map(\.json.compactText))
        #expect(try Self.storedText(store) == records.map(\.compactJSONText))
        #expect(try store.log(LogQuery()).map(\.record) == records.map(\.json))
        #expect(try store.log(LogQuery(contactID: Self.nasty)).map(\.record) == records.filter { $0.contactID == Self.nasty }.map(\.json))
        #expect(try store.log(LogQuery(workflowID: "w", status: .goal)).map(\.record) == records.filter { $0.workflowID == "w" && $0.status == .goal }.map(\.json))
        #expect(try store.log(LogQuery(limit: 2)).map(\.record) == records.suffix(2).map(\.json))
        let since = StoreFixture.at("2025-03-04T05:06:10Z")
        #expect(try store.log(LogQuery(since: since)).map(\.record) == records.filter { $0.at >= since }.map(\.json))
    }

    @Test("The details the outbox wrote are the log's: given text is used as is, a missing key composes them")
    func detailsGiven() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let effect = Effect(kind: "send-email", details: .object(["to": .string("a@b")]), isExternal: true, idempotencyKey: "k")
        let record = LogRecord(at: StoreFixture.start, cause: "e", status: .completed, effect: effect, message: "m")
        try store.queue.write { db in try SQLiteStore.appendLog([record, record], detailsText: ["k": #"{"to":"a@b"}"#, "other": "1"], in: db) }
        #expect(try Self.storedText(store) == [record.json.compactText, record.json.compactText])
    }

    @Test("The bundled fixtures through the durable runtime: every stored row's text is the in-memory engine's record's compactText", arguments: ParityTests.accounts)
    func fixtures(account: String) async throws {
        let (automation, events, start, expected) = try StoreFixture.fixtureRun(account)
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        _ = try store.publish(automation, at: start)
        let runtime = try DurableRuntime(store: store)
        for event in events { try await runtime.ingest(event) }
        try await runtime.advance(to: start.adding(.seconds(30 * 86_400)))
        #expect(expected.contains { $0.effect?.isExternal == true } && expected.contains { $0.why != nil })
        #expect(try Self.storedText(store) == expected.map(\.json.compactText))
    }

    @Test("A schema 4 file (made by the schema 4 migrations, its log rows as schema 4 wrote them) migrates and reads the same, old rows and new")
    func migratesSchema4() throws {
        let path = StoreFixture.temporaryPath()
        let old = Self.records()
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "v4-dunning-state")
            try queue.write { db in
                #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 4)
                for record in old {
                    try db.execute(
                        sql: "INSERT INTO log (at, contact_id, workflow_id, status, effect_kind, json) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [record.at.millisecondsSinceEpoch, record.contactID, record.workflowID, record.status.rawValue, record.effect?.kind, record.compactJSONText])
                }
            }
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.read("version") { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == SQLiteStore.schemaVersion)
        #expect(try Self.storedText(store) == old.map(\.json.compactText))
        // (By "c-1": schema 4 rows were written through GRDB's binding, which ends text at a NUL byte.)
        #expect(try store.log(LogQuery(contactID: "c-1")).map(\.record) == old.filter { $0.contactID == "c-1" }.map(\.json))
        #expect(try store.log(LogQuery(contactID: "c-1")).count == LogRecord.Status.allCases.count)
        let new = Array(old.prefix(5))
        try store.queue.write { db in try SQLiteStore.appendLog(new, in: db) }
        #expect(try Self.storedText(store) == (old + new).map(\.json.compactText))
        #expect(try store.log(LogQuery()).map(\.sequence) == Array(1...Int64(old.count + new.count)))
        let indexes = try store.read("indexes") { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log_batch' ORDER BY name") }
        #expect(indexes == ["log_batch_at", "log_batch_contact"])
        #expect(try store.prune(before: StoreFixture.at("2025-03-04T05:06:08Z")).logRows > 0)
    }
}
