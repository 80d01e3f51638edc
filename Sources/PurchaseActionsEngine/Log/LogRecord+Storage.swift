import PurchaseActions

extension LogRecord {
    /// The ways a record's `why` is composed: given, or traced again when read from the trigger
    /// that fired and the event and contact as they were.
    enum Reason: Sendable {
        case given(Deferred<JSONValue?>)
        case trigger(TriggerIndex.Entry, EventBox, ContactBox?)
    }

    /// The ways a record's message is composed: given, or from the record's own fields and what an
    /// action reported, so the commonest records take no text (nor anything to compose it) to make.
    enum Text: Sendable {
        case given(Deferred<String>)
        /// `<workflow>: <contact> entered`
        case entered
        /// `<workflow>: <contact> finished`
        case finished
        /// `<step>: call <workflow>`
        case call(CallInstruction)
        /// `<step>: <what the action did>`
        case action(ActionReport)
        /// `<step>: <what the action did>`, when the record's box is the action's report.
        case reported
    }

    /// Everything a record holds, in one shared box: the engine appends, returns and drops records
    /// by the dozen per event, and a box is one reference to copy instead of a dozen.
    struct Fields: Sendable {
        var at: Instant
        var cause: String
        var workflowID: String?
        var version: Int?
        var enrollmentID: String?
        var contactID: String?
        var stepID: String?
        var status: Status
        var effect: Effect?
        /// `why`, composed when read.
        var reason: Reason
        /// `message`, composed when read.
        var text: Text
    }

    /// A record's fields, shared. An action's record is its ``ActionReport``, a subclass, so an
    /// action costs one object for its record and its effect.
    ///
    /// `@unchecked Sendable`: not final, for ``ActionReport``; everything in it is `let`.
    class Box: @unchecked Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }

        /// The record's effect.
        var effect: Effect? { fields.effect }

        /// The fields with everything composed from the box itself made explicit, for a changed copy.
        var detached: Fields { fields }
    }
}
