import DunningTesting
import PropertyBased
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// A policy's schedule compiled to the engine's workflows (Docs/dunning.md, "The schedule on the
/// engine"): the fixed step ids, the number of attempts, the timeouts, and the decline branches,
/// which pick the class `DeclineTable.classify` gives (a property test over random codes).
@Suite struct ScheduleWorkflowTests {
    typealias Random = DunningBudgetPropertyTests.Random

    static func policy(_ retries: RetrySchedule = .gaps([.days(2), .days(2)]), plans: [String: PlanOverride] = [:], months: Int? = 12) -> DunningPolicy {
        DunningPolicy(id: "billing", name: "Billing", retries: retries, plans: plans, maxInvoiceAgeMonths: months)
    }

    /// The kind of a step in a word, with its event or workflow: `wait dunning.attempt_due 372d`.
    static func describe(_ step: Step) -> String {
        switch step.kind {
        case .action(let action): "action \(action.typeName)"
        case .wait(.untilEvent(let event, let filters, let timeout, let onTimeout)):
            "wait \(event.rawValue) \(timeout.days)d\(timeout.hours == 0 && timeout.minutes == 0 ? "" : "+")\(filters.isEmpty && onTimeout.isEmpty ? "" : " !")"
        case .wait: "wait (other)"
        case .call(let id): "call \(id)"
        case .exit: "exit"
        case .goal(let goal): "goal \(goal.name): \(goal.event.rawValue)\(goal.filters.isEmpty ? "" : " !")"
        case .branch: "if"
        case .enroll, .unenroll: "enroll/unenroll"
        }
    }

    // MARK: - The schedule workflow

    /// FNV-1a 64 of the text's UTF-8, as 16 lowercase hex digits (written here apart from the
    /// compiler's, to check the decline workflow's id against).
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether the id is `dunning.<policy id>.decline-` and 16 lowercase hex digits.
    static func isDeclineID(_ id: String, of policyID: String) -> Bool {
        let prefix = "dunning.\(policyID).decline-"
        guard id.hasPrefix(prefix) else { return false }
        let digest = id.utf8.dropFirst(prefix.utf8.count)
        return digest.count == 16 && digest.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    @Test("the legacy default schedule (3 attempts, 12 months) compiles to the first failure's decline, attempts 2 and 3, the end and the goal, with fixed ids")
    func goldenSchedule() {
        let policy = Self.policy()
        let workflows = policy.scheduleWorkflows()
        #expect(workflows.count == 2)
        #expect(workflows.first?.id == "dunning.billing")
        #expect(policy.scheduleWorkflowID == "dunning.billing")
        let declineID = policy.declineWorkflowID
        #expect(Self.isDeclineID(declineID, of: "billing"), "\(declineID)")
        #expect(workflows.last?.id == declineID)
        #expect(policy.declineWorkflowID(table: .standard) == declineID)
        let schedule = workflows[0]
        #expect(schedule.name == "Dunning: Billing")
        #expect(schedule.triggers.isEmpty)
        #expect(schedule.status == .published)
        #expect(schedule.version == 1)
        #expect(schedule.settings.allowReentry)
        #expect(schedule.settings.accountTimezone == "UTC")
        #expect(schedule.description?.contains("Do not edit") == true)
        let steps = schedule.steps.map { "\($0.id): \(Self.describe($0))" }
        #expect(
            steps == [
                "attempt-1-decline: call \(declineID)",
                "attempt-2-due: wait dunning.attempt_due 372d",
                "attempt-2: action retry-charge",
                "attempt-2-outcome: wait payment.autocharge_failed 372d",
                "attempt-2-decline: call \(declineID)",
                "attempt-3-due: wait dunning.attempt_due 372d",
                "attempt-3: action retry-charge",
                "attempt-3-outcome: wait payment.autocharge_failed 372d",
                "attempt-3-decline: call \(declineID)",
                "final-due: wait dunning.attempt_due 372d",
                "final: exit",
                "recovered: goal payment recovered: payment.autocharge_recovered",
            ])
        #expect(policy.scheduleWorkflowAttempts == 3)
    }

    @Test("the decline workflow of the default policy: one if step, a branch per class in order, a card wait for hard and update-required")
    func goldenDecline() throws {
        let decline = Self.policy().scheduleWorkflows()[1]
        #expect(decline.name == "Dunning: Billing: decline class")
        // Its id carries the FNV-1a of its content, the content's id being `dunning.billing.decline`.
        var undigested = decline
        undigested.id = "dunning.billing.decline"
        #expect(decline.id == "dunning.billing.decline-" + Self.fnv1a(undigested.json.compactText))
        #expect(decline.triggers.isEmpty)
        #expect(decline.status == .published)
        #expect(decline.steps.count == 1)
        let step = try #require(decline.steps.first)
        #expect(step.id == "decline-class")
        guard case .branch(let branches, let otherwise) = step.kind else {
            Issue.record("decline-class is not an if step")
            return
        }
        #expect(branches.map(\.name) == ["hard", "update-required", "retry-after", "soft"])
        #expect(branches.map { $0.steps.map { "\($0.id): \(Self.describe($0))" } } == [
            ["hard-wait-for-card: wait payment_method.updated 372d"],
            ["update-required-wait-for-card: wait payment_method.updated 372d"],
            [], [],
        ])
        // declines.unknown is soft by default: nothing to wait for.
        #expect(otherwise.isEmpty)
    }

    @Test("an unknown class of hard waits for a card in otherwise, under its own step id (step ids are unique in a workflow)")
    func unknownHard() throws {
        var policy = Self.policy()
        policy.declines = DeclineSettings(unknown: .hard, codes: ["card_declined": .updateRequired])
        let decline = policy.scheduleWorkflows()[1]
        guard case .branch(let branches, let otherwise) = decline.steps[0].kind else {
            Issue.record("not an if step")
            return
        }
        #expect(otherwise.map(\.id) == ["unknown-wait-for-card"])
        var ids = otherwise.map(\.id)
        for branch in branches { ids += branch.steps.map(\.id) }
        #expect(Set(ids).count == ids.count)
    }

    @Test("N is the most attempts of any schedule: the policy's or a plan's (gaps and attempts within a window)")
    func attemptsFromPlans() {
        let policy = Self.policy(
            .gaps([.days(1)]),
            plans: [
                "plan-a": PlanOverride(retries: .gaps([.days(1), .days(3), .days(5), .hours(12), .days(1)])),
                "plan-b": PlanOverride(retries: .within(attempts: 9, window: .days(14))),
                "plan-c": PlanOverride(autocharge: true, retries: nil),
            ])
        #expect(policy.scheduleWorkflowAttempts == 9)
        let schedule = policy.scheduleWorkflows()[0]
        #expect(schedule.steps.count == 1 + 4 * 8 + 3)
        #expect(schedule.steps.map(\.id).prefix(2) == ["attempt-1-decline", "attempt-2-due"])
        #expect(schedule.steps.dropLast(3).last?.id == "attempt-9-decline")
        #expect(!schedule.steps.contains { $0.id == "attempt-10-due" })

        let within = Self.policy(.within(attempts: 8, window: .days(14)))
        #expect(within.scheduleWorkflowAttempts == 8)
        #expect(within.scheduleWorkflows()[0].steps.map(\.id).contains("attempt-8-outcome"))

        // A plan's shorter schedule does not lower N.
        let shorter = Self.policy(.within(attempts: 6, window: .days(14)), plans: ["p": PlanOverride(retries: RetrySchedule.none)])
        #expect(shorter.scheduleWorkflowAttempts == 6)
    }

    @Test("no retries anywhere: only the first failure's decline, final-due, final and the goal")
    func noRetries() {
        let policy = Self.policy(RetrySchedule.none)
        #expect(policy.scheduleWorkflowAttempts == 1)
        #expect(policy.scheduleWorkflows()[0].steps.map(\.id) == ["attempt-1-decline", "final-due", "final", "recovered"])
    }

    @Test("100 attempts (the policy limit) make 400 steps (1 + 4 × 99 + 3), within the 2,000 a workflow may hold; a schedule built in code past it is cut at 100")
    func hundredAttempts() {
        let policy = Self.policy(.gaps(Array(repeating: .hours(6), count: 99)))
        let schedule = policy.scheduleWorkflows()[0]
        #expect(schedule.steps.count == 400)
        #expect(schedule.steps.count <= WorkflowLimits.steps)
        #expect(schedule.steps.map(\.id).contains("attempt-100-decline"))
        let tooMany = Self.policy(.within(attempts: 5000, window: .days(100)))
        #expect(tooMany.scheduleWorkflowAttempts == 100)
        #expect(tooMany.scheduleWorkflows()[0].steps.count == 400)
        let zero = Self.policy(.within(attempts: 0, window: .days(1)))
        #expect(zero.scheduleWorkflowAttempts == 1)
    }

    @Test("the waits' timeout: months × 31 days; no age limit 3,650 days; at least 1 day, at most 36,500")
    func timeouts() {
        #expect(Self.policy(months: 12).scheduleTimeoutDays == 372)
        #expect(Self.policy(months: nil).scheduleTimeoutDays == 3650)
        #expect(Self.policy(months: 1).scheduleTimeoutDays == 31)
        #expect(Self.policy(months: 0).scheduleTimeoutDays == 1)
        #expect(Self.policy(months: -5).scheduleTimeoutDays == 1)
        #expect(Self.policy(months: 1177).scheduleTimeoutDays == 36_487)
        #expect(Self.policy(months: 1178).scheduleTimeoutDays == WorkflowLimits.days)
        #expect(Self.policy(months: 1200).scheduleTimeoutDays == WorkflowLimits.days)
        #expect(Self.policy(months: Int.max).scheduleTimeoutDays == WorkflowLimits.days)
        #expect(Self.policy(months: Int.min).scheduleTimeoutDays == 1)
        let workflows = Self.policy(months: nil).scheduleWorkflows()
        for workflow in workflows {
            for step in Self.allSteps(workflow.steps) {
                if case .wait(.untilEvent(_, _, let timeout, _)) = step.kind { #expect(timeout == Delay(days: 3650), "\(step.id)") }
            }
        }
    }

    @Test("the policy's timezone is the workflows' account timezone; one the format refuses becomes UTC")
    func timezone() {
        var policy = Self.policy()
        policy.timezone = "America/Chicago"
        #expect(policy.scheduleWorkflows().allSatisfy { $0.settings.accountTimezone == "America/Chicago" })
        policy.timezone = "not a zone\n"
        #expect(policy.scheduleWorkflows().allSatisfy { $0.settings.accountTimezone == "UTC" })
    }

    @Test("the decline workflow's id changes with what it holds (declines, the age limit's timeout, the name) and not with the retry gaps")
    func declineIDFollowsContent() {
        let base = Self.policy()
        let id = base.declineWorkflowID
        // The gaps (and a plan's) change the schedule only: the decline workflow keeps its id, so
        // a publish leaves it unchanged.
        var gaps = base
        gaps.retries = .gaps([.days(1), .days(3), .days(5)])
        gaps.plans = ["plan-a": PlanOverride(retries: .gaps([.hours(12)]))]
        #expect(gaps.declineWorkflowID == id)
        #expect(gaps.scheduleWorkflows()[1] == base.scheduleWorkflows()[1])
        #expect(gaps.scheduleWorkflows()[0] != base.scheduleWorkflows()[0])
        var changed: [(String, DunningPolicy)] = []
        var codes = base
        codes.declines = DeclineSettings(unknown: .soft, codes: ["do_not_honor": .hard])
        changed.append(("a code", codes))
        var otherClass = codes
        otherClass.declines.codes["do_not_honor"] = .updateRequired
        changed.append(("a code's class", otherClass))
        var unknown = base
        unknown.declines.unknown = .hard
        changed.append(("unknown", unknown))
        var months = base
        months.maxInvoiceAgeMonths = 6
        changed.append(("the age limit", months))
        var name = base
        name.name = "Billing 2"
        changed.append(("the name", name))
        var ids: Set<String> = [id]
        for (what, policy) in changed {
            let other = policy.declineWorkflowID
            #expect(other != id, "\(what)")
            #expect(Self.isDeclineID(other, of: "billing"), "\(what): \(other)")
            #expect(policy.scheduleWorkflows()[0].steps.first?.kind == .call(workflowID: other), "\(what): the schedule calls its own")
            ids.insert(other)
        }
        #expect(ids.count == changed.count + 1)
        // Another decline table is another workflow too.
        let table = DeclineTable(rows: [DeclineTable.Row(.code("x"), .hard, source: "test")])
        #expect(base.declineWorkflowID(table: table) != id)
        #expect(base.scheduleWorkflows(table: table)[0].steps.first?.kind == .call(workflowID: base.declineWorkflowID(table: table)))
    }

    @Test("the same policy gives the same workflows, byte for byte, whatever order its codes and plans were given in")
    func deterministic() {
        var codes: [String: DeclineClass] = [:]
        var reversed: [String: DeclineClass] = [:]
        let names = (0..<200).map { "code_\($0)" }
        for (index, name) in names.enumerated() { codes[name] = index % 3 == 0 ? .hard : index % 3 == 1 ? .soft : .updateRequired }
        for name in names.reversed() { reversed[name] = codes[name] }
        var first = Self.policy(plans: Dictionary(uniqueKeysWithValues: (0..<50).map { ("p\($0)", PlanOverride(retries: .gaps(Array(repeating: .days(1), count: $0 % 7)))) }))
        first.declines = DeclineSettings(unknown: .hard, codes: codes)
        var second = first
        second.declines = DeclineSettings(unknown: .hard, codes: reversed)
        second.plans = Dictionary(uniqueKeysWithValues: first.plans.reversed().map { ($0.key, $0.value) })
        let one = first.scheduleWorkflows().map { $0.json.compactText }
        let two = second.scheduleWorkflows().map { $0.json.compactText }
        #expect(one == two)
        #expect(one == first.scheduleWorkflows().map { $0.json.compactText })
    }

    @Test("every id is a workflow id and every step id unique; no value list is empty")
    func wellFormed() {
        var random = RandomPolicy(seed: 11)
        for _ in 0..<200 {
            let policy = random.policy()
            for workflow in policy.scheduleWorkflows() {
                #expect(Workflow.isValidID(workflow.id))
                let ids = Self.allSteps(workflow.steps).map(\.id)
                #expect(Set(ids).count == ids.count)
                #expect(ids.count <= WorkflowLimits.steps)
                for step in Self.allSteps(workflow.steps) {
                    guard case .branch(let branches, _) = step.kind else { continue }
                    for branch in branches { #expect(Self.lists(branch.when).allSatisfy { !$0.isEmpty }) }
                }
            }
        }
    }

    // MARK: - The decline branches pick classify's class

    /// The class the decline workflow's branches pick for the fields `lookup` gives, and how many
    /// branches hold (at most one: the classes do not overlap, so their order does not matter).
    static func pick(_ decline: Workflow, unknown: DeclineClass, _ lookup: (String) -> FieldValue?) -> (DeclineClass, holding: Int) {
        guard case .branch(let branches, _) = decline.steps[0].kind else { return (unknown, -1) }
        let holding = branches.filter { $0.when.holds(lookup) }
        guard let first = holding.first else { return (unknown, 0) }
        return (DeclineClass(rawValue: first.name) ?? unknown, holding.count)
    }

    /// The fields of a `payment.autocharge_failed` event with this code and advice code, as the
    /// engine's conditions read them (`payment.adviceCode` read from the payment until the event
    /// fields name it).
    static func lookup(code: String?, advice: String?) -> (String) -> FieldValue? {
        var event = Event(id: "e-1", type: .autochargeFailed, occurredAt: Instant(millisecondsSinceEpoch: 1_767_225_600_000), contact: ContactReference(id: "c-1"))
        event.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: code, invoice: "inv-1", adviceCode: advice)
        let context = FieldContext()
        return { name in
            if let value = event.field(name, in: context) { return value }
            return name == "payment.adviceCode" ? event.payment?.adviceCode.map(FieldValue.text) : nil
        }
    }

    /// Characters that fold differently, or are equal to ASCII ones in Swift's comparison.
    static let specials: [String] = [
        "\u{212A}", "\u{0130}", "\u{0131}", "ß", "ẞ", "Σ", "ς", "\u{037E}", "\u{1FEF}", "É", "é", "e\u{0301}", "ｋ", "Ｋ", "\u{0301}", "🙂", "\u{FFFD}",
        "\u{017F}", "ﬀ", "Å", "\u{212B}",
    ]
    static let tableCodes: [String] = DeclineTable.standard.rows.compactMap { if case .code(let code) = $0.key { code } else { nil } }
    static let tableAdvice: [String] = DeclineTable.standard.rows.compactMap { if case .advice(let code) = $0.key { code } else { nil } }
    static let codeCharacters = Array("abcdefghijklmnopqrstuvwxyz0123456789_-.")

    /// A code: a table code, a policy code or a random one, often with mixed case or a special
    /// character put in.
    static func code(_ random: inout Random, policyCodes: [String]) -> String? {
        var code: String
        switch random.int(0...9) {
        case 0: return nil
        case 1: code = ""
        case 2, 3: code = random.pick(tableCodes)
        case 4, 5: code = policyCodes.isEmpty ? random.pick(tableCodes) : random.pick(policyCodes)
        case 6: code = String((0..<random.int(1...10)).map { _ in Character(Unicode.Scalar(UInt8(random.int(0x21...0x7E)))) })
        case 7: code = "unknown"
        default: code = String((0..<random.int(1...6)).map { _ in random.pick(codeCharacters) })
        }
        if random.int(0...2) == 0 {
            code = String(code.map { random.int(0...1) == 0 ? Character($0.uppercased()) : $0 })
        }
        if random.int(0...3) == 0 {
            var characters = Array(code)
            let special = Character(random.pick(specials))
            if !characters.isEmpty, random.int(0...1) == 0 {
                characters[random.int(0...characters.count - 1)] = special
            } else {
                characters.insert(special, at: random.int(0...characters.count))
            }
            code = String(characters)
        }
        if random.int(0...5) == 0 {
            // A code with a "k" spelt as the Kelvin sign (U+212A), which Unicode lower-cases to "k".
            code = String(code.map { $0 == "k" || $0 == "K" ? Character("\u{212A}") : $0 })
        }
        return code
    }

    static func advice(_ random: inout Random) -> String? {
        switch random.int(0...7) {
        case 0, 1: return nil
        case 2: return ""
        case 3, 4: return random.pick(tableAdvice)
        case 5: return String(format2: random.int(0...99))
        case 6: return random.pick(tableAdvice) + random.pick(specials)
        default: return String((0..<random.int(1...3)).map { _ in Character(Unicode.Scalar(UInt8(random.int(0x21...0x7E)))) })
        }
    }

    /// A policy with random decline settings: codes from the table (shadowing its rows), with a
    /// `k`, `unknown`, and random ones; any unknown class.
    static func declinePolicy(_ random: inout Random) -> DunningPolicy {
        var codes: [String: DeclineClass] = [:]
        let classes: [DeclineClass] = [.hard, .soft, .updateRequired]
        for _ in 0..<random.int(0...12) {
            let code: String
            switch random.int(0...4) {
            case 0: code = random.pick(tableCodes)
            case 1: code = random.pick(["pickup_card", "kk", "k", "unknown", "card_declined", "blocked.k-1"])
            default: code = String((0..<random.int(1...6)).map { _ in random.pick(codeCharacters) })
            }
            codes[code] = random.pick(classes)
        }
        var policy = Self.policy()
        policy.declines = DeclineSettings(unknown: random.pick(classes + [.retryAfter]), codes: codes)
        return policy
    }

    @Test("the branches pick classify's class for every code and advice code (the process's code through declineCodeField)")
    func branchesMatchClassify() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var random = Random(state: UInt64(bitPattern: Int64(seed)))
            let policy = Self.declinePolicy(&random)
            let decline = policy.scheduleWorkflows()[1]
            let policyCodes = Array(policy.declines.codes.keys).sorted()
            for _ in 0..<60 {
                let code = Self.code(&random, policyCodes: policyCodes)
                let advice = Self.advice(&random)
                let expected = DeclineTable.standard.classify(code: code ?? "unknown", adviceCode: advice, settings: policy.declines)
                let (picked, holding) = Self.pick(decline, unknown: policy.declines.unknown, Self.lookup(code: DunningPolicy.declineCodeField(code), advice: advice))
                #expect(picked == expected.declineClass, "seed \(seed): code \(String(reflecting: code)) advice \(String(reflecting: advice)): \(expected.reason)")
                #expect(holding <= 1, "seed \(seed): \(holding) branches hold")
            }
        }
    }

    @Test("without the Kelvin sign, the event's own code needs no mapping: a missing or empty code reads as the code \"\"")
    func branchesMatchClassifyOnTheRawCode() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var random = Random(state: UInt64(bitPattern: Int64(seed)))
            let policy = Self.declinePolicy(&random)
            let decline = policy.scheduleWorkflows()[1]
            let policyCodes = Array(policy.declines.codes.keys).sorted()
            for _ in 0..<60 {
                let code = Self.code(&random, policyCodes: policyCodes)
                guard code?.unicodeScalars.contains("\u{212A}") != true else { continue }
                let advice = Self.advice(&random)
                let expected = DeclineTable.standard.classify(code: code ?? "", adviceCode: advice, settings: policy.declines)
                let (picked, _) = Self.pick(decline, unknown: policy.declines.unknown, Self.lookup(code: code, advice: advice))
                #expect(picked == expected.declineClass, "seed \(seed): code \(String(reflecting: code)) advice \(String(reflecting: advice))")
            }
        }
    }

    @Test("the Kelvin sign is the one character conditions fold to ASCII and classify does not (so declineCodeField replaces it)")
    func kelvinIsTheOneDifference() {
        // Every non-ASCII scalar whose Unicode lower case holds an ASCII letter alone.
        var folding: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let lower = String(Character(scalar)).lowercased()
            if !lower.isEmpty, lower.unicodeScalars.allSatisfy(\.isASCII) { folding.append(value) }
        }
        #expect(folding == [0x212A])
        // Unmapped, "pic\u{212A}up_card" is hard to the branches and unknown (soft) to classify.
        let policy = Self.policy()
        let decline = policy.scheduleWorkflows()[1]
        let raw = "PIC\u{212A}UP_CARD"
        #expect(DeclineTable.standard.classify(code: raw, adviceCode: nil, settings: policy.declines).declineClass == .soft)
        #expect(Self.pick(decline, unknown: .soft, Self.lookup(code: raw, advice: nil)).0 == .hard)
        #expect(Self.pick(decline, unknown: .soft, Self.lookup(code: DunningPolicy.declineCodeField(raw), advice: nil)).0 == .soft)
        #expect(DunningPolicy.declineCodeField(raw) == "PIC\u{FFFD}UP_CARD")
        #expect(DunningPolicy.declineCodeField(nil) == "unknown")
        #expect(DunningPolicy.declineCodeField("Do_Not_Honor") == "Do_Not_Honor")
    }

    @Test("the precedence: a policy code beats an advice code, an advice code beats the code's row; examples")
    func precedenceExamples() {
        var policy = Self.policy()
        policy.declines = DeclineSettings(unknown: .hard, codes: ["do_not_honor": .updateRequired, "insufficient_funds": .soft])
        let decline = policy.scheduleWorkflows()[1]
        let cases: [(String?, String?, DeclineClass)] = [
            ("do_not_honor", "25", .updateRequired), ("DO_NOT_HONOR", nil, .updateRequired), ("lost_card", "25", .retryAfter),
            ("lost_card", nil, .hard), ("Expired_Card", nil, .updateRequired), ("expired_card", "02", .soft), ("whatever", nil, .hard),
            ("whatever", "01", .updateRequired), (nil, "24", .retryAfter), ("insufficient_funds", "03", .soft), ("04", nil, .hard),
            ("R0", nil, .hard), ("processing_error", "99", .soft),
        ]
        for (code, advice, expected) in cases {
            #expect(DeclineTable.standard.classify(code: code ?? "unknown", adviceCode: advice, settings: policy.declines).declineClass == expected)
            #expect(Self.pick(decline, unknown: .hard, Self.lookup(code: DunningPolicy.declineCodeField(code), advice: advice)).0 == expected, "\(String(describing: code)) \(String(describing: advice))")
        }
    }

    @Test("a table whose key is listed twice: the branches follow its first row, as classify does")
    func duplicateTableKey() {
        let table = DeclineTable(rows: [
            DeclineTable.Row(.code("x"), .hard, source: "first"), DeclineTable.Row(.code("x"), .soft, source: "second"),
            DeclineTable.Row(.advice("07"), .updateRequired, source: "first"), DeclineTable.Row(.advice("07"), .soft, source: "second"),
        ])
        let policy = Self.policy()
        let decline = policy.scheduleWorkflows(table: table)[1]
        #expect(Self.pick(decline, unknown: .soft, Self.lookup(code: "X", advice: nil)).0 == table.classify(code: "X", adviceCode: nil, settings: policy.declines).declineClass)
        #expect(Self.pick(decline, unknown: .soft, Self.lookup(code: "y", advice: "07")).0 == .updateRequired)
        guard case .branch(let branches, _) = decline.steps[0].kind else { return }
        #expect(branches.map(\.name) == ["hard", "update-required"])
    }

    @Test("a key with an ASCII capital (built in code) never matches in classify, so no condition names it")
    func capitalKeys() {
        let table = DeclineTable(rows: [DeclineTable.Row(.code("R9"), .hard, source: "capital"), DeclineTable.Row(.code("r8"), .hard, source: "lower")])
        var policy = Self.policy()
        policy.declines = DeclineSettings(unknown: .soft, codes: ["Blocked": .hard])
        let decline = policy.scheduleWorkflows(table: table)[1]
        for code in ["r9", "R9", "blocked", "Blocked", "r8", "R8"] {
            let expected = table.classify(code: code, adviceCode: nil, settings: policy.declines).declineClass
            #expect(Self.pick(decline, unknown: .soft, Self.lookup(code: code, advice: nil)).0 == expected, "\(code)")
        }
        #expect(Self.pick(decline, unknown: .soft, Self.lookup(code: "R8", advice: nil)).0 == .hard)
    }

    // MARK: - A signal's decline code (signalDecline)

    /// Whether a code fits the events format: 1 to 64 printable ASCII characters, no space.
    static func fitsCode(_ code: String) -> Bool {
        (1...64).contains(code.utf8.count) && code.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Whether an advice code fits the events format: two digits, `01` to `99`.
    static func fitsAdvice(_ advice: String) -> Bool {
        advice.utf8.count == 2 && advice.utf8.allSatisfy { (48...57).contains($0) } && advice != "00"
    }

    /// A gateway's decline code the events format cannot hold: words with spaces in mixed case, a
    /// code with a non-ASCII character or a control character, 65 to 200 printable characters
    /// (often a table code in mixed case made long), or empty.
    static func unfitCode(_ random: inout Random, policyCodes: [String]) -> String {
        func mixed(_ text: String, _ random: inout Random) -> String {
            String(text.map { random.int(0...1) == 0 ? Character($0.uppercased()) : $0 })
        }
        let known = policyCodes.isEmpty ? tableCodes : tableCodes + policyCodes
        switch random.int(0...6) {
        case 0:
            let words = (0..<random.int(2...4)).map { _ in random.pick(["do", "not", "honor", "card", "Declined", "LOST", "insufficient_funds"]) }
            return mixed(words.joined(separator: " "), &random)
        case 1:
            let code = mixed(random.pick(known), &random)
            return random.pick([" " + code, code + " ", code.replacingSpaces(at: random.int(0...code.count))])
        case 2:
            var characters = Array(mixed(random.pick(known), &random))
            characters.insert(Character(random.pick(specials + ["é", "\u{00A0}", "\u{3000}", "ı"])), at: random.int(0...characters.count))
            return String(characters)
        case 3:
            return random.pick(["refusé", "Do Not Honor", "\u{212A}", "PIC\u{212A}UP_CARD", "lost_card\t", "lost\ncard", "\u{7F}", "carte refusée"])
        case 4:
            let length = random.int(65...200)
            return String((0..<length).map { _ in Character(Unicode.Scalar(UInt8(random.int(0x21...0x7E)))) })
        case 5:
            let code = mixed(random.pick(known), &random)
            var long = code
            while long.utf8.count < 65 { long += "_" + code }
            return String(long.prefix(random.int(65...200)))
        default:
            return ""
        }
    }

    /// An advice code as a gateway may send it: none, a table row's, any two digits, or one the
    /// events format refuses (`00`, one or three digits, letters, full-width digits, a space).
    static func gatewayAdvice(_ random: inout Random) -> String? {
        switch random.int(0...5) {
        case 0, 1: return nil
        case 2: return random.pick(tableAdvice)
        case 3: return String(format2: random.int(1...99))
        default: return random.pick(["00", "1", "100", "2a", "\u{FF12}\u{FF14}", "24 ", "", "-1", "0x"])
        }
    }

    /// `signalDecline`'s laws for one code and advice code: what it gives fits the events format,
    /// `classify` classes it as the original, and so do the decline workflow's branches; a code
    /// and advice code that fit come back as they were.
    static func checkSignalDecline(_ policy: DunningPolicy, decline: Workflow, code: String, advice: String?, seed: Int) {
        let (given, givenAdvice) = policy.signalDecline(code: code, adviceCode: advice)
        let what = "seed \(seed): code \(String(reflecting: code)) advice \(String(reflecting: advice)) → \(String(reflecting: given)) \(String(reflecting: givenAdvice))"
        #expect(fitsCode(given), "\(what)")
        #expect(givenAdvice.map(fitsAdvice) ?? true, "\(what)")
        let expected = DeclineTable.standard.classify(code: code, adviceCode: advice, settings: policy.declines).declineClass
        #expect(DeclineTable.standard.classify(code: given, adviceCode: givenAdvice, settings: policy.declines).declineClass == expected, "\(what)")
        #expect(pick(decline, unknown: policy.declines.unknown, lookup(code: given, advice: givenAdvice)).0 == expected, "\(what)")
        if fitsCode(code), advice.map(fitsAdvice) ?? true {
            #expect(given == DunningPolicy.declineCodeField(code) && given == code && givenAdvice == advice, "\(what)")
        }
    }

    /// The policies signalDecline is checked with: the default, one with codes and `unknown: hard`,
    /// and random ones.
    static func signalPolicy(_ random: inout Random) -> DunningPolicy {
        switch random.int(0...3) {
        case 0: return policy()
        case 1:
            var policy = policy()
            policy.declines = DeclineSettings(unknown: .hard, codes: ["do_not_honor": .updateRequired, "insufficient_funds": .soft, "lost_card": .soft, "card_declined": .retryAfter])
            return policy
        default: return declinePolicy(&random)
        }
    }

    @Test("signalDecline: a code the events format cannot hold (spaces, non-ASCII, 65-200 characters, mixed case) stands in as one that fits and is classed alike")
    func signalDeclineUnfitCodes() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var random = Random(state: UInt64(bitPattern: Int64(seed)))
            let policy = Self.signalPolicy(&random)
            let decline = policy.scheduleWorkflows()[1]
            let policyCodes = Array(policy.declines.codes.keys).sorted()
            for _ in 0..<40 {
                let code = Self.unfitCode(&random, policyCodes: policyCodes)
                #expect(!Self.fitsCode(code), "the generator made \(String(reflecting: code))")
                Self.checkSignalDecline(policy, decline: decline, code: code, advice: Self.gatewayAdvice(&random), seed: seed)
            }
        }
    }

    @Test("signalDecline: a code that fits comes back as it is (through declineCodeField), with its advice code when that fits")
    func signalDeclineFitCodes() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var random = Random(state: UInt64(bitPattern: Int64(seed)))
            let policy = Self.signalPolicy(&random)
            let decline = policy.scheduleWorkflows()[1]
            let policyCodes = Array(policy.declines.codes.keys).sorted()
            for _ in 0..<40 {
                var code = Self.code(&random, policyCodes: policyCodes) ?? "unknown"
                if !Self.fitsCode(code) {
                    code = String((0..<random.int(1...64)).map { _ in Character(Unicode.Scalar(UInt8(random.int(0x21...0x7E)))) })
                }
                Self.checkSignalDecline(policy, decline: decline, code: code, advice: Self.gatewayAdvice(&random), seed: seed)
            }
        }
    }

    @Test("signalDecline examples: a gateway's \"Do Not Honor\", \"refusé\", a 200-character code, bad advice codes, a class only a listed key gives")
    func signalDeclineExamples() {
        let standard = Self.policy()
        #expect(standard.signalDecline(code: "do_not_honor", adviceCode: "24") == ("do_not_honor", "24"))
        #expect(standard.signalDecline(code: "DO_NOT_HONOR", adviceCode: nil) == ("DO_NOT_HONOR", nil))
        #expect(standard.signalDecline(code: String(repeating: "x", count: 64), adviceCode: nil) == (String(repeating: "x", count: 64), nil))
        #expect(standard.signalDecline(code: "Do Not Honor", adviceCode: nil) == ("~unlisted", nil))
        #expect(standard.signalDecline(code: "refusé", adviceCode: "03") == ("~unlisted", "03"))
        #expect(standard.signalDecline(code: String(repeating: "a", count: 200), adviceCode: "24") == ("~unlisted", "24"))
        #expect(standard.signalDecline(code: String(repeating: "x", count: 65), adviceCode: nil) == ("~unlisted", nil))
        // An advice code the format refuses is dropped; the code alone gives the same class.
        #expect(standard.signalDecline(code: "lost_card", adviceCode: "00") == ("lost_card", nil))
        #expect(standard.signalDecline(code: "lost_card", adviceCode: "3") == ("lost_card", nil))
        #expect(standard.signalDecline(code: "Do Not Honor", adviceCode: "100") == ("~unlisted", nil))
        // A policy built in code may list a code with a space: the class it gives stands in as
        // the first key (policy's, then the table's rows) that gives it.
        var spaced = Self.policy()
        spaced.declines = DeclineSettings(unknown: .soft, codes: ["do not honor": .retryAfter, "card lost": .hard])
        #expect(DeclineTable.standard.classify(code: "Do Not Honor", adviceCode: nil, settings: spaced.declines).declineClass == .retryAfter)
        let retryAfter = spaced.signalDecline(code: "Do Not Honor", adviceCode: nil)
        #expect(retryAfter == ("~unlisted", "24"))
        let hard = spaced.signalDecline(code: "CARD LOST", adviceCode: nil)
        #expect(Self.fitsCode(hard.code))
        #expect(DeclineTable.standard.classify(code: hard.code, adviceCode: hard.adviceCode, settings: spaced.declines).declineClass == .hard)
    }

    // MARK: - Helpers

    /// Every step, those in branches and timeouts included.
    static func allSteps(_ steps: [Step]) -> [Step] {
        var all: [Step] = []
        for step in steps {
            all.append(step)
            switch step.kind {
            case .branch(let branches, let otherwise):
                for branch in branches { all += allSteps(branch.steps) }
                all += allSteps(otherwise)
            case .wait(.untilEvent(_, _, _, let onTimeout)), .wait(.untilCondition(_, _, let onTimeout)):
                all += allSteps(onTimeout)
            default: break
            }
        }
        return all
    }

    /// The value lists of a condition's `in` / `not-in` tests.
    static func lists(_ condition: Condition) -> [[String]] {
        switch condition.test {
        case .compare(_, _, .list(let values)?): [values]
        case .compare: []
        case .all(let parts), .any(let parts): parts.flatMap(lists)
        case .not(let part): lists(part)
        }
    }
}

extension String {
    /// The text with a space put in at `offset` (0 to its count).
    fileprivate func replacingSpaces(at offset: Int) -> String {
        var characters = Array(self)
        characters.insert(" ", at: Swift.min(offset, characters.count))
        return String(characters)
    }

    /// Two decimal digits: `"07"`.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
