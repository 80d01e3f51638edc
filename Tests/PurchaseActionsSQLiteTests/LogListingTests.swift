import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Review 6, finding 4: with a filter, one unreadable record failed the whole listing, where schema 5
/// answered from its columns. `logListing` lists what it can read and names the rest.
@Suite("The log listing goes on past records it cannot read")
struct LogListingTests {
    /// A store with four batches: c-1 (completed, entered), c-2 (error), c-1 (completed), c-3 (entered).
    static func store() throws -> SQLiteStore {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try store.queue.write { db in
            try SQLiteStore.appendLog([LogBatchTests.record("c-1"), LogBatchTests.record("c-1", "w", .entered)], in: db)
            try SQLiteStore.appendLog([LogBatchTests.record("c-2", "w", .error)], in: db)
            try SQLiteStore.appendLog([LogBatchTests.record("c-1")], in: db)
            try SQLiteStore.appendLog([LogBatchTests.record("c-3", "w", .entered)], in: db)
        }
        return store
    }

    @Test("A record that is not JSON is named with its batch and number; the records around it are listed, filtered or not, and log(_:) throws its error")
    func recordNotJSON() throws {
        let store = try Self.store()
        // The second record of the first batch damaged; the first still reads.
        try store.queue.write { db in
            try db.execute(sql: #"UPDATE log_batch SET records = substr(records, 1, instr(records, char(10))) || '{"status":"entered", oops' WHERE sequence = 1"#)
        }
        let all = try store.logListing(LogQuery())
        #expect(all.records.map(\.sequence) == [1, 3, 4, 5])
        #expect(all.unreadableCount == 1)
        #expect(all.unreadable.map(\.code) == [.notADatabase])
        #expect(all.unreadable.first?.message.contains("batch at sequence 1") == true)
        #expect(all.unreadable.first?.message.contains("its record 2 is not JSON") == true)

        // Filtered: the damaged record's batch is selected, so it is named; the matches are listed.
        let entered = try store.logListing(LogQuery(status: .entered))
        #expect(entered.records.map(\.sequence) == [5])
        #expect(entered.unreadableCount == 1)
        let c1 = try store.logListing(LogQuery(contactID: "c-1"))
        #expect(c1.records.map(\.sequence) == [1, 4])
        #expect(c1.unreadableCount == 1)
        // A filter that never selects the damaged batch reads clean.
        let c2 = try store.logListing(LogQuery(contactID: "c-2"))
        #expect(c2.records.map(\.sequence) == [3])
        #expect(c2.unreadableCount == 0)
        #expect(try store.log(LogQuery(contactID: "c-2")).map(\.sequence) == [3])
        #expect(throws: StoreError.self) { try store.log(LogQuery()) }
    }

    @Test("A batch whose count disagrees with its text, or that cannot be numbered, is named once and skipped; the other batches are listed")
    func damagedBatch() throws {
        for edit in ["UPDATE log_batch SET count = 5 WHERE sequence = 3", "UPDATE log_batch SET count = 0 WHERE sequence = 3", "UPDATE log_batch SET sequence = -3 WHERE sequence = 3"] {
            let store = try Self.store()
            try store.queue.write { db in try db.execute(sql: edit) }
            let listing = try store.logListing(LogQuery())
            #expect(listing.records.map(\.sequence) == [1, 2, 4, 5], "\(edit)")
            #expect(listing.unreadableCount == 1, "\(edit)")
            #expect(throws: StoreError.self, "\(edit)") { try store.log(LogQuery()) }
        }
    }

    @Test("A record that is JSON but not an object (the runtime writes only objects) is unreadable, not listed bare")
    func recordNotObject() throws {
        let store = try Self.store()
        try store.queue.write { db in try db.execute(sql: "UPDATE log_batch SET records = '42' WHERE sequence = 3") }
        let listing = try store.logListing(LogQuery())
        #expect(listing.records.map(\.sequence) == [1, 2, 4, 5])
        #expect(listing.unreadable.map(\.message).first?.contains("its record 3 is not a JSON object") == true)
    }

    @Test("Migrations run with temporary files; a missing or full temporary folder runs them again in memory; any other failure is thrown as it is (review 7, finding 1)")
    func migrationFallback() throws {
        for (code, tries) in [(ResultCode?.none, ["FILE"]), (.SQLITE_IOERR, ["FILE", "MEMORY"]), (.SQLITE_FULL, ["FILE", "MEMORY"]),
            (.SQLITE_CANTOPEN, ["FILE", "MEMORY"]), (.SQLITE_CORRUPT, ["FILE"]), (.SQLITE_CONSTRAINT, ["FILE"])]
        {
            var tried: [String] = []
            let outcome = Result {
                try SQLiteStore.migrateSpillingToFiles { tempStore in
                    tried.append(tempStore)
                    if tempStore == "FILE", let code { throw DatabaseError(resultCode: code) }
                }
            }
            #expect(tried == tries, "\(String(describing: code))")
            // Done when it needed no retry or the retry worked; the other failures are thrown.
            let succeeded = (try? outcome.get()) != nil
            #expect(succeeded == (code == nil || tries.count == 2), "\(String(describing: code))")
        }
        // The retry's own failure is what is thrown.
        #expect(throws: DatabaseError.self) {
            try SQLiteStore.migrateSpillingToFiles { _ in throw DatabaseError(resultCode: .SQLITE_FULL) }
        }
    }

    @Test("With a limit the latest matches are listed oldest first, and an unreadable record does not count toward the limit")
    func limit() throws {
        let store = try Self.store()
        try store.queue.write { db in try db.execute(sql: "UPDATE log_batch SET records = 'x' WHERE sequence = 4") }
        let listing = try store.logListing(LogQuery(limit: 2))
        #expect(listing.records.map(\.sequence) == [3, 5])
        #expect(listing.unreadableCount == 1)
    }

    @Test("At most LogListing.unreadableKept errors are kept, the oldest; the count goes on (one past the bound)")
    func bound() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let damaged = LogListing.unreadableKept + 1
        try store.queue.write { db in
            for _ in 0..<damaged { try SQLiteStore.appendLog([LogBatchTests.record("c-1")], in: db) }
            try SQLiteStore.appendLog([LogBatchTests.record("c-2")], in: db)
            try db.execute(sql: "UPDATE log_batch SET records = 'x' WHERE contact_id = 'c-1'")
        }
        let listing = try store.logListing(LogQuery())
        #expect(listing.records.map(\.sequence) == [Int64(damaged) + 1])
        #expect(listing.unreadableCount == damaged)
        #expect(listing.unreadable.count == LogListing.unreadableKept)
        #expect(listing.unreadable.first?.message.contains("batch at sequence 1 ") == true)
    }
}
