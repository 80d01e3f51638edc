import Dispatch
import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// A caller's log composed in pieces while its events run (`LogComposer`, `LogStream`) gives the
/// batches, counts and rows of composing it at once (`SQLiteStore.appendLog`).
@Suite("The log composed ahead, in pieces, on another thread")
struct LogStreamTests {
    /// What a composition holds, as text a test compares: each batch's records, count, contact,
    /// latest time and counts per workflow, then the error notes.
    static func describe(_ composed: LogComposer.Composed) -> [String] {
        composed.batches.map { batch in
            let workflows = batch.workflows.map { "\($0.id) \($0.entered)/\($0.finished)/\($0.exited)/\($0.errors) \($0.effects.map { "\($0.kind)=\($0.count)" })" }
            return "\(batch.count) \(batch.contactID ?? "-") \(batch.atLast) \(workflows) \(String(decoding: batch.text, as: UTF8.self))"
        } + composed.errors.map { "error \($0.enrollmentID) \($0.message)" }
    }

    /// An external effect with an idempotency key, its details composed `{"n":1}`.
    static func external(_ key: String) -> Effect {
        Effect(kind: "send-email", details: .object(["n": .integer(1)]), isExternal: true, idempotencyKey: key)
    }

    /// Records of every kind: several contacts (runs of one contact, none), errors ending
    /// enrollments, effects whose details the outbox gave, hostile text, and a run one past the
    /// batch limit.
    static func records() -> [LogRecord] {
        var records = LogColumnsTests.records()
        for index in 0..<40 {
            let contact = index % 7 == 0 ? nil : "c-\(index / 3)"
            records.append(
                LogRecord(
                    at: LogBatchTests.at.adding(.seconds(Int64(index))), cause: "e-\(index)", workflowID: index % 2 == 0 ? "w" : "v", version: 1,
                    enrollmentID: "e-\(index)", contactID: contact, status: index % 5 == 0 ? .error : .completed,
                    effect: index % 3 == 0 ? external("k-\(index)") : nil, message: "m-\(index)"))
        }
        records += (0...SQLiteStore.logBatchLimit).map { LogBatchTests.record("c-long", seconds: Int64($0 % 4)) }
        return records
    }

    /// The outbox's text of some records' details (not what they compose: so a test sees which is used).
    static let details: [(String, String)] = stride(from: 0, to: 40, by: 6).map { ("k-\($0)", #"{"outbox":\#($0)}"#) }

    @Test("Fed in pieces cut anywhere (through a run of one contact, one past the batch limit), a composer makes what it makes fed at once", arguments: 0..<8)
    func pieces(seed: Int) {
        let records = Self.records()
        var once = LogComposer(detailsText: Dictionary(uniqueKeysWithValues: Self.details))
        once.append(records)
        let expected = Self.describe(once.finish())
        #expect(expected.count > 10)
        #expect(expected.contains { $0.contains(#"{"outbox":6}"#) }, "the outbox's details are used")
        #expect(expected.contains { $0.hasPrefix("error e-5 m-5") })

        var random = SplitMix(seed: UInt64(seed) &+ 11)
        var composer = LogComposer()
        var start = 0
        var detailsGiven = false
        while start < records.count {
            let end = min(records.count, start + 1 + Int(random.next() % 60))
            // The details come with the first piece that may need them, as the outbox takes them.
            composer.append(records[start..<end], details: detailsGiven ? [] : Self.details)
            detailsGiven = true
            start = end
        }
        #expect(Self.describe(composer.finish()) == expected)
        #expect(Self.describe(composer.finish()).isEmpty, "finishing empties the composer")
    }

    @Test("Details given again take the new text for the records after; a composer with none composes each effect's own")
    func detailsOrder() {
        let record = LogRecord(at: LogBatchTests.at, cause: "e", contactID: "c-1", status: .completed, effect: Self.external("k"), message: "m")
        var composer = LogComposer()
        composer.append([record])
        composer.append([record], details: [("k", #"{"a":1}"#)])
        composer.append([record], details: [("k", #"{"b":2}"#)])
        let text = Self.describe(composer.finish()).joined()
        #expect(text.components(separatedBy: #"{"n":1}"#).count == 2)
        #expect(text.components(separatedBy: #"{"a":1}"#).count == 2)
        #expect(text.components(separatedBy: #"{"b":2}"#).count == 2)
    }

    @Test("A stream composes each caller's pieces on its queue and gives, once the last is composed, what a composer makes of the caller's records at once; a caller with no piece gives nothing")
    func stream() {
        let records = Self.records()
        var once = LogComposer(detailsText: Dictionary(uniqueKeysWithValues: Self.details))
        once.append(records)
        let expected = Self.describe(once.finish())
        let queue = DispatchQueue(label: "LogStreamTests")
        let stream = LogStream(queue: queue)
        // Callers 0 and 2 get the records, interleaved piece by piece; caller 1 none.
        var pieces: [LogStream.Piece] = []
        for (index, start) in stride(from: 0, to: records.count, by: 7).enumerated() {
            let piece = Array(records[start..<min(records.count, start + 7)])
            pieces.append(LogStream.Piece(caller: 0, records: piece, details: index == 0 ? Self.details : []))
            pieces.append(LogStream.Piece(caller: 2, records: piece, details: index == 0 ? Self.details : []))
            if pieces.count >= 10 {
                stream.compose(pieces)
                pieces = []
            }
        }
        stream.compose(pieces)
        let composed = stream.finish()
        #expect(composed.count == 3)
        #expect(Self.describe(composed[0]) == expected)
        #expect(Self.describe(composed[1]).isEmpty)
        #expect(Self.describe(composed[2]) == expected)
        #expect(stream.finish().isEmpty, "finishing empties the stream")
        // Pieces of a stream left unfinished compose to nothing another stream sees.
        LogStream(queue: queue).compose([LogStream.Piece(caller: 0, records: records, details: [])])
        #expect(LogStream(queue: queue).finish().isEmpty)
    }

    @Test("A pipeline hands pieces on in bunches of about 256 records (and what is left at the finish); callers take places in order")
    func pipeline() {
        let records = Self.records()
        var pipeline = LogPipeline(queue: DispatchQueue(label: "LogStreamTests.pipeline"))
        var expected: [[String]] = []
        for caller in 0..<3 {
            let mine = Array(records.prefix(100 * (caller + 1)))
            for start in stride(from: 0, to: mine.count, by: 9) { pipeline.add(mine[start..<min(mine.count, start + 9)], details: []) }
            #expect(pipeline.endCaller() == caller)
            var once = LogComposer()
            once.append(mine)
            expected.append(Self.describe(once.finish()))
        }
        #expect(pipeline.finish().map(Self.describe) == expected)
    }

    /// Every row of the log's tables, in order.
    static func logRows(_ store: SQLiteStore) throws -> [String] {
        try store.read("log rows") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM log_batch ORDER BY sequence").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM log_workflow ORDER BY workflow_id, sequence").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT id, error FROM enrollment ORDER BY sequence").map { "\($0)" }
        }
    }

    @Test("Written from a stream, callers one after another numbered from the last one's end, the rows are appendLog's")
    func written() throws {
        let records = Self.records()
        let callers = [Array(records[0..<30]), Array(records[30..<80]), [], Array(records[80...])]
        let direct = try SQLiteStore(path: StoreFixture.temporaryPath())
        let streamed = try SQLiteStore(path: StoreFixture.temporaryPath())
        let queue = DispatchQueue(label: "LogStreamTests.written")
        try direct.queue.write { db in
            try SQLiteStore.appendLog([LogBatchTests.record("c-0")], in: db)
            for caller in callers { try SQLiteStore.appendLog(caller, detailsText: Dictionary(uniqueKeysWithValues: Self.details), in: db) }
        }
        try streamed.queue.write { db in
            try SQLiteStore.appendLog([LogBatchTests.record("c-0")], in: db)
            var next: Int64?
            let stream = LogStream(queue: queue)
            stream.compose(callers.enumerated().map { LogStream.Piece(caller: $0.offset, records: $0.element, details: Self.details) })
            for composed in stream.finish() { next = try SQLiteStore.writeLog(composed, startingAt: next, in: db) }
            #expect(next == Int64(records.count + 1 + 1))
        }
        #expect(try Self.logRows(streamed) == Self.logRows(direct))
        #expect(try Self.logRows(direct).count > 20)
    }

    @Test("The effects' details kept for the log: new ones taken in order; one set again with another text marks the log to compose again; forgetting clears all")
    func detailsKept() {
        let context = TransactionContext()
        context.setDetails("a", "1")
        context.setDetails("b", "2")
        #expect(context.takeNewDetails().map { "\($0.0)=\($0.1)" } == ["a=1", "b=2"])
        #expect(context.takeNewDetails().isEmpty)
        context.setDetails("a", "1")
        #expect(!context.detailsRewritten, "the same text again is no change")
        context.setDetails("a", "3")
        #expect(context.detailsRewritten)
        #expect(context.detailsText == ["a": "3", "b": "2"])
        context.forgetDetails()
        #expect(!context.detailsRewritten && context.detailsText.isEmpty && context.takeNewDetails().isEmpty)
    }

    @Test("A log whose numbers would pass the largest is refused before a row is written")
    func overflow() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        var composer = LogComposer()
        composer.append([LogBatchTests.record("c-1"), LogBatchTests.record("c-2"), LogBatchTests.record("c-2")])
        let composed = composer.finish()
        #expect(throws: StoreError.self) {
            try store.queue.write { db in try SQLiteStore.writeLog(composed, startingAt: Int64.max - 1, in: db) }
        }
        #expect(try Self.logRows(store).isEmpty)
        let next = try store.queue.write { db in try SQLiteStore.writeLog(composed, startingAt: Int64.max - 3, in: db) }
        #expect(next == Int64.max)
    }
}
