internal import GRDB
import Dispatch
import Synchronization
import PurchaseActionsCore

/// Copies committed pages from the write-ahead log into the database file (a passive checkpoint)
/// on a second connection to the same file and on its own thread, after commits, so the commit's
/// thread only appends to the log and syncs it (Docs/operations.md, "Checkpoints").
///
/// - **Coalesced.** ``request()`` after each commit starts a checkpoint when none runs; while one
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
/// - **Bound.** The WAL restarts from its beginning only when a write transaction begins after a
///   checkpoint copied all of it; under constant load this checkpointer may still be copying then,
///   so the writer keeps SQLite's automatic checkpoint as a fallback, raised to
///   ``SQLiteStore/walFallbackPages`` (it runs in the commit once the log holds that many pages, and
///   only has the frames this thread has not copied yet left to copy).
/// - **Closing.** ``close()`` waits for the checkpoint in flight and closes the connection; one
///   still wanted is dropped (the last connection's close makes SQLite's own final checkpoint).
final class Checkpointer: Sendable {
    /// What the checkpointer did, for tests and the benchmark.
    struct Counts: Sendable, Equatable {
        /// Calls of ``Checkpointer/request()``.
        var requested = 0
        /// Checkpoints run (failed ones included).
        var run = 0
        /// Checkpoints that met another's checkpoint lock (`SQLITE_BUSY`) and copied nothing.
        var busy = 0
        /// Checkpoints that failed otherwise.
        var failed = 0
        /// The last successful checkpoint's log size and frames copied (SQLite's `pnLog`, `pnCkpt`).
        var walFrames = 0
        /// The frames of the log in the database file after the last successful checkpoint.
        var checkpointedFrames = 0
    }

    private struct State {
        var running = false
        var again = false
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
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "PurchaseActionsSQLite.checkpoint", qos: .utility)
    private static let key = DispatchSpecificKey<Bool>()
    /// Opens the second connection (at the first checkpoint).
    private let open: @Sendable () throws -> DatabaseQueue

    /// A checkpointer of the database at `path`; its connection (`synchronous=FULL`, as the
    /// writer's) opens at the first checkpoint, read-only when `readOnly` (tests: every checkpoint
    /// then fails with `read-only`, as SQLite refuses one on such a connection).
    init(path: String, readOnly: Bool = false) {
        self.path = path
        queue.setSpecific(key: Self.key, value: true)
        open = {
            var configuration = Configuration()
            configuration.readonly = readOnly
            configuration.label = "PurchaseActionsSQLite.checkpoint"
            configuration.busyMode = .timeout(SQLiteStore.busyTimeoutSeconds)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            return try DatabaseQueue(path: path, configuration: configuration)
        }
    }

    /// Asks for a checkpoint after a commit: starts one on the checkpoint's thread when none runs,
    /// else marks one more wanted after it. Never blocks (a lock held for a few instructions).
    func request() {
        let start = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.counts.requested += 1
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        if start { queue.async { self.drain() } }
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
        let (hook, existing) = state.withLock { state in (state.beforeCheckpoint, state.connection) }
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
        if DispatchQueue.getSpecific(key: Self.key) != true { queue.sync {} }
        let connection = state.withLock { state -> DatabaseQueue? in
            defer { state.connection = nil }
            return state.connection
        }
        try? connection?.close()
    }

    /// A checkpoint's failure as the store's next write reports it: what failed, that nothing
    /// committed is lost (its pages stay in the write-ahead log), and what to do.
    static func failure(_ error: any Error, path: String) -> StoreError {
        let kept = "every committed transaction stays in the write-ahead log (\(DisplayText.escape(path))-wal) and nothing acknowledged is lost"
        let doing = "copy committed pages from the write-ahead log into the database file (a checkpoint, after a commit)"
        guard let error = error as? DatabaseError else {
            if let error = error as? StoreError { return error }
            return StoreError(.io, "could not \(doing): \(DisplayText.escape(String(describing: error))); \(kept): run again", path: path)
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
            return StoreError(.io, "could not \(doing): \(detail); \(kept): check the disk and run again", path: path)
        }
    }
}
