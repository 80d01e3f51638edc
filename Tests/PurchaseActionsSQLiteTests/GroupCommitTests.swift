import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Group commit runs a batch of callers in one go (no savepoint per caller); when the engine
/// refuses one caller's event the transaction is rolled back and the batch runs again with a
/// savepoint per caller. These tests compare what the two paths store and answer.
@Suite("Group commit: the batch in one go, per caller again only when an event is refused")
struct GroupCommitTests {
    /// One caller of a batch: one event (`ingest(_:)`) or a worker batch with its position.
    enum Caller {
        case event(Event)
        case batch([Event], InputPosition)
    }

    /// Runs each batch's callers through `runtime` in one transaction (queued in order while
    /// commits are held, then let go), and returns what each caller got: its records' text, or
    /// its error's code, batch index and message.
    static func run(_ batches: [[Caller]], through runtime: DurableRuntime) async -> [String] {
        var outcomes: [String] = []
        for batch in batches {
            await runtime.setHoldsCommits(true)
            var tasks: [Task<[LogRecord], any Error>] = []
            for (index, caller) in batch.enumerated() {
                tasks.append(
                    Task {
                        switch caller {
                        case .event(let event): try await runtime.ingest(event)
                        case .batch(let events, let position): try await runtime.ingest(events, through: position)
                        }
                    })
                // Queued in this order: the batch's order is the same in every run.
                while await runtime.queuedCount < index + 1 { await Task.yield() }
            }
            await runtime.setHoldsCommits(false)
            for task in tasks {
                switch await task.result {
                case .success(let records): outcomes.append(records.map(\.compactJSONText).joined(separator: "\n"))
                case .failure(let error as StoreError):
                    outcomes.append("\(error.code) \(error.engineError?.batchIndex.map(String.init) ?? "-") \(error.message)")
                case .failure(let error): outcomes.append("other \(error)")
                }
            }
        }
        return outcomes
    }

    /// Every row of every table, in the table's order (rowid, or primary key).
    static func rows(_ store: SQLiteStore) throws -> [String] {
        try store.read("read every row") { db in
            var lines: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") { lines.append("\(table) \(row)") }
            }
            return lines
        }
    }

    /// Counts the savepoints a connection opens.
    final class SavepointCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var savepoints: Int { lock.withLock { count } }
        func note(_ sql: String) { if sql.hasPrefix("SAVEPOINT") { lock.withLock { count += 1 } } }
    }

    static func counting(_ store: SQLiteStore) throws -> SavepointCounter {
        let counter = SavepointCounter()
        try StoreFixture.execute(store) { db in db.trace { event in counter.note(event.expandedDescription) } }
        return counter
    }

    /// A `tag.added` event the engine refuses (no tag: invalid-event).
    static func refused(_ id: String, contact: String) -> Event {
        var event = StoreFixture.tagged(id, at: StoreFixture.start, contact: contact)
        event.tag = nil
        return event
    }

    /// The same batches through a runtime on the optimistic path and one forced on the per-caller
    /// path (each on its own new store): what each caller got, and every stored row, then after
    /// the wake-ups due in `days` days fired.
    static func compare(_ workflows: [Workflow], _ batches: [[Caller]], days: Int = 10) async throws -> (optimistic: SavepointCounter, each: SavepointCounter) {
        let together = try StoreFixture.store(workflows)
        let each = try StoreFixture.store(workflows)
        let togetherRuntime = try DurableRuntime(store: together)
        let eachRuntime = try DurableRuntime(store: each)
        await eachRuntime.setCommitsEachCaller(true)
        let counters = (try counting(together), try counting(each))
        let got = await run(batches, through: togetherRuntime)
        let expected = await run(batches, through: eachRuntime)
        #expect(got == expected, "each caller got the same records or error")
        #expect(try rows(together) == rows(each), "the same rows stored")
        let end = StoreFixture.start.adding(.seconds(Int64(days) * 86_400))
        let fired = try await togetherRuntime.advance(to: end).map(\.compactJSONText)
        #expect(fired == (try await eachRuntime.advance(to: end).map(\.compactJSONText)))
        #expect(try rows(together) == rows(each), "the same rows after the wake-ups")
        return counters
    }

    @Test("A batch of three callers, the middle one refused: the others commit, only it fails, the rows are the per-caller path's")
    func middleRefused() async throws {
        let workflows = [StoreFixture.waitThenMail(extraStep: true)]
        let batches: [[Caller]] = [
            [.event(StoreFixture.tagged("a", at: StoreFixture.start, contact: "c-1")), .event(Self.refused("bad", contact: "c-2")),
             .event(StoreFixture.tagged("c", at: StoreFixture.start, contact: "c-3"))],
            [.event(StoreFixture.tagged("d", at: StoreFixture.start, contact: "c-1")), .event(StoreFixture.tagged("e", at: StoreFixture.start, contact: "c-2"))],
        ]
        let (optimistic, each) = try await Self.compare(workflows, batches)
        // The per-caller path: a savepoint per caller in both batches (3 + 2); the optimistic one
        // tried the first batch in one go, rolled it back, ran it per caller (3), then the second in one go (0).
        #expect(each.savepoints == 5)
        #expect(optimistic.savepoints == 3)

        // What the callers got, and what is stored.
        let store = try StoreFixture.store(workflows)
        let runtime = try DurableRuntime(store: store)
        let outcomes = await Self.run([batches[0]], through: runtime)
        #expect(outcomes[0].contains("\"status\":\"entered\""))
        #expect(outcomes[1].hasPrefix("engine - "), "only the refused caller fails: \(outcomes[1])")
        #expect(outcomes[2].contains("\"status\":\"entered\""))
        #expect(try store.enrollments(EnrollmentQuery()).map { "\($0.enrollment.id) \($0.enrollment.contactID)" } == ["e-1 c-1", "e-2 c-3"])
        #expect(try store.contact(id: "c-2") == nil)
        #expect(try store.log(LogQuery(contactID: "c-2")).isEmpty)
        #expect(await runtime.commits == 1, "the rolled-back try is not a commit")
    }

    @Test("Batches with no refusal run in one go: no savepoint, one commit each, the same rows as per caller")
    func noRefusal() async throws {
        let batches: [[Caller]] = (0..<3).map { round in
            (0..<4).map { caller in
                caller == 3
                    ? .batch(
                        [StoreFixture.tagged("w-\(round)", at: StoreFixture.start, contact: "c-9"), StoreFixture.tagged("x-\(round)", at: StoreFixture.start, contact: "c-\(round)")],
                        InputPosition(source: "in", offset: Int64(round + 1), line: round + 1))
                    : .event(StoreFixture.tagged("e-\(round)-\(caller)", at: StoreFixture.start.adding(.seconds(Int64(round))), contact: "c-\(caller)"))
            }
        }
        let (optimistic, each) = try await Self.compare([StoreFixture.waitThenMail(extraStep: true)], batches)
        #expect(optimistic.savepoints == 0)
        #expect(each.savepoints == 12)
    }

    @Test("A refused worker batch among events: its position is not moved, the other callers' are", arguments: [0, 1, 2])
    func refusedWorkerBatch(place: Int) async throws {
        var batch: [Caller] = [
            .event(StoreFixture.tagged("a", at: StoreFixture.start, contact: "c-1")),
            .batch([StoreFixture.tagged("b", at: StoreFixture.start, contact: "c-2")], InputPosition(source: "one", offset: 10, line: 1)),
        ]
        batch.insert(
            .batch([StoreFixture.tagged("c", at: StoreFixture.start, contact: "c-3"), Self.refused("d", contact: "c-3")], InputPosition(source: "two", offset: 20, line: 2)),
            at: place)
        _ = try await Self.compare([StoreFixture.waitThenMail(extraStep: true)], [batch])
        let store = try StoreFixture.store([StoreFixture.waitThenMail(extraStep: true)])
        let outcomes = await Self.run([batch], through: try DurableRuntime(store: store))
        #expect(outcomes[place].hasPrefix("engine 1 event 1 of the batch"), "\(outcomes[place])")
        #expect(try store.inputPosition(source: "two") == nil)
        #expect(try store.inputPosition(source: "one")?.offset == 10)
    }

    @Test("Random batches (shared contacts, duplicates, refusals, worker batches): the optimistic path stores and answers as per caller", arguments: 0..<12)
    func randomBatches(seed: Int) async throws {
        var random = SplitMix(seed: UInt64(seed) &* 0x9E37_79B9 &+ 7)
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        var batches: [[Caller]] = []
        var number = 0
        var seconds: Int64 = 0
        func event() -> Event {
            number += 1
            seconds += Int64(pick(3))
            let contact = "c-\(pick(5))"
            // Now and then an event id seen before (a duplicate), now and then one refused.
            switch pick(12) {
            case 0: return Self.refused("bad-\(number)", contact: contact)
            case 1 where number > 2: return StoreFixture.tagged("ev-\(pick(number - 1) + 1)", at: StoreFixture.start.adding(.seconds(seconds)), contact: contact)
            default: return StoreFixture.tagged("ev-\(number)", at: StoreFixture.start.adding(.seconds(seconds)), contact: contact)
            }
        }
        for round in 0..<(2 + pick(4)) {
            batches.append(
                (0..<(1 + pick(6))).map { caller in
                    pick(4) == 0
                        ? .batch((0..<(1 + pick(3))).map { _ in event() }, InputPosition(source: "in-\(pick(2))", offset: Int64(round * 10 + caller), line: round))
                        : .event(event())
                })
        }
        let workflows = [StoreFixture.waitThenMail(days: 1 + pick(3), extraStep: true), StoreFixture.waitThenMail("v", days: 2, subject: "Again")]
        _ = try await Self.compare(workflows, batches)
    }
}
