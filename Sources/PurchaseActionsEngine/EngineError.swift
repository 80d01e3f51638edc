public import PurchaseActionsCore

/// Why the engine refused something: a code, a message for people, and where it applies.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Code: String, Hashable, Sendable {
        /// A workflow is not usable (duplicate id, ...).
        case invalidWorkflow = "invalid-workflow"
        /// No workflow has the id.
        case unknownWorkflow = "unknown-workflow"
        /// No action set has the id, or a workflow id was given where an action set's export id is
        /// expected (``Engine/runActionSet(_:contactID:)``); the message names the id to pass.
        case unknownActionSet = "unknown-action-set"
        /// No contact has the id.
        case unknownContact = "unknown-contact"
        /// A timezone name the zone database does not know.
        case unknownTimezone = "unknown-timezone"
        /// An event arrived earlier than the engine's clock, and late events are refused
        /// (``Engine/Options/lateEvents``); the message names the option that runs them instead.
        case eventInThePast = "event-in-the-past"
        /// An engine was asked to start its clock outside the years 0001 to 9999
        /// (`Instant.supported`), where its records could not be written and read back.
        case instantOutOfRange = "instant-out-of-range"
        /// The wake-ups due before an event did more work than one advance may
        /// (``Engine/Options/advanceBudget``); the event did not run and may be given again.
        case advanceBudgetSpent = "advance-budget-spent"
        /// An event built in code breaks a rule the events decoder checks (Docs/events.md): a
        /// member missing, a value out of its range. ``EngineError/jsonPath`` says where, as the
        /// decoder would. Nothing ran.
        case invalidEvent = "invalid-event"
        /// An enrollment cannot run in this engine (``Engine/check(_:)``): its workflow or version
        /// is not there, a position lies outside its program, or a waiting enrollment is not just
        /// past a wait. An engine that meets one ends it with an `error` record instead.
        case invalidEnrollment = "invalid-enrollment"
        /// ``Engine/relocate(_:from:to:)``: the step an enrollment is on (a wait, or a call) is not
        /// in the new version (or is no longer a wait); the enrollment is left where it is.
        case stepRemoved = "step-removed"
    }

    /// What kind of refusal.
    public var code: Code
    /// What is wrong and what to do, for people.
    public var message: String
    /// For ``Code/invalidEvent``: the JSON path of the member at fault in the event's JSON form
    /// (`$.payment`, `$.order.lines[0].quantity`), as `Event.load` would report it.
    public var jsonPath: JSONPath?
    /// For an error of `WorkflowRuntime.ingest(_:)` given a batch: the position (from
    /// 0) of the event that failed. The events before it ran and stay recorded; it and those after
    /// it did not run.
    public var batchIndex: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, jsonPath: JSONPath? = nil) {
        self.code = code
        self.message = message
        self.jsonPath = jsonPath
    }

    /// The message.
    public var description: String { message }
}
