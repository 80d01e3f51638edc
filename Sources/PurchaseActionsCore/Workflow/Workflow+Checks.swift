// The checks of Docs/workflow-format.md, "Checks beyond the schema", that need more than one member.

extension Workflow {
    /// Refuses what the schema cannot express: duplicate trigger or condition ids, goals below the top
    /// level, emails with no body or no sender, and send windows that close before they open.
    func checkBeyondSchema() throws(JSONError) {
        var triggerIDs: [String: Int] = [:]
        var conditionIDs: [String: String] = [:]
        for (index, trigger) in triggers.enumerated() {
            let path = JSONPath.root.member("triggers").index(index)
            if let first = triggerIDs[trigger.id] {
                throw JSONError(.invalidValue, "trigger id '\(trigger.id)' is also the id of trigger \(first)", at: path.member("id"))
            }
            triggerIDs[trigger.id] = index
            for (position, filter) in trigger.filters.enumerated() {
                try Self.collect(filter, at: path.member("filters").index(position), into: &conditionIDs)
            }
        }
        if let window = settings.sendWindow { try Self.check(window, at: JSONPath.root.member("settings").member("sendWindow")) }
        try check(steps, at: JSONPath.root.member("steps"), topLevel: true, conditionIDs: &conditionIDs)
        if let (path, message) = internalEventRefusal() { throw JSONError(.invalidValue, message, at: path) }
    }

    /// Where the workflow uses an internal event type (``EventType/internalTypes``) it may not, and
    /// why, or `nil`: a trigger or a goal on one always; a wait for one unless the workflow's id
    /// starts with ``EventType/internalWorkflowPrefix`` (`dunning.`). The decoder and the engine
    /// both refuse such a workflow (Docs/events.md, "Internal event types").
    public func internalEventRefusal() -> (path: JSONPath, message: String)? {
        func refusal(_ type: EventType, _ what: String) -> String {
            "'\(type.rawValue)' is an internal event type: the runtime gives it to one enrollment, no event source sends it, so \(what) (Docs/events.md, \"Internal event types\")"
        }
        for (index, trigger) in triggers.enumerated() where trigger.event.isInternal {
            return (JSONPath.root.member("triggers").index(index).member("event"), refusal(trigger.event, "a trigger cannot use it"))
        }
        let mayWait = id.hasPrefix(EventType.internalWorkflowPrefix)
        func walk(_ steps: [Step], at path: JSONPath) -> (path: JSONPath, message: String)? {
            for (index, step) in steps.enumerated() {
                let here = path.index(index)
                switch step.kind {
                case .goal(let goal) where goal.event.isInternal:
                    return (here.member("goal").member("event"), refusal(goal.event, "a goal cannot use it"))
                case .branch(let branches, let otherwise):
                    for (position, branch) in branches.enumerated() {
                        if let found = walk(branch.steps, at: here.member("branches").index(position).member("steps")) { return found }
                    }
                    if let found = walk(otherwise, at: here.member("otherwise")) { return found }
                case .wait(.untilEvent(let type, _, _, let onTimeout)):
                    if type.isInternal, !mayWait {
                        let prefix = EventType.internalWorkflowPrefix
                        return (
                            here.member("wait").member("event"),
                            refusal(type, "only a workflow whose id starts with '\(prefix)' may wait for it (this one is '\(DisplayText.escape(id))')")
                        )
                    }
                    if let found = walk(onTimeout, at: here.member("wait").member("onTimeout")) { return found }
                case .wait(.untilCondition(_, _, let onTimeout)):
                    if let found = walk(onTimeout, at: here.member("wait").member("onTimeout")) { return found }
                default: break
                }
            }
            return nil
        }
        return walk(steps, at: JSONPath.root.member("steps"))
    }

    private func check(_ steps: [Step], at path: JSONPath, topLevel: Bool, conditionIDs: inout [String: String]) throws(JSONError) {
        for (index, step) in steps.enumerated() {
            let here = path.index(index)
            switch step.kind {
            case .goal(let goal):
                guard topLevel else {
                    throw JSONError(.invalidValue, "a goal is a step of the workflow's top level, not inside a branch or a timeout", at: here)
                }
                for (position, filter) in goal.filters.enumerated() {
                    try Self.collect(filter, at: here.member("goal").member("filters").index(position), into: &conditionIDs)
                }
            case .action(.sendEmail(let email)):
                if email.html == nil, email.text == nil {
                    throw JSONError(.missingMember, "an email needs an html or a text body", at: here.member("action"))
                }
                if email.from == nil, settings.defaultSender == nil {
                    throw JSONError(.missingMember, "an email without 'from' needs settings.defaultSender", at: here.member("action"))
                }
            case .branch(let branches, let otherwise):
                for (position, branch) in branches.enumerated() {
                    let branchPath = here.member("branches").index(position)
                    try Self.collect(branch.when, at: branchPath.member("when"), into: &conditionIDs)
                    try check(branch.steps, at: branchPath.member("steps"), topLevel: false, conditionIDs: &conditionIDs)
                }
                try check(otherwise, at: here.member("otherwise"), topLevel: false, conditionIDs: &conditionIDs)
            case .wait(let wait):
                switch wait {
                case .window(let window): try Self.check(window, at: here.member("wait").member("window"))
                case .untilCondition(let condition, _, let onTimeout):
                    try Self.collect(condition, at: here.member("wait").member("condition"), into: &conditionIDs)
                    try check(onTimeout, at: here.member("wait").member("onTimeout"), topLevel: false, conditionIDs: &conditionIDs)
                case .untilEvent(_, let filters, _, let onTimeout):
                    for (position, filter) in filters.enumerated() {
                        try Self.collect(filter, at: here.member("wait").member("filters").index(position), into: &conditionIDs)
                    }
                    try check(onTimeout, at: here.member("wait").member("onTimeout"), topLevel: false, conditionIDs: &conditionIDs)
                default: break
                }
            default: break
            }
        }
    }

    private static func collect(_ condition: Condition, at path: JSONPath, into ids: inout [String: String]) throws(JSONError) {
        if let id = condition.id {
            if let first = ids[id] { throw JSONError(.invalidValue, "condition id '\(id)' is also used at \(first)", at: path.member("id")) }
            ids[id] = path.description
        }
        switch condition.test {
        case .compare: break
        case .all(let parts), .any(let parts):
            let key = if case .all = condition.test { "all" } else { "any" }
            for (index, part) in parts.enumerated() { try collect(part, at: path.member(key).index(index), into: &ids) }
        case .not(let part): try collect(part, at: path.member("not"), into: &ids)
        }
    }

    private static func check(_ window: SendWindow, at path: JSONPath) throws(JSONError) {
        guard let from = ZonedCalendar.parseTimeOfDay(window.from), let to = ZonedCalendar.parseTimeOfDay(window.to),
            (from.hour, from.minute) < (to.hour, to.minute)
        else { throw JSONError(.invalidValue, "a send window opens before it closes: 'from' must be earlier than 'to'", at: path.member("to")) }
        guard !window.days.isEmpty else { throw JSONError(.invalidValue, "a send window is open on at least one day", at: path.member("days")) }
    }
}
