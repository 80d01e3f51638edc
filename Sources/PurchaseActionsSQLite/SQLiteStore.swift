// The durable runtime on SQLite: see Docs/architecture.md ("The durable runtime") and Docs/operations.md.
internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// The engine's state in one SQLite file (GRDB): published workflow versions, contacts,
/// enrollments and their wake-ups, processed event ids, the outbox, the log and input positions
/// (the tables: `SQLiteStore.migrator`).
///
/// The database runs in WAL mode with `synchronous=FULL`: a transaction that committed survives a
/// crash or power loss. Its schema is versioned (GRDB's `DatabaseMigrator`, and `user_version`
/// = ``schemaVersion``): an older file is migrated when opened, a file written by a newer build is
/// refused (`newer-schema`), and a file that is not SQLite is `not-a-database`.
///
/// ```swift
/// let store = try SQLiteStore(path: path)   // SQLiteStore.defaultFileName in the working folder, by default
/// let result = try store.publish(automation, at: now)
/// let runtime = try DurableRuntime(store: store)
/// try await runtime.ingest(event)       // returns once the event's effects are committed
/// ```
///
/// One process opens a database at a time (the worker, or a CLI command reading it).
public final class SQLiteStore: Sendable {
    /// The file name used when none is given: `purchase-actions.sqlite` in the working folder.
    public static let defaultFileName = "purchase-actions.sqlite"
    /// This build's schema version (the number of migrations it knows; stored as `user_version`).
    public static let schemaVersion: Int = SQLiteStore.migrationIDs.count
    /// The database file.
    public let path: String
    /// The one connection that writes (GRDB serializes its uses).
    let queue: DatabaseQueue
    /// Copies the write-ahead log into the file after commits, on a second connection and thread
    /// (`nil` for a store opened read-only).
    let checkpointer: Checkpointer?

    /// Opens (or creates) the database at `path` and migrates it to ``schemaVersion``.
    ///
    /// - Throws: ``StoreError`` `newer-schema` (written by a newer build), `not-a-database`,
    ///   `cannot-open`, `read-only` or `io`.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, readOnly: false)
    }

    /// Opens an existing database for reading only (the read commands: `log`, `enrollments`,
    /// `outbox`, `stats`): nothing is created, migrated or written, so a wrong file is left exactly
    /// as it was.
    ///
    /// - Throws: ``StoreError`` `not-a-database` for a file that holds no purchase-actions data
    ///   (an empty file, another program's database), `older-schema` for one an older build wrote
    ///   (a `publish` or `run` migrates it), `newer-schema`, `cannot-open` or `io`.
    public convenience init(readingOnly path: String) throws(StoreError) {
        try self.init(path: path, readOnly: true)
    }

    /// How long a command waits for another process's write transaction to end before it fails
    /// with "database is locked" (10 s; Docs/operations.md, "One worker per database").
    public static let busyTimeoutSeconds: Double = 10

    /// The page size of a new database file, in bytes (`PRAGMA page_size`; a file keeps the size it
    /// was made with).
    static let pageBytes = 8192

    /// The page cache of a connection, in KiB (`PRAGMA cache_size`).
    static let cacheKibibytes = 65_536

    /// The write-ahead log's length, in pages, past which a write waits for the checkpoint in
    /// flight before it begins, so it starts the log again (`Checkpointer`): 4,000 pages of 8 KiB,
    /// a log of about 32 MiB (Docs/operations.md, "Checkpoints").
    static let walRestartPages = 4_000

    /// The pages the writer's commits write to the log before they ask the checkpointer for a
    /// checkpoint (`Checkpointer`): 1,000, the cadence of SQLite's own automatic checkpoint.
    static let walCheckpointPages = 1_000

    /// The writer's automatic checkpoint, in pages of the write-ahead log (`PRAGMA
    /// wal_autocheckpoint`; SQLite's default is 1,000): the last resort when the checkpointer's
    /// thread cannot copy the log (failing, or meeting another process's checkpoint), twice
    /// ``walRestartPages`` so it does not compete with that thread otherwise.
    static let walFallbackPages = 8_000

    /// Opens the database; `readOnly` opens it for reading only (its writes fail with `read-only`),
    /// which requires it to exist at ``schemaVersion``. Tests may give the writer's automatic
    /// checkpoint (`walAutocheckpointPages`, 0 turns it off), the log's length at which the writer
    /// waits for the checkpointer (`walRestartPages`), the pages written before a checkpoint is
    /// asked for (`walCheckpointPages`), and open the checkpointer's connection read-only
    /// (`readOnlyCheckpoints`).
    init(
        path: String, readOnly: Bool, walAutocheckpointPages: Int = SQLiteStore.walFallbackPages, walRestartPages: Int = SQLiteStore.walRestartPages,
        walCheckpointPages: Int = SQLiteStore.walCheckpointPages, readOnlyCheckpoints: Bool = false
    ) throws(StoreError) {
        self.path = path
        checkpointer = readOnly ? nil : Checkpointer(path: path, readOnly: readOnlyCheckpoints, restartPages: walRestartPages, requestPages: walCheckpointPages)
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.label = "PurchaseActionsSQLite"
        // Another process writing (a publish while the worker runs, `outbox --retry`): wait for it
        // up to ``busyTimeoutSeconds`` instead of failing at once with "database is locked".
        configuration.busyMode = .timeout(Self.busyTimeoutSeconds)
        configuration.prepareDatabase { db in
            if !readOnly {
                // Pages of 8 KiB for a new file (SQLite ignores it for a file that has pages): a log
                // batch (an event's records, about 5 KB in the engine benchmark) fits in its page
                // instead of spilling to overflow pages; 7-8 % fewer CPU-seconds an event
                // (Benchmarks/README.md, "Durable runtime"). It must come before WAL is set.
                try db.execute(sql: "PRAGMA page_size = \(Self.pageBytes)")
                // WAL set here rather than by GRDB's `journalMode`, which also sets synchronous=NORMAL.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                // The checkpoints run on a second connection after commits (`Checkpointer`); the
                // writer's own only past this many pages, so the log cannot grow without end.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walAutocheckpointPages)")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A page cache of 64 MiB (SQLite's default is 2 MiB): the log's and outbox's indexes
            // and the running enrollments stay in memory instead of being read again at each commit.
            try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKibibytes)")
            // Statement journals (one per savepoint: each caller of a group commit has one) and
            // other temporary files in memory instead of files on disk.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.storeError(error, path: path, doing: "open the database")
        }
        let userVersion = try checkSchema()
        if readOnly && userVersion < Self.schemaVersion {
            throw userVersion == 0
                ? StoreError(
                    .notADatabase,
                    "the file holds no purchase-actions data (an empty database, or not one written by purchase-actions publish or run); it is left as it is: give the --database that publish and run use",
                    path: path)
                : StoreError(
                    .olderSchema,
                    "the database was written by an older build (schema version \(userVersion); this build reads \(Self.schemaVersion)); purchase-actions publish or run migrates it, then read it again",
                    path: path)
        }
        if !readOnly {
            do {
                let queue = queue
                try Self.migrateSpillingToFiles { tempStore in
                    // `temp_store` cannot change inside a transaction, hence outside the migrator's.
                    try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = \(tempStore)") }
                    try Self.migrator.migrate(queue)
                }
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA temp_store = MEMORY")
                    // Each commit from now on asks for a checkpoint on the checkpointer's thread.
                    if let checkpointer { db.add(transactionObserver: CommitWatcher(checkpointer), extent: .databaseLifetime) }
                }
            } catch {
                throw Self.storeError(error, path: path, doing: "migrate the database to schema \(Self.schemaVersion)")
            }
        }
    }

    /// Runs the migrations (`migrate`, given the `temp_store` to run them with) with temporary
    /// files, and again in memory if that failed as a missing or full temporary folder can.
    ///
    /// A migration's `CREATE INDEX` sorts with SQLite's sorter, which spills past the page cache
    /// into temporary files; with `temp_store = MEMORY` those stay in memory, so moving a big log to
    /// schema 6 took memory in proportion to it (review 6, finding 8: 234 MB at 218,000 rows,
    /// against 111 MB with files). Files go to SQLite's temporary folder (`SQLITE_TMPDIR`, `TMPDIR`,
    /// /var/tmp, /tmp, then the working folder). Where none can be written (a read-only container)
    /// or it fills (`SQLITE_IOERR`, `SQLITE_FULL`, `SQLITE_CANTOPEN`), the failed migration was
    /// rolled back and runs again in memory, as before files were used (review 7, finding 1): a
    /// failure then is the database's own, and its error says so. Any other failure is thrown as it is.
    static func migrateSpillingToFiles(_ migrate: (_ tempStore: String) throws -> Void) throws {
        do {
            try migrate("FILE")
        } catch let error as DatabaseError where [.SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN].contains(error.resultCode) {
            try migrate("MEMORY")
        }
    }

    /// Refuses a database written by a newer build: an applied migration this build does not know,
    /// or a `user_version` above ``schemaVersion``.
    @discardableResult
    private func checkSchema() throws(StoreError) -> Int {
        let (userVersion, applied, tables, ours): (Int, Set<String>, Int, Int)
        do {
            (userVersion, applied, tables, ours) = try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let hasTable = try db.tableExists("grdb_migrations")
                let ids = hasTable ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") ?? 0
                let ours = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'workflow_version', 'enrollment', 'outbox', 'log', 'log_batch', 'input_position')") ?? 0
                return (version, ids, tables, ours)
            }
        } catch {
            throw Self.storeError(error, path: path, doing: "read the database's schema version")
        }
        // Another program's SQLite database: never add our tables to it.
        guard tables == 0 || !applied.isDisjoint(with: Self.migrationIDs) || !applied.subtracting(Self.migrationIDs).isEmpty else {
            if ours > 0 {
                // Our tables without the record of the migrations that made them: never migrate
                // again over them (that would fail half-way or duplicate them).
                throw StoreError(
                    .notADatabase,
                    "the file has purchase-actions' tables but no record of the schema migrations that made them (the table 'grdb_migrations' was emptied or dropped): the database was edited by hand or damaged; it is left as it is: restore a backup (Docs/operations.md, \"Backups\")",
                    path: path)
            }
            throw StoreError(
                .notADatabase,
                "the file is an SQLite database of another program (it has \(tables) table\(tables == 1 ? "" : "s") and none of purchase-actions'); it is left as it is: give another --database",
                path: path)
        }
        let unknown = applied.subtracting(Self.migrationIDs).sorted()
        guard userVersion <= Self.schemaVersion, unknown.isEmpty else {
            let what = unknown.isEmpty ? "schema version \(userVersion)" : "migrations \(unknown.map { "'\(DisplayText.escape($0))'" }.joined(separator: ", "))"
            throw StoreError(
                .newerSchema,
                "the database was written by a newer build of purchase-actions (\(what); this build knows schema version \(Self.schemaVersion)); open it with that build or newer, or give another --database",
                path: path)
        }
        return userVersion
    }

    deinit {
        // The checkpoint in flight ends first; the writer's connection, closed last, makes SQLite's
        // final checkpoint and removes the write-ahead log (as with one connection).
        checkpointer?.close()
    }

    /// Runs `body` in a write transaction, mapping failures to ``StoreError``; a checkpoint's
    /// failure since the last write is thrown first (nothing is written). Its commit asks for a
    /// checkpoint (`CommitWatcher`).
    ///
    /// `recording`: the write records work already done outside the database (deliveries sent, a
    /// charge made): a kept checkpoint failure is then thrown after it commits, not before, so the
    /// outcome is kept and the work is not done again at the next run.
    func write<T>(_ doing: String, recording: Bool = false, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try beforeWrite(throwingKept: !recording)
        let result: T
        do {
            result = try queue.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path, doing: doing)
        }
        if recording { try throwKeptFailure() }
        return result
    }

    /// What a write does before it begins (`Checkpointer`): waits for the checkpoint in flight
    /// when the log is long (so the write starts it again), then throws the checkpointer's
    /// failure since the last write, if any, so a disk that filled, or a file that turned
    /// read-only, while the log was copied stops the worker at its next commit with that error,
    /// before anything more is acknowledged.
    ///
    /// `throwingKept` false: only the wait (a write that records work already done throws the
    /// failure after it commits: ``throwKeptFailure()``).
    func beforeWrite(throwingKept: Bool = true) throws(StoreError) {
        guard let checkpointer else { return }
        checkpointer.waitIfLogLong()
        if throwingKept { try throwKeptFailure() }
    }

    /// Throws the checkpointer's failure kept since the last write, if any: before work outside
    /// the database starts (a delivery, a charge), and after a write that recorded such work.
    func throwKeptFailure() throws(StoreError) {
        if let failure = checkpointer?.takeFailure() { throw failure }
    }

    /// Ends a command's use of the store: waits for the checkpoint in flight, then throws a
    /// checkpoint failure kept since the last write (a disk that filled while the log was copied
    /// after the last commit), which closing would otherwise drop. Nothing committed is undone: the
    /// pages stay in the write-ahead log, and the next open copies them. Writes after it still work.
    ///
    /// ```swift
    /// let store = try SQLiteStore(path: path)
    /// _ = try store.publish(automation, at: now)
    /// try store.finish()    // a checkpoint's failure after the last commit is thrown here
    /// ```
    public func finish() throws(StoreError) {
        checkpointer?.waitForIdle()
        try throwKeptFailure()
    }

    /// Runs `body` reading the database, mapping failures to ``StoreError``.
    func read<T>(_ doing: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path, doing: doing)
        }
    }

    /// A GRDB, JSON or engine error as a ``StoreError`` that says what failed and what to do.
    static func storeError(_ error: any Error, path: String, doing: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? EngineError { return StoreError(engine: error, path: path) }
        if let error = error as? JSONError {
            return StoreError(.invalidEnrollment, "could not \(doing): a stored value does not read back: \(error.path): \(error.message)", path: path)
        }
        guard let error = error as? DatabaseError else {
            return StoreError(.io, "could not \(doing): \(DisplayText.escape(String(describing: error)))", path: path)
        }
        let detail = DisplayText.escape(error.message ?? "SQLite error \(error.resultCode.rawValue)")
        switch error.resultCode {
        case .SQLITE_FULL:
            return StoreError(
                .diskFull,
                "could not \(doing): the disk is full (\(detail)); nothing of this transaction was kept and nothing acknowledged is lost: free space and run again",
                path: path)
        case .SQLITE_READONLY:
            return StoreError(
                .readOnly,
                "could not \(doing): the database cannot be written (\(detail)); nothing of this transaction was kept: make the file and its folder writable and run again",
                path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(.notADatabase, "could not \(doing): the file is not an SQLite database of purchase-actions (\(detail)); give another --database", path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(.cannotOpen, "could not \(doing): the file cannot be opened (\(detail)); check that its folder exists and is writable", path: path)
        default:
            return StoreError(.io, "could not \(doing): \(detail)", path: path)
        }
    }
}

extension SQLiteStore {
    /// How many outbox rows are in `state`, of `kind` if one is given: counted by the query, never
    /// by reading the rows (the `--drain` summary's charges waiting).
    public func outboxCount(state: OutboxEntry.State, kind: String? = nil) throws(StoreError) -> Int {
        try read("count the outbox") { db in
            if let kind {
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state = ? AND kind = ?", arguments: [state.rawValue, kind]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state = ?", arguments: [state.rawValue]) ?? 0
        }
    }
}
