public import PurchaseActionsCore

/// A workflow as published to a store: the workflow (its `version` the number the engine pins
/// enrollments to) with the account profile and plans it was published with.
///
/// An engine made with ``Engine/init(current:earlier:start:options:ports:)`` runs each version with
/// its own account profile and plans, so an edited template or profile never changes what an
/// enrollment pinned to an earlier version sends (Docs/engine.md, "Versions").
public struct PublishedWorkflow: Sendable {
    /// The workflow; its `version` is the number enrollments are pinned to.
    public var workflow: Workflow
    /// What its templates know of the company and its users.
    public var account: AccountProfile
    /// The product each subscription plan sells, as it was published.
    public var productOfPlan: [String: String]

    /// Creates a published workflow.
    public init(_ workflow: Workflow, account: AccountProfile = AccountProfile(), productOfPlan: [String: String] = [:]) {
        self.workflow = workflow
        self.account = account
        self.productOfPlan = productOfPlan
    }
}

extension Engine {
    /// Creates an engine over several versions of its workflows, with its clock at `start`.
    ///
    /// `current`: the versions triggers, `call` steps, `enroll` steps and ``run(workflowID:contactID:)``
    /// use (one per workflow id); `earlier`: versions that only run enrollments already on them
    /// (each (id, version) once across both lists). A frame is bound to its workflow's
    /// ``Enrollment/Frame/version``, or the current one when that is `nil`; a `call` from any version
    /// runs the callee's current version. Goals, settings and calendars are read from the program of
    /// the enrollment's own version, and log records carry the version of the program that ran.
    ///
    /// Conditions and triggers read the plans of the current versions together (in workflow id
    /// order, the first to name a plan wins); templates read each version's own account profile.
    /// The checks of ``init(_:start:options:ports:)`` apply to every version; a version given twice
    /// throws `invalid-workflow`.
    ///
    /// ```swift
    /// let engine = try Engine(
    ///     current: [PublishedWorkflow(welcomeV2, account: profile)], earlier: [PublishedWorkflow(welcomeV1, account: oldProfile)],
    ///     start: now, ports: Engine.Ports(store: store))
    /// ```
    public convenience init(
        current: [PublishedWorkflow], earlier: [PublishedWorkflow] = [], start: Instant, options: Options = Options(), ports: Ports = Ports()
    ) throws(EngineError) {
        var plans: [String: String] = [:]
        for published in current.sorted(by: { $0.workflow.id < $1.workflow.id }) {
            plans.merge(published.productOfPlan) { first, _ in first }
        }
        try self.init(current: current, earlier: earlier, productOfPlan: plans, start: start, options: options, ports: ports)
    }

    /// The versions of the workflows that only run enrollments pinned to them, sorted by id then version.
    public var earlierWorkflows: [Workflow] {
        earlier.keys.sorted().flatMap { id in earlier[id]!.keys.sorted().map { earlier[id]![$0]!.workflow } }
    }

    /// The program of a workflow's version: the current one when `version` is `nil` or its number.
    func program(_ workflowID: String, version: Int?) -> Program? {
        let current = programs[workflowID]
        guard let version, current?.version != version else { return current }
        return earlier[workflowID]?[version]
    }

    /// The program a frame runs in: the one it carries, else its workflow's version's.
    func program(of frame: Enrollment.Frame) -> Program? { frame.program ?? program(frame.workflowID, version: frame.version) }
}
