import Foundation
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// The ports keep the transaction's contacts and enrollments in memory and write them behind
/// (at the end of each savepoint): these tests run many events in one savepoint and roll one back.
@Suite("Write-behind: contacts and enrollments kept in the transaction, written once, dropped on rollback")
struct WriteBehindTests {
    @Test("All of a fixture's events in one worker batch (one savepoint): same log and effects as the in-memory engine", arguments: ParityTests.accounts)
    func oneBatchSameAsInMemory(account: String) async throws {
        let root = StoreFixture.root
        let automation = try LoadedAutomation(exportFile: root.appendingPathComponent("Fixtures/exports/\(account).xml").path).automation
        let text = try String(contentsOf: root.appendingPathComponent("Fixtures/events/\(account).jsonl"), encoding: .utf8)
        let events = try text.split(separator: "\n").map { line in try Event.load(Data(line.utf8)) }
        let start = try #require(events.first).occurredAt
        let end = start.adding(.seconds(30 * 86_400))

        let effects = RecordingEffectSink()
        let memory = InMemoryEnrollmentStore()
        let engine = try Engine(automation, start: start, ports: Engine.Ports(effects: effects, store: memory))
        var expected: [LogRecord] = []
        for event in events { expected += try engine.ingest(event) }
        expected += engine.advance(to: end)

        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        _ = try store.publish(automation, at: start)
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(events, through: InputPosition(source: "events.jsonl", offset: 1, line: events.count))
        try await runtime.advance(to: end)

        #expect(expected.count > 10)
        #expect(try store.log(LogQuery()).map(\.record.canonicalText) == expected.map(\.json.canonicalText))
        let outbox = try store.outbox(dead: false).map { "\($0.key) \($0.kind) \($0.details.canonicalText)" }
        let external = effects.effects.filter { $0.isExternal && $0.idempotencyKey != nil }.map { "\($0.idempotencyKey ?? "") \($0.kind) \($0.details.canonicalText)" }
        #expect(outbox == external)
        // What is stored is what the engine holds: every contact and enrollment as the in-memory engine left it.
        for stored in try store.enrollments(EnrollmentQuery()) {
            #expect(stored.enrollment.json.canonicalText == memory.enrollment(id: stored.enrollment.id)?.json.canonicalText)
        }
        for event in events {
            guard let id = event.contact.id, let contact = engine.contact(id: id) else { continue }
            #expect(try store.contact(id: id)?.json.canonicalText == contact.json.canonicalText)
        }
    }

    @Test("A refused batch in a transaction with others: its kept contacts, enrollments and enrollment counter are dropped, the others' written")
    func rolledBackSavepointDropsItsRows() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(extraStep: true)])
        let runtime = try DurableRuntime(store: store)
        await runtime.setHoldsCommits(true)
        var bad = StoreFixture.tagged("bad", at: StoreFixture.start, contact: "c-9")
        bad.tag = nil  // invalid-event
        let first = Task { try await runtime.ingest([StoreFixture.tagged("a", at: StoreFixture.start, contact: "c-1")], through: InputPosition(source: "a", offset: 1, line: 1)) }
        while await runtime.queuedCount < 1 { await Task.yield() }
        let refused = Task {
            try await runtime.ingest(
                [StoreFixture.tagged("b", at: StoreFixture.start, contact: "c-2"), StoreFixture.tagged("b2", at: StoreFixture.start, contact: "c-2"), bad],
                through: InputPosition(source: "b", offset: 1, line: 1))
        }
        while await runtime.queuedCount < 2 { await Task.yield() }
        let third = Task { try await runtime.ingest([StoreFixture.tagged("c", at: StoreFixture.start, contact: "c-3")], through: InputPosition(source: "c", offset: 1, line: 1)) }
        while await runtime.queuedCount < 3 { await Task.yield() }
        await runtime.setHoldsCommits(false)
        _ = try await first.value
        await #expect(throws: StoreError.self) { try await refused.value }
        _ = try await third.value
        let enrollments = try store.enrollments(EnrollmentQuery()).map { "\($0.enrollment.id) \($0.enrollment.contactID)" }
        #expect(enrollments == ["e-1 c-1", "e-2 c-3"], "the refused batch's enrollments (e-2, e-3) were not written and their numbers are reused")
        #expect(try store.contact(id: "c-2") == nil, "the refused batch's contact was not written")
        #expect(try store.contact(id: "c-3")?.tags.contains("t") == true, "the third batch's contact was, with its tag")
        #expect(try store.inputPosition(source: "b") == nil)
        // The refused batch given again without its bad event: it runs as if it had never been tried.
        try await runtime.ingest(
            [StoreFixture.tagged("b", at: StoreFixture.start, contact: "c-2"), StoreFixture.tagged("b2", at: StoreFixture.start, contact: "c-2")],
            through: InputPosition(source: "b", offset: 1, line: 1))
        #expect(try store.enrollments(EnrollmentQuery(contactID: "c-2")).map(\.enrollment.id) == ["e-3", "e-4"])
    }
}
