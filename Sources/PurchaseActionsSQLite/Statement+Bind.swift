internal import GRDB
internal import GRDBSQLite

/// Values bound straight to a cached statement's SQLite statement, for the rows a transaction
/// writes by the thousand (log, outbox, contacts, enrollments): GRDB's `StatementArguments` box
/// every value in an existential and convert it again at each execution, which cost about a
/// fifth of a worker transaction.
///
/// ```
/// var insert = RowBinding(try db.cachedStatement(sql: "INSERT INTO t (a, b) VALUES (?, ?)"))
/// insert.bind("text", 1); insert.bind(Int64(2), 2)
/// try insert.execute()
/// ```
struct RowBinding {
    private let statement: Statement
    private let handle: OpaquePointer
    /// The first binding that failed (its SQLite result code).
    private var failed: Int32?

    /// Readies the statement: reset, no value bound (every `?` is NULL until bound).
    init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
        // GRDB's own state: arguments valid (none), so `execute()` only resets and steps.
        statement.setUncheckedArguments(StatementArguments())
    }

    /// SQLite copies the bytes it is given (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds text (NULL for `nil`) to the 1-based parameter `index`.
    mutating func bind(_ text: String?, _ index: Int32) {
        guard var text else { return check(sqlite3_bind_null(handle, index)) }
        let code = text.withUTF8 { bytes in
            // An empty buffer may have no address: SQLite would read a NULL pointer as NULL.
            bytes.isEmpty
                ? sqlite3_bind_text(handle, index, "", 0, nil)
                : sqlite3_bind_text64(handle, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self), UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
        }
        check(code)
    }

    /// Binds an integer (NULL for `nil`).
    mutating func bind(_ value: Int64?, _ index: Int32) {
        guard let value else { return check(sqlite3_bind_null(handle, index)) }
        check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds an integer (NULL for `nil`).
    mutating func bind(_ value: Int?, _ index: Int32) { bind(value.map(Int64.init), index) }

    /// Runs the statement with the values bound.
    func execute() throws {
        try check()
        try statement.execute()
    }

    /// Throws when a value could not be bound.
    func check() throws {
        if let failed {
            throw StoreError(.notADatabase, "a value could not be bound to a statement (SQLite result code \(failed)): a value over SQLite's limit (report it)")
        }
    }

    /// Binding fails only on a wrong index or a value too large for SQLite (over 1 GB): a bug or
    /// an input no limit stopped, never a trap in the product: the failure is thrown when run.
    private mutating func check(_ code: Int32) {
        if code != SQLITE_OK { failed = code }
    }
}
