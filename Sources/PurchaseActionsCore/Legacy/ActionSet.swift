/// An ordered list of actions, run top to bottom; the unit every legacy trigger runs.
public struct ActionSet: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// The actions, in order.
    public var actions: [Action]
    /// Extensions kept as they were (opaque actions are in ``actions``).
    public var extensions: [OpaquePart]
    /// Where the action set was.
    public var location: FileLocation
    /// Creates an action set.
    public init(id: String, name: String, actions: [Action], extensions: [OpaquePart] = [], location: FileLocation) {
        self.id = id
        self.name = name
        self.actions = actions
        self.extensions = extensions
        self.location = location
    }

    /// The ids of the action sets this one runs with `run-action-set`, in order.
    public var runsActionSets: [String] {
        actions.compactMap { if case .runActionSet(let id) = $0.kind { id } else { nil } }
    }
}

/// A pre-campaign follow-up sequence: steps timed in days after the contact starts it.
public struct FollowUpSequence: Hashable, Sendable, Codable {
    /// One step: actions run a number of calendar days after the start.
    public struct Step: Hashable, Sendable, Codable {
        /// Stable id, unique within the sequence.
        public var id: String
        /// Calendar days after the day the contact started the sequence.
        public var delayDays: Int
        /// The time of day (`HH:MM`, account timezone) the step runs; overrides the sequence's.
        public var sendTime: String?
        /// The actions.
        public var actions: [Action]
        /// Where the step was.
        public var location: FileLocation
        /// Creates a step.
        public init(id: String, delayDays: Int, sendTime: String? = nil, actions: [Action], location: FileLocation) {
            self.id = id
            self.delayDays = delayDays
            self.sendTime = sendTime
            self.actions = actions
            self.location = location
        }
    }
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// When steps of a day or more go out (`HH:MM`), if set.
    public var sendTime: String?
    /// The steps, in document order.
    public var steps: [Step]
    /// Extensions kept as they were.
    public var extensions: [OpaquePart]
    /// Where the sequence was.
    public var location: FileLocation
    /// Creates a sequence.
    public init(id: String, name: String, sendTime: String? = nil, steps: [Step], extensions: [OpaquePart] = [], location: FileLocation) {
        self.id = id
        self.name = name
        self.sendTime = sendTime
        self.steps = steps
        self.extensions = extensions
        self.location = location
    }
}
