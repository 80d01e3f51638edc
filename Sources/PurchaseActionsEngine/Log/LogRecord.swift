public import PurchaseActions

/// One record of the execution log: what happened to one enrollment at one step, and why.
///
/// The same JSON Lines record serves `purchase-actions simulate --json` and the log of a running
/// engine (Docs/engine.md, "The execution log").
public struct LogRecord: Sendable {
    /// What happened.
    public enum Status: String, Hashable, Sendable {
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
    }

    /// When, on the engine's clock.
    public var at: Instant
    /// The event that caused it, or `timer:<enrollment>` for a wake-up.
    public var cause: String
    /// The workflow.
    public var workflowID: String?
    /// The workflow's version.
    public var version: Int?
    /// The enrollment.
    public var enrollmentID: String?
    /// The contact.
    public var contactID: String?
    /// The step.
    public var stepID: String?
    /// What happened.
    public var status: Status
    /// What the step did, if anything.
    public var effect: Effect?
    /// Why: the trigger, branch or wait decision with every compared operand.
    public var why: JSONValue? {
        get { reason.value }
        set { reason = Deferred(newValue) }
    }
    /// One line for people.
    public var message: String {
        get {
            switch text {
            case .given(let text): text.value
            case .entered: "\(workflowID ?? ""): \(contactID ?? "") entered"
            case .finished: "\(workflowID ?? ""): \(contactID ?? "") finished"
            case .call(let target): "\(stepID ?? ""): call \(target)"
            case .action(let report): report.message
            }
        }
        set { text = .given(Deferred(newValue)) }
    }

    /// `why`, composed when read.
    private var reason: Deferred<JSONValue?>
    /// `message`, composed when read.
    private var text: Text

    /// The ways a record's message is composed: given, or from the record's own fields and what an
    /// action reported, so the commonest records take no text (nor anything to compose it) to make.
    enum Text: Sendable {
        case given(Deferred<String>)
        /// `<workflow>: <contact> entered`
        case entered
        /// `<workflow>: <contact> finished`
        case finished
        /// `<step>: call <workflow>`
        case call(String)
        /// `<step>: <what the action did>`
        case action(ActionReport)
    }

    /// Creates a record.
    public init(
        at: Instant, cause: String, workflowID: String? = nil, version: Int? = nil, enrollmentID: String? = nil, contactID: String? = nil,
        stepID: String? = nil, status: Status, effect: Effect? = nil, why: JSONValue? = nil, message: String
    ) {
        self.at = at
        self.cause = cause
        self.workflowID = workflowID
        self.version = version
        self.enrollmentID = enrollmentID
        self.contactID = contactID
        self.stepID = stepID
        self.status = status
        self.effect = effect
        self.reason = Deferred(why)
        self.text = .given(Deferred(message))
    }

    /// Creates a record whose `why` and `message` are composed only when read.
    init(
        at: Instant, cause: String, workflowID: String? = nil, version: Int? = nil, enrollmentID: String? = nil, contactID: String? = nil,
        stepID: String? = nil, status: Status, effect: Effect? = nil, why: Deferred<JSONValue?>, message: Text
    ) {
        self.at = at
        self.cause = cause
        self.workflowID = workflowID
        self.version = version
        self.enrollmentID = enrollmentID
        self.contactID = contactID
        self.stepID = stepID
        self.status = status
        self.effect = effect
        self.reason = why
        self.text = message
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

extension LogRecord: JSONRepresentable {
    /// The record as one JSON object (written one per line, compact, keys sorted).
    public var json: JSONValue {
        .members([
            "at": at.description.json, "cause": cause.json, "workflow": workflowID.json, "version": version.json,
            "enrollment": enrollmentID.json, "contact": contactID.json, "step": stepID.json, "status": status.rawValue.json,
            "effect": effect.map { .members(["kind": $0.kind.json, "details": $0.details, "deliverAt": $0.deliverAt?.description.json, "key": $0.idempotencyKey.json]) },
            "why": why, "message": message.json,
        ])
    }
}
