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

    /// Binds UTF-8 bytes as text to the 1-based parameter `index` (the caller made them from
    /// strings: SQLite stores them as given).
    mutating func bind(utf8 bytes: [UInt8], _ index: Int32) {
        let code = bytes.withUnsafeBufferPointer { bytes in
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

    /// Runs the statement with the values bound, stepped here as ``step()`` steps (GRDB's
    /// `execute()` prepares each run for transaction observers and read tracking the store does not
    /// use: its one observer, the checkpointer's `CommitWatcher`, observes no change, only commits,
    /// which SQLite's commit hook reports however the statement ran). For the rows a transaction
    /// writes (INSERT, UPDATE); never for a statement that begins, ends or names a transaction or
    /// savepoint, or changes the schema (GRDB tracks those as they run).
    func execute() throws {
        // GRDB's `execute()` refuses a statement once SQLite rolled the whole transaction back (disk
        // full, I/O error, interrupt): stepped here, the row would commit on its own in autocommit
        // mode and no rollback could undo it. Every caller writes inside a transaction.
        if sqlite3_get_autocommit(sqlite3_db_handle(handle)) != 0 {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted", sql: statement.sql)
        }
        do {
            while try step() {}
        } catch {
            // The error cleared, so the statement's next use (GRDB resets it first) starts clean.
            finish()
            throw error
        }
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

// MARK: Reading rows by hand

extension RowBinding {
    /// Steps the statement: `true` at a row, `false` past the last; SQLite's error thrown. Call
    /// ``finish()`` when done (a `defer`), so the next use starts clean even after an error.
    ///
    /// ```
    /// var select = RowBinding(try db.cachedStatement(sql: "SELECT json FROM contact WHERE id = ?"))
    /// select.bind(id, 1)
    /// defer { select.finish() }
    /// if try select.step() { let text = select.text(0) }
    /// ```
    func step() throws -> Bool {
        try check()
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: statement.sql)
    }

    /// Resets the statement after ``step()`` (its last error cleared: GRDB resets it again, and
    /// traps on an error left there).
    func finish() {
        sqlite3_reset(handle)
    }

    /// The 0-based column's integer at the current row (`nil` for NULL).
    func integer(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The 0-based column's text at the current row, read with its length (a NUL byte inside is
    /// kept); `nil` for NULL.
    func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        let bytes = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let bytes, count > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Calls `body` with the bytes of the 0-based column's text at the current row (empty for
    /// NULL or empty text); the bytes are SQLite's, valid only during the call.
    func withTextBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let bytes = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let bytes, count > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Whether the 0-based column at the current row is text whose bytes are exactly `expected`'s
    /// UTF-8 (compared in place: no string is made).
    func text(_ column: Int32, equals expected: String) -> Bool {
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT else { return false }
        let bytes = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        var expected = expected
        return expected.withUTF8 { wanted in
            guard wanted.count == count else { return false }
            guard count > 0, let bytes else { return count == 0 }
            return UnsafeRawBufferPointer(start: bytes, count: count).elementsEqual(UnsafeRawBufferPointer(wanted))
        }
    }
}
