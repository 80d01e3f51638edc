import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

@Suite("Durable runtime: a failed commit loses nothing acknowledged")
struct FailureTests {
    /// Ingests events until one fails, returning the acknowledged ids and the failure.
    static func ingestUntilFailure(_ runtime: DurableRuntime, from first: Int, upTo last: Int) async -> ([String], Int, StoreError?) {
        var acknowledged: [String] = []
        for number in first..<last {
            do {
                try await runtime.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: "c-\(number)"))
                acknowledged.append("ev-\(number)")
            } catch {
                return (acknowledged, number, error)
            }
        }
        return (acknowledged, last, nil)
    }

    /// Every acknowledged event is committed, as a new connection sees: processed, entered, waiting.
    static func expectKept(_ ids: [String], path: String) throws {
        let reader = try SQLiteStore(path: path)
        let processed = try reader.read("check") { db in Set(try String.fetchAll(db, sql: "SELECT id FROM processed_event")) }
        #expect(processed == Set(ids))
        #expect(try reader.enrollments(EnrollmentQuery(state: .waiting)).count == ids.count)
        #expect(try reader.log(LogQuery(status: .entered)).count == ids.count)
    }

    @Test("Disk full (PRAGMA max_page_count) mid-run: disk-full, nothing acknowledged lost, the runtime goes on once there is room")
    func diskFull() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        var (acknowledged, next, failure) = await Self.ingestUntilFailure(runtime, from: 0, upTo: 5)
        #expect(failure == nil)
        try StoreFixture.execute(store) { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let more: [String]
        (more, next, failure) = await Self.ingestUntilFailure(runtime, from: next, upTo: 5_000)
        acknowledged += more
        #expect(failure?.code == .diskFull, "\(String(describing: failure))")
        #expect(failure?.message.contains("disk is full") == true)
        #expect(failure?.path == store.path)
        try Self.expectKept(acknowledged, path: store.path)

        try StoreFixture.execute(store) { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        // The failed event was not acknowledged: given again, it runs (the runtime reloaded).
        let records = try await runtime.ingest(StoreFixture.tagged("ev-\(next)", at: StoreFixture.start, contact: "c-\(next)"))
        #expect(records.contains { $0.status == .entered })
        acknowledged.append("ev-\(next)")
        try Self.expectKept(acknowledged, path: store.path)
        // Enrollment ids stayed unique across the failure.
        let ids = try store.enrollments(EnrollmentQuery()).map(\.enrollment.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test("A read-only database mid-run (PRAGMA query_only, then the file opened read-only): read-only, nothing acknowledged lost")
    func readOnly() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        let (acknowledged, next, failure) = await Self.ingestUntilFailure(runtime, from: 0, upTo: 3)
        #expect(failure == nil)
        try StoreFixture.execute(store) { db in try db.execute(sql: "PRAGMA query_only = ON") }
        let (none, _, refused) = await Self.ingestUntilFailure(runtime, from: next, upTo: next + 1)
        #expect(none.isEmpty)
        #expect(refused?.code == .readOnly, "\(String(describing: refused))")
        #expect(refused?.message.contains("cannot be written") == true)
        try StoreFixture.execute(store) { db in try db.execute(sql: "PRAGMA query_only = OFF") }
        try Self.expectKept(acknowledged, path: store.path)
        // The same file opened read-only: a runtime's writes are refused, nothing changes.
        let readOnly = try DurableRuntime(store: try SQLiteStore(path: store.path, readOnly: true))
        let fourDays = StoreFixture.start.adding(.seconds(4 * 86_400))
        let advanced = await #expect(throws: StoreError.self) { try await readOnly.advance(to: fourDays) }
        #expect(advanced?.code == .readOnly)
        try Self.expectKept(acknowledged, path: store.path)
        let fired = try await runtime.advance(to: fourDays)
        #expect(fired.filter { $0.effect?.kind == "send-email" }.count == acknowledged.count)
    }

    @Test("A database opened read-only refuses writes with read-only")
    func openedReadOnly() async throws {
        let store = try StoreFixture.store()
        let readOnly = try SQLiteStore(path: store.path, readOnly: true)
        let runtime = try DurableRuntime(store: readOnly)
        await #expect(throws: StoreError.self) { try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start)) }
        let error = #expect(throws: StoreError.self) { try readOnly.publish(Automation(workflows: [StoreFixture.waitThenMail("z")]), at: StoreFixture.start) }
        #expect(error?.code == .readOnly)
    }
}
