import GRDB
import PurchaseActionsCore
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
