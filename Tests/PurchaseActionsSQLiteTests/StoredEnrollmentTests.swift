import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

@Suite("Stored enrollments that do not fit: an error for that enrollment, or a clear store error")
struct StoredEnrollmentTests {
    /// A store with one enrollment waiting 3 days, whose stored JSON `edit` changes.
    static func edited(_ edit: @escaping (String) -> String) async throws -> (SQLiteStore, DurableRuntime) {
        let store = try StoreFixture.store()
        try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        try StoreFixture.execute(store) { db in
            let json = try String.fetchOne(db, sql: "SELECT json FROM enrollment WHERE id = 'e-1'") ?? ""
            try db.execute(sql: "UPDATE enrollment SET json = ? WHERE id = 'e-1'", arguments: [edit(json)])
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
        let (store, runtime) = try await Self.edited { $0.replacing("\"version\":1", with: "\"version\":7") }
        let records = try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        #expect(records.contains { $0.status == .error && $0.enrollmentID == "e-1" })
        #expect(try store.enrollments(EnrollmentQuery(state: .error)).count == 1)
    }

    @Test("A stored enrollment whose JSON does not read: invalid-enrollment with the JSON path, nothing committed")
    func unreadable() async throws {
        let (store, runtime) = try await Self.edited { $0.replacing("\"frames\":", with: "\"framez\":") }
        let error = await #expect(throws: StoreError.self) { try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400))) }
        #expect(error?.code == .invalidEnrollment)
        #expect(error?.message.contains("$") == true, "\(String(describing: error))")
        #expect(error?.message.contains("the stored enrollment 'e-1'") == true, "names the enrollment: \(String(describing: error))")
        #expect(error?.message.contains("Backups") == true, "says what to do: \(String(describing: error))")
        let listed = #expect(throws: StoreError.self) { try store.enrollments(EnrollmentQuery()) }
        #expect(listed?.message.contains("'e-1'") == true, "\(String(describing: listed))")
        #expect(try store.log(LogQuery()).allSatisfy { $0.record.compactText.contains("\"status\":\"error\"") == false }, "nothing of the failed chunk kept")
        #expect(await runtime.now == StoreFixture.start, "the clock did not move")
    }
}
