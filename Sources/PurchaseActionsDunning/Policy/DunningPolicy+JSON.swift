public import PurchaseActionsCore

extension DunningPolicy: JSONRepresentable {
    /// Reads a policy's JSON form (Docs/dunning.md; YAML is the same tree), refusing unknown members
    /// at their JSON path. Errors: `invalid-policy` (the message says what to write instead) and
    /// `limit-exceeded` (past one of `limits`, Docs/dunning.md, "Limits").
    public init(json: JSONValue, at path: JSONPath = .root, limits: DunningLimits = .standard) throws(DunningError) {
        do {
            self = try PolicyDecoder(limits: limits).policy(json, at: path)
        } catch {
            throw DunningError(error.code == .limit ? "limit-exceeded" : "invalid-policy", error.message, path: error.path)
        }
    }

    /// The canonical JSON form: every member written (defaults too; `maxInvoiceAgeMonths` is `null`
    /// when there is no limit), the optional ones (`version`, `timezone`, `sendWindow`) only when set.
    /// `DunningPolicy(json: policy.json) == policy` for every policy within the limits.
    public var json: JSONValue {
        var plans: [String: JSONValue] = [:]
        for (id, plan) in self.plans {
            plans[id] = .members(["autocharge": plan.autocharge ? nil : false.json, "retries": plan.retries?.json])
        }
        return .members([
            "format": Self.formatVersion.json, "id": id.json, "name": name.json, "version": version.json, "timezone": timezone.json,
            "retries": retries.json, "plans": .object(plans), "sendWindow": sendWindow?.json, "declines": declines.json, "budgets": budgets.json,
            "cardUpdate": cardUpdate.json, "stages": .array(stages.map(\.json)), "attempts": .array(attempts.map(\.json)),
            "recovered": .array(recovered.map(\.json)), "final": final.json, "maxInvoiceAgeMonths": maxInvoiceAgeMonths.map { .integer($0) } ?? .null,
        ])
    }
}

extension PolicyDuration: JSONRepresentable {
    /// `"2d"`, `"36h"`.
    public var json: JSONValue { .string(description) }
}

extension RetrySchedule: JSONRepresentable {
    /// `{"gaps": [...]}`, `{"attempts": 8, "within": "14d"}` or `"none"`.
    public var json: JSONValue {
        switch self {
        case .gaps(let gaps): .members(["gaps": .array(gaps.map(\.json))])
        case .within(let attempts, let window): .members(["attempts": attempts.json, "within": window.json])
        case .none: "none".json
        }
    }
}

extension MessageWindow: JSONRepresentable {
    /// `{"from": "09:00", "to": "17:00", "days": ["mon", ...]}`, the days from Monday to Sunday.
    public var json: JSONValue {
        let order = [1, 2, 3, 4, 5, 6, 0]
        let days = order.filter(weekdays.contains).map { PolicyDecoder.weekdayNames[$0].json }
        return .members(["from": Self.clock(opens).json, "to": Self.clock(closes).json, "days": .array(days)])
    }

    /// `"09:00"` for 540; `"24:00"` for 1440.
    static func clock(_ minutes: Int) -> String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}

extension DeclineSettings: JSONRepresentable {
    /// `{"unknown": "soft", "codes": {...}}`.
    public var json: JSONValue {
        .members(["unknown": unknown.rawValue.json, "codes": .object(codes.mapValues { .string($0.rawValue) })])
    }
}

extension NetworkBudget: JSONRepresentable {
    /// `{"attempts": 15, "window": "30d"}`.
    public var json: JSONValue { .members(["attempts": attempts.json, "window": window.json]) }
}

extension BudgetSettings: JSONRepresentable {
    /// Each network's budget, `null` for a standard network (visa, mastercard, other) without one, and `whenExceeded`.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["whenExceeded": .string(whenExceeded.rawValue)]
        for network in CardNetwork.allCases {
            if let budget = networks[network] {
                object[network.rawValue] = budget.json
            } else if Self.standardNetworks[network] != nil {
                object[network.rawValue] = .null
            }
        }
        return .object(object)
    }
}

extension CardUpdateRule: JSONRepresentable {
    /// `{"retry": "immediately" | "on-schedule", "reset": ["schedule", "stage"]}`.
    public var json: JSONValue {
        var reset: [JSONValue] = []
        if resetSchedule { reset.append(.string("schedule")) }
        if resetStage { reset.append(.string("stage")) }
        return .members(["retry": (retryImmediately ? "immediately" : "on-schedule").json, "reset": .array(reset)])
    }
}

extension DunningStage: JSONRepresentable {
    /// `{"id", "name", "when", "actions"}`.
    public var json: JSONValue {
        .members(["id": id.json, "name": name.json, "when": when.json, "actions": .array(actions.map(\.json))])
    }
}

extension StageCondition: JSONRepresentable {
    /// `{"all": [...]}`, `{"attemptsFailed": 3}`, `{"declineClass": ["hard"]}`, `{"tag": "vip"}`, ...
    public var json: JSONValue {
        switch self {
        case .all(let conditions): .members(["all": .array(conditions.map(\.json))])
        case .any(let conditions): .members(["any": .array(conditions.map(\.json))])
        case .attemptsFailed(let count): .members(["attemptsFailed": count.json])
        case .daysSinceFirstFailure(let days): .members(["daysSinceFirstFailure": days.json])
        case .amountDue(let amount): .members(["amountDue": amount.json])
        case .declineClass(let classes): .members(["declineClass": .array(classes.map { .string($0.rawValue) })])
        case .hasTag(let tag): .members(["tag": tag.json])
        case .lacksTag(let tag): .members(["notTag": tag.json])
        }
    }
}

extension AttemptRule: JSONRepresentable {
    /// `{"failed": 2, "actions": [...]}`.
    public var json: JSONValue { .members(["failed": attempt.json, "actions": .array(actions.map(\.json))]) }
}

extension DunningAction: JSONRepresentable {
    /// `{"type": "email", "template": "t"}` and the other forms of the type's doc comment.
    public var json: JSONValue {
        let type = typeName.json
        switch self {
        case .email(let template): return .members(["type": type, "template": template.json])
        case .sms(let text): return .members(["type": type, "text": text.json])
        case .task(let title, let assignee, let dueInDays):
            return .members(["type": type, "title": title.json, "assignee": assignee.json, "dueInDays": dueInDays.json])
        case .notify(let to, let text): return .members(["type": type, "to": to.json, "text": text.json])
        case .addTag(let tag), .removeTag(let tag): return .members(["type": type, "tag": tag.json])
        case .setField(let field, let value): return .members(["type": type, "field": field.json, "value": value.json])
        case .webhook(let url): return .members(["type": type, "url": url.json])
        case .suspendAccess, .restoreAccess: return .members(["type": type])
        case .runWorkflow(let workflow): return .members(["type": type, "workflow": workflow.json])
        }
    }
}

extension FinalAction: JSONRepresentable {
    /// `{"action": "keep-past-due", "workflow": "id" (run-workflow only), "actions": [...]}`.
    public var json: JSONValue {
        .members(["action": kind.rawValue.json, "workflow": workflow.json, "actions": .array(actions.map(\.json))])
    }
}
