import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Review 2, finding 1: a stored input position edited by hand (a negative offset) made the worker
/// trap building its tail buffer (`[UInt8](repeating:count:)` with a negative count). The store now
/// refuses any position the worker never writes, naming the input.
@Suite("Durable runtime: an input position edited by hand is refused, never read")
struct EditedInputPositionTests {
    @Test("A negative offset or line, or a tail that is not lower-case hex of at most 256 bytes, is not-a-database naming the input",
          arguments: [
            "UPDATE input_position SET offset = -5",
            "UPDATE input_position SET line = -1",
            "UPDATE input_position SET tail = 'zz'",
            "UPDATE input_position SET tail = 'abc'",
            "UPDATE input_position SET tail = '\(String(repeating: "ab", count: 257))'",
          ])
    func refused(edit: String) async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest([StoreFixture.tagged("ev-1", at: StoreFixture.start)], through: InputPosition(source: "a.jsonl", offset: 300, line: 3, tail: "0a"))
        #expect(try store.inputPosition(source: "a.jsonl") == InputPosition(source: "a.jsonl", offset: 300, line: 3, tail: "0a"))
        try StoreFixture.execute(store) { db in try db.execute(sql: edit) }
        let error = try #require(throws: StoreError.self) { _ = try store.inputPosition(source: "a.jsonl") }
        #expect(error.code == .notADatabase, "\(error)")
        #expect(error.message.contains("'a.jsonl'") && error.message.contains("edited by hand"), "\(error)")
    }

    @Test("The longest tail the worker writes (256 bytes, 512 hex digits) and none at all are read back")
    func boundaries() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        let longest = String(repeating: "0f", count: InputPosition.tailBytes)
        try await runtime.ingest([StoreFixture.tagged("ev-1", at: StoreFixture.start)], through: InputPosition(source: "a.jsonl", offset: 0, line: 0, tail: longest))
        #expect(try store.inputPosition(source: "a.jsonl")?.tail == longest)
        try await runtime.ingest([StoreFixture.tagged("ev-2", at: StoreFixture.start)], through: InputPosition(source: "-", offset: 9, line: 1))
        #expect(try store.inputPosition(source: "-")?.tail == nil)
    }
}

/// Review 2, findings 4 and 6: an outbox attempt count the worker never writes, and our tables
/// without GRDB's record of the migrations that made them.
@Suite("Durable runtime: edited outbox attempts and a dropped migrations table")
struct EditedOutboxAndMigrationsTests {
    @Test("An attempt count of Int64.max or below 0 is refused naming the row, never wrapped to a negative attempt", arguments: ["9223372036854775807", "-1"])
    func attempts(value: String) async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(days: 0)])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        let key = try #require(try await runtime.dueDeliveries(at: StoreFixture.start.adding(seconds: 86_400), limit: 10).first?.key)
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE outbox SET attempts = \(value)") }
        let listing = await #expect(throws: StoreError.self) { _ = try await runtime.dueDeliveries(at: StoreFixture.start.adding(seconds: 86_400), limit: 10) }
        #expect(listing?.code == .notADatabase && listing?.message.contains("attempts were made") == true, "\(String(describing: listing))")
        let recording = await #expect(throws: StoreError.self) { try await runtime.record(.delivered, key: key, at: StoreFixture.start) }
        #expect(recording?.code == .notADatabase, "\(String(describing: recording))")
    }

    @Test("Our tables with grdb_migrations emptied: not-a-database saying the migrations' record is gone, not 'another program'")
    func migrationsDropped() throws {
        let path = StoreFixture.temporaryPath()
        do {
            let store = try SQLiteStore(path: path)
            try StoreFixture.execute(store) { db in try db.execute(sql: "DELETE FROM grdb_migrations") }
        }
        let error = try #require(throws: StoreError.self) { _ = try SQLiteStore(path: path) }
        #expect(error.code == .notADatabase, "\(error)")
        #expect(error.message.contains("grdb_migrations") && !error.message.contains("another program"), "\(error)")
    }
}
