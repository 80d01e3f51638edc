import Foundation
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
import PurchaseActionsSQLite
import Testing

@Suite("The durable runtime and the in-memory engine: the same log and effects on the bundled fixtures")
struct ParityTests {
    static let accounts = ["course-creator", "membership-site", "physical-goods-store"]

    @Test("Same events through the in-memory engine and the durable runtime: same log records, same external effects", arguments: accounts)
    func sameAsInMemory(account: String) async throws {
        let root = StoreFixture.root
        let automation = try LoadedAutomation(exportFile: root.appendingPathComponent("Fixtures/exports/\(account).xml").path).automation
        let text = try String(contentsOf: root.appendingPathComponent("Fixtures/events/\(account).jsonl"), encoding: .utf8)
        let events = try text.split(separator: "\n").map { line in try Event.load(Data(line.utf8)) }
        let start = try #require(events.first).occurredAt
        let end = start.adding(.seconds(30 * 86_400))

        let effects = RecordingEffectSink()
        let engine = try Engine(automation, start: start, ports: Engine.Ports(effects: effects))
        var expected: [LogRecord] = []
        for event in events { expected += try engine.ingest(event) }
        expected += engine.advance(to: end)

        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        _ = try store.publish(automation, at: start)
        let runtime = try DurableRuntime(store: store)
        var got: [LogRecord] = []
        for event in events { got += try await runtime.ingest(event) }
        got += try await runtime.advance(to: end)

        #expect(expected.count > 10)
        #expect(got.map(\.json.canonicalText) == expected.map(\.json.canonicalText))
        #expect(try store.log(LogQuery()).map(\.record.canonicalText) == expected.map(\.json.canonicalText), "the stored log too")
        let outbox = try store.outbox(dead: false).map { "\($0.key) \($0.kind) \($0.details.canonicalText)" }
        let external = effects.effects.filter { $0.isExternal && $0.idempotencyKey != nil }.map { "\($0.idempotencyKey ?? "") \($0.kind) \($0.details.canonicalText)" }
        #expect(!external.isEmpty)
        #expect(outbox == external)
    }
}
