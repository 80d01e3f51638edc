import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// Every limit of `DunningLimits.standard`, at the limit (read) and one past it (`limit-exceeded` at its path).
@Suite("Dunning policy limits: each at its maximum and one past it")
struct PolicyLimitTests {
    static let limits = DunningLimits.standard

    static func list(_ count: Int, _ item: (Int) -> String) -> String { "[" + (0..<count).map(item).joined(separator: ", ") + "]" }
    static func object(_ count: Int, _ member: (Int) -> String) -> String { "{" + (0..<count).map(member).joined(separator: ", ") + "}" }
    static func nested(_ depth: Int) -> String {
        var text = #"{"attemptsFailed": 1}"#
        for _ in 0..<depth { text = #"{"all": ["# + text + "]}" }
        return text
    }
    static func stage(_ when: String) -> String { #", "stages": [{"id": "s", "when": "# + when + "}]" }
    static func action(_ json: String) -> String { #", "recovered": ["# + json + "]" }

    /// (name, the policy's members at `n`, the path of the error, the limit).
    nonisolated(unsafe) static let cases: [(String, (Int) -> String, String, Int)] = [
        ("id length", { #"{"format": 1, "id": ""# + String(repeating: "a", count: $0) + #"", "name": "P"}"# }, "$.id", limits.maxIDLength),
        ("name length", { #"{"format": 1, "id": "p", "name": ""# + String(repeating: "n", count: $0) + #""}"# }, "$.name", limits.maxTextLength),
        ("version", { PolicyExamples.minimal(#", "version": \#($0)"#) }, "$.version", limits.maxVersion),
        ("gaps (attempts - 1)", { PolicyExamples.minimal(#", "retries": {"gaps": "# + list($0 - 1) { _ in #""1h""# } + "}") }, "$.retries.gaps", limits.maxAttempts),
        ("within attempts", { PolicyExamples.minimal(#", "retries": {"attempts": \#($0), "within": "100d"}"#) }, "$.retries.attempts", limits.maxAttempts),
        ("duration amount", { PolicyExamples.minimal(#", "retries": {"gaps": ["\#($0)d"]}"#) }, "$.retries.gaps[0]", limits.maxDurationAmount),
        ("plans", { PolicyExamples.minimal(#", "plans": "# + object($0) { #""p\#($0)": {}"# }) }, "$.plans", limits.maxPlans),
        ("plan id length", { PolicyExamples.minimal(#", "plans": {""# + String(repeating: "p", count: $0) + #"": {}}"#) }, "$.plans.\(String(repeating: "p", count: limits.maxNameLength + 1))", limits.maxNameLength),
        ("stages", { PolicyExamples.minimal(#", "stages": "# + list($0) { #"{"id": "s\#($0)", "when": {"tag": "t"}}"# }) }, "$.stages", limits.maxStages),
        ("actions", { PolicyExamples.minimal(#", "recovered": "# + list($0) { _ in #"{"type": "restore-access"}"# }) }, "$.recovered", limits.maxActions),
        ("attempt rules", { PolicyExamples.minimal(#", "attempts": "# + list($0) { #"{"failed": \#($0 % 100 + 1), "actions": []}"# }) }, "$.attempts", limits.maxAttemptRules),
        ("attempt rule number", { PolicyExamples.minimal(#", "attempts": [{"failed": \#($0), "actions": []}]"#) }, "$.attempts[0].failed", limits.maxAttempts),
        ("conditions in all", { PolicyExamples.minimal(stage(#"{"any": "# + list($0) { _ in #"{"tag": "t"}"# } + "}")) }, "$.stages[0].when.any", limits.maxConditions),
        ("condition depth", { PolicyExamples.minimal(stage(nested($0))) },
            "$.stages[0].when" + String(repeating: ".all[0]", count: limits.maxConditionDepth) + ".all", limits.maxConditionDepth),
        ("attemptsFailed", { PolicyExamples.minimal(stage(#"{"attemptsFailed": \#($0)}"#)) }, "$.stages[0].when.attemptsFailed", limits.maxAttemptsFailed),
        ("daysSinceFirstFailure", { PolicyExamples.minimal(stage(#"{"daysSinceFirstFailure": \#($0)}"#)) }, "$.stages[0].when.daysSinceFirstFailure", limits.maxDays),
        ("amountDue", { PolicyExamples.minimal(stage(#"{"amountDue": \#($0)}"#)) }, "$.stages[0].when.amountDue", limits.maxAmount),
        ("decline codes", { PolicyExamples.minimal(#", "declines": {"codes": "# + object($0) { #""c\#($0)": "hard""# } + "}") }, "$.declines.codes", limits.maxDeclineCodes),
        ("budget attempts", { PolicyExamples.minimal(#", "budgets": {"visa": {"attempts": \#($0), "window": "30d"}}"#) }, "$.budgets.visa.attempts", limits.maxBudgetAttempts),
        ("dueInDays", { PolicyExamples.minimal(action(#"{"type": "task", "title": "t", "dueInDays": \#($0)}"#)) }, "$.recovered[0].dueInDays", limits.maxDays),
        ("template length", { PolicyExamples.minimal(action(#"{"type": "email", "template": ""# + String(repeating: "t", count: $0) + #""}"#)) }, "$.recovered[0].template", limits.maxNameLength),
        ("tag length", { PolicyExamples.minimal(action(#"{"type": "add-tag", "tag": ""# + String(repeating: "t", count: $0) + #""}"#)) }, "$.recovered[0].tag", limits.maxNameLength),
        ("SMS length", { PolicyExamples.minimal(action(#"{"type": "sms", "text": ""# + String(repeating: "s", count: $0) + #""}"#)) }, "$.recovered[0].text", limits.maxTextLength),
        ("URL length", { PolicyExamples.minimal(action(#"{"type": "webhook", "url": "https://e.com/"# + String(repeating: "u", count: $0 - 14) + #""}"#)) }, "$.recovered[0].url", limits.maxURLLength),
        ("field length", { PolicyExamples.minimal(action(#"{"type": "set-field", "field": ""# + String(repeating: "f", count: $0) + #"", "value": "v"}"#)) }, "$.recovered[0].field", limits.maxNameLength),
        ("maxInvoiceAgeMonths", { PolicyExamples.minimal(#", "maxInvoiceAgeMonths": \#($0)"#) }, "$.maxInvoiceAgeMonths", limits.maxInvoiceAgeMonths),
    ]

    @Test("At the limit it reads; one past it is limit-exceeded at the path", arguments: cases.indices)
    func onePast(index: Int) throws {
        let (name, policy, path, limit) = Self.cases[index]
        #expect(PolicyExamples.error(policy(limit)) == nil, "\(name) at \(limit): \(PolicyExamples.error(policy(limit))?.description ?? "")")
        let error = try #require(PolicyExamples.error(policy(limit + 1)), "\(name) at \(limit + 1) was read")
        #expect(error.code == "limit-exceeded", "\(name): \(error)")
        #expect(error.path?.description == path, "\(name): \(error)")
        #expect(error.message.contains("\(limit)"), "\(name): \(error)")
    }

    @Test("A duration of more than nine digits is refused without overflow; a smaller limit applies when given")
    func hugeDurationsAndCustomLimits() throws {
        let error = try #require(PolicyExamples.error(PolicyExamples.minimal(#", "retries": {"gaps": ["99999999999999999999999d"]}"#)))
        #expect(error.code == "limit-exceeded" && error.path?.description == "$.retries.gaps[0]")
        var small = DunningLimits.standard
        small.maxStages = 1
        let stages = PolicyExamples.minimal(#", "stages": [{"id": "a", "when": {"tag": "t"}}, {"id": "b", "when": {"tag": "u"}}]"#)
        #expect(PolicyExamples.error(stages) == nil)
        #expect(PolicyExamples.error(stages, limits: small)?.code == "limit-exceeded")
    }
}
