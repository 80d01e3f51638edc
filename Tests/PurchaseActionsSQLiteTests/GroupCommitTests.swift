import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
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
    static func refused(_ id: String, contact: String, at time: Instant = StoreFixture.start) -> Event {
        var event = StoreFixture.tagged(id, at: time, contact: contact)
        event.tag = nil
        return event
    }

    /// The same batches through a runtime on the optimistic path, one forced on the per-caller
    /// path, and one on the optimistic path composing each caller's log at its write instead of
    /// while its events run (each on its own new store): what each caller got, and every stored
    /// row, then after the wake-ups due in `days` days fired.
    static func compare(_ workflows: [Workflow], _ batches: [[Caller]], days: Int = 10) async throws -> (optimistic: SavepointCounter, each: SavepointCounter) {
        try await compare({ try StoreFixture.store(workflows) }, batches, until: StoreFixture.start.adding(.seconds(Int64(days) * 86_400)))
    }

    /// ``compare(_:_:days:)`` on stores `make` gives, the wake-ups due by `end` fired after the
    /// batches. With a `prelude`, each store first runs it (through a runtime of its own), then
    /// `edit` (SQL, as an operator editing the file by hand), and the compared runtimes start after.
    static func compare(
        _ make: () throws -> SQLiteStore, prelude: [[Caller]] = [], edit: String? = nil, _ batches: [[Caller]], until end: Instant
    ) async throws -> (optimistic: SavepointCounter, each: SavepointCounter) {
        var together = try make()
        var each = try make()
        var atWrite = try make()
        if !prelude.isEmpty || edit != nil {
            for store in [together, each, atWrite] {
                _ = await run(prelude, through: try DurableRuntime(store: store))
                if let edit { try StoreFixture.execute(store) { db in try db.execute(sql: edit) } }
            }
            together = try SQLiteStore(path: together.path)
            each = try SQLiteStore(path: each.path)
            atWrite = try SQLiteStore(path: atWrite.path)
        }
        let togetherRuntime = try DurableRuntime(store: together)
        let eachRuntime = try DurableRuntime(store: each)
        await eachRuntime.setCommitsEachCaller(true)
        let atWriteRuntime = try DurableRuntime(store: atWrite)
        await atWriteRuntime.setComposesAhead(false)
        let counters = (try counting(together), try counting(each))
        let got = await run(batches, through: togetherRuntime)
        let expected = await run(batches, through: eachRuntime)
        #expect(got == expected, "each caller got the same records or error")
        #expect(try rows(together) == rows(each), "the same rows stored")
        #expect(await run(batches, through: atWriteRuntime) == expected, "composed at the write: the same answers")
        #expect(try rows(atWrite) == rows(each), "composed at the write: the same rows")
        let (togetherAhead, eachAhead, atWriteAhead) = (await togetherRuntime.logsComposed.ahead, await eachRuntime.logsComposed.ahead, await atWriteRuntime.logsComposed.ahead)
        #expect(togetherAhead > 0 && eachAhead > 0)
        #expect(atWriteAhead == 0)
        let fired = try await togetherRuntime.advance(to: end).map(\.compactJSONText)
        #expect(fired == (try await eachRuntime.advance(to: end).map(\.compactJSONText)))
        #expect(fired == (try await atWriteRuntime.advance(to: end).map(\.compactJSONText)))
        #expect(try rows(together) == rows(each), "the same rows after the wake-ups")
        #expect(try rows(atWrite) == rows(each), "the same rows after the wake-ups")
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

    // MARK: Dunning and rows set aside (review 5, finding 9)

    /// A store with the dunning policy of `DunningRuntimeTests` published, and `w` (a tag, a wait, an email).
    static func dunningStore() throws -> SQLiteStore {
        let policy = try DunningRuntimeTests.policy()
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        _ = try store.publish(
            Automation(workflows: policy.actionWorkflows + [StoreFixture.waitThenMail(extraStep: true)]),
            dunningPolicy: DunningPolicyDocument(id: policy.id, fileVersion: policy.version, json: policy.json), at: StoreFixture.start)
        return store
    }

    /// A log record's `enrollment`.
    static func enrollmentOf(_ record: JSONValue) -> String? {
        guard case .object(let members) = record, case .string(let id)? = members["enrollment"] else { return nil }
        return id
    }

    @Test("A published dunning policy: failures, second reports and retries due mid-batch, in batches with refusals, give the per-caller path's rows (dunning's state reloaded after the rollback)")
    func dunningBatches() async throws {
        typealias D = DunningRuntimeTests
        let t0 = D.t0
        func tag(_ id: String, _ contact: String, hours: Int) -> Caller { .event(StoreFixture.tagged(id, at: D.at(hours: hours), contact: contact)) }
        let batches: [[Caller]] = [
            // Two invoices start dunning; a refusal between them rolls the first try back.
            [.event(D.failed("inv-1", at: t0)), .event(Self.refused("bad-1", contact: "c-5", at: t0)),
             .event(D.failed("inv-2", at: D.at(hours: 1), card: "card-2", contact: "c-2"))],
            // Past inv-1's first retry (2 days): dunning fires it before the first event; inv-1's
            // failure reported again; a refused worker batch among them.
            [tag("t-1", "c-1", hours: 50), .event(D.failed("inv-1", attempt: 2, at: D.at(hours: 51))),
             .batch([StoreFixture.tagged("t-2", at: D.at(hours: 51), contact: "c-3"), Self.refused("bad-2", contact: "c-3", at: D.at(hours: 51))],
                    InputPosition(source: "in", offset: 5, line: 2)),
             .event(D.failed("inv-3", at: D.at(hours: 52), card: "card-3", contact: "c-3"))],
            // No refusal: in one go, after the reload.
            [.event(D.failed("inv-2", attempt: 2, at: D.at(hours: 75), card: "card-2", contact: "c-2")), tag("t-3", "c-2", hours: 75)],
        ]
        let (optimistic, _) = try await Self.compare(Self.dunningStore, batches, until: D.at(days: 20))
        #expect(optimistic.savepoints == 3 + 4, "the first two batches ran again per caller, the last in one go")
        let store = try Self.dunningStore()
        _ = await Self.run(batches, through: try DurableRuntime(store: store))
        #expect(try store.dunningInvoices(openOnly: true, limit: 10).map(\.invoice.id) == ["inv-1", "inv-2", "inv-3"])
        let kinds = try D.kinds(store, "inv-1"), outbox = try store.outbox(dead: false).map(\.key)
        #expect(kinds == ["started", "reported"], "inv-1's second failure reported once, not once per try")
        #expect(outbox == ["charge:inv-1/attempt-2", "charge:inv-2/attempt-2"], "the retries fired mid-batch, each once")
    }

    @Test("Rows set aside mid-batch (a version and a wake-up edited by hand): the optimistic path keeps each caller's error records before its own, as per caller; a refused caller's set-aside is rolled back with it")
    func setAsideBatches() async throws {
        let workflows = [StoreFixture.waitThenMail(extraStep: true)]
        func tag(_ id: String, _ contact: String, seconds: Int64) -> Event { StoreFixture.tagged(id, at: StoreFixture.start.adding(.seconds(seconds)), contact: contact) }
        let prelude: [[Caller]] = [["c-1", "c-2", "c-3", "c-4"].map { .event(tag("p-\($0)", $0, seconds: 0)) }]
        // e-1 and e-4: another version than their JSON's (met by their contact's next event);
        // e-3: a wake-up edited to the start of 1970 (met by the next wake-up).
        let edit = "UPDATE enrollment SET version = 2 WHERE id IN ('e-1', 'e-4'); UPDATE enrollment SET wake_at = 1 WHERE id = 'e-3'"
        let batches: [[Caller]] = [
            // c-1's event sets e-1 aside; then a refusal: the whole try is rolled back.
            [.event(tag("a", "c-1", seconds: 10)), .event(Self.refused("bad-1", contact: "c-2", at: StoreFixture.start.adding(.seconds(10)))),
             .event(tag("b", "c-3", seconds: 11))],
            // A worker batch sets e-4 aside and is then refused (its set-aside rolled back with it);
            // the next caller meets e-4 again and sets it aside for good.
            [.batch([tag("c", "c-4", seconds: 20), Self.refused("bad-2", contact: "c-4", at: StoreFixture.start.adding(.seconds(20)))],
                    InputPosition(source: "in", offset: 7, line: 3)),
             .event(tag("d", "c-4", seconds: 21)), .event(tag("e", "c-1", seconds: 21))],
            [.event(tag("f", "c-2", seconds: 30)), .event(tag("g", "c-4", seconds: 30))],
        ]
        let (optimistic, each) = try await Self.compare(
            { try StoreFixture.store(workflows) }, prelude: prelude, edit: edit, batches, until: StoreFixture.start.adding(.seconds(10 * 86_400)))
        #expect(each.savepoints == 8)
        #expect(optimistic.savepoints == 6, "the first two batches ran again per caller, the last in one go")

        // What is stored: e-3 set aside by the wake-ups the first event fires first, then e-1 and
        // e-4 once each (one error record each).
        let store = try StoreFixture.store(workflows)
        _ = await Self.run(prelude, through: try DurableRuntime(store: store))
        try StoreFixture.execute(store) { db in try db.execute(sql: edit) }
        let runtime = try DurableRuntime(store: try SQLiteStore(path: store.path))
        _ = await Self.run(batches, through: runtime)
        let composed = await runtime.logsComposed
        #expect(composed.atWrite > 0 && composed.ahead > 0, "a caller that set rows aside composes its log at the write, the others ahead: \(composed)")
        let errors = try store.log(LogQuery(status: .error)).map { Self.enrollmentOf($0.record) }
        #expect(errors == ["e-3", "e-1", "e-4"])
        #expect(try store.log(LogQuery(status: .error)).allSatisfy { $0.record.compactText.contains("\"cause\":\"store\"") })
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(10 * 86_400)))
        #expect(try store.log(LogQuery(status: .error)).count == 3, "each set aside once")
        // Every other enrollment sends (the workflow allows re-entry); the refused worker batch enrolled no one.
        let keys = try store.outbox(dead: false).map(\.key)
        #expect(keys == [2, 5, 6, 7, 8, 9, 10].map { "e-\($0)/2/w:mail" }, "e-1, e-3 and e-4 never")
    }
}
