public import PurchaseActionsCore

/// The engine for an app: an actor that owns an ``Engine`` and its stores, which many tasks may
/// call at once (Docs/engine.md, "The engine actor").
///
/// ```swift
/// let runtime = try WorkflowRuntime(Automation(migrating: account), start: start)
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     for event in events { group.addTask { try await runtime.ingest(event) } }
///     try await group.waitForAll()
/// }
/// for effect in await runtime.takeEffects() where effect.isExternal { deliver(effect) }
/// ```
///
/// Each call runs whole, one at a time, in the order the actor takes them: the engine inside is
/// used by one caller at a time, as it requires. Events from many tasks arrive a little out of
/// time order, so a runtime runs an event older than its clock at the clock's time with a `late`
/// record (``Engine/LateEvents/runAtClock``, its default) rather than refusing it.
///
/// **Stores.** Today the runtime keeps contacts, enrollments, event ids seen and the outbox in
/// memory (``InMemoryContactDirectory``, ``InMemoryEnrollmentStore``, ``RecordingEffectSink``),
/// and `ingest(_:)` returns once the event's effects are in that outbox. The durable
/// runtime (SQLite) plugs its stores in here, behind the same actor and the same calls: the ports
/// given to the ``Engine`` this actor makes, with `ingest` returning only when the event's
/// records, enrollments and effects are committed, and free to commit the events of concurrent
/// callers in one transaction.
public actor WorkflowRuntime {
    /// The engine; only this actor calls it.
    private let engine: Engine
    /// The engine's outbox and store, owned by this actor alone.
    private let outbox: RecordingEffectSink
    private let store: InMemoryEnrollmentStore

    /// The options a runtime uses when none are given: the engine's defaults, with late events run
    /// at the clock's time (``Engine/LateEvents/runAtClock``).
    public static let defaultOptions = Engine.Options(lateEvents: .runAtClock)

    /// Creates a runtime over an account's ``Automation``, with its clock at `start` (in the years
    /// 0001 to 9999, else `instant-out-of-range`) and in-memory stores. Options whose
    /// ``Engine/Options/lateEvents`` is `nil` (any made without naming it, such as
    /// `Engine.Options(keepsLog: false)`) run late events at the clock's time; only
    /// `lateEvents: .refuse` makes the runtime refuse them.
    public init(_ automation: Automation, start: Instant, options: Engine.Options = WorkflowRuntime.defaultOptions) throws(EngineError) {
        var options = options
        if options.lateEvents == nil { options.lateEvents = .runAtClock }
        let contacts = InMemoryContactDirectory()
        let outbox = RecordingEffectSink()
        let store = InMemoryEnrollmentStore()
        self.engine = try Engine(automation, start: start, options: options, ports: Engine.Ports(contacts: contacts, effects: outbox, store: store))
        self.outbox = outbox
        self.store = store
    }

    /// Creates a runtime over workflows alone (no plans, no account profile).
    public init(workflows: [Workflow], start: Instant, options: Engine.Options = WorkflowRuntime.defaultOptions) throws(EngineError) {
        try self.init(Automation(workflows: workflows), start: start, options: options)
    }

    /// Runs one event (``Engine/ingest(_:)``) and returns the records it caused. It returns once
    /// the event's records are in the log and its effects in the outbox (``takeEffects()``).
    @discardableResult
    public func ingest(_ event: Event) async throws(EngineError) -> [LogRecord] {
        try engine.ingest(event)
    }

    /// Runs events in order, as one call (no other caller's event runs between them), and returns
    /// every record they caused.
    ///
    /// If one fails (an invalid event, a late one under `.refuse`, ...), the batch stops there: the
    /// events before it ran and stay recorded (their records are in ``log``, their effects in the
    /// outbox), it and the events after it did not run, and the error's
    /// ``EngineError/batchIndex`` is its position (from 0), also named in the message. Give the
    /// rest again (`events[index...]`, mended) to go on: the events that ran are duplicates if
    /// given again.
    @discardableResult
    public func ingest(_ events: [Event]) async throws(EngineError) -> [LogRecord] {
        var records: [LogRecord] = []
        for (index, event) in events.enumerated() {
            do {
                records.append(contentsOf: try engine.ingest(event))
            } catch {
                var failure = error
                failure.batchIndex = index
                failure.message = "event \(index) of the batch: \(error.message) (the \(index) before it ran and are recorded; it and the \(events.count - index - 1) after it did not run)"
                throw failure
            }
        }
        return records
    }

    /// Fires every wake-up due at or before `instant` and moves the clock there
    /// (``Engine/advance(to:)``). A live app calls it with the wall clock's time, on a timer.
    @discardableResult
    public func advance(to instant: Instant) async -> [LogRecord] {
        engine.advance(to: instant)
    }

    /// Runs a workflow for a contact now, by its workflow id (``Engine/run(workflowID:contactID:)``).
    @discardableResult
    public func run(workflowID: String, contactID: String) async throws(EngineError) -> [LogRecord] {
        try engine.run(workflowID: workflowID, contactID: contactID)
    }

    /// Runs a legacy action set for a contact, by the action set's id as in the export
    /// (``Engine/runActionSet(_:contactID:)``).
    @discardableResult
    public func runActionSet(_ actionSetID: String, contactID: String) async throws(EngineError) -> [ActionResult] {
        try engine.runActionSet(actionSetID, contactID: contactID)
    }

    /// Every log record so far, in order (only the last call's with `keepsLog: false`).
    public var log: [LogRecord] { engine.log }

    /// The clock: the latest event time or `advance` target reached.
    public var now: Instant { engine.now }

    /// Where the last ``advance(to:)`` stopped short, having spent its budget (``Engine/unreachedTarget``).
    public var unreachedTarget: Instant? { engine.unreachedTarget }

    /// How many enrollments wait, and the earliest wake-up (``Engine/waiting``).
    public var waiting: Engine.Waiting { engine.waiting }

    /// The earliest instant a waiting enrollment wakes up (``Engine/nextWakeUp``): when to call
    /// ``advance(to:)`` next.
    public var nextWakeUp: Instant? { engine.nextWakeUp }

    /// The contact's running (active or waiting) enrollments, oldest first.
    public func enrollments(contactID: String) -> [Enrollment] { store.runningEnrollments(contactID: contactID) }

    /// The contact with this id (``Engine/contact(id:)``).
    public func contact(id: String) -> Contact? { engine.contact(id: id) }

    /// The oldest contact matching first name, last name and email under the legacy rule
    /// (``Engine/contact(matching:)``).
    public func contact(matching key: ContactMatch) -> Contact? { engine.contact(matching: key) }

    /// The effects recorded since the last take, in order, removed from the outbox: deliver them
    /// (external ones carry an ``Effect/idempotencyKey`` a receiver uses to drop duplicates).
    public func takeEffects() -> [Effect] { outbox.take() }
}
