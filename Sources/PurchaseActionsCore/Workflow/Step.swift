/// One step of a workflow, with a stable id that goals, the execution log, `diff` and version
/// migration refer to.
public struct Step: Hashable, Sendable {
    /// What a step does.
    public indirect enum Kind: Hashable, Sendable {
        /// Do one thing (``WorkflowAction``).
        case action(WorkflowAction)
        /// Branches tested top to bottom; the first whose condition holds runs, else `otherwise`
        /// (the "none" branch).
        case branch([Branch], otherwise: [Step])
        /// Hold the enrollment until time passes, a date comes, a condition holds or an event arrives.
        case wait(Wait)
        /// A point the enrollment jumps to, skipping what is between, when the goal event happens.
        case goal(Goal)
        /// End the enrollment.
        case exit
        /// Run another workflow now, nested, and continue when it finishes (the legacy "run action set").
        case call(workflowID: String)
        /// Enroll the contact in another workflow, which runs on its own.
        case enroll(workflowID: String)
        /// End the contact's enrollments in another workflow.
        case unenroll(workflowID: String)
    }

    /// Stable id, unique within the workflow.
    public var id: String
    /// What it does.
    public var kind: Kind
    /// Where it came from.
    public var source: SourceTrace?

    /// Creates a step.
    public init(id: String, _ kind: Kind, source: SourceTrace? = nil) {
        self.id = id
        self.kind = kind
        self.source = source
    }
}

/// A named branch of an `if` step.
public struct Branch: Hashable, Sendable {
    /// The branch's name, for people and the log.
    public var name: String
    /// When it runs.
    public var when: Condition
    /// What it runs.
    public var steps: [Step]

    /// Creates a branch.
    public init(name: String, when: Condition, steps: [Step]) {
        self.name = name
        self.when = when
        self.steps = steps
    }
}

/// A goal: an event that, from the moment of entry, pulls the enrollment forward to this step.
public struct Goal: Hashable, Sendable {
    /// The goal's name.
    public var name: String
    /// The event that achieves it.
    public var event: EventType
    /// Conditions on that event.
    public var filters: [Condition]

    /// Creates a goal.
    public init(name: String, event: EventType, filters: [Condition] = []) {
        self.name = name
        self.event = event
        self.filters = filters
    }
}

/// The ways a step waits.
public enum Wait: Hashable, Sendable {
    /// A fixed delay, counted from when the step is reached or from when the enrollment began. With
    /// `calendarDays`, days count calendar dates in the workflow's timezone ("1 day" is the next day,
    /// not 24 hours) and `at` (`HH:MM`) sets the time of day on the last one; without `at`, the time
    /// of day of the moment counted from.
    case delay(Delay, calendarDays: Bool, at: String?, from: DelayStart)
    /// Until a moment (RFC 3339 with offset); a moment already passed does not wait.
    case untilDate(String)
    /// Until a contact date field, plus `offsetDays`, at `at`; the field is read once, on arrival.
    case untilField(field: String, offsetDays: Int, at: String?)
    /// Until a condition holds, at most `timeout`; on timeout, `onTimeout` runs before going on.
    case untilCondition(Condition, timeout: Delay, onTimeout: [Step])
    /// Until an event arrives, at most `timeout`; on timeout, `onTimeout` runs before going on.
    case untilEvent(EventType, filters: [Condition], timeout: Delay, onTimeout: [Step])
    /// Until the send window is open (now, if it is).
    case window(SendWindow)
}

/// What a delay is counted from.
public enum DelayStart: String, Hashable, Sendable, CaseIterable {
    /// When the wait step is reached.
    case now
    /// When the enrollment began (follow-up sequences time every step from the start).
    case enrollment
}

/// A length of time in days, hours and minutes.
public struct Delay: Hashable, Sendable {
    /// Days.
    public var days: Int
    /// Hours.
    public var hours: Int
    /// Minutes.
    public var minutes: Int

    /// Creates a delay.
    public init(days: Int = 0, hours: Int = 0, minutes: Int = 0) {
        self.days = days
        self.hours = hours
        self.minutes = minutes
    }
}
