public import PurchaseActionsDunning

/// A random policy within the standard limits, from a seed (SplitMix64): shared by the policy tests
/// of PurchaseActionsDunningTests and the file tests of PurchaseActionsTests.
public struct RandomPolicy {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    public mutating func bool() -> Bool { next() % 2 == 0 }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    public mutating func id() -> String {
        let first = Array("abcXYZ019")
        let rest = Array("abcXYZ019._:-")
        return String(pick(first)) + String((0..<int(0...6)).map { _ in pick(rest) })
    }
    public mutating func text() -> String {
        let pieces = ["a", "Z", " ", "é", "\"", "\\", "'", ":", "#", "- ", "{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "%", "@", "`", "😀", "yes", "null", "1", "0x1", "1.5"]
        return pick(["x", "yes"]) + (0..<int(0...8)).map { _ in pick(pieces) }.joined()
    }
    public mutating func duration(minimum: Int = 0) -> PolicyDuration {
        PolicyDuration(int(max(minimum, 0)...(bool() ? 30 : 10_000)), bool() ? .days : .hours)
    }
    public mutating func schedule() -> RetrySchedule {
        switch int(0...2) {
        case 0: return .none
        case 1: return .gaps((0..<int(1...6)).map { _ in duration(minimum: 1) })
        default:
            let attempts = int(2...20)
            return .within(attempts: attempts, window: PolicyDuration(int(attempts...2000), .hours))
        }
    }
    public mutating func condition(depth: Int) -> StageCondition {
        switch int(depth >= 7 ? 2...7 : 0...7) {
        case 0: return .all((0..<int(1...3)).map { _ in condition(depth: depth + 1) })
        case 1: return .any((0..<int(1...3)).map { _ in condition(depth: depth + 1) })
        case 2: return .attemptsFailed(atLeast: int(0...1000))
        case 3: return .daysSinceFirstFailure(atLeast: int(0...10_000))
        case 4: return .amountDue(atLeast: int(0...1_000_000_000_000_000))
        case 5:
            var classes: [DeclineClass] = []
            for declineClass in DeclineClass.allCases where bool() { classes.append(declineClass) }
            return .declineClass(classes.isEmpty ? [.hard] : classes)
        case 6: return .hasTag(id())
        default: return .lacksTag(id())
        }
    }
    public mutating func action() -> DunningAction {
        switch int(0...10) {
        case 0: return .email(template: id())
        case 1: return .sms(text: text() + "\n" + text())
        case 2: return .task(title: text(), assignee: bool() ? id() : nil, dueInDays: bool() ? int(0...10_000) : nil)
        case 3: return .notify(to: id(), text: text())
        case 4: return .addTag(id())
        case 5: return .removeTag(id())
        case 6: return .setField(field: "_F" + String(int(0...9)), value: bool() ? "" : text())
        case 7: return .webhook(url: "https://example.com/" + id())
        case 8: return .suspendAccess
        case 9: return .restoreAccess
        default: return .runWorkflow(id())
        }
    }
    public mutating func actions() -> [DunningAction] { (0..<int(0...3)).map { _ in action() } }

    public mutating func policy() -> DunningPolicy {
        var policy = DunningPolicy(id: id(), name: text())
        if bool() { policy.version = int(0...2_147_483_647) }
        if bool() { policy.timezone = pick(["UTC", "America/Chicago", "Europe/Berlin", "Etc/GMT+5", "Asia/Kolkata"]) }
        policy.retries = schedule()
        for _ in 0..<int(0...3) { policy.plans[id()] = PlanOverride(autocharge: bool(), retries: bool() ? schedule() : nil) }
        if bool() {
            let opens = int(0...1438)
            var days = (0...6).filter { _ in bool() }
            if days.isEmpty { days = [3] }
            policy.sendWindow = MessageWindow(opens: opens, closes: int((opens + 1)...1440), weekdays: days)
        }
        policy.declines.unknown = pick([.soft, .hard, .updateRequired])
        for _ in 0..<int(0...3) { policy.declines.codes[pick(["do_not_honor", "x_1", "card.declined", "a-b"])] = pick([.soft, .hard, .updateRequired]) }
        for network in CardNetwork.allCases where bool() {
            policy.budgets.networks[network] = bool() ? nil : NetworkBudget(attempts: int(1...10_000), window: duration(minimum: 1))
        }
        policy.budgets.whenExceeded = bool() ? .defer : .skip
        policy.cardUpdate = CardUpdateRule(retryImmediately: bool(), resetSchedule: bool(), resetStage: bool())
        var stageIDs: Set<String> = []
        for _ in 0..<int(0...4) {
            let stageID = id()
            guard stageIDs.insert(stageID).inserted else { continue }
            policy.stages.append(DunningStage(id: stageID, name: text(), when: condition(depth: 0), actions: actions()))
        }
        var failed: Set<Int> = []
        for _ in 0..<int(0...3) {
            let attempt = int(1...100)
            guard failed.insert(attempt).inserted else { continue }
            policy.attempts.append(AttemptRule(attempt: attempt, actions: actions()))
        }
        policy.recovered = actions()
        let kind = pick(FinalAction.Kind.allCases)
        policy.final = FinalAction(kind, workflow: kind == .runWorkflow ? id() : nil, actions: actions())
        policy.maxInvoiceAgeMonths = bool() ? nil : int(0...1200)
        return policy
    }
}
