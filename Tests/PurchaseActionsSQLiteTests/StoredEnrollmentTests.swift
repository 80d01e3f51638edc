import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

@Suite("Stored enrollments that do not fit: an error for that enrollment, or a clear store error")
struct StoredEnrollmentTests {
    /// A store with one enrollment waiting 3 days, whose stored JSON `edit` changes (and its
    /// version column to `version`, so the row agrees with its JSON: else the store sets it aside).
    static func edited(version: Int = 1, _ edit: @escaping (String) -> String) async throws -> (SQLiteStore, DurableRuntime) {
        let store = try StoreFixture.store()
        try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        try StoreFixture.execute(store) { db in
            let json = try String.fetchOne(db, sql: "SELECT json FROM enrollment WHERE id = 'e-1'") ?? ""
            try db.execute(sql: "UPDATE enrollment SET json = ?, version = ? WHERE id = 'e-1'", arguments: [edit(json), version])
        }
        return (store, try DurableRuntime(store: try SQLiteStore(path: store.path)))
    }

    @Test("A stored enrollment at a position its version does not have: an error record, exited, listed as error; the runtime goes on")
    func positionOutOfRange() async throws {
        let (store, runtime) = try await Self.edited { $0.replacing("\"position\":1", with: "\"position\":99") }
        let records = try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        #expect(records.contains { $0.status == .error && $0.enrollmentID == "e-1" })
        let errors = try store.enrollments(EnrollmentQuery(state: .error))
        #expect(errors.map(\.enrollment.id) == ["e-1"])
        #expect(errors.first?.enrollment.state == .exited)
        #expect(errors.first?.error?.isEmpty == false)
        #expect(try store.outbox(dead: false).isEmpty, "nothing sent")
        // The next event runs as usual.
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start.adding(.seconds(5 * 86_400)), contact: "c-2"))
        #expect(try store.enrollments(EnrollmentQuery(state: .waiting)).count == 1)
    }

    @Test("A stored enrollment on a version that is not stored: an error record, exited")
    func unknownVersion() async throws {
        let (store, runtime) = try await Self.edited(version: 7) { $0.replacing("\"version\":1", with: "\"version\":7") }
        let records = try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        #expect(records.contains { $0.status == .error && $0.enrollmentID == "e-1" })
        #expect(try store.enrollments(EnrollmentQuery(state: .error)).count == 1)
    }

    @Test("A stored enrollment on a version that is not stored: the error record says what to do; the others go on")
    func unknownVersionSaysWhatToDo() async throws {
        let (store, runtime) = try await Self.edited(version: 7) { $0.replacing("\"version\":1", with: "\"version\":7") }
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start.adding(.seconds(3_600)), contact: "c-2"))
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        let error = try #require(try store.log(LogQuery(status: .error)).first)
        #expect(error.record.compactText.contains("restore the store from a backup"), "\(error.record.compactText)")
        #expect(try store.enrollments(EnrollmentQuery(state: .finished)).map(\.enrollment.contactID) == ["c-2"], "the other enrollment ran to its end")
    }
}

/// Issue 13: a stored enrollment whose row does not read back (its JSON edited or damaged) is set
/// aside — that enrollment alone ends as `error` with a log record saying what is wrong and what
/// to do — and everything else of the transaction goes on; the runtime never stops on it.
@Suite("Unreadable stored enrollments are set aside, the rest goes on")
struct QuarantineTests {
    /// The ways a row's `json` may not read back.
    static let corruptions: [(String, @Sendable (String) -> String)] = [
        ("not JSON", { _ in "{\"id\": \"e-1\", trunc" }),
        ("a member renamed", { $0.replacing("\"frames\":", with: "\"framez\":") }),
        ("a state the engine does not know", { $0.replacing("\"kind\":\"waiting\"", with: "\"kind\":\"sleeping\"") }),
        ("a number where text belongs", { $0.replacing("\"contactID\":\"c-1\"", with: "\"contactID\":12") }),
        ("empty", { _ in "" }),
    ]

    /// Three contacts enrolled (c-1's row `e-1` then damaged), each waiting three days.
    static func scene(_ edit: @escaping (String) -> String) async throws -> (SQLiteStore, DurableRuntime) {
        let store = try StoreFixture.store()
        let first = try DurableRuntime(store: store)
        for (number, contact) in ["c-1", "c-2", "c-3"].enumerated() {
            try await first.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: contact))
        }
        try StoreFixture.execute(store) { db in
            let json = try String.fetchOne(db, sql: "SELECT json FROM enrollment WHERE id = 'e-1'") ?? ""
            try db.execute(sql: "UPDATE enrollment SET json = ? WHERE id = 'e-1'", arguments: [edit(json)])
        }
        return (store, try DurableRuntime(store: try SQLiteStore(path: store.path)))
    }

    /// What every corruption must give: e-1 an error with a log record, the others on.
    static func expectSetAside(_ store: SQLiteStore, _ what: String) throws {
        let errors = try store.enrollments(EnrollmentQuery(state: .error))
        #expect(errors.map(\.enrollment.id) == ["e-1"], "\(what)")
        #expect(errors.first?.error?.contains("restore the database from a backup") == true, "\(what): \(String(describing: errors.first?.error))")
        #expect(errors.first?.enrollment.contactID == "c-1", "\(what): listed from its columns")
        let records = try store.log(LogQuery(status: .error))
        #expect(records.count == 1, "\(what): one error record")
        let text = records.first?.record.compactText ?? ""
        #expect(text.contains("\"enrollment\":\"e-1\"") && text.contains("\"contact\":\"c-1\"") && text.contains("unreadableEnrollment"), "\(what): \(text)")
        #expect(text.contains("set aside") && text.contains("Backups"), "\(what): says what to do: \(text)")
        // Its row is no longer running and has no wake-up: nothing meets it again.
        let row = try store.read("check") { db in try Row.fetchOne(db, sql: "SELECT state, wake_at FROM enrollment WHERE id = 'e-1'") }
        #expect(row?["state"] as String? == "exited" && (row?["wake_at"] as Int64?) == nil, "\(what)")
    }

    @Test("Met by a wake-up: the other due wake-ups fire in the same advance, the bad one is set aside", arguments: 0..<5)
    func wakeUp(_ index: Int) async throws {
        let (name, edit) = Self.corruptions[index]
        let (store, runtime) = try await Self.scene(edit)
        let records = try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        #expect(records.filter { $0.status == .finished }.map(\.contactID) == ["c-2", "c-3"], "\(name)")
        #expect(try store.outbox(dead: false).count == 2, "\(name): the others' emails are in the outbox")
        try Self.expectSetAside(store, name)
        // The runtime goes on: a later event and wake-up run.
        try await runtime.ingest(StoreFixture.tagged("ev-9", at: StoreFixture.start.adding(.seconds(5 * 86_400)), contact: "c-4"))
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(9 * 86_400)))
        #expect(try store.outbox(dead: false).count == 3, "\(name)")
        #expect(try store.log(LogQuery(status: .error)).count == 1, "\(name): set aside once")
    }

    @Test("Met by an event of its contact: the event's other effects run and commit", arguments: 0..<5)
    func event(_ index: Int) async throws {
        let (name, edit) = Self.corruptions[index]
        let (store, runtime) = try await Self.scene(edit)
        // c-1 tagged again: its running enrollments are read (re-entry is allowed), a new one starts.
        let records = try await runtime.ingest(StoreFixture.tagged("ev-5", at: StoreFixture.start.adding(.seconds(3_600)), contact: "c-1"))
        #expect(records.contains { $0.status == .entered && $0.contactID == "c-1" }, "\(name): \(records.map(\.json.compactText))")
        #expect(try store.enrollments(EnrollmentQuery(contactID: "c-1", state: .waiting)).count == 1, "\(name): the new enrollment waits")
        try Self.expectSetAside(store, name)
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        #expect(try store.outbox(dead: false).count == 3, "\(name): c-2, c-3 and c-1's new enrollment send")
    }

    @Test("A listing before the worker met the row: it is shown as an error from its columns, the listing does not fail")
    func listedBeforeMet() async throws {
        let (store, _) = try await Self.scene { _ in "not json" }
        let all = try store.enrollments(EnrollmentQuery())
        #expect(all.count == 3)
        #expect(all.first?.error?.contains("does not read back") == true)
        #expect(all.first?.enrollment.workflowID == "w" && all.first?.enrollment.version == 1)
    }

    @Test("A set-aside in a batch the engine refuses rolls back with it; given again alone, the event sets it aside")
    func rolledBackWithTheBatch() async throws {
        let (store, runtime) = try await Self.scene { _ in "not json" }
        let meets = StoreFixture.tagged("ev-5", at: StoreFixture.start.adding(.seconds(3_600)), contact: "c-1")
        var bad = StoreFixture.tagged("ev-bad", at: StoreFixture.start.adding(.seconds(3_600)), contact: "c-9")
        bad.tag = nil  // invalid-event
        await #expect(throws: StoreError.self) { try await runtime.ingest([meets, bad], through: InputPosition(source: "a.jsonl", offset: 10, line: 2)) }
        #expect(try store.log(LogQuery(status: .error)).isEmpty, "nothing of the refused batch kept")
        let row = try store.read("check") { db in try String.fetchOne(db, sql: "SELECT state FROM enrollment WHERE id = 'e-1'") }
        #expect(row == "waiting")
        try await runtime.ingest([meets], through: InputPosition(source: "a.jsonl", offset: 5, line: 1))
        try Self.expectSetAside(store, "given again")
    }
}
