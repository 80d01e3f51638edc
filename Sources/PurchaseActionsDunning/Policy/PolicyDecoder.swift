import PurchaseActionsCore

/// Reads a policy's JSON tree (Docs/dunning.md). Every failure is a `JSONError` at its path: `.limit`
/// for a value past `limits`, which `DunningPolicy(json:at:limits:)` reports as `limit-exceeded`.
struct PolicyDecoder {
    let limits: DunningLimits

    static let topMembers = [
        "format", "id", "name", "version", "timezone", "retries", "plans", "sendWindow", "declines", "budgets", "cardUpdate", "stages",
        "attempts", "recovered", "final", "maxInvoiceAgeMonths",
    ]
    static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let actionTypes = [
        "email", "sms", "task", "notify", "add-tag", "remove-tag", "set-field", "webhook", "suspend-access", "restore-access", "run-workflow",
    ]
    static let conditionNames = ["attemptsFailed", "daysSinceFirstFailure", "amountDue", "declineClass", "tag", "notTag", "all", "any"]

    // MARK: - The policy

    func policy(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> DunningPolicy {
        var object = try JSONObjectReader(value, at: path)
        let format = try integer(try required(&object, "format", "format: 1"), at: path.member("format"), 0...Int.max, "format: 1")
        guard format == DunningPolicy.formatVersion else {
            throw JSONError(.invalidValue, "format \(format) is not one this reader knows: write format: 1", at: path.member("format"))
        }
        let id = try identifier(try required(&object, "id", "id: my-policy"), at: path.member("id"), maxLength: limits.maxIDLength)
        let name = try text(try required(&object, "name", "name: \"What the policy is for\""), at: path.member("name"), maxLength: limits.maxTextLength)
        var policy = DunningPolicy(id: id, name: name)
        if let value = object.optional("version") {
            policy.version = try integer(value, at: path.member("version"), 0...limits.maxVersion, "a whole number such as version: 3")
        }
        if let value = object.optional("timezone") {
            policy.timezone = try timezone(value, at: path.member("timezone"))
        }
        if let value = object.optional("retries") { policy.retries = try schedule(value, at: path.member("retries")) }
        if let value = object.optional("plans") { policy.plans = try plans(value, at: path.member("plans")) }
        if let value = object.optional("sendWindow") { policy.sendWindow = try sendWindow(value, at: path.member("sendWindow")) }
        if let value = object.optional("declines") { policy.declines = try declines(value, at: path.member("declines")) }
        if let value = object.optional("budgets") { policy.budgets = try budgets(value, at: path.member("budgets")) }
        if let value = object.optional("cardUpdate") { policy.cardUpdate = try cardUpdate(value, at: path.member("cardUpdate")) }
        if let value = object.optional("stages") { policy.stages = try stages(value, at: path.member("stages")) }
        if let value = object.optional("attempts") { policy.attempts = try attemptRules(value, at: path.member("attempts")) }
        if let value = object.optional("recovered") { policy.recovered = try actions(value, at: path.member("recovered")) }
        if let value = object.optional("final") { policy.final = try final(value, at: path.member("final")) }
        if let value = object.optional("maxInvoiceAgeMonths") {
            if value == .null {
                policy.maxInvoiceAgeMonths = nil
            } else {
                policy.maxInvoiceAgeMonths = try integer(
                    value, at: path.member("maxInvoiceAgeMonths"), 0...limits.maxInvoiceAgeMonths, "a number of months such as 12, or null for no limit")
            }
        }
        try finish(object, Self.topMembers)
        return policy
    }

    // MARK: - Retries and plans

    func schedule(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> RetrySchedule {
        let expected = "write none, {gaps: [2d, 2d]} or {attempts: 8, within: 14d}"
        if case .string(let word) = value {
            guard word == "none" else { throw JSONError(.invalidValue, "'\(DisplayText.escape(word))' is not a retry schedule: \(expected)", at: path) }
            return .none
        }
        guard case .object = value else { throw JSONError(.wrongType, "expected a retry schedule, found \(value.kindName): \(expected)", at: path) }
        var object = try JSONObjectReader(value, at: path)
        if object.has("gaps") {
            guard !object.has("attempts"), !object.has("within") else {
                throw JSONError(.invalidValue, "a schedule has gaps, or attempts and within, not both: \(expected)", at: path)
            }
            let gapsValue = try object.required("gaps")
            guard case .array(let items) = gapsValue else {
                throw JSONError(.wrongType, "expected a list of gaps such as [2d, 2d], found \(gapsValue.kindName)", at: path.member("gaps"))
            }
            guard !items.isEmpty else { throw JSONError(.invalidValue, "no gaps: write none for no retries, or gaps such as [2d, 2d]", at: path.member("gaps")) }
            guard items.count < limits.maxAttempts else {
                throw JSONError(
                    .limit, "\(items.count) gaps make \(items.count + 1) attempts, more than \(limits.maxAttempts), the most allowed (Docs/dunning.md, \"Limits\")",
                    at: path.member("gaps"))
            }
            var gaps: [PolicyDuration] = []
            for (index, item) in items.enumerated() { gaps.append(try gap(item, at: path.member("gaps").index(index))) }
            try finish(object, ["gaps"])
            return .gaps(gaps)
        }
        guard object.has("attempts") || object.has("within") else {
            throw JSONError(.missingMember, "a schedule needs gaps, or attempts and within: \(expected)", at: path)
        }
        let attempts = try integer(
            try required(&object, "attempts", "attempts: 8"), at: path.member("attempts"), 1...limits.maxAttempts, "a number of attempts such as 8")
        guard attempts > 1 else {
            throw JSONError(.invalidValue, "1 attempt is the first failure alone: write retries: none", at: path.member("attempts"))
        }
        let window = try duration(try required(&object, "within", "within: 14d"), at: path.member("within"))
        guard window.nominalHours >= attempts - 1 else {
            throw JSONError(
                .invalidValue, "\(attempts) attempts within \(window) are less than an hour apart: write a longer window or fewer attempts",
                at: path.member("within"))
        }
        try finish(object, ["attempts", "within"])
        return .within(attempts: attempts, window: window)
    }

    func plans(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> [String: PlanOverride] {
        let members = try objectMembers(value, at: path, "an object of plan id: {retries: ..., autocharge: false}")
        guard members.count <= limits.maxPlans else {
            throw JSONError(.limit, "\(members.count) plans, more than \(limits.maxPlans), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        var plans: [String: PlanOverride] = [:]
        for (id, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let memberPath = path.member(id)
            try checkIdentifier(id, at: memberPath, maxLength: limits.maxNameLength, what: "a plan id")
            var object = try JSONObjectReader(member, at: memberPath)
            var override = PlanOverride()
            if let autocharge = object.optional("autocharge") { override.autocharge = try autocharge.bool(at: memberPath.member("autocharge")) }
            if let retries = object.optional("retries") { override.retries = try schedule(retries, at: memberPath.member("retries")) }
            try finish(object, ["autocharge", "retries"])
            plans[id] = override
        }
        return plans
    }

    // MARK: - Send window, declines, budgets, card update

    func sendWindow(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> MessageWindow {
        var object = try JSONObjectReader(value, at: path)
        let opens = try timeOfDay(try required(&object, "from", "from: \"09:00\""), at: path.member("from"), allowsMidnightEnd: false)
        let closes = try timeOfDay(try required(&object, "to", "to: \"17:00\""), at: path.member("to"), allowsMidnightEnd: true)
        guard closes > opens else {
            throw JSONError(
                .invalidValue, "the window closes before it opens: write a to after from (a window cannot cross midnight; to: \"24:00\" is the end of the day)",
                at: path.member("to"))
        }
        var weekdays = Array(0...6)
        if let days = object.optional("days") {
            let daysPath = path.member("days")
            guard case .array(let items) = days else {
                throw JSONError(.wrongType, "expected a list of days such as [mon, tue, wed, thu, fri], found \(days.kindName)", at: daysPath)
            }
            guard !items.isEmpty else { throw JSONError(.invalidValue, "no days: list at least one, such as [mon, tue, wed, thu, fri]", at: daysPath) }
            guard items.count <= 7 else { throw JSONError(.limit, "\(items.count) days, more than the 7 of a week", at: daysPath) }
            var seen: Set<Int> = []
            for (index, item) in items.enumerated() {
                let name = try item.string(at: daysPath.index(index))
                guard let day = Self.weekdayNames.firstIndex(of: name) else {
                    throw JSONError(
                        .invalidValue, "'\(DisplayText.escape(name))' is not a day: write mon, tue, wed, thu, fri, sat or sun", at: daysPath.index(index))
                }
                guard seen.insert(day).inserted else { throw JSONError(.invalidValue, "\(name) is listed twice: list each day once", at: daysPath.index(index)) }
            }
            weekdays = seen.sorted()
        }
        try finish(object, ["from", "to", "days"])
        return MessageWindow(opens: opens, closes: closes, weekdays: weekdays)
    }

    func declines(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> DeclineSettings {
        var object = try JSONObjectReader(value, at: path)
        var settings = DeclineSettings()
        if let unknown = object.optional("unknown") { settings.unknown = try policyClass(unknown, at: path.member("unknown")) }
        if let codes = object.optional("codes") {
            let codesPath = path.member("codes")
            let members = try objectMembers(codes, at: codesPath, "an object of decline code: class, such as {do_not_honor: hard}")
            guard members.count <= limits.maxDeclineCodes else {
                throw JSONError(
                    .limit, "\(members.count) codes, more than \(limits.maxDeclineCodes), the most allowed (Docs/dunning.md, \"Limits\")", at: codesPath)
            }
            for (code, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                let memberPath = codesPath.member(code)
                guard !code.isEmpty, code.utf8.count <= 64,
                    code.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
                else {
                    let lower = DeclineTable.lowercased(code)
                    let hint = lower != code ? ": write decline codes in lower case, '\(DisplayText.escape(lower))'" : ""
                    throw JSONError(
                        .invalidValue,
                        "'\(DisplayText.escape(code))' is not a decline code (1 to 64 characters from a-z 0-9 _ - .)\(hint)", at: memberPath)
                }
                settings.codes[code] = try policyClass(member, at: memberPath)
            }
        }
        try finish(object, ["unknown", "codes"])
        return settings
    }

    /// A class a policy may give: not `retry-after`, which only advice codes set.
    func policyClass(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> DeclineClass {
        let name = try value.string(at: path)
        guard let declineClass = DeclineClass(rawValue: name), declineClass != .retryAfter else {
            let extra = name == "retry-after" ? " (retry-after comes only from Mastercard advice codes 24-30, which carry the wait)" : ""
            throw JSONError(.invalidValue, "'\(DisplayText.escape(name))' is not a class a policy can give\(extra): write soft, hard or update-required", at: path)
        }
        return declineClass
    }

    func budgets(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> BudgetSettings {
        var object = try JSONObjectReader(value, at: path)
        var settings = BudgetSettings()
        for network in CardNetwork.allCases {
            guard let member = object.optional(network.rawValue) else { continue }
            let memberPath = path.member(network.rawValue)
            if member == .null {
                settings.networks[network] = nil
                continue
            }
            var budget = try JSONObjectReader(member, at: memberPath)
            let attempts = try integer(
                try required(&budget, "attempts", "attempts: 15"), at: memberPath.member("attempts"), 1...limits.maxBudgetAttempts,
                "a number of charges such as 15")
            let window = try duration(try required(&budget, "window", "window: 30d"), at: memberPath.member("window"))
            guard window.nominalHours >= 1 else {
                throw JSONError(.invalidValue, "a budget window of 0: write at least 1h, such as 30d", at: memberPath.member("window"))
            }
            try finish(budget, ["attempts", "window"])
            settings.networks[network] = NetworkBudget(attempts: attempts, window: window)
        }
        if let when = object.optional("whenExceeded") {
            let word = try when.string(at: path.member("whenExceeded"))
            guard let choice = BudgetSettings.WhenExceeded(rawValue: word) else {
                throw JSONError(.invalidValue, "'\(DisplayText.escape(word))' is not a choice: write defer or skip", at: path.member("whenExceeded"))
            }
            settings.whenExceeded = choice
        }
        try finish(object, CardNetwork.allCases.map(\.rawValue) + ["whenExceeded"])
        return settings
    }

    func cardUpdate(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> CardUpdateRule {
        var object = try JSONObjectReader(value, at: path)
        var rule = CardUpdateRule()
        if let retry = object.optional("retry") {
            let word = try retry.string(at: path.member("retry"))
            switch word {
            case "immediately": rule.retryImmediately = true
            case "on-schedule": rule.retryImmediately = false
            default: throw JSONError(.invalidValue, "'\(DisplayText.escape(word))' is not a choice: write immediately or on-schedule", at: path.member("retry"))
            }
        }
        if let reset = object.optional("reset") {
            let resetPath = path.member("reset")
            guard case .array(let items) = reset else {
                throw JSONError(.wrongType, "expected a list such as [schedule], [schedule, stage] or [], found \(reset.kindName)", at: resetPath)
            }
            guard items.count <= 2 else { throw JSONError(.limit, "\(items.count) items: reset lists schedule and stage at most once each", at: resetPath) }
            rule.resetSchedule = false
            rule.resetStage = false
            for (index, item) in items.enumerated() {
                let word = try item.string(at: resetPath.index(index))
                switch word {
                case "schedule" where !rule.resetSchedule: rule.resetSchedule = true
                case "stage" where !rule.resetStage: rule.resetStage = true
                case "schedule", "stage": throw JSONError(.invalidValue, "\(word) is listed twice: list it once", at: resetPath.index(index))
                default: throw JSONError(.invalidValue, "'\(DisplayText.escape(word))' is not something to reset: write schedule or stage", at: resetPath.index(index))
                }
            }
        }
        try finish(object, ["retry", "reset"])
        return rule
    }

    // MARK: - Stages and conditions

    func stages(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> [DunningStage] {
        let items = try list(value, at: path, max: limits.maxStages, what: "stages", "a list of stages, most severe first")
        var stages: [DunningStage] = []
        var ids: Set<String> = []
        for (index, item) in items.enumerated() {
            let stagePath = path.index(index)
            var object = try JSONObjectReader(item, at: stagePath)
            let id = try identifier(try required(&object, "id", "id: final-notice"), at: stagePath.member("id"), maxLength: limits.maxNameLength)
            guard ids.insert(id).inserted else {
                throw JSONError(.invalidValue, "the stage id '\(id)' is used twice: give each stage its own id", at: stagePath.member("id"))
            }
            let name = try object.optional("name").map { (value) throws(JSONError) in
                try text(value, at: stagePath.member("name"), maxLength: limits.maxTextLength)
            } ?? id
            let when = try condition(
                try required(&object, "when", "when: {attemptsFailed: 3}"), at: stagePath.member("when"), depth: 0)
            let actions = try object.optional("actions").map { (value) throws(JSONError) in try self.actions(value, at: stagePath.member("actions")) } ?? []
            try finish(object, ["id", "name", "when", "actions"])
            stages.append(DunningStage(id: id, name: name, when: when, actions: actions))
        }
        return stages
    }

    func condition(_ value: JSONValue, at path: JSONPath, depth: Int) throws(JSONError) -> StageCondition {
        let one = "a condition is an object with one member: " + Self.conditionNames.joined(separator: ", ") + " (combine several with all: [...] or any: [...])"
        guard case .object(let members) = value else { throw JSONError(.wrongType, "expected \(one), found \(value.kindName)", at: path) }
        guard members.count == 1, let (name, member) = members.first else {
            throw JSONError(.invalidValue, members.isEmpty ? "an empty condition; \(one)" : "a condition with \(members.count) members (\(members.keys.sorted().prefix(5).map { "'\(DisplayText.escape(String($0.prefix(40))))'" }.joined(separator: ", "))\(members.count > 5 ? ", ..." : "")); \(one)", at: path)
        }
        let memberPath = path.member(name)
        switch name {
        case "all", "any":
            guard depth < limits.maxConditionDepth else {
                throw JSONError(
                    .limit, "all / any nested more than \(limits.maxConditionDepth) deep, the most allowed (Docs/dunning.md, \"Limits\"): write the conditions flatter",
                    at: memberPath)
            }
            let items = try list(member, at: memberPath, max: limits.maxConditions, what: "conditions", "a list of conditions")
            guard !items.isEmpty else { throw JSONError(.invalidValue, "an empty \(name): list at least one condition", at: memberPath) }
            var conditions: [StageCondition] = []
            for (index, item) in items.enumerated() { conditions.append(try condition(item, at: memberPath.index(index), depth: depth + 1)) }
            return name == "all" ? .all(conditions) : .any(conditions)
        case "attemptsFailed":
            return .attemptsFailed(atLeast: try integer(member, at: memberPath, 0...limits.maxAttemptsFailed, "a number of failed attempts such as 3"))
        case "daysSinceFirstFailure":
            return .daysSinceFirstFailure(atLeast: try integer(member, at: memberPath, 0...limits.maxDays, "a number of days such as 7"))
        case "amountDue":
            return .amountDue(atLeast: try integer(member, at: memberPath, 0...limits.maxAmount, "an amount in minor units such as 10000 (100.00)"))
        case "declineClass":
            let items = try list(member, at: memberPath, max: DeclineClass.allCases.count, what: "classes", "a list of classes such as [hard, update-required]")
            guard !items.isEmpty else { throw JSONError(.invalidValue, "no classes: list at least one, such as [hard]", at: memberPath) }
            var classes: [DeclineClass] = []
            for (index, item) in items.enumerated() {
                let word = try item.string(at: memberPath.index(index))
                guard let declineClass = DeclineClass(rawValue: word) else {
                    throw JSONError(
                        .invalidValue, "'\(DisplayText.escape(word))' is not a decline class: write hard, soft, retry-after or update-required",
                        at: memberPath.index(index))
                }
                guard !classes.contains(declineClass) else { throw JSONError(.invalidValue, "\(word) is listed twice: list it once", at: memberPath.index(index)) }
                classes.append(declineClass)
            }
            return .declineClass(classes)
        case "tag":
            return .hasTag(try self.name(member, at: memberPath, what: "a tag"))
        case "notTag":
            return .lacksTag(try self.name(member, at: memberPath, what: "a tag"))
        default:
            throw JSONError(.unknownMember, "'\(DisplayText.escape(name))' is not a condition: write \(one)", at: memberPath)
        }
    }

    // MARK: - Attempt rules, actions, final

    func attemptRules(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> [AttemptRule] {
        let items = try list(value, at: path, max: limits.maxAttemptRules, what: "attempt rules", "a list such as [{failed: 2, actions: [...]}]")
        var rules: [AttemptRule] = []
        var seen: Set<Int> = []
        for (index, item) in items.enumerated() {
            let rulePath = path.index(index)
            var object = try JSONObjectReader(item, at: rulePath)
            let failed = try integer(
                try required(&object, "failed", "failed: 2"), at: rulePath.member("failed"), 1...limits.maxAttempts, "the failed attempt, 1 for the first failure")
            guard seen.insert(failed).inserted else {
                throw JSONError(.invalidValue, "a second rule for failed attempt \(failed): put its actions in the first", at: rulePath.member("failed"))
            }
            let actions = try self.actions(try required(&object, "actions", "actions: [{type: email, template: t}]"), at: rulePath.member("actions"))
            try finish(object, ["failed", "actions"])
            rules.append(AttemptRule(attempt: failed, actions: actions))
        }
        return rules
    }

    func actions(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> [DunningAction] {
        let items = try list(value, at: path, max: limits.maxActions, what: "actions", "a list of actions such as [{type: email, template: t}]")
        var actions: [DunningAction] = []
        for (index, item) in items.enumerated() { actions.append(try action(item, at: path.index(index))) }
        return actions
    }

    func action(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> DunningAction {
        var object = try JSONObjectReader(value, at: path)
        let type = try required(&object, "type", "type: email").string(at: path.member("type"))
        let action: DunningAction
        var members = ["type"]
        switch type {
        case "email":
            members += ["template"]
            action = .email(template: try identifier(try required(&object, "template", "template: dunning-reminder"), at: path.member("template"), maxLength: limits.maxNameLength))
        case "sms":
            members += ["text"]
            action = .sms(text: try text(try required(&object, "text", "text: \"...\""), at: path.member("text"), maxLength: limits.maxTextLength, newlines: true))
        case "task":
            members += ["title", "assignee", "dueInDays"]
            let title = try text(try required(&object, "title", "title: \"Call the customer\""), at: path.member("title"), maxLength: limits.maxTextLength)
            let assignee = try object.optional("assignee").map { (value) throws(JSONError) in try name(value, at: path.member("assignee"), what: "an assignee") }
            let due = try object.optional("dueInDays").map { (value) throws(JSONError) in
                try integer(value, at: path.member("dueInDays"), 0...limits.maxDays, "a number of days such as 1")
            }
            action = .task(title: title, assignee: assignee, dueInDays: due)
        case "notify":
            members += ["to", "text"]
            let to = try name(try required(&object, "to", "to: billing@example.com"), at: path.member("to"), what: "an address")
            action = .notify(to: to, text: try text(try required(&object, "text", "text: \"...\""), at: path.member("text"), maxLength: limits.maxTextLength, newlines: true))
        case "add-tag", "remove-tag":
            members += ["tag"]
            let tag = try name(try required(&object, "tag", "tag: past-due"), at: path.member("tag"), what: "a tag")
            action = type == "add-tag" ? .addTag(tag) : .removeTag(tag)
        case "set-field":
            members += ["field", "value"]
            let field = try fieldName(try required(&object, "field", "field: BillingStatus"), at: path.member("field"))
            let value = try text(try required(&object, "value", "value: \"past due\""), at: path.member("value"), maxLength: limits.maxTextLength, allowsEmpty: true)
            action = .setField(field: field, value: value)
        case "webhook":
            members += ["url"]
            action = .webhook(url: try url(try required(&object, "url", "url: https://example.com/hook"), at: path.member("url")))
        case "suspend-access":
            action = .suspendAccess
        case "restore-access":
            action = .restoreAccess
        case "run-workflow":
            members += ["workflow"]
            action = .runWorkflow(try identifier(
                try required(&object, "workflow", "workflow: my-workflow-id (run-workflow needs the id of the workflow to run)"),
                at: path.member("workflow"), maxLength: limits.maxNameLength))
        default:
            throw JSONError(
                .invalidValue, "'\(DisplayText.escape(type))' is not an action type: write one of \(Self.actionTypes.joined(separator: ", "))", at: path.member("type"))
        }
        try finish(object, members, context: "a \(type) action")
        return action
    }

    func final(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> FinalAction {
        var object = try JSONObjectReader(value, at: path)
        let word = try required(&object, "action", "action: keep-past-due").string(at: path.member("action"))
        guard let kind = FinalAction.Kind(rawValue: word) else {
            throw JSONError(
                .invalidValue, "'\(DisplayText.escape(word))' is not a final action: write one of \(FinalAction.Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                at: path.member("action"))
        }
        var final = FinalAction(kind)
        if let workflow = object.optional("workflow") {
            guard kind == .runWorkflow else {
                throw JSONError(.invalidValue, "workflow goes with action: run-workflow only: remove it, or write action: run-workflow", at: path.member("workflow"))
            }
            final.workflow = try identifier(workflow, at: path.member("workflow"), maxLength: limits.maxNameLength)
        } else if kind == .runWorkflow {
            throw JSONError(.missingMember, "run-workflow needs the workflow to run: write workflow: <workflow id>", at: path)
        }
        if let actions = object.optional("actions") { final.actions = try self.actions(actions, at: path.member("actions")) }
        try finish(object, ["action", "workflow", "actions"])
        return final
    }

    // MARK: - Values

    /// A required member, with what to write when it is missing.
    func required(_ object: inout JSONObjectReader, _ name: String, _ example: String) throws(JSONError) -> JSONValue {
        guard let value = object.optional(name) else {
            throw JSONError(.missingMember, "the member '\(name)' is required here: write \(example)", at: object.path)
        }
        return value
    }

    /// Refuses members not read, naming the ones allowed.
    func finish(_ object: JSONObjectReader, _ allowed: [String], context: String? = nil) throws(JSONError) {
        guard let unknown = object.members.keys.filter({ !allowed.contains($0) }).sorted().first else { return }
        let here = context.map { " of \($0)" } ?? ""
        throw JSONError(
            .unknownMember, "unknown member '\(DisplayText.escape(unknown))': the members\(here) are \(allowed.joined(separator: ", "))",
            at: object.path.member(unknown))
    }

    func objectMembers(_ value: JSONValue, at path: JSONPath, _ expected: String) throws(JSONError) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw JSONError(.wrongType, "expected \(expected), found \(value.kindName)", at: path) }
        return members
    }

    func list(_ value: JSONValue, at path: JSONPath, max: Int, what: String, _ expected: String) throws(JSONError) -> [JSONValue] {
        guard case .array(let items) = value else { throw JSONError(.wrongType, "expected \(expected), found \(value.kindName)", at: path) }
        guard items.count <= max else {
            throw JSONError(.limit, "\(items.count) \(what), more than \(max), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        return items
    }

    func integer(_ value: JSONValue, at path: JSONPath, _ range: ClosedRange<Int>, _ expected: String) throws(JSONError) -> Int {
        guard case .integer(let number) = value else { throw JSONError(.wrongType, "expected \(expected), found \(value.kindName)", at: path) }
        if number > range.upperBound {
            throw JSONError(.limit, "\(number) is more than \(range.upperBound), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        guard number >= range.lowerBound else {
            throw JSONError(.invalidValue, "\(number) is less than \(range.lowerBound): write \(expected)", at: path)
        }
        return number
    }

    /// `"2d"` or `"36h"`.
    func duration(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> PolicyDuration {
        let expected = "a duration: a whole number of days or hours such as \"2d\" or \"36h\""
        guard case .string(let text) = value else { throw JSONError(.wrongType, "expected \(expected), found \(value.kindName)", at: path) }
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, let unit = PolicyDuration.Unit(rawValue: String(decoding: bytes[(bytes.count - 1)...], as: UTF8.self)) else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not \(expected)", at: path)
        }
        let digits = bytes.dropLast()
        guard digits.allSatisfy({ (48...57).contains($0) }), digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not \(expected) (no sign, spaces or leading zeros)", at: path)
        }
        guard digits.count <= 9 else {
            throw JSONError(.limit, "'\(DisplayText.escape(text))' is more than \(limits.maxDurationAmount)\(unit.rawValue), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        let amount = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        guard amount <= limits.maxDurationAmount else {
            throw JSONError(.limit, "\(text) is more than \(limits.maxDurationAmount)\(unit.rawValue), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        return PolicyDuration(amount, unit)
    }

    /// A duration of at least one hour.
    func gap(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> PolicyDuration {
        let gap = try duration(value, at: path)
        guard gap.amount > 0 else { throw JSONError(.invalidValue, "a gap of \(gap): gaps are at least 1h; write 1h or 1d", at: path) }
        return gap
    }

    func timeOfDay(_ value: JSONValue, at path: JSONPath, allowsMidnightEnd: Bool) throws(JSONError) -> Int {
        let expected = allowsMidnightEnd ? "a time of day HH:MM from \"00:01\" to \"24:00\", quoted" : "a time of day HH:MM from \"00:00\" to \"23:59\", quoted"
        guard case .string(let text) = value else { throw JSONError(.wrongType, "expected \(expected), found \(value.kindName)", at: path) }
        if allowsMidnightEnd, text == "24:00" { return 1440 }
        guard let time = ZonedCalendar.parseTimeOfDay(text) else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not \(expected)", at: path)
        }
        return time.hour * 60 + time.minute
    }

    func timezone(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        guard text.utf8.count <= 64, TimeZoneRules.isValidName(text) else {
            throw JSONError(
                .invalidValue, "'\(DisplayText.escape(text))' is not an IANA timezone name: write one such as America/Chicago, or leave timezone out for the account's",
                at: path)
        }
        return text
    }

    /// An id: 1 to `maxLength` characters from `A-Z a-z 0-9 . _ : -`, starting with a letter or digit.
    func identifier(_ value: JSONValue, at path: JSONPath, maxLength: Int) throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkIdentifier(text, at: path, maxLength: maxLength, what: "an id")
        return text
    }

    func checkIdentifier(_ text: String, at path: JSONPath, maxLength: Int, what: String) throws(JSONError) {
        if text.utf8.count > maxLength {
            throw JSONError(.limit, "\(text.utf8.count) characters, more than \(maxLength), the most allowed for \(what) (Docs/dunning.md, \"Limits\")", at: path)
        }
        guard let first = text.utf8.first, Self.isAlphanumeric(first),
            text.utf8.allSatisfy({ Self.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") })
        else {
            throw JSONError(
                .invalidValue, "'\(DisplayText.escape(text))' is not \(what): write 1 to \(maxLength) characters from A-Z a-z 0-9 . _ : -, starting with a letter or digit",
                at: path)
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) }

    /// A tag, assignee or address: 1 to `maxNameLength` characters, no spaces at the ends, no control characters.
    func name(_ value: JSONValue, at path: JSONPath, what: String) throws(JSONError) -> String {
        let text = try self.text(value, at: path, maxLength: limits.maxNameLength)
        guard text.first?.isWhitespace == false, text.last?.isWhitespace == false else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' starts or ends with a space: write \(what) without them", at: path)
        }
        return text
    }

    func fieldName(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        if text.utf8.count > limits.maxNameLength {
            throw JSONError(.limit, "\(text.utf8.count) characters, more than \(limits.maxNameLength), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        guard let first = text.utf8.first, !(48...57).contains(first),
            text.utf8.allSatisfy({ Self.isAlphanumeric($0) || $0 == UInt8(ascii: "_") })
        else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not a contact field name: write a letter or _, then letters, digits or _", at: path)
        }
        return text
    }

    func url(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        if text.utf8.count > limits.maxURLLength {
            throw JSONError(.limit, "\(text.utf8.count) characters, more than \(limits.maxURLLength), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        let rest = text.hasPrefix("https://") ? text.dropFirst(8) : text.hasPrefix("http://") ? text.dropFirst(7) : nil
        guard let rest, let first = rest.first, !"/?#".contains(first), !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || DisplayText.isControl($0) })
        else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not a URL: write http:// or https://, a host, then a path with no spaces", at: path)
        }
        return text
    }

    /// Text for people: at most `maxLength` characters (Unicode scalars, as JSON Schema counts), no control characters
    /// (a line feed allowed when `newlines`), not empty unless `allowsEmpty`.
    func text(_ value: JSONValue, at path: JSONPath, maxLength: Int, newlines: Bool = false, allowsEmpty: Bool = false) throws(JSONError) -> String {
        let text = try value.string(at: path)
        let length = text.unicodeScalars.count
        if length > maxLength {
            throw JSONError(.limit, "\(length) characters of text, more than \(maxLength), the most allowed (Docs/dunning.md, \"Limits\")", at: path)
        }
        guard allowsEmpty || !text.isEmpty else { throw JSONError(.invalidValue, "empty text: write something", at: path) }
        if let control = text.unicodeScalars.first(where: { DisplayText.isControl($0) && !(newlines && $0 == "\n") }) {
            let hex = String(control.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            throw JSONError(
                .invalidValue, "the text holds the control character \(code): remove it\(newlines ? " (a line feed is the only one allowed)" : "")", at: path)
        }
        return text
    }
}
