/// A trigger-based workflow: what every automation compiles to and what the engine runs.
///
/// Its JSON form is workflow format v1 (Docs/workflow-format.md, schema
/// Docs/workflow-format.schema.json). Everything generated from a legacy export carries a
/// ``SourceTrace`` back to the element it came from.
public struct Workflow: Hashable, Sendable {
    /// The version of the file format this type reads and writes.
    public static let formatVersion = 1

    /// Whether a workflow runs.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Written but not running: its triggers fire nothing.
        case draft
        /// Running.
        case published
    }

    /// Stable id, also the file name (`<id>.json`): 1 to 128 characters from `A-Z a-z 0-9 . _ : -`.
    public var id: String
    /// Display name.
    public var name: String
    /// What the workflow is for, if said.
    public var description: String?
    /// The workflow's own version, raised on each published edit (not the format version).
    public var version: Int
    /// Draft or published.
    public var status: Status
    /// Orders workflows fired by the same event: lower runs first; among equals, those whose trigger
    /// matched an order line in the order of the first line they match, then by id.
    public var priority: Int
    /// What starts it.
    public var triggers: [Trigger]
    /// What it does, top to bottom.
    public var steps: [Step]
    /// Re-entry, timezone and messaging settings.
    public var settings: WorkflowSettings
    /// Where it came from, when generated.
    public var source: SourceTrace?

    /// Creates a workflow.
    public init(
        id: String, name: String, description: String? = nil, version: Int = 1, status: Status = .published, priority: Int,
        triggers: [Trigger], steps: [Step], settings: WorkflowSettings, source: SourceTrace? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.version = version
        self.status = status
        self.priority = priority
        self.triggers = triggers
        self.steps = steps
        self.settings = settings
        self.source = source
    }

    /// Whether `text` is a valid workflow id.
    public static func isValidID(_ text: String) -> Bool {
        StableID.isValid(text, maximumLength: 128, allowingColon: true)
    }
}

/// Where a generated part came from: the file as given, the element path and the line.
public struct SourceTrace: Hashable, Sendable {
    /// The file as the user named it.
    public var file: String
    /// The element path, such as `/export/action-sets/action-set[@id='as-vip']/send-email`.
    public var path: String
    /// The 1-based line.
    public var line: Int

    /// Creates a trace.
    public init(file: String, path: String, line: Int) {
        self.file = file
        self.path = path
        self.line = line
    }

    /// The trace of a legacy element (its line clamped to ``WorkflowLimits/line``, so the
    /// trace is always one a reader accepts).
    public init(_ location: FileLocation) {
        self.init(file: location.file, path: location.path, line: Swift.min(Swift.max(location.line, 0), WorkflowLimits.line))
    }
}

/// What starts a workflow: an event type and the filters the event must pass, or a manual run.
public struct Trigger: Hashable, Sendable {
    /// Stable id, unique within the workflow.
    public var id: String
    /// The event type it listens to, or ``EventType/manual``.
    public var event: EventType
    /// Conditions on the event, all of which must hold.
    public var filters: [Condition]
    /// Where it came from.
    public var source: SourceTrace?

    /// Creates a trigger.
    public init(id: String, event: EventType, filters: [Condition] = [], source: SourceTrace? = nil) {
        self.id = id
        self.event = event
        self.filters = filters
        self.source = source
    }
}
