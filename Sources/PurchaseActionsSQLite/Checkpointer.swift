internal import GRDB
internal import GRDBSQLite
import Dispatch
import Synchronization
import PurchaseActionsCore

/// Copies committed pages from the write-ahead log into the database file (a passive checkpoint)
/// on a second connection to the same file and on its own thread, after commits, so the commit's
/// thread only appends to the log and syncs it (Docs/operations.md, "Checkpoints").
///
/// - **Coalesced.** Each commit of the writer's connection (`CommitWatcher`) calls
///   ``committed(pages:)``, which, once `requestPages` pages were written since it last asked
///   (1,000, SQLite's own cadence), starts a checkpoint when none runs; while one
///   runs, requests only mark that one more is wanted, which runs once it ends (at most one in
///   flight and one waiting, however many commits asked).
/// - **Passive.** It never waits for, nor blocks, the writer or readers (`SQLITE_CHECKPOINT_PASSIVE`:
///   it copies what no reader still needs and returns). `SQLITE_BUSY` (another checkpoint holds the
///   checkpoint lock: the writer's own fallback, or another process) is not a failure: the next
///   commit asks again.
/// - **Failures kept.** Any other failure (the disk full as the file grows, the file read-only, an
///   I/O error, the connection not opening) is kept as a ``StoreError`` (the first one, until
///   taken) for ``takeFailure()``: the store's next write throws it. Nothing committed depends on a
///   checkpoint: its pages stay in the write-ahead log until one succeeds.
/// - **Bound.** The WAL starts again from its beginning only when a write transaction begins after
///   a checkpoint copied all of it; under constant load this thread is usually still copying the
///   last commit then, so the log would grow without end. Once the writer's commits wrote
///   `restartPages` pages to the log since it last started again (SQLite's count of the pages a
///   connection wrote, `SQLITE_DBSTATUS_CACHE_WRITE`), or a checkpoint found the log that long,
///   ``waitIfLogLong()`` (the writer, before its next transaction) waits for the checkpoint in
///   flight: the transaction then begins with the log copied whole and starts it again. So the
///   log holds at most about `restartPages` pages and one commit's. The writer also keeps
///   SQLite's automatic checkpoint, raised to `SQLiteStore.walFallbackPages`, for a checkpointer
///   that cannot copy (failing, or meeting another's lock: in a test the automatic checkpoint
///   alone, meeting this thread's lock at almost every commit, let the log grow 10 times past its
///   limit).
/// - **Closing.** ``close()`` waits for the checkpoint in flight and closes the connection; one
///   still wanted is dropped (the last connection's close makes SQLite's own final checkpoint).
final class Checkpointer: Sendable {
    /// What the checkpointer did (tests).
    struct Counts: Sendable, Equatable {
        /// Calls of ``Checkpointer/request()``.
        var requested = 0
        /// Checkpoints run (failed ones included).
        var run = 0
        /// Checkpoints that met another's checkpoint lock (`SQLITE_BUSY`) and copied nothing.
        var busy = 0
        /// Checkpoints that failed otherwise.
        var failed = 0
        /// Waits of the writer for a checkpoint in flight, the log being long (``Checkpointer/waitIfLogLong()``).
        var waits = 0
        /// The last successful checkpoint's log size and frames copied (SQLite's `pnLog`, `pnCkpt`).
        var walFrames = 0
        /// The frames of the log in the database file after the last successful checkpoint.
        var checkpointedFrames = 0
    }

    private struct State {
        var running = false
        var again = false
        /// The writer's commits wrote ``Checkpointer/restartPages`` pages or more since its last
        /// wait, or the last checkpoint found the log that long.
        var long = false
        /// Pages the writer's commits wrote to the log since its last wait.
        var pagesSinceWait = 0
        /// Pages the writer's commits wrote to the log since the last request.
        var pagesSinceRequest = 0
        var closed = false
        var connection: DatabaseQueue?
        var failure: StoreError?
        var counts = Counts()
        /// Test hook: runs on the checkpoint's thread before each checkpoint; a throw is that
        /// checkpoint's failure, a wait holds it in flight.
        var beforeCheckpoint: (@Sendable () throws -> Void)?
    }

    /// The database file.
    let path: String
    /// The log's length, in frames, past which the writer waits for the checkpoint in flight
    /// before its next transaction, so that transaction starts the log again.
    let restartPages: Int
    /// The pages the writer's commits write to the log before they ask for a checkpoint (as
    /// SQLite's automatic checkpoint asks every 1,000 by default): a checkpoint after every small
    /// commit copies the pages every commit changes (the indexes' hot pages) again each time.
    let requestPages: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "PurchaseActionsSQLite.checkpoint", qos: .utility)
    /// Marks each checkpointer's queue with that checkpointer's identity (not a shared `true`, so
    /// one store closed from another's checkpoint thread still waits for its own).
    private static let key = DispatchSpecificKey<ObjectIdentifier>()
    /// Opens the second connection (at the first checkpoint).
    private let open: @Sendable () throws -> DatabaseQueue

    /// A checkpointer of the database at `path`; its connection (`synchronous=FULL`, as the
    /// writer's) opens at the first checkpoint, read-only when `readOnly` (tests: every checkpoint
    /// then fails with `read-only`, as SQLite refuses one on such a connection).
    init(path: String, readOnly: Bool = false, restartPages: Int = SQLiteStore.walRestartPages, requestPages: Int = SQLiteStore.walCheckpointPages) {
        self.path = path
        self.restartPages = restartPages
        self.requestPages = requestPages
        open = {
            var configuration = Configuration()
            configuration.readonly = readOnly
            configuration.label = "PurchaseActionsSQLite.checkpoint"
            configuration.busyMode = .timeout(SQLiteStore.busyTimeoutSeconds)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            return try DatabaseQueue(path: path, configuration: configuration)
        }
        queue.setSpecific(key: Self.key, value: ObjectIdentifier(self))
    }

    /// Whether the caller runs on this checkpointer's own thread (where there is nothing to wait for).
    private var onOwnQueue: Bool { DispatchQueue.getSpecific(key: Self.key) == ObjectIdentifier(self) }

    /// After a commit of the writer that wrote `pages` pages to the log: counts them, and asks for
    /// a checkpoint (``request()``) once `requestPages` pages were written since the last request,
    /// and whenever the log is long (the writer's next transaction waits for that checkpoint).
    func committed(pages: Int) {
        let asks = state.withLock { state -> Bool in
            let pages = max(0, pages)
            state.pagesSinceWait += pages
            state.pagesSinceRequest += pages
            if state.pagesSinceWait >= restartPages { state.long = true }
            guard state.pagesSinceRequest >= requestPages || state.long else { return false }
            state.pagesSinceRequest = 0
            return true
        }
        if asks { request() }
    }

    /// Asks for a checkpoint: starts one on the checkpoint's thread when none runs, else marks one
    /// more wanted after it. Never blocks (a lock held for a few instructions).
    func request() {
        state.withLock { state in
            guard !state.closed else { return }
            state.counts.requested += 1
            if state.running {
                state.again = true
                return
            }
            state.running = true
            // Queued under the lock, so a waiter that sees `running` (``waitIfLogLong()``,
            // ``waitForIdle()``) always queues its wait after this checkpoint, never before it.
            queue.async { self.drain() }
        }
    }

    /// Runs checkpoints until none is wanted.
    private func drain() {
        while true {
            checkpoint()
            let more = state.withLock { state -> Bool in
                if state.again && !state.closed {
                    state.again = false
                    return true
                }
                state.running = false
                state.again = false
                return false
            }
            if !more { return }
        }
    }

    /// One passive checkpoint, its outcome noted.
    private func checkpoint() {
        let (hook, existing, closed) = state.withLock { state in (state.beforeCheckpoint, state.connection, state.closed) }
        // Closed: no connection is opened again after ``close()`` took the last one.
        if closed { return }
        do {
            try hook?()
            let connection: DatabaseQueue
            if let existing {
                connection = existing
            } else {
                connection = try open()
                state.withLock { $0.connection = connection }
            }
            let (walFrames, checkpointed) = try connection.inDatabase { db in try db.checkpoint(.passive) }
            state.withLock { state in
                state.counts.run += 1
                state.counts.walFrames = walFrames
                state.counts.checkpointedFrames = checkpointed
                if walFrames >= restartPages { state.long = true }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            state.withLock { state in
                state.counts.run += 1
                state.counts.busy += 1
            }
        } catch {
            let failure = Self.failure(error, path: path)
            state.withLock { state in
                state.counts.run += 1
                state.counts.failed += 1
                if state.failure == nil { state.failure = failure }
            }
        }
    }

    /// Before a write transaction: when the last checkpoint found the log long, waits for the
    /// checkpoint in flight and the one still wanted (they copy every commit made so far, the
    /// writer being the only one), so the transaction begins with the log copied whole and SQLite
    /// starts it again at its first write. A wait of the commit's thread (no work on it) once in
    /// about `restartPages` pages of commits; none while the log is short.
    ///
    /// The flag is cleared after the wait, not before: the checkpoint waited for finds the log long
    /// (that is why it is waited for) and would set it again, making the next transaction wait a
    /// second time for nothing.
    func waitIfLogLong() {
        let wait = state.withLock { state -> Bool in
            guard state.long, !state.closed else { return false }
            state.counts.waits += 1
            return true
        }
        guard wait else { return }
        if !onOwnQueue { queue.sync {} }
        state.withLock { state in
            state.long = false
            state.pagesSinceWait = 0
        }
    }

    /// Waits for the checkpoint in flight and the one still wanted, if any (not from its own thread).
    func waitForIdle() {
        if !onOwnQueue { queue.sync {} }
    }

    /// The failure kept since the last call, if any (then forgotten: a later checkpoint may succeed).
    func takeFailure() -> StoreError? {
        state.withLock { state in
            defer { state.failure = nil }
            return state.failure
        }
    }

    /// What the checkpointer did so far.
    var counts: Counts { state.withLock { $0.counts } }

    /// Whether ``close()`` was called.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Test hook: sets the closure run before each checkpoint.
    func setBeforeCheckpoint(_ hook: (@Sendable () throws -> Void)?) {
        state.withLock { $0.beforeCheckpoint = hook }
    }

    /// Calls `done` once the checkpoints requested before it have run (tests; never on the
    /// checkpoint's own thread).
    func whenIdle(_ done: @escaping @Sendable () -> Void) {
        queue.async(execute: done)
    }

    /// Waits for the checkpoint in flight (not from its own thread, where there is none to wait
    /// for), drops one still wanted and closes the connection. Later requests do nothing.
    func close() {
        state.withLock { $0.closed = true }
        if !onOwnQueue { queue.sync {} }
        let connection = state.withLock { state -> DatabaseQueue? in
            defer { state.connection = nil }
            return state.connection
        }
        try? connection?.close()
    }

    /// A checkpoint's failure as the store's next write reports it: what failed, that nothing
    /// committed is lost (its pages stay in the write-ahead log), and what to do. For an I/O error
    /// the log's own pages may be what failed, so that message claims less.
    static func failure(_ error: any Error, path: String) -> StoreError {
        let log = "\(DisplayText.escape(path))-wal"
        let kept = "every committed transaction stays in the write-ahead log (\(log)) and nothing acknowledged is lost"
        let keptUnlessDisk = "the committed transactions stay in the write-ahead log (\(log)) unless the disk lost them"
        let doing = "copy committed pages from the write-ahead log into the database file (a checkpoint, after a commit)"
        guard let error = error as? DatabaseError else {
            if let error = error as? StoreError { return error }
            return StoreError(.io, "could not \(doing): \(DisplayText.escape(String(describing: error))); \(keptUnlessDisk): check the disk and run again", path: path)
        }
        let detail = DisplayText.escape(error.message ?? "SQLite error \(error.resultCode.rawValue)")
        switch error.resultCode {
        case .SQLITE_FULL:
            return StoreError(.diskFull, "could not \(doing): the disk is full (\(detail)); \(kept): free space and run again", path: path)
        case .SQLITE_READONLY:
            return StoreError(
                .readOnly, "could not \(doing): the database cannot be written (\(detail)); \(kept): make the file and its folder writable and run again", path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(
                .cannotOpen, "could not \(doing): a second connection to the file cannot be opened (\(detail)); \(kept): check that the file and its folder are readable and writable, and run again",
                path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(.notADatabase, "could not \(doing): the file is damaged (\(detail)); restore a backup (Docs/operations.md, \"Backups\")", path: path)
        default:
            return StoreError(.io, "could not \(doing): \(detail); \(keptUnlessDisk): check the disk and run again", path: path)
        }
    }
}

/// Tells the checkpointer of each commit of the writer's connection, with the pages it wrote to
/// the write-ahead log (GRDB's transaction observer, called on that connection right after the
/// commit: every write, the runtime's and the store's, and no other work).
final class CommitWatcher: TransactionObserver, Sendable {
    let checkpointer: Checkpointer

    init(_ checkpointer: Checkpointer) {
        self.checkpointer = checkpointer
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseDidCommit(_ db: Database) {
        checkpointer.committed(pages: Self.pagesWritten(db))
    }

    /// The pages the connection wrote to the log since the last call (`SQLITE_DBSTATUS_CACHE_WRITE`,
    /// reset by the call); 0 when SQLite does not say.
    static func pagesWritten(_ db: Database) -> Int {
        var current: Int32 = 0
        var highest: Int32 = 0
        guard sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highest, 1) == SQLITE_OK else { return 0 }
        return Int(current)
    }
}
