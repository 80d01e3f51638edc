public import PurchaseActionsCore

/// A contact's run through one workflow: where it is and what it waits for.
public struct Enrollment: Hashable, Sendable {
    /// Where a run is: the workflow and instruction, one frame per nested call.
    ///
    /// `@unchecked Sendable`: its program is immutable (see `Program`).
    public struct Frame: Hashable, @unchecked Sendable {
        /// The workflow of this frame.
        public var workflowID: String {
            get { program?.id ?? id }
            set {
                storedVersion = version
                id = newValue
                program = nil
            }
        }
        /// The version of the frame's workflow it runs in; `nil` means the workflow's current
        /// version in the engine that runs it. Frames the engine makes carry their program's version.
        public var version: Int? {
            get { program?.version ?? storedVersion }
            set {
                id = workflowID
                storedVersion = newValue
                program = nil
            }
        }
        /// The next instruction.
        public var position: Int
        /// The workflow's id as given, when the frame was not made from its program.
        private var id: String
        /// The version as given, when the frame was not made from its program.
        private var storedVersion: Int?
        /// The workflow's program, when the engine made the frame: a run then goes on in it without
        /// looking it up, or reading its id.
        private(set) var program: Program?

        /// Creates a frame in a workflow, by id, at `position` (the next instruction of the
        /// workflow's program); `version` `nil` runs it in the workflow's current version.
        public init(workflowID: String, version: Int? = nil, position: Int) {
            id = workflowID
            storedVersion = version
            program = nil
            self.position = position
        }

        /// A frame at the start of a program.
        init(_ program: Program) {
            id = ""
            storedVersion = nil
            self.program = program
            position = 0
        }

        /// Binds a frame made by id to its workflow's program.
        mutating func bind(_ program: Program) { self.program = program }

        /// Frames are equal when they are at the same place in the same version of the same workflow.
        public static func == (lhs: Frame, rhs: Frame) -> Bool {
            lhs.position == rhs.position && lhs.version == rhs.version && lhs.workflowID == rhs.workflowID
        }

        /// Hashes the workflow, version and position.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(workflowID)
            hasher.combine(version)
            hasher.combine(position)
        }
    }

    /// What a waiting enrollment waits for.
    public enum Waiting: Hashable, Sendable {
        /// A moment.
        case time
        /// An event of this type passing these filters (or the timeout).
        case event(EventType, [Condition])
        /// A condition on the contact (or the timeout).
        case condition(Condition)
        /// The send window (a moment, computed).
        case window
    }

    /// Where an enrollment stands.
    public enum State: Hashable, Sendable {
        /// Running or about to run.
        case active
        /// Waiting; `wakeAt` is when time alone ends the wait, `timeout` where a timeout goes.
        case waiting(Waiting, wakeAt: Instant?, timeout: Int?)
        /// Ran its last step.
        case finished
        /// Ended early.
        case exited
    }

    /// Stable id: `e-<n>` in the order enrollments were made.
    public var id: String
    /// The workflow entered.
    public var workflowID: String
    /// Its version then; the enrollment stays on it.
    public var version: Int
    /// The contact.
    public var contactID: String
    /// The order of the triggering event, if any.
    public var orderID: String?
    /// Whether it holds its order for a one-per-order workflow: the store remembers (workflow,
    /// order), and a later trigger of the workflow for the same order does not enter.
    public var holdsOrder: Bool = false
    /// The event that started it (`nil` for a manual run or an enroll step).
    public var event: Event? {
        get { cause?.event }
        set { cause = newValue.map(EventBox.init) }
    }
    /// `event`, shared by reference with every enrollment the same event made.
    var cause: EventBox?
    /// When it began.
    public var startedAt: Instant
    /// Where it is.
    public var frames: [Frame]
    /// What it is doing.
    public var state: State
    /// How many `enroll` steps led to it (0 for a trigger or a manual run); bounded like calls.
    public var chain: Int = 0
    /// Actions performed so far: numbers each effect's idempotency key, so a step run twice (a
    /// workflow called twice) gives two keys.
    public var performed: Int = 0

    /// Whether it has not ended.
    public var isRunning: Bool {
        switch state {
        case .active, .waiting: true
        case .finished, .exited: false
        }
    }
}
