import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// `log --status` chooses batches by their text before parsing any (review 6, finding 1: it parsed
/// every record of the log), and a new database file has pages of 8 KiB while an older file keeps
/// the size it was made with.
@Suite("The log's status filter by batch text; the page size of a new file")
struct StatusFilterAndPageSizeTests {
    @Test("--status reads only batches whose text holds the status: a batch without it is not parsed, and the records found are those of the status")
    func statusPrefilter() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try store.queue.write { db in
            try SQLiteStore.appendLog([LogBatchTests.record("c-1"), LogBatchTests.record("c-1", "w", .entered)], in: db)
            try SQLiteStore.appendLog([LogBatchTests.record("c-2", "w", .error)], in: db)
            // A record whose message quotes the member as text: escaped, so it never matches the filter.
            try SQLiteStore.appendLog(
                [LogRecord(at: LogBatchTests.at, cause: "e", contactID: "c-3", status: .completed, message: #"say "status":"error""#)], in: db)
        }
        #expect(try store.log(LogQuery(status: .error)).map(\.sequence) == [3])
        #expect(try store.log(LogQuery(status: .entered)).map(\.sequence) == [2])
        #expect(try store.log(LogQuery(status: .completed)).map(\.sequence) == [1, 4])
        // The first batch made unreadable: a status it does not hold never parses it; one it holds does.
        try store.queue.write { db in try db.execute(sql: #"UPDATE log_batch SET records = 'not json "status":"entered"' || char(10) || 'x' WHERE sequence = 1"#) }
        #expect(try store.log(LogQuery(status: .error)).map(\.sequence) == [3])
        #expect(throws: StoreError.self) { try store.log(LogQuery(status: .entered)) }
    }

    @Test("A new database has pages of SQLiteStore.pageBytes; a file made with 4 KiB pages keeps them and works")
    func pageSize() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        #expect(try store.read("page size") { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == SQLiteStore.pageBytes)

        let path = StoreFixture.temporaryPath()
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA page_size = 4096")
                // WAL writes the file's first page: its page size is set from here on.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
        }
        let older = try SQLiteStore(path: path)
        #expect(try older.read("page size") { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4096)
        try older.queue.write { db in try SQLiteStore.appendLog([LogBatchTests.record("c-1")], in: db) }
        #expect(try older.log(LogQuery()).count == 1)
    }
}

/// Review 6, finding 3: a `next_log` edited near the largest number made the runtime commit a batch
/// no reader could number.
@Suite("The log's numbering past the largest number is refused before the commit")
struct LogNumberingLimitTests {
    @Test("next_log at Int64.max - 1: one record fits (number Int64.max - 1, ending at Int64.max); two records are refused and nothing is written")
    func lastBatchOverflow() throws {
        for (count, fits) in [(1, true), (2, false)] {
            let store = try SQLiteStore(path: StoreFixture.temporaryPath())
            try store.queue.write { db in try db.setMeta("next_log", Int64.max - 1) }
            let records = (0..<count).map { _ in LogBatchTests.record("c-1") }
            if fits {
                try store.queue.write { db in try SQLiteStore.appendLog(records, in: db) }
                #expect(try store.log(LogQuery()).map(\.sequence) == [Int64.max - 1])
            } else {
                #expect(throws: (any Error).self) { try store.queue.write { db in try SQLiteStore.appendLog(records, in: db) } }
                #expect(try store.read("batches") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM log_batch") } == 0)
            }
        }
    }
}

/// Review 6, finding 6: `stats` on counts edited by hand read text as 0, cut real numbers, and
/// failed with SQLite's "integer overflow" (exit 74) on a sum past the largest number.
@Suite("stats refuses counts the runtime does not write")
struct StatsEditedCountsTests {
    @Test("A count that is text, real, negative, or sums past Int64.max is an error naming the workflow; the runtime's counts read")
    func editedCounts() throws {
        for (edit, names) in [
            ("UPDATE log_workflow SET entered = 'abc'", true), ("UPDATE log_workflow SET entered = 1.5", true),
            ("UPDATE log_workflow SET errors = -1", true), ("UPDATE log_workflow SET finished = x'00'", true),
            ("UPDATE log_workflow SET exited = 9223372036854775807", false),
        ] {
            let store = try SQLiteStore(path: StoreFixture.temporaryPath())
            try store.queue.write { db in
                try SQLiteStore.appendLog([LogBatchTests.record("c-1", "w", .entered)], in: db)
                try SQLiteStore.appendLog([LogBatchTests.record("c-2", "w", .exited)], in: db)
            }
            #expect(try store.stats().first { $0.workflowID == "w" }?.entered == 1)
            try store.queue.write { db in try db.execute(sql: edit) }
            let error = #expect(throws: StoreError.self, "\(edit)") { try store.stats() }
            #expect(error?.code == .notADatabase, "\(edit)")
            #expect(error?.message.contains(names ? "counts of workflow 'w'" : "add up past the largest number") == true, "\(edit): \(error?.message ?? "")")
        }
    }
}
