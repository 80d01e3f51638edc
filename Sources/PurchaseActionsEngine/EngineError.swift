/// Why the engine refused something: a code, a message for people, and where it applies.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Code: String, Hashable, Sendable {
        /// A workflow is not usable (duplicate id, ...).
        case invalidWorkflow = "invalid-workflow"
        /// No workflow has the id.
        case unknownWorkflow = "unknown-workflow"
        /// No contact has the id.
        case unknownContact = "unknown-contact"
        /// A timezone name the zone database does not know.
        case unknownTimezone = "unknown-timezone"
        /// An event arrived earlier than the engine's clock.
        case eventInThePast = "event-in-the-past"
        /// The wake-ups due before an event did more work than one advance may
        /// (``Engine/Options/advanceBudget``); the event did not run and may be given again.
        case advanceBudgetSpent = "advance-budget-spent"
    }

    /// What kind of refusal.
    public var code: Code
    /// What is wrong and what to do, for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
