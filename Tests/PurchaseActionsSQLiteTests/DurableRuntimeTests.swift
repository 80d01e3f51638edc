import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

@Suite("Durable runtime: waits across restarts, duplicates, group commit")
struct DurableRuntimeTests {
    @Test("A wait of 3 days survives closing and reopening the store: the email is sent once")
    func waitSurvivesReopen() async throws {
        let path: String
        do {
            let store = try StoreFixture.store()
            path = store.path
            let runtime = try DurableRuntime(store: store)
            let records = try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
            #expect(records.contains { $0.status == .waiting })
            #expect(try store.outbox(dead: false).isEmpty)
        }
        let store = try SQLiteStore(path: path)
        let runtime = try DurableRuntime(store: store)
        #expect(await runtime.now == StoreFixture.start, "the clock was stored")
        #expect(await runtime.nextWakeUp == StoreFixture.start.adding(.seconds(3 * 86_400)))
        let early = try await runtime.advance(to: StoreFixture.start.adding(.seconds(3 * 86_400 - 1)))
        #expect(early.isEmpty)
        let fired = try await runtime.advance(to: StoreFixture.start.adding(.seconds(3 * 86_400)))
        #expect(fired.filter { $0.effect?.kind == "send-email" }.count == 1)
        #expect(try await runtime.advance(to: StoreFixture.start.adding(.seconds(10 * 86_400))).isEmpty)
        let outbox = try store.outbox(dead: false)
        #expect(outbox.count == 1)
        #expect(outbox.first?.kind == "send-email")
        #expect(try store.enrollments(EnrollmentQuery(state: .finished)).count == 1)
        // A third runtime fires nothing again.
        let again = try DurableRuntime(store: try SQLiteStore(path: path))
        #expect(try await again.advance(to: StoreFixture.start.adding(.seconds(20 * 86_400))).isEmpty)
        #expect(try store.outbox(dead: false).count == 1)
    }

    @Test("An event id seen before does nothing, in the same runtime and after a reopen")
    func duplicates() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        let event = StoreFixture.tagged("ev-1", at: StoreFixture.start)
        try await runtime.ingest(event)
        let second = try await runtime.ingest(event)
        #expect(second.map(\.status) == [.duplicate])
        let reopened = try DurableRuntime(store: try SQLiteStore(path: store.path))
        #expect(try await reopened.ingest(event).map(\.status) == [.duplicate])
        #expect(try store.enrollments(EnrollmentQuery()).count == 1)
        #expect(try store.log(LogQuery(status: .entered)).count == 1)
    }

    @Test("100 tasks ingesting at once: one transaction holds them all, each acknowledged after it committed")
    func groupCommit() async throws {
        let store = try StoreFixture.store()
        let observer = CommitCounter()
        store.queue.add(transactionObserver: observer, extent: .databaseLifetime)
        let reader = try SQLiteStore(path: store.path)  // another connection: sees only what committed
        let runtime = try DurableRuntime(store: store)
        await runtime.setHoldsCommits(true)
        let before = observer.commits
        let seen = try await withThrowingTaskGroup(of: Bool.self) { group in
            for number in 0..<100 {
                group.addTask {
                    let id = "ev-\(number)"
                    try await runtime.ingest(StoreFixture.tagged(id, at: StoreFixture.start, contact: "c-\(number)"))
                    // Acknowledged: the event is committed, as another connection sees.
                    return try reader.read("check") { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM processed_event WHERE id = ?", arguments: [id]) } == true
                }
            }
            while await runtime.queuedCount < 100 { await Task.yield() }
            #expect(observer.commits == before, "nothing committed while held")
            await runtime.setHoldsCommits(false)
            var all: [Bool] = []
            for try await ok in group { all.append(ok) }
            return all
        }
        #expect(seen.count == 100 && seen.allSatisfy { $0 })
        #expect(observer.commits - before == 1, "one transaction for the 100 events")
        #expect(try store.enrollments(EnrollmentQuery(state: .waiting)).count == 100)
    }

    @Test("An event the engine refuses rolls back alone; the others of its transaction commit")
    func badEventRollsBackAlone() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        await runtime.setHoldsCommits(true)
        var bad = StoreFixture.tagged("bad", at: StoreFixture.start, contact: "c-bad")
        bad.tag = nil  // a tag.added event without its tag: invalid-event
        let good = Task { try await runtime.ingest(StoreFixture.tagged("good", at: StoreFixture.start)) }
        let refused = Task { try await runtime.ingest(bad) }
        while await runtime.queuedCount < 2 { await Task.yield() }
        await runtime.setHoldsCommits(false)
        #expect(try await good.value.contains { $0.status == .entered })
        await #expect(throws: StoreError.self) { try await refused.value }
        #expect(try store.enrollments(EnrollmentQuery()).map(\.enrollment.contactID) == ["c-1"])
        #expect(try store.log(LogQuery(contactID: "c-bad")).isEmpty)
    }

    @Test("ingest(_:through:) commits the input position with the events; a refused batch keeps neither")
    func inputPosition() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        let events = (0..<3).map { StoreFixture.tagged("ev-\($0)", at: StoreFixture.start, contact: "c-\($0)") }
        try await runtime.ingest(events, through: InputPosition(source: "a.jsonl", offset: 300, line: 3))
        #expect(try store.inputPosition(source: "a.jsonl") == InputPosition(source: "a.jsonl", offset: 300, line: 3))
        var bad = StoreFixture.tagged("ev-bad", at: StoreFixture.start, contact: "c-9")
        bad.tag = nil
        do {
            try await runtime.ingest([StoreFixture.tagged("ev-4", at: StoreFixture.start, contact: "c-4"), bad], through: InputPosition(source: "a.jsonl", offset: 500, line: 5))
            Issue.record("the batch was accepted")
        } catch {
            #expect(error.code == .engine)
            #expect(error.engineError?.batchIndex == 1)
        }
        #expect(try store.inputPosition(source: "a.jsonl")?.offset == 300)
        #expect(try store.log(LogQuery(contactID: "c-4")).isEmpty, "the good event of the refused batch is not kept either")
        #expect(try store.inputPosition(source: "b.jsonl") == nil)
    }
}
