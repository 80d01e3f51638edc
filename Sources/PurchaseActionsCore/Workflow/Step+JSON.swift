extension Step: JSONRepresentable {
    /// `{"id", "type", ..., "source"}`; the members beside `type` depend on it.
    public var json: JSONValue {
        let body: JSONValue =
            switch kind {
            case .action(let action): .members(["type": "action".json, "action": action.json])
            case .branch(let branches, let otherwise): .members(["type": "if".json, "branches": branches.json, "otherwise": otherwise.json])
            case .wait(let wait): .members(["type": "wait".json, "wait": wait.json])
            case .goal(let goal): .members(["type": "goal".json, "goal": goal.json])
            case .exit: .members(["type": "exit".json])
            case .call(let workflowID): .members(["type": "call".json, "workflow": workflowID.json])
            case .enroll(let workflowID): .members(["type": "enroll".json, "workflow": workflowID.json])
            case .unenroll(let workflowID): .members(["type": "unenroll".json, "workflow": workflowID.json])
            }
        return body.adding(["id": id.json, "source": source.json])
    }
}

extension Branch: JSONRepresentable {
    /// `{"name", "when", "steps"}`.
    public var json: JSONValue { .members(["name": name.json, "when": when.json, "steps": steps.json]) }
}

extension Goal: JSONRepresentable {
    /// `{"name", "event", "filters"}`.
    public var json: JSONValue { .members(["name": name.json, "event": event.rawValue.json, "filters": filters.json]) }
}

extension Wait: JSONRepresentable {
    /// `{"until": ...}` with the members of that kind of wait.
    public var json: JSONValue {
        switch self {
        case .delay(let delay, let calendarDays, let at, let start):
            .members([
                "until": "delay".json, "delay": delay.json, "calendarDays": calendarDays.json, "at": at.json, "from": start.rawValue.json,
            ])
        case .untilDate(let date):
            .members(["until": "date".json, "date": date.json])
        case .untilField(let field, let offsetDays, let at):
            .members(["until": "field".json, "field": field.json, "offsetDays": offsetDays.json, "at": at.json])
        case .untilCondition(let condition, let timeout, let onTimeout):
            .members(["until": "condition".json, "condition": condition.json, "timeout": timeout.json, "onTimeout": onTimeout.json])
        case .untilEvent(let event, let filters, let timeout, let onTimeout):
            .members([
                "until": "event".json, "event": event.rawValue.json, "filters": filters.json, "timeout": timeout.json,
                "onTimeout": onTimeout.json,
            ])
        case .window(let window):
            .members(["until": "window".json, "window": window.json])
        }
    }
}
