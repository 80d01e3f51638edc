public import PurchaseActionsCore

/// One record of the execution log: what happened to one enrollment at one step, and why.
///
/// The same JSON Lines record serves `purchase-actions simulate --json` and the log of a running
/// engine (Docs/engine.md, "The execution log").
public struct LogRecord: Sendable {
    /// What happened.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// A workflow's trigger fired and the contact entered.
        case entered
        /// A trigger fired but the enrollment rules kept the contact out.
        case notEntered = "not-entered"
        /// A step ran.
        case completed
        /// A step did not run (an `if` with no branch taken, a window closed, ...).
        case skipped
        /// A step failed; the enrollment goes on unless said otherwise.
        case error
        /// A wait began.
        case waiting
        /// A wait ended (time came, event arrived, condition held, timeout).
        case resumed
        /// A goal pulled the enrollment forward.
        case goal
        /// The enrollment ended at an `exit`, an `unenroll` or a reply.
        case exited
        /// The enrollment ran its last step.
        case finished
        /// The event's id was seen before: nothing ran.
        case duplicate
        /// The event happened before the engine's clock and runs at the clock's time
        /// (``Engine/LateEvents/runAtClock``); the records it causes follow.
        case late
    }

    /// When, on the engine's clock.
    public var at: Instant {
        get { box.fields.at }
        set { change { $0.at = newValue } }
    }
    /// The event that caused it, or `timer:<enrollment>` for a wake-up.
    public var cause: String {
        get { box.fields.cause }
        set { change { $0.cause = newValue } }
    }
    /// The workflow.
    public var workflowID: String? {
        get { box.fields.workflowID }
        set { change { $0.workflowID = newValue } }
    }
    /// The workflow's version.
    public var version: Int? {
        get { box.fields.version }
        set { change { $0.version = newValue } }
    }
    /// The enrollment.
    public var enrollmentID: String? {
        get { box.fields.enrollmentID }
        set { change { $0.enrollmentID = newValue } }
    }
    /// The contact.
    public var contactID: String? {
        get { box.fields.contactID }
        set { change { $0.contactID = newValue } }
    }
    /// The step.
    public var stepID: String? {
        get { box.fields.stepID }
        set { change { $0.stepID = newValue } }
    }
    /// What happened.
    public var status: Status {
        get { box.fields.status }
        set { change { $0.status = newValue } }
    }
    /// What the step did, if anything.
    public var effect: Effect? {
        get { box.fields.effect }
        set { change { $0.effect = newValue } }
    }
    /// Why: the trigger, branch or wait decision with every compared operand.
    public var why: JSONValue? {
        get { Self.why(box.fields) }
        set { change { $0.reason = .given(newValue) } }
    }

    /// `why` of the fields, composed.
    static func why(_ fields: Fields) -> JSONValue? {
        switch fields.reason {
        case .given(let why): why
        case .computed(let why): why()
        case .trigger(let program, let trigger, let event, let contact): TriggerIndex.why(program, trigger: trigger, event.event, contact?.contact)
        }
    }
    /// One line for people.
    public var message: String {
        get { Self.message(box.fields) }
        set { change { $0.text = .given(newValue) } }
    }

    /// `message` of the fields, composed.
    static func message(_ fields: Fields) -> String {
        switch fields.text {
        case .given(let text): return text
        case .computed(let text): return text()
        case .entered: return "\(fields.workflowID ?? ""): \(fields.contactID ?? "") entered"
        case .finished: return "\(fields.workflowID ?? ""): \(fields.contactID ?? "") finished"
        case .call(let called): return "\(fields.stepID ?? ""): call \(called.id)"
        case .action(let report): return report.message
        }
    }

    /// The record's fields (internal: the compact writers read them once per record, not once per member).
    private(set) var box: Box

    private mutating func change(_ body: (inout Fields) -> Void) {
        var fields = box.fields
        body(&fields)
        box = Stored(fields)
    }

    /// A record whose fields are a box made elsewhere (an action's report).
    init(_ box: Box) { self.box = box }

    /// Creates a record.
    public init(
        at: Instant, cause: String, workflowID: String? = nil, version: Int? = nil, enrollmentID: String? = nil, contactID: String? = nil,
        stepID: String? = nil, status: Status, effect: Effect? = nil, why: JSONValue? = nil, message: String
    ) {
        self.init(
            at: at, cause: cause, workflowID: workflowID, version: version, enrollmentID: enrollmentID, contactID: contactID, stepID: stepID,
            status: status, effect: effect, why: .given(why), message: .given(message))
    }

    /// Creates a record whose `why` and `message` are composed only when read.
    init(
        at: Instant, cause: String, workflowID: String? = nil, version: Int? = nil, enrollmentID: String? = nil, contactID: String? = nil,
        stepID: String? = nil, status: Status, effect: Effect? = nil, why: Reason, message: Text
    ) {
        box = Stored(
            Fields(
                at: at, cause: cause, workflowID: workflowID, version: version, enrollmentID: enrollmentID, contactID: contactID, stepID: stepID,
                status: status, effect: effect, reason: why, text: message))
    }
}

extension LogRecord: Hashable {
    /// Records are equal when everything they say is equal, however it was composed.
    public static func == (lhs: LogRecord, rhs: LogRecord) -> Bool {
        lhs.at == rhs.at && lhs.cause == rhs.cause && lhs.workflowID == rhs.workflowID && lhs.version == rhs.version
            && lhs.enrollmentID == rhs.enrollmentID && lhs.contactID == rhs.contactID && lhs.stepID == rhs.stepID
            && lhs.status == rhs.status && lhs.effect == rhs.effect && lhs.why == rhs.why && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(at)
        hasher.combine(cause)
        hasher.combine(enrollmentID)
        hasher.combine(stepID)
        hasher.combine(status)
        hasher.combine(message)
    }
}
