extension Workflow: JSONRepresentable {
    /// The workflow in format v1 (Docs/workflow-format.md).
    public var json: JSONValue {
        .members([
            "formatVersion": Self.formatVersion.json,
            "id": id.json,
            "name": name.json,
            "description": description.json,
            "version": version.json,
            "status": status.rawValue.json,
            "priority": priority.json,
            "triggers": triggers.json,
            "steps": steps.json,
            "settings": settings.json,
            "source": source.json,
        ])
    }
}

extension SourceTrace: JSONRepresentable {
    /// `{"file", "path", "line"}`.
    public var json: JSONValue { .members(["file": file.json, "path": path.json, "line": line.json]) }
}

extension Trigger: JSONRepresentable {
    /// `{"id", "event", "filters", "source"}`.
    public var json: JSONValue {
        .members(["id": id.json, "event": event.rawValue.json, "filters": filters.json, "source": source.json])
    }
}

extension WorkflowSettings: JSONRepresentable {
    /// The settings object.
    public var json: JSONValue {
        .members([
            "allowReentry": allowReentry.json,
            "onePerOrder": onePerOrder.json,
            "stopOnResponse": stopOnResponse.json,
            "timezone": timezone.rawValue.json,
            "accountTimezone": accountTimezone.json,
            "sendWindow": sendWindow.json,
            "defaultSender": defaultSender.json,
        ])
    }
}

extension SendWindow: JSONRepresentable {
    /// `{"days", "from", "to"}`.
    public var json: JSONValue { .members(["days": days.map(\.rawValue).json, "from": from.json, "to": to.json]) }
}

extension Sender: JSONRepresentable {
    /// `{"name", "address"}`.
    public var json: JSONValue { .members(["name": name.json, "address": address.json]) }
}

extension Condition: JSONRepresentable {
    /// `{"field", "op", "value"}`, `{"all": [...]}`, `{"any": [...]}` or `{"not": {...}}`, with `id`
    /// and `source` when set.
    public var json: JSONValue {
        let test: JSONValue =
            switch test {
            case .compare(let field, let op, let value): .members(["field": field.json, "op": op.rawValue.json, "value": value?.json])
            case .all(let conditions): .members(["all": conditions.json])
            case .any(let conditions): .members(["any": conditions.json])
            case .not(let condition): .members(["not": condition.json])
            }
        return test.adding(["id": id.json, "source": source.json])
    }
}

extension ConditionValue: JSONRepresentable {
    /// A string, an integer or an array of strings.
    public var json: JSONValue {
        switch self {
        case .text(let text): text.json
        case .integer(let value): value.json
        case .list(let values): values.json
        }
    }
}

extension Delay: JSONRepresentable {
    /// `{"days", "hours", "minutes"}`, zero parts left out.
    public var json: JSONValue {
        .members([
            "days": days == 0 ? nil : days.json, "hours": hours == 0 ? nil : hours.json, "minutes": minutes == 0 ? nil : minutes.json,
        ])
    }
}
