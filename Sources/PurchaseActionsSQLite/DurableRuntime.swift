public import PurchaseActionsCore
public import PurchaseActionsEngine

/// The engine running on an ``SQLiteStore``: an actor many tasks may call at once, whose every
/// acknowledged call is committed (Docs/operations.md, "Exactly once").
///
/// Events of concurrent callers are committed together (group commit): each caller's event waits in
/// a queue; one transaction takes every queued event, each in its own savepoint (an event the
/// engine refuses rolls back alone), and each caller returns only after that transaction committed.
/// External effects become outbox rows in the same transaction; ``dueDeliveries(at:limit:)`` and
/// ``record(_:key:at:)`` drive their delivery.
///
/// A commit that fails (disk full, read-only) throws ``StoreError`` and the runtime reloads its
/// state from the store before its next call: what was acknowledged is kept, what was not is not.
public actor DurableRuntime {
    /// The options a runtime uses when none are given: the engine's defaults, the log not kept in
    /// memory (it is in the store), late events run at the clock's time.
    public static let defaultOptions = Engine.Options(keepsLog: false, lateEvents: .runAtClock)

    /// The store.
    public nonisolated let store: SQLiteStore

    /// Creates a runtime over the store's published workflows (current versions, and earlier versions
    /// running enrollments are on), its clock at the stored clock.
    public init(store: SQLiteStore, options: Engine.Options = DurableRuntime.defaultOptions) throws(StoreError) {
        self.store = store
        throw StoreError.notBuilt("DurableRuntime")
    }

    /// Runs one event and returns the records it caused, after the transaction holding it committed
    /// (group commit). An event id seen before runs nothing (a `duplicate` record).
    @discardableResult
    public func ingest(_ event: Event) async throws(StoreError) -> [LogRecord] {
        throw StoreError.notBuilt("ingest")
    }

    /// The worker's path: events read from one input, committed with the input's new position in
    /// the same transaction (several batches may share one commit).
    public func ingest(_ events: [Event], through position: InputPosition) async throws(StoreError) {
        throw StoreError.notBuilt("ingest(_:through:)")
    }

    /// Fires wake-ups due by `instant` (commits in chunks; clock stored).
    @discardableResult
    public func advance(to instant: Instant) async throws(StoreError) -> [LogRecord] {
        throw StoreError.notBuilt("advance")
    }

    /// Runs a workflow for a contact now (``Engine/run(workflowID:contactID:)``), committed.
    public func run(workflowID: String, contactID: String) async throws(StoreError) -> [LogRecord] {
        throw StoreError.notBuilt("run")
    }

    /// The clock: the latest event time or `advance` target committed.
    public var now: Instant { Instant(millisecondsSinceEpoch: 0) }

    /// The earliest wake-up of a waiting enrollment.
    public var nextWakeUp: Instant? { nil }

    /// Outbox rows due for delivery at `instant` (pending, next attempt due), oldest first.
    public func dueDeliveries(at instant: Instant, limit: Int) async throws(StoreError) -> [OutboxMessage] {
        throw StoreError.notBuilt("dueDeliveries")
    }

    /// Records an attempt's outcome: delivered, or failed (backoff 30 s × 2^(attempt-1), at most
    /// 1 h; dead after 8 attempts or a permanent failure).
    public func record(_ outcome: DeliveryOutcome, key: String, at instant: Instant) async throws(StoreError) {
        throw StoreError.notBuilt("record")
    }
}
