// Reading steps, branches, goals and waits: the exact inverse of Step+JSON.swift.

extension Step {
    /// The step types of format v1, as `type` spells them.
    public static let typeNames = ["action", "if", "wait", "goal", "exit", "call", "enroll", "unenroll"]

    /// Decodes `{"id", "type", ..., "source"}`; the members beside `type` depend on it.
    ///
    /// Step ids are checked for uniqueness by ``Workflow/init(json:)``, which sees them all.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let id = try object.id("id")
        let kind: Kind
        switch try object.choice("type", Self.typeNames) {
        case "action": kind = .action(try object.decode("action", WorkflowAction.init(json:at:)))
        case "if":
            let branches = try object.array("branches", Branch.init(json:at:))
            guard !branches.isEmpty else { throw JSONError(.invalidValue, "an if step has at least one branch", at: path.member("branches")) }
            kind = .branch(branches, otherwise: try object.array("otherwise", Step.init(json:at:)))
        case "wait": kind = .wait(try object.decode("wait", Wait.init(json:at:)))
        case "goal": kind = .goal(try object.decode("goal", Goal.init(json:at:)))
        case "exit": kind = .exit
        case "call": kind = .call(workflowID: try object.id("workflow"))
        case "enroll": kind = .enroll(workflowID: try object.id("workflow"))
        default: kind = .unenroll(workflowID: try object.id("workflow"))
        }
        let source = try object.optionalDecode("source", SourceTrace.init(json:at:))
        try object.finish()
        self.init(id: id, kind, source: source)
    }

    /// Refuses a step id used twice among `steps` (at `path`) and the steps inside them (branches,
    /// `otherwise`, `onTimeout`), at the second occurrence's `id`; and more than
    /// ``WorkflowLimits/steps`` steps in all, at the first step past it.
    static func checkUniqueIDs(_ steps: [Step], at path: JSONPath) throws(JSONError) {
        var seen: [String: JSONPath] = [:]
        try collectIDs(steps, at: path, into: &seen)
    }

    private static func collectIDs(_ steps: [Step], at path: JSONPath, into seen: inout [String: JSONPath]) throws(JSONError) {
        for (index, step) in steps.enumerated() {
            let stepPath = path.index(index)
            guard seen.count < WorkflowLimits.steps else {
                throw JSONError(
                    .invalidValue, "the workflow holds more than \(WorkflowLimits.steps) steps (nested ones included), the most allowed (Docs/workflow-format.md, \"Limits\")",
                    at: stepPath)
            }
            if let first = seen[step.id] {
                throw JSONError(
                    .invalidValue, "the step id '\(step.id)' is already used at \(first): step ids are unique within the workflow",
                    at: stepPath.member("id"))
            }
            seen[step.id] = stepPath.member("id")
            switch step.kind {
            case .branch(let branches, let otherwise):
                for (branchIndex, branch) in branches.enumerated() {
                    try collectIDs(branch.steps, at: stepPath.member("branches").index(branchIndex).member("steps"), into: &seen)
                }
                try collectIDs(otherwise, at: stepPath.member("otherwise"), into: &seen)
            case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                try collectIDs(onTimeout, at: stepPath.member("wait").member("onTimeout"), into: &seen)
            case .action, .wait, .goal, .exit, .call, .enroll, .unenroll:
                break
            }
        }
    }
}

extension Branch {
    /// Decodes `{"name", "when", "steps"}`.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let name = try object.nonEmptyString("name")
        let when = try object.decode("when", Condition.init(json:at:))
        let steps = try object.array("steps", Step.init(json:at:))
        try object.finish()
        self.init(name: name, when: when, steps: steps)
    }
}

extension Goal {
    /// Decodes `{"name", "event", "filters"}`; the event is an event type, not `manual`.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let name = try object.nonEmptyString("name")
        let event = try object.eventType("event", allowingManual: false)
        let filters = try object.array("filters", Condition.init(json:at:))
        try object.finish()
        self.init(name: name, event: event, filters: filters)
    }
}

extension Wait {
    /// The kinds of wait of format v1, as `until` spells them.
    public static let untilNames = ["delay", "date", "field", "condition", "event", "window"]

    /// Decodes `{"until": ...}` with the members of that kind of wait.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        switch try object.choice("until", Self.untilNames) {
        case "delay": self = try Self.delay(&object)
        case "date":
            let date = try object.string("date")
            // A leap second (:60) is refused, and said so.
            if let refusal = Instant.rfc3339Refusal(date, example: "2025-11-28T09:00:00-05:00") {
                throw JSONError(.invalidValue, refusal, at: path.member("date"))
            }
            self = .untilDate(date)
        case "field":
            let field = try object.string("field", where: Condition.isContactFieldPath, "a contact field, contact.fields.<Name>")
            self = .untilField(
                field: field, offsetDays: try object.integer("offsetDays", in: -WorkflowLimits.days...WorkflowLimits.days),
                at: try object.optionalTime("at"))
        case "condition":
            let condition = try object.decode("condition", Condition.init(json:at:))
            let timeout = try object.decode("timeout", Delay.init(json:at:))
            self = .untilCondition(condition, timeout: timeout, onTimeout: try object.array("onTimeout", Step.init(json:at:)))
        case "event":
            let event = try object.eventType("event", allowingManual: false, allowingInternal: true)
            let filters = try object.array("filters", Condition.init(json:at:))
            let timeout = try object.decode("timeout", Delay.init(json:at:))
            self = .untilEvent(event, filters: filters, timeout: timeout, onTimeout: try object.array("onTimeout", Step.init(json:at:)))
        default: self = .window(try object.decode("window", SendWindow.init(json:at:)))
        }
        try object.finish()
    }

    /// `{"until": "delay", "delay", "calendarDays", "from", "at"?}`: `at` only with calendar days,
    /// which count days only.
    private static func delay(_ object: inout JSONObjectReader) throws(JSONError) -> Wait {
        let delay = try object.decode("delay", Delay.init(json:at:))
        let calendarDays = try object.bool("calendarDays")
        let start = try object.enumeration("from", DelayStart.self)
        let at = try object.optionalTime("at")
        if calendarDays {
            if case .object(let parts) = object.members["delay"], let part = ["hours", "minutes"].first(where: { parts[$0] != nil }) {
                throw JSONError(
                    .invalidValue, "a calendar-day delay counts days only: leave out '\(part)', or make calendarDays false",
                    at: object.path.member("delay").member(part))
            }
        } else if at != nil {
            throw JSONError(.invalidValue, "'at' is only allowed with calendarDays true", at: object.path.member("at"))
        }
        return .delay(delay, calendarDays: calendarDays, at: at, from: start)
    }
}
