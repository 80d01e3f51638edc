import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Review of issue 13 (an attacker editing the database by hand): a stored value of the wrong type,
/// or a counter at its largest value, is a `not-a-database` error naming what is wrong, never a trap
/// (GRDB's row subscripts stop the process on such a value; `+ 1` traps on `Int64.max`).
@Suite("Durable runtime: a database edited by hand gives an error, never a crash")
struct EditedDatabaseTests {
    @Test("Text where a number belongs: loading the workflows, reading the enrollments and the outbox throw not-a-database naming the column")
    func wrongType() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(days: 0)])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        try StoreFixture.execute(store) { db in
            try db.execute(sql: "UPDATE outbox SET attempts = 'x'")
            try db.execute(sql: "UPDATE enrollment SET updated_at = 'x'")
            try db.execute(sql: "UPDATE workflow_version SET number = 'abc'")
        }
        // The enrollments are listed, that row as an error (review 5, finding 4: EnrollmentColumnsTests).
        #expect(try store.enrollments(EnrollmentQuery()).first?.error?.contains("has the updated_at 'x', not a time") == true)
        for attempt in [
            { () throws -> Void in _ = try store.outbox(dead: false) },
            { () throws -> Void in _ = try DurableRuntime(store: store) },
        ] {
            let error = try #require(throws: StoreError.self) { try attempt() }
            #expect(error.code == .notADatabase, "\(error)")
            #expect(error.message.contains("edited by hand or damaged"), "\(error)")
        }
        let message = try #require(throws: StoreError.self) { _ = try DurableRuntime(store: store) }.message
        #expect(message.contains("'number'"), "\(message)")
    }

    @Test("A counter at Int64.max: the next new contact or enrollment fails the transaction with not-a-database, nothing kept")
    func counterAtMaximum() async throws {
        for counter in ["next_contact", "next_enrollment"] {
            let store = try StoreFixture.store()
            let runtime = try DurableRuntime(store: store)
            try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE meta SET value = 9223372036854775807 WHERE name = ?", arguments: [counter]) }
            var event = StoreFixture.tagged("ev-1", at: StoreFixture.start)
            event.contact.id = nil
            let error = try await #require(throws: StoreError.self) { try await runtime.ingest(event) }
            #expect(error.code == .notADatabase && error.message.contains(counter), "\(counter): \(error)")
            #expect(try store.enrollments(EnrollmentQuery()).isEmpty, "\(counter): nothing kept")
        }
    }

    @Test("Another program's SQLite database is refused (not-a-database) and left unchanged, not given our tables")
    func foreignDatabase() throws {
        let path = StoreFixture.temporaryPath()
        let other = try DatabaseQueue(path: path)
        try other.write { db in try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)") }
        try other.close()
        let error = try #require(throws: StoreError.self) { _ = try SQLiteStore(path: path) }
        #expect(error.code == .notADatabase && error.message.contains("another program"), "\(error)")
        let check = try DatabaseQueue(path: path)
        let tables = try check.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(tables == ["users"])
    }
}
