internal import GRDB
import Dispatch
public import PurchaseActionsCore
public import PurchaseActionsEngine

/// The engine running on an ``SQLiteStore``: an actor many tasks may call at once, whose every
/// acknowledged call is committed (Docs/operations.md, "Exactly once").
///
/// ```swift
/// let store = try SQLiteStore(path: path)
/// let runtime = try DurableRuntime(store: store)
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     for event in events { group.addTask { try await runtime.ingest(event) } }   // committed together
///     try await group.waitForAll()
/// }
/// try await runtime.advance(to: now)                                      // due wake-ups fire
/// for message in try await runtime.dueDeliveries(at: now, limit: 100) {
///     try await runtime.record(await deliverer.deliver(message), key: message.key, at: now)
/// }
/// ```
///
/// **Group commit.** Each caller's event waits in a queue; one transaction takes every queued
/// event (an event the engine refuses rolls back alone and its caller gets the error: the
/// transaction is then rolled back and run again with a savepoint per caller), and each caller
/// returns only after that transaction committed. An event's
/// whole effect — contacts, enrollments, wake-ups, processed id, log records, outbox rows, the
/// clock — commits with it or not at all.
///
/// **Threads.** The actor runs on its own dispatch queue (a custom executor), not on Swift's
/// cooperative pool: its transactions and their fsyncs block that queue's thread only. The text
/// of each caller's log is composed on a second queue while the engine runs the next events and
/// the kept rows are written; the transaction inserts it when composed, before it commits (what
/// is stored, and when a caller is answered, are unchanged). After each commit the store's
/// checkpointer copies the write-ahead log into the file on a third thread and a second
/// connection (Docs/operations.md, "Checkpoints"), so the commit itself only appends to the log.
///
/// **Failures.** A transaction that fails (disk full, read-only, I/O) throws ``StoreError`` to
/// every caller in it, and the runtime reloads its engine from the store before its next call:
/// what was acknowledged is kept, what was not is not (give it again). A checkpoint that failed
/// since the last commit is thrown the same way by the next transaction, before it begins. A publish or
/// migrate-enrollments made meanwhile through another ``SQLiteStore`` on the same file is picked
/// up at the next transaction.
public actor DurableRuntime {
    /// The options a runtime uses when none are given: the engine's defaults, the log not kept in
    /// memory (it is in the store), late events run at the clock's time.
    public static let defaultOptions = Engine.Options(keepsLog: false, lateEvents: .runAtClock)

    /// How many wake-ups one transaction of ``advance(to:)`` fires, about (all those due at one
    /// instant fire together).
    public static let wakeUpsPerCommit = 1_000

    /// Delivery attempts before a failing outbox row is dead.
    public static let deliveryAttempts = 8

    /// The store.
    public nonisolated let store: SQLiteStore
    /// Where the actor runs: its own queue, so a commit's fsync never blocks a cooperative thread.
    private nonisolated let executor = RuntimeExecutor(label: "PurchaseActionsSQLite.DurableRuntime")
    /// Where callers' logs are composed while their events run (``LogStream``): a second thread,
    /// so the text of the log is made beside the engine and the inserts instead of after them.
    private nonisolated let composing = DispatchQueue(label: "PurchaseActionsSQLite.DurableRuntime.compose", qos: .userInitiated)
    /// The actor's executor (`RuntimeExecutor`).
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let options: Engine.Options
    let context = TransactionContext()
    /// Stored enrollments set aside in the open transaction (their rows do not read back).
    let quarantine = Quarantine()
    var engine: Engine
    /// The dunning of the published policies (empty when none is published).
    var dunning = DunningState.none
    /// The store's `generation` the engine was built at.
    private var generation: Int64
    /// Set when a transaction or savepoint rolled back: the engine reloads before the next call.
    private var needsReload = false
    /// Events waiting for the next commit.
    private var queue: [Work] = []
    /// Whether a task is committing the queue.
    private var flushing = false
    /// Test hook: while true, queued events wait (so a test can queue many and see one commit).
    var holdsCommits = false
    /// Test hook: transactions committed by this runtime.
    private(set) var commits = 0
    /// Test hook: every batch takes the per-caller path (a savepoint each), never the optimistic
    /// one, so a test can compare what the two store.
    var commitsEachCaller = false
    /// Test hook: whether callers' logs are composed on `composing` while their events run (else
    /// from their records at the log write, on the actor's thread): both write the same rows.
    var composesAhead = true
    /// Test hook: callers' logs written as composed ahead (``LogStream``), and as composed at the write.
    private(set) var logsComposed = (ahead: 0, atWrite: 0)

    /// Events of one caller, with the input position to commit with them.
    private struct Work {
        var events: [Event]
        var position: InputPosition?
        var continuation: CheckedContinuation<Result<[LogRecord], StoreError>, Never>
    }

    /// Creates a runtime over the store's published workflows (current versions, and earlier
    /// versions that running enrollments may be on, each with the profile and plans it was
    /// published with), its clock at the stored clock (or 1970 in a new store: the first event
    /// moves it). Options whose `lateEvents` is `nil` run late events at the clock's time.
    public init(store: SQLiteStore, options: Engine.Options = DurableRuntime.defaultOptions) throws(StoreError) {
        var options = options
        if options.lateEvents == nil { options.lateEvents = .runAtClock }
        self.store = store
        self.options = options
        (engine, generation, dunning) = try Self.makeEngine(store: store, options: options, context: context, quarantine: quarantine)
    }

    /// Builds an engine over the store's versions, at its clock, with ports on `context`.
    private static func makeEngine(store: SQLiteStore, options: Engine.Options, context: TransactionContext, quarantine: Quarantine) throws(StoreError) -> (Engine, Int64, DunningState) {
        try store.read("load the published workflows") { db in try makeEngine(in: db, store: store, options: options, context: context, quarantine: quarantine) }
    }

    /// ``makeEngine(store:options:context:quarantine:)`` reading `db` (inside a transaction).
    private static func makeEngine(in db: Database, store: SQLiteStore, options: Engine.Options, context: TransactionContext, quarantine: Quarantine) throws -> (Engine, Int64, DunningState) {
        let (current, earlier) = try SQLiteStore.loadRunning(db)
        let clock = try store.storedClock(db)
        let generation = try db.meta("generation")
        let ports = Engine.Ports(contacts: SQLiteContactDirectory(context), effects: SQLiteEffectSink(context), store: SQLiteEnrollmentStore(context, quarantine: quarantine))
        let engine: Engine
        do {
            engine = try Engine(
                current: current, earlier: earlier, start: clock ?? Instant(millisecondsSinceEpoch: 0), options: options, ports: ports)
        } catch {
            throw StoreError(engine: error, path: store.path)
        }
        context.clock = { [weak engine] in engine?.now ?? Instant(millisecondsSinceEpoch: 0) }
        let dunning = try DunningState.load(db, path: store.path)
        return (engine, generation, dunning)
    }

    /// Rebuilds the engine from the store when a rollback left it unsure.
    func reloadIfNeeded() throws(StoreError) {
        guard needsReload else { return }
        (engine, generation, dunning) = try Self.makeEngine(store: store, options: options, context: context, quarantine: quarantine)
        needsReload = false
    }

    // MARK: Events

    /// Runs one event and returns the records it caused, once the transaction holding it committed
    /// (group commit). An event id seen before runs nothing (a `duplicate` record). An event the
    /// engine refuses throws `engine` with the `EngineError` and changes nothing.
    @discardableResult
    public func ingest(_ event: Event) async throws(StoreError) -> [LogRecord] {
        try await enqueue([event], through: nil)
    }

    /// The worker's path: events read from one input, committed with the input's new position in
    /// the same transaction (several batches may share one commit). If the engine refuses one of
    /// them, none of them is kept, the position is not moved, and the error's
    /// `engineError.batchIndex` is its place in `events`. Returns the records the events caused
    /// (with those of the wake-ups that came due between them, `cause` `timer:<enrollment>`).
    @discardableResult
    public func ingest(_ events: [Event], through position: InputPosition) async throws(StoreError) -> [LogRecord] {
        try await enqueue(events, through: position)
    }

    private func enqueue(_ events: [Event], through position: InputPosition?) async throws(StoreError) -> [LogRecord] {
        let result = await withCheckedContinuation { continuation in
            queue.append(Work(events: events, position: position, continuation: continuation))
            startFlushing()
        }
        return try result.get()
    }

    /// Test hook: how many callers wait for a commit.
    var queuedCount: Int { queue.count }

    /// Test hook: lets held commits go (``holdsCommits``).
    func setHoldsCommits(_ holds: Bool) {
        holdsCommits = holds
        if !holds { startFlushing() }
    }

    /// Test hook: sets `commitsEachCaller`.
    func setCommitsEachCaller(_ each: Bool) { commitsEachCaller = each }

    /// Test hook: sets `composesAhead`.
    func setComposesAhead(_ ahead: Bool) { composesAhead = ahead }

    private func startFlushing() {
        guard !flushing, !holdsCommits, !queue.isEmpty else { return }
        flushing = true
        Task { await self.flush() }
    }

    /// Commits the queue, batch after batch, until it is empty.
    private func flush() async {
        while true {
            // Let callers waiting for the actor join this batch.
            await Task.yield()
            guard !queue.isEmpty, !holdsCommits else {
                flushing = false
                return
            }
            let batch = queue
            queue = []
            let results = commit(batch)
            for (work, result) in zip(batch, results) { work.continuation.resume(returning: result) }
        }
    }

    /// One transaction for the batch: every caller's events in one go (`commitTogether`);
    /// when the engine refuses one of them, that transaction is rolled back whole and the batch
    /// runs again with a savepoint per caller (`commitEach`), so each caller's result — and
    /// what is stored — is what the per-caller path gives.
    private func commit(_ batch: [Work]) -> [Result<[LogRecord], StoreError>] {
        if batch.count > 1, !commitsEachCaller, let results = commitTogether(batch) { return results }
        return commitEach(batch)
    }

    /// The batch's events in one transaction with no savepoint, the kept rows written once and
    /// the log once (a savepoint, a flush and a log write per caller cost about a third of a
    /// group commit). Stores what `commitEach` stores when no event is refused: the same
    /// rows in the same order (each caller's set-aside enrollments' records before its own, as
    /// its own log write puts them). `nil` when the engine refused an event: nothing of the
    /// transaction is kept and the engine reloads (the caller runs the batch again per caller).
    private func commitTogether(_ batch: [Work]) -> [Result<[LogRecord], StoreError>]? {
        var results: [Result<[LogRecord], StoreError>] = []
        var refused = false
        do {
            try transaction("commit \(batch.reduce(0) { $0 + $1.events.count }) events") { db in
                results = []
                results.reserveCapacity(batch.count)
                // Each caller's log rows as its own log write makes them: its set-aside enrollments'
                // records first, the effects' details as its outbox rows took them.
                var logs: [PendingLog] = []
                logs.reserveCapacity(batch.count)
                var pipeline = composesAhead ? LogPipeline(queue: composing) : nil
                for work in batch {
                    switch try runEvents(work, in: db, composingInto: &pipeline) {
                    case .success(let records):
                        logs.append(takeLog(records, pipeline: &pipeline))
                        results.append(.success(records))
                    case .failure(let error):
                        // Rolls the whole transaction back (`transaction` marks the engine for reloading).
                        refused = true
                        throw error
                    }
                }
                // The kept rows are written while the composing thread finishes the callers' logs.
                try context.flush()
                let composed = logs.contains(where: \.isComposed) ? pipeline?.finish() ?? [] : []
                var next: Int64?
                for log in logs { next = try write(log, composed: composed, startingAt: next, in: db) }
                for work in batch { if let position = work.position { try writePosition(position, in: db) } }
                try writeClock(engine.now, in: db)
            }
        } catch {
            return refused ? nil : batch.map { _ in .failure(error) }
        }
        return results
    }

    /// One transaction for the batch, a savepoint per caller.
    private func commitEach(_ batch: [Work]) -> [Result<[LogRecord], StoreError>] {
        var results: [Result<[LogRecord], StoreError>] = []
        do {
            try transaction("commit \(batch.reduce(0) { $0 + $1.events.count }) events") { db in
                results = []
                // The clock after the last caller kept (written once per transaction, not per caller).
                var clock: Instant?
                for work in batch {
                    let result = try run(work, in: db)
                    if case .success = result { clock = engine.now }
                    results.append(result)
                }
                if let clock { try writeClock(clock, in: db) }
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
        return results
    }

    /// Runs one caller's events in a savepoint: an engine refusal rolls back only them.
    private func run(_ work: Work, in db: Database) throws -> Result<[LogRecord], StoreError> {
        var outcome: Result<[LogRecord], StoreError> = .success([])
        var dunningRolledBack = false
        defer {
            // The savepoint took back what dunning wrote: its state in memory is read again.
            if dunningRolledBack, !dunning.isEmpty, let reloaded = try? DunningState.load(db, path: store.path) { dunning = reloaded }
        }
        var pipeline = composesAhead ? LogPipeline(queue: composing) : nil
        try db.inSavepoint {
            switch try runEvents(work, in: db, composingInto: &pipeline) {
            case .failure(let error):
                outcome = .failure(error)
                needsReload = true
                dunningRolledBack = true
                context.discard()
                quarantine.discard()
                return .rollback
            case .success(let records):
                try context.flush()
                let log = takeLog(records, pipeline: &pipeline)
                try write(log, composed: log.isComposed ? pipeline?.finish() ?? [] : [], in: db)
                if let position = work.position { try writePosition(position, in: db) }
                outcome = .success(records)
                return .commit
            }
        }
        return outcome
    }

    /// Runs one caller's events (what dunning has due before each first): the records they
    /// caused, or the engine's refusal as the caller gets it (its place in a batch said). A
    /// refusal leaves the transaction's changes and the kept rows for the caller to roll back.
    /// Each event's records (and the effects' details the outbox took for them) go to `pipeline`
    /// as soon as the event ran, to be composed while the next events run.
    private func runEvents(_ work: Work, in db: Database, composingInto pipeline: inout LogPipeline?) throws -> Result<[LogRecord], StoreError> {
        var records: [LogRecord] = []
        var submitted = 0
        for (index, event) in work.events.enumerated() {
            defer {
                if pipeline != nil {
                    pipeline?.add(records[submitted...], details: context.takeNewDetails())
                    submitted = records.count
                }
            }
            // What dunning has due before the event runs first, as the engine's wake-ups do.
            if !dunning.isEmpty { records += try fireDunning(upTo: event.occurredAt, in: db).records }
            let ingested = Result { () throws(EngineError) in try engine.ingest(event) }
            switch ingested {
            case .success(let more):
                records.append(contentsOf: more)
                if !more.contains(where: { $0.status == .duplicate && $0.cause == event.id }) {
                    records += try dunningIngest(event, in: db)
                }
            case .failure(let error):
                try context.check()
                var failure = error
                if work.position != nil {
                    failure.batchIndex = index
                    failure.message = "event \(index) of the batch (line \(work.position?.line ?? 0) or before): \(error.message); none of the batch was kept"
                }
                return .failure(StoreError(engine: failure, path: store.path))
            }
            try context.check()
        }
        return .success(records)
    }

    /// Moves the input's position (one row per source).
    private func writePosition(_ position: InputPosition, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO input_position (source, offset, line, tail) VALUES (?, ?, ?, ?)
                ON CONFLICT (source) DO UPDATE SET offset = excluded.offset, line = excluded.line, tail = excluded.tail
                """
        ).execute(arguments: [position.source, position.offset, position.line, position.tail])
    }

    /// Runs `body` in a write transaction with the database lent to the ports; on any failure the
    /// transaction rolls back, the engine reloads before the next call, and the error is a ``StoreError``.
    ///
    /// `recording`: the transaction records work already done outside the database (a charge
    /// made): a kept checkpoint failure is thrown after it commits, so the outcome is kept.
    func transaction(_ doing: String, recording: Bool = false, _ body: (Database) throws -> Void) throws(StoreError) {
        // A checkpoint that failed since the last commit (disk full, read-only, I/O) stops here,
        // before this transaction: its callers get the error, nothing more is acknowledged. A long
        // log waits for the checkpoint in flight first, so this transaction starts it again.
        try store.beforeWrite(throwingKept: !recording)
        try reloadIfNeeded()
        do {
            try store.queue.inTransaction(.immediate) { db in
                context.attach(db)
                quarantine.discard()
                defer { context.detach() }
                if try db.meta("generation") != generation {
                    // A publish or migration through another connection: take it up first.
                    (engine, generation, dunning) = try Self.makeEngine(in: db, store: store, options: options, context: context, quarantine: quarantine)
                }
                try body(db)
                return .commit
            }
            commits += 1
        } catch {
            needsReload = true
            throw SQLiteStore.storeError(error, path: store.path, doing: doing)
        }
        if recording { try store.throwKeptFailure() }
    }

    /// Appends the records to the log (``SQLiteStore/appendLog(_:detailsText:in:)``), the effects'
    /// details as the outbox wrote them.
    func writeLog(_ records: [LogRecord], in db: Database) throws {
        var none: LogPipeline?
        try write(takeLog(records, pipeline: &none), composed: [], in: db)
    }

    /// A caller's log, to write after the kept rows: composed while its events ran (its place in
    /// its ``LogPipeline``), or its records to compose at the write.
    enum PendingLog {
        case composed(Int)
        case records([LogRecord], detailsText: [String: String])

        /// Whether it is composed ahead.
        var isComposed: Bool {
            if case .composed = self { true } else { false }
        }
    }

    /// The caller's log, its records ended in `pipeline` (then the effects' details kept for it
    /// are forgotten): the records of enrollments set aside since the last write first (they were
    /// met first), then `records`. The pipeline's composition when there is one and it holds the
    /// same text: none set aside (their records go first, but were met after the first pieces)
    /// and no effect's details rewritten after a piece took them (dunning names a cancellation's
    /// details after the fact).
    func takeLog(_ records: [LogRecord], pipeline: inout LogPipeline?) -> PendingLog {
        defer { context.forgetDetails() }
        if let place = pipeline?.endCaller(), quarantine.records.isEmpty, !context.detailsRewritten { return .composed(place) }
        return .records(quarantine.records.isEmpty ? records : quarantine.take() + records, detailsText: context.detailsText)
    }

    /// Writes a caller's log (``SQLiteStore/writeLog(_:startingAt:in:)``), one composed ahead
    /// taken from `composed` (what its pipeline finished with), from `next` when the caller knows
    /// the log's next sequence; returns the next sequence after it.
    @discardableResult
    func write(_ log: PendingLog, composed: [LogComposer.Composed], startingAt next: Int64? = nil, in db: Database) throws -> Int64? {
        switch log {
        case .composed(let place):
            logsComposed.ahead += 1
            // A caller that handed on no record has no composer.
            guard composed.indices.contains(place) else { return next }
            return try SQLiteStore.writeLog(composed[place], startingAt: next, in: db)
        case .records(let records, let detailsText):
            guard !records.isEmpty else { return next }
            logsComposed.atWrite += 1
            return try SQLiteStore.writeLog(LogComposer.composed(records, detailsText: detailsText), startingAt: next, in: db)
        }
    }

    func writeClock(_ clock: Instant? = nil, in db: Database) throws {
        try db.setMeta("clock", (clock ?? engine.now).millisecondsSinceEpoch)
        try db.setMeta("has_clock", 1)
    }

    // MARK: Time and runs

    /// Fires the wake-ups due by `instant` and moves the clock there, committing about
    /// ``wakeUpsPerCommit`` wake-ups per transaction (each committed chunk stays if a later one
    /// fails). Returns every record written. It stops early only when a chunk makes no progress
    /// (the engine's advance budget spent): call it again to go on.
    @discardableResult
    public func advance(to instant: Instant) async throws(StoreError) -> [LogRecord] {
        var all: [LogRecord] = []
        var done = false
        while !done {
            try transaction("fire the wake-ups due by \(instant)") { db in
                let chunk = try Int64.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT wake_at FROM enrollment WHERE wake_at IS NOT NULL AND wake_at <= ? ORDER BY wake_at, sequence LIMIT 1 OFFSET ?"),
                    arguments: [instant.millisecondsSinceEpoch, Self.wakeUpsPerCommit - 1])
                let target = chunk.map(Instant.init(millisecondsSinceEpoch:)) ?? instant
                let before = engine.now
                // Dunning due by the target first (each due time moves the engine's clock there).
                let fired = try fireDunning(upTo: target, in: db)
                // With dunning left due (its bound reached), the engine stops at its next due time.
                let engineTarget = fired.finished ? target : min(target, dunning.nextDue ?? target)
                let records = fired.records + engine.advance(to: engineTarget)
                try context.check()
                try context.flush()
                try writeLog(records, in: db)
                try writeClock(in: db)
                all.append(contentsOf: records)
                // Done when the target is reached; also when a chunk made no progress (the engine's
                // advance budget spent on nothing: `Engine.unreachedTarget`), so this loop ends.
                let progressed = !records.isEmpty || engine.now != before || fired.worked
                done = (chunk == nil && engine.unreachedTarget == nil && fired.finished) || !progressed
            }
        }
        return all
    }

    /// Runs a workflow for a contact now (`Engine.run(workflowID:contactID:)`), committed before it
    /// returns; an engine refusal throws `engine` and changes nothing.
    @discardableResult
    public func run(workflowID: String, contactID: String) async throws(StoreError) -> [LogRecord] {
        var records: [LogRecord] = []
        try transaction("run '\(DisplayText.escape(workflowID))'") { db in
            switch Result(catching: { () throws(EngineError) in try engine.run(workflowID: workflowID, contactID: contactID) }) {
            case .success(let ran): records = ran
            case .failure(let error):
                try context.check()
                throw StoreError(engine: error, path: store.path)
            }
            try context.check()
            try context.flush()
            try writeLog(records, in: db)
            try writeClock(in: db)
        }
        return records
    }

    /// The clock: the latest event time or `advance` target committed (after a failed
    /// transaction, the stored clock: the runtime reloads first).
    public var now: Instant {
        try? reloadIfNeeded()
        return engine.now
    }

    /// The earliest wake-up of a waiting enrollment (`nil` when none, or the store cannot be read).
    public var nextWakeUp: Instant? {
        try? store.read("read the next wake-up") { db in try SQLiteEnrollmentStore.nextWakeUp(atOrBefore: Instant.supported.upperBound, in: db)?.0 }
    }
}
