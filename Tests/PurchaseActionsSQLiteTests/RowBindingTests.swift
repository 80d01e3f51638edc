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
}
