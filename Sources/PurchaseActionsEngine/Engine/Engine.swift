public import PurchaseActionsCore

/// Runs workflows: takes events, enrolls contacts whose triggers fire, runs steps, waits on a
/// virtual clock, and records every decision in the execution log (Docs/engine.md).
///
/// ```swift
/// let engine = try Engine(Automation(migrating: account), start: first.occurredAt)
/// try engine.ingest(first)
/// engine.advance(to: first.occurredAt.adding(seconds: 90 * 86_400))
/// for record in engine.log { print(record.message) }
/// ```
///
/// - Important: An engine is used by one caller at a time. Its state (and that of the in-memory
///   ports) is marked `@exclusivity(unchecked)`: no property is read while it is being changed, and
///   the run-time checks cost about a tenth of an event (Benchmarks/README.md).
///
/// - Important: The engine never reads the wall clock. Time moves only by ``ingest(_:)`` (to the
///   event's time) and ``advance(to:)``, so months of waits run in milliseconds, the same every time.
public final class Engine {
    /// Nested `call` steps deeper than this are refused (an error step), so a loop cannot hang.
    public static let callDepthLimit = 16

    /// The work one event, one wake-up of ``advance(to:)`` or one ``run(workflowID:contactID:)``
    /// may cause, by default: steps run (each instruction: a step, or the jump out of an `if`
    /// branch) plus enrollments made. Past it, the run that spent it ends with an `error` record,
    /// and so does every other run the same call still makes (Docs/engine.md, "The work budget").
    public static let defaultWorkBudget = CallGraph.workBudget

    /// The most running enrollments (active or waiting) one contact may have in one workflow, by
    /// default: one more is `not-entered` with the reason (Docs/engine.md, "Running enrollments").
    public static let defaultRunningPerWorkflow = 100

    /// The most running enrollments one contact may have in all workflows together, by default.
    public static let defaultRunningPerContact = 1_000

    /// The work one ``advance(to:)`` call may do, by default: steps and enrollments, plus one per
    /// wake-up fired. Past it, the call stops at the last wake-up it fired and says so; the next
    /// `advance(to:)` (or event) goes on from there (Docs/engine.md, "Running enrollments").
    public static let defaultAdvanceBudget = 1_000_000

    /// How an engine runs.
    public struct Options: Sendable {
        /// Keep every log record in ``Engine/log``; when false it holds only the last call's records
        /// (a long-running engine writes them to its store instead).
        public var keepsLog: Bool
        /// Render templates with Mustache when an effect is recorded; when false, effects carry the
        /// templates as written (for measuring the engine alone).
        public var rendersTemplates: Bool

        /// Steps and enrollments one event, wake-up or run may cause (``Engine/defaultWorkBudget``).
        public var workBudget: Int

        /// Running enrollments one contact may have in one workflow (``Engine/defaultRunningPerWorkflow``).
        public var runningPerWorkflow: Int

        /// Running enrollments one contact may have in all (``Engine/defaultRunningPerContact``).
        public var runningPerContact: Int

        /// Work one ``Engine/advance(to:)`` call may do (``Engine/defaultAdvanceBudget``).
        public var advanceBudget: Int

        /// What ``Engine/ingest(_:)`` does with an event that happened before the clock
        /// (``LateEvents``). `nil`, the default, leaves it to what runs the engine: an ``Engine``
        /// refuses it (`simulate`'s rule: a file's events are in time order), a ``WorkflowRuntime``
        /// runs it at the clock's time (a live app's events come from many tasks). Set it to choose
        /// either way whatever the options are given to.
        public var lateEvents: LateEvents?

        /// Creates options; by default the log is kept, templates are rendered, late events are
        /// left to what runs the engine (``lateEvents``) and every limit is the engine's default (``Engine/defaultWorkBudget``,
        /// ``Engine/defaultRunningPerWorkflow``, ``Engine/defaultRunningPerContact``,
        /// ``Engine/defaultAdvanceBudget``).
        public init(
            keepsLog: Bool = true, rendersTemplates: Bool = true, workBudget: Int = Engine.defaultWorkBudget,
            runningPerWorkflow: Int = Engine.defaultRunningPerWorkflow, runningPerContact: Int = Engine.defaultRunningPerContact,
            advanceBudget: Int = Engine.defaultAdvanceBudget, lateEvents: LateEvents? = nil
        ) {
            self.lateEvents = lateEvents
            self.keepsLog = keepsLog
            self.rendersTemplates = rendersTemplates
            self.workBudget = workBudget
            self.runningPerWorkflow = runningPerWorkflow
            self.runningPerContact = runningPerContact
            self.advanceBudget = advanceBudget
        }
    }

    /// What the engine does with an event whose `occurredAt` is before its clock
    /// (Docs/engine.md, "Late events").
    ///
    /// The clock never goes back: waits already fired and records already written stay as they
    /// are. A file replayed in order (`purchase-actions simulate`) has no late events, so there one
    /// is a mistake; a live app receives events from many sources whose order of arrival differs
    /// from their order in time by a little, so there one is normal.
    public enum LateEvents: Hashable, Sendable {
        /// Refuse it: ``EngineError`` with code `event-in-the-past`; nothing runs and the event is
        /// not recorded as seen. What an ``Engine`` does when ``Options/lateEvents`` is `nil`.
        case refuse
        /// Run it at the clock's time, as if it had just happened, after a `late` log record
        /// saying when it happened and by how much it is late. Its `occurredAt` is kept in the
        /// event (filters reading event fields see it). What a ``WorkflowRuntime`` does when
        /// ``Options/lateEvents`` is `nil`.
        case runAtClock
    }

    /// The programs by workflow id. They also hold each other: a call instruction points at the
    /// program it calls (unretained, since workflows may call each other), so this holds them all.
    let programs: [String: Program]
    /// Earlier versions by workflow id and version: they run only the enrollments pinned to them
    /// (``init(current:earlier:start:options:ports:)``). Their calls point at current programs.
    let earlier: [String: [Int: Program]]
    let index: TriggerIndex
    let contacts: any ContactDirectory
    let effects: any EffectSink
    let store: any EnrollmentStore
    let timeZones: any TimeZoneDatabase
    let productOfPlan: [String: String]
    let options: Options
    /// The account's timezone: the first workflow's (compiled workflows share it), else UTC. New
    /// contacts' `DateCreated` is their creation date there.
    let accountTimezone: String
    /// The clock: the latest event time or `advance` target seen.
    #if DEBUG
    public internal(set) var now: Instant
    #else
    @exclusivity(unchecked) public internal(set) var now: Instant
    #endif
    /// Every log record, in order.
    #if DEBUG
    public private(set) var log: [LogRecord] = []
    #else
    @exclusivity(unchecked) public private(set) var log: [LogRecord] = []
    #endif
    /// Enrollments made by `enroll` steps, run when the current one stops.
    #if DEBUG
    var pending: [String] = []
    #else
    @exclusivity(unchecked) var pending: [String] = []
    #endif
    #if DEBUG
    var cause = ""
    #else
    @exclusivity(unchecked) var cause = ""
    #endif
    /// Whether a public call is running inside another (ingest advances the clock first).
    #if DEBUG
    var nested = false
    #else
    @exclusivity(unchecked) var nested = false
    #endif
    /// The contact last read or written, kept for the length of one public call: within a call only
    /// the engine changes contacts, and it writes every change through (Docs/engine.md, "Ports").
    #if DEBUG
    var working: ContactBox?
    #else
    @exclusivity(unchecked) var working: ContactBox?
    #endif
    /// What reading ahead read (see `fireTriggers`), kept so the reads are not optimised away.
    #if DEBUG
    var touched = 0
    #else
    @exclusivity(unchecked) var touched = 0
    #endif
    /// Steps and enrollments so far in this event, wake-up or run; see ``defaultWorkBudget``.
    #if DEBUG
    var work = 0
    #else
    @exclusivity(unchecked) var work = 0
    #endif
    /// ``Options/workBudget``.
    let workBudget: Int
    /// ``Options/runningPerWorkflow``, ``Options/runningPerContact``, ``Options/advanceBudget``.
    let runningPerWorkflow: Int
    let runningPerContact: Int
    let advanceBudget: Int
    /// The most steps and enrollments one run of each workflow may cause, counted on the graph of
    /// its `call` and `enroll` steps (saturating; `Int.max` when a cycle is reachable).
    public let expansion: [String: Int]

    /// Creates an engine over an account's ``Automation`` (its workflows, which product each plan
    /// sells, what templates know of the company and its users), with its clock at `start`.
    ///
    /// Workflow ids must be unique and every account timezone known. A workflow or step id that is
    /// empty or holds a control character or direction override (built in code: the decoders refuse
    /// them) throws `invalid-workflow` with its JSON path (``EngineError/jsonPath``), since every
    /// log message names them. So does a trigger or goal on an internal event type, or a wait for
    /// one in a workflow whose id does not start with `dunning.` (`EventType.internalTypes`). A
    /// `call` or `enroll` of a missing or draft workflow is an error record when it runs.
    ///
    /// ```swift
    /// let engine = try Engine(Automation(migrating: account), start: start)
    /// let withOutbox = try Engine(automation, start: start, ports: Engine.Ports(effects: outbox))
    /// ```
    public convenience init(_ automation: Automation, start: Instant, options: Options = Options(), ports: Ports = Ports()) throws(EngineError) {
        try self.init(
            workflows: automation.workflows, productOfPlan: automation.productOfPlan, account: automation.account, start: start, options: options,
            ports: ports)
    }

    /// Creates an engine over workflows alone (no plans, no account profile: `owner.*` and
    /// `company.*` render as nothing), with its clock at `start`. Workflow files give this; an
    /// export gives an ``Automation`` (``init(_:start:options:ports:)``).
    public convenience init(workflows: [Workflow], start: Instant, options: Options = Options(), ports: Ports = Ports()) throws(EngineError) {
        try self.init(workflows: workflows, productOfPlan: [:], account: AccountProfile(), start: start, options: options, ports: ports)
    }

    convenience init(
        workflows: [Workflow], productOfPlan: [String: String], account: AccountProfile, start: Instant, options: Options, ports: Ports
    ) throws(EngineError) {
        try self.init(
            current: workflows.map { PublishedWorkflow($0, account: account, productOfPlan: productOfPlan) }, earlier: [], productOfPlan: productOfPlan,
            start: start, options: options, ports: ports)
    }

    /// Makes the programs: `current` (one per id) are indexed for triggers and called; `earlier`
    /// only run enrollments pinned to them. `productOfPlan` is what conditions and triggers read.
    init(
        current workflows: [PublishedWorkflow], earlier versions: [PublishedWorkflow], productOfPlan: [String: String], start: Instant,
        options: Options, ports: Ports
    ) throws(EngineError) {
        guard start.isSupported else {
            throw EngineError(
                .instantOutOfRange,
                "the engine cannot start at \(start): its clock and every record it writes lie in the years 0001 to 9999 (Instant.supported, from \(Instant.supported.lowerBound) to \(Instant.supported.upperBound))")
        }
        let timeZones = ports.timeZones
        var programs: [String: Program] = [:]
        let sorted = workflows.sorted { $0.workflow.id < $1.workflow.id }
        let ranks = Dictionary(sorted.enumerated().map { ($1.workflow.id, $0) }, uniquingKeysWith: { first, _ in first })
        func checkZone(_ workflow: Workflow) throws(EngineError) {
            for zone in [workflow.settings.accountTimezone] where timeZones.rules(named: zone) == nil {
                throw EngineError(
                    .unknownTimezone, "workflow '\(DisplayText.escape(workflow.id))': unknown timezone '\(DisplayText.escape(zone))' (is the tzdata package installed?)")
            }
        }
        for (rank, published) in sorted.enumerated() {
            let workflow = published.workflow
            guard programs[workflow.id] == nil else { throw EngineError(.invalidWorkflow, "two workflows have the id '\(DisplayText.escape(workflow.id))'") }
            try Self.checkIDs(workflow)
            programs[workflow.id] = Program.make(workflow, rank: rank, productOfPlan: published.productOfPlan, account: published.account) { ranks[$0] }
            try checkZone(workflow)
        }
        var earlier: [String: [Int: Program]] = [:]
        for published in versions.sorted(by: { ($0.workflow.id, $0.workflow.version) < ($1.workflow.id, $1.workflow.version) }) {
            let workflow = published.workflow
            guard programs[workflow.id]?.version != workflow.version, earlier[workflow.id]?[workflow.version] == nil else {
                throw EngineError(
                    .invalidWorkflow, "workflow '\(DisplayText.escape(workflow.id))' version \(workflow.version) is given twice (each version of a workflow once, current or earlier)")
            }
            try Self.checkIDs(workflow)
            // Its rank is its current version's (only triggers read ranks, and earlier versions have none).
            let rank = ranks[workflow.id] ?? sorted.count
            earlier[workflow.id, default: [:]][workflow.version] = Program.make(
                workflow, rank: rank, productOfPlan: published.productOfPlan, account: published.account) { ranks[$0] }
            try checkZone(workflow)
        }
        self.programs = programs
        self.earlier = earlier
        // Point each call at its program, now that every program exists: a call from any version
        // runs the callee's current version.
        let byRank = sorted.map { programs[$0.workflow.id]! }
        for program in byRank {
            program.link { byRank[$0] }
        }
        for versions in earlier.values {
            for program in versions.values { program.link { byRank[$0] } }
        }
        self.index = TriggerIndex(workflows.compactMap { programs[$0.workflow.id] })
        self.contacts = ports.contacts
        self.effects = ports.effects
        self.store = ports.store
        self.timeZones = timeZones
        self.productOfPlan = productOfPlan
        self.options = options
        self.workBudget = options.workBudget
        self.runningPerWorkflow = options.runningPerWorkflow
        self.runningPerContact = options.runningPerContact
        self.advanceBudget = options.advanceBudget
        self.expansion = CallGraph.workflowExpansion(sorted.map(\.workflow))
        self.accountTimezone = sorted.first?.workflow.settings.accountTimezone ?? "UTC"
        self.now = start
    }

    /// Refuses a workflow whose id or a step id is empty or holds a control character or direction
    /// override: the log's one-line messages name them as they are; and one that uses an internal
    /// event type where it may not (`Workflow.internalEventRefusal()`: a trigger on one, a wait
    /// for one outside a `dunning.` workflow). (The whole decoder's check is
    /// not applied: the compiler may make workflows its file form would refuse, Docs/engine.md.)
    static func checkIDs(_ workflow: Workflow) throws(EngineError) {
        func check(_ id: String, at path: JSONPath) throws(EngineError) {
            guard id.isEmpty || id.unicodeScalars.contains(where: DisplayText.isControl) else { return }
            throw EngineError(
                .invalidWorkflow, "workflow '\(DisplayText.escape(workflow.id))': \(path): '\(DisplayText.escape(id))' is not an id (empty, or a control character)",
                jsonPath: path)
        }
        func check(_ steps: [Step], at path: JSONPath) throws(EngineError) {
            for (index, step) in steps.enumerated() {
                let stepPath = path.index(index)
                try check(step.id, at: stepPath.member("id"))
                switch step.kind {
                case .branch(let branches, let otherwise):
                    for (number, branch) in branches.enumerated() { try check(branch.steps, at: stepPath.member("branches").index(number).member("steps")) }
                    try check(otherwise, at: stepPath.member("otherwise"))
                case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                    try check(onTimeout, at: stepPath.member("wait").member("onTimeout"))
                default:
                    break
                }
            }
        }
        try check(workflow.id, at: JSONPath.root.member("id"))
        try check(workflow.steps, at: JSONPath.root.member("steps"))
        if let (path, message) = workflow.internalEventRefusal() {
            throw EngineError(.invalidWorkflow, "workflow '\(DisplayText.escape(workflow.id))': \(path): \(message)", jsonPath: path)
        }
    }

    /// The workflows, sorted by id.
    public var workflows: [Workflow] { programs.values.map(\.workflow).sorted { $0.id < $1.id } }

    /// The published workflows one run of which may cause more work than the budget allows
    /// (``expansion`` above ``Options/workBudget``), sorted by id: what `simulate` warns about.
    public var workflowsOverBudget: [String] {
        expansion.filter { $0.value > workBudget && programs[$0.key]?.isPublished == true }.keys.sorted()
    }

    /// The instant the last ``advance(to:)`` (or an event's catch-up) stopped short of, having
    /// spent ``Options/advanceBudget``; `nil` once every wake-up due by then has fired. The clock is
    /// at the last wake-up fired; the next `advance(to:)` or event goes on from there.
    public private(set) var unreachedTarget: Instant?

    /// Fires every wake-up due at or before `instant`, in time order, and moves the clock there.
    ///
    /// An `instant` past the end of the year 9999 (`Instant.supported`, up to
    /// `Instant(millisecondsSinceEpoch: .max)`) is taken as that end: every wake-up due fires and
    /// the clock stops at `9999-12-31T23:59:59.999Z`, so every record the engine writes reads back.
    /// An `instant` at or before the clock fires nothing, leaves the clock as it is and returns no
    /// record (the clock never goes back).
    ///
    /// One call does at most ``Options/advanceBudget`` work (steps, enrollments and wake-ups):
    /// past it, the call stops before the next wake-up, leaves the clock at the last one fired,
    /// sets ``unreachedTarget`` and ends its records with a `skipped` record (cause `advance`)
    /// saying so. Calling it again goes on.
    @discardableResult
    public func advance(to given: Instant) -> [LogRecord] {
        let instant = min(given, Instant.supported.upperBound)
        let start = beginBatch()
        if fire(upTo: instant) {
            now = max(now, instant)
        } else {
            let (reached, budget) = (now, advanceBudget)
            append(
                LogRecord(
                    at: now, cause: "advance", status: .skipped,
                    message: "advance to \(instant) stopped at \(reached): it did the most work one advance does (\(budget) steps, enrollments and wake-ups); the wake-ups still due run on the next advance or event"))
        }
        return batch(from: start)
    }

    /// Fires the wake-ups due at or before `instant` within ``Options/advanceBudget``; `false` (with
    /// ``unreachedTarget`` set) when the budget stopped it first.
    func fire(upTo instant: Instant) -> Bool {
        var spent = 0
        while let (wakeAt, enrollmentID) = store.nextWakeUp(atOrBefore: instant) {
            guard spent < advanceBudget else {
                unreachedTarget = instant
                return false
            }
            now = max(now, wakeAt)
            cause = "timer:\(enrollmentID)"
            work = 0
            wake(enrollmentID)
            runPending()
            spent &+= work &+ 1
        }
        unreachedTarget = nil
        return true
    }

    /// Runs a workflow for a contact now, by its workflow id, through its `manual` trigger.
    ///
    /// A legacy action set is run by its export id with ``runActionSet(_:contactID:)``; given an
    /// action set's export id here (`as-x` where the workflow is `action-set.as-x`), the error says so.
    @discardableResult
    public func run(workflowID: String, contactID: String) throws(EngineError) -> [LogRecord] {
        guard let program = programs[workflowID] else {
            let actionSet = LegacyWorkflowID.actionSet(workflowID)
            let (given, workflow) = (DisplayText.escape(workflowID), DisplayText.escape(actionSet))
            let hint = programs[actionSet] != nil ? "; the action set '\(given)' runs as workflow '\(workflow)': runActionSet(\"\(given)\", contactID:) runs it" : ""
            throw EngineError(.unknownWorkflow, "no workflow has the id '\(given)'\(hint)")
        }
        try requireContact(contactID)
        let start = beginBatch()
        cause = "manual"
        work = 0
        if let enrollment = enroll(program, contactID: contactID, event: nil, why: .given(.members(["manual": true.json]))) {
            run(enrollment)
            runPending()
        }
        return batch(from: start)
    }

    /// Fails unless the directory has a contact with this id, pointing to the lookups that find one.
    func requireContact(_ contactID: String) throws(EngineError) {
        guard contacts.contact(id: contactID) == nil else { return }
        throw EngineError(
            .unknownContact,
            "no contact has the id '\(DisplayText.escape(contactID))'; contact(matching:) finds a contact's id by first name, last name and email (the legacy match), and an event creates the contact it names")
    }

    func append(_ record: consuming LogRecord) { log.append(consume record) }

    /// Names the contact on the record at `index` of ``log`` (a late event's, once its buyer is resolved).
    func nameContact(_ contactID: String, onRecordAt index: Int) {
        guard log.indices.contains(index) else { return }
        log[index].contactID = contactID
    }

    /// A contact by id: the working contact if it is that one, else read from the directory.
    func workingContact(id: String) -> Contact? { contactBox(id: id)?.contact }

    /// A contact by id, held by reference: what an action reports keeps it as it was without a copy.
    func contactBox(id: String) -> ContactBox? {
        if let working, working.contact.id == id { return working }
        working = contacts.contact(id: id).map(ContactBox.init)
        return working
    }

    /// Writes a contact to the directory; it becomes the working contact.
    func save(_ contact: Contact) {
        contacts.save(contact)
        working = ContactBox(contact)
    }

    /// This call's records: the whole log when it holds only them (shared, not copied).
    func batch(from start: Int) -> [LogRecord] { start == 0 ? log : Array(log[start...]) }

    /// Where this call's records start in the log (cleared first unless the log is kept).
    func beginBatch() -> Int {
        guard !nested else { return log.count }
        // A new call: the directory may have changed since the last one.
        working = nil
        if !options.keepsLog { log.removeAll(keepingCapacity: true) }
        return log.count
    }
}
