import PurchaseActionsCore

extension LogRecord {
    /// The ways a record's `why` is composed: given, or traced again when read from the trigger
    /// that fired and the event and contact as they were.
    ///
    /// Concrete cases, not a generic wrapper: a generic enum inside the record's fields made every
    /// copy and destroy of a record go through run-time type metadata.
    ///
    /// `@unchecked Sendable`: a program is immutable (see `Program`).
    enum Reason: @unchecked Sendable {
        case given(JSONValue?)
        /// Computed on every read from what the closure captured (values, never the engine).
        case computed(@Sendable () -> JSONValue?)
        /// The workflow's program and the trigger's place in its list of triggers.
        case trigger(Program, Int, EventBox, ContactBox?)
    }

    /// The ways a record's message is composed: given, or from the record's own fields and what an
    /// action reported, so the commonest records take no text (nor anything to compose it) to make.
    ///
    /// `@unchecked Sendable`: a program is immutable (see `Program`).
    enum Text: @unchecked Sendable {
        case given(String)
        /// Computed on every read from what the closure captured (values, never the engine).
        case computed(@Sendable () -> String)
        /// `<workflow>: <contact> entered`
        case entered
        /// `<workflow>: <contact> finished`
        case finished
        /// `<step>: call <workflow>`, the called workflow's program.
        case call(Program)
        /// `<step>: <what the action did>`
        case action(ActionReport)
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

    /// A record's fields, shared: one reference to copy instead of a dozen fields.
    ///
    /// Abstract: ``Stored`` keeps every field as given; the records every run makes keep less and
    /// compose the rest when read (``InProgram``, and ``ActionReport``, which is also what an
    /// action's effect holds, so an action costs one object for its record and its effect).
    ///
    /// `@unchecked Sendable`: not final, for its subclasses; everything in them is `let`.
    class Box: @unchecked Sendable {
        /// Everything the record says.
        var fields: Fields { preconditionFailure("a LogRecord.Box subclass composes the fields") }
    }

    /// Every field as given.
    final class Stored: Box, @unchecked Sendable {
        let stored: Fields
        init(_ fields: Fields) { stored = fields }
        override var fields: Fields { stored }
    }

    /// A record about an enrollment in a program (entered, a call, finished): it holds the program,
    /// which every run has at hand, instead of copies of its id and version.
    final class InProgram: Box, @unchecked Sendable {
        let at: Instant
        let cause: String
        let program: Program
        let enrollmentID: String
        let contactID: String
        let stepID: String?
        let status: Status
        let reason: Reason
        let text: Text

        init(
            at: Instant, cause: String, program: Program, enrollmentID: String, contactID: String, stepID: String? = nil, status: Status,
            reason: Reason, text: Text
        ) {
            self.at = at
            self.cause = cause
            self.program = program
            self.enrollmentID = enrollmentID
            self.contactID = contactID
            self.stepID = stepID
            self.status = status
            self.reason = reason
            self.text = text
        }

        override var fields: Fields {
            Fields(
                at: at, cause: cause, workflowID: program.id, version: program.version, enrollmentID: enrollmentID, contactID: contactID,
                stepID: stepID, status: status, effect: nil, reason: reason, text: text)
        }
    }
}
