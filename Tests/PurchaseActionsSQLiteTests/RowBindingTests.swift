import GRDB
@testable import PurchaseActionsSQLite
import Testing

/// `RowBinding` binds values straight to SQLite through a pointer to a string's bytes: its own
/// tests, as the guide asks of every speed trick.
@Suite("RowBinding: values bound straight to SQLite")
struct RowBindingTests {
    @Test("Text (empty, with a NUL byte, non-ASCII), integers and NULLs read back as bound; a statement re-bound forgets the last row's values")
    func roundTrip() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
            let rows: [(String?, Int64?)] = [("", 0), ("a\u{0}b", Int64.max), ("Zoë \u{202E}", Int64.min), ("x", nil), (nil, nil)]
            for (index, row) in rows.enumerated() {
                var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO t (n, a, b) VALUES (?, ?, ?)"))
                insert.bind(index, 1)
                insert.bind(row.0, 2)
                insert.bind(row.1, 3)
                try insert.execute()
            }
            // Read with lengths: length(a) counts the bytes past a NUL that GRDB's text reading stops at.
            let back = try Row.fetchAll(db, sql: "SELECT length(CAST(a AS BLOB)), hex(a), b FROM t ORDER BY n")
            #expect(back.map { $0[0] as Int? } == [0, 3, 8, 1, nil])
            #expect(back[1][1] as String == "610062")
            #expect(back.map { $0[2] as Int64? } == [0, Int64.max, Int64.min, nil, nil])
        }
    }

    @Test("A parameter index out of range is thrown when run (not-a-database), nothing inserted")
    func outOfRange() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT)")
            var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO t (a) VALUES (?)"))
            insert.bind("x", 2)
            let error = #expect(throws: StoreError.self) { try insert.execute() }
            #expect(error?.code == .notADatabase)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 0)
        }
    }

    @Test("A statement SQLite refuses (a constraint) throws SQLite's error naming it; the cached statement is reset and runs again")
    func refusedThenReused() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT PRIMARY KEY NOT NULL)")
            for text in ["x", "x", "y"] {
                var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO t (a) VALUES (?)"))
                insert.bind(text, 1)
                if text == "x", try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 1 {
                    let error = #expect(throws: DatabaseError.self) { try insert.execute() }
                    #expect(error?.resultCode == .SQLITE_CONSTRAINT)
                    #expect(error?.message?.contains("UNIQUE") == true)
                } else {
                    try insert.execute()
                }
            }
            #expect(try String.fetchAll(db, sql: "SELECT a FROM t ORDER BY a") == ["x", "y"])
            // GRDB's own use of the same cached statement after ours.
            try db.cachedStatement(sql: "INSERT INTO t (a) VALUES (?)").execute(arguments: ["z"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 3)
        }
    }

    /// Counts the commits GRDB reports.
    final class Commits: TransactionObserver, @unchecked Sendable {
        var count = 0
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count += 1 }
        func databaseDidRollback(_ db: Database) {}
    }

    @Test("Rows written through RowBinding inside a transaction and a savepoint commit and roll back as GRDB's own; a commit observer sees each commit")
    func transactionsAndObserver() throws {
        let queue = try DatabaseQueue()
        let commits = Commits()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER)")
            db.add(transactionObserver: commits, extent: .databaseLifetime)
        }
        let before = commits.count
        func insert(_ value: Int, _ db: Database) throws {
            var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO t (a) VALUES (?)"))
            insert.bind(value, 1)
            try insert.execute()
        }
        try queue.inTransaction { db in
            try insert(1, db)
            try db.inSavepoint {
                try insert(2, db)
                return .rollback
            }
            try db.inSavepoint {
                try insert(3, db)
                return .commit
            }
            return .commit
        }
        try queue.inTransaction { db in
            try insert(4, db)
            return .rollback
        }
        let rows = try queue.read { db in try Int.fetchAll(db, sql: "SELECT a FROM t ORDER BY a") }
        #expect(rows == [1, 3])
        #expect(commits.count == before + 1, "the first transaction committed, the second rolled back")
    }

    @Test("A transaction's kept statements: the same one for a slot until the context is attached again or detached")
    func keptStatements() throws {
        let queue = try DatabaseQueue()
        let context = TransactionContext()
        try queue.write { db in
            context.attach(db)
            let first = try context.statement(.contactByID, sql: "SELECT 1", in: db)
            let again = try context.statement(.contactByID, sql: "SELECT 2", in: db)
            #expect(first === again, "kept: the SQL is not looked at again")
            #expect(try context.statement(.outboxInsert, sql: "SELECT 3", in: db).sql == "SELECT 3", "each slot its own")
            context.detach()
            context.attach(db)
            #expect(try context.statement(.contactByID, sql: "SELECT 2", in: db).sql == "SELECT 2", "forgotten at attach")
            context.detach()
        }
    }

    @Test("Once SQLite rolled the whole transaction back, a row is refused (as GRDB refuses it), never committed on its own")
    func abortedTransaction() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER); CREATE TABLE u (a INTEGER)")
            try db.execute(sql: "CREATE TRIGGER boom BEFORE INSERT ON u BEGIN SELECT RAISE(ROLLBACK, 'aborted'); END")
        }
        var refused: (any Error)?
        _ = try? queue.inTransaction { db in
            try db.execute(sql: "INSERT INTO t (a) VALUES (1)")
            _ = try? db.execute(sql: "INSERT INTO u (a) VALUES (1)")  // SQLite rolls everything back
            var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO t (a) VALUES (?)"))
            insert.bind(Int64(3), 1)
            do { try insert.execute() } catch { refused = error }
            return .commit
        }
        #expect((refused as? DatabaseError)?.resultCode == .SQLITE_ABORT)
        let rows = try queue.read { db in try Int.fetchAll(db, sql: "SELECT a FROM t ORDER BY a") }
        #expect(rows == [], "nothing of the rolled-back transaction, and not the row tried after it")
    }
}
