public import PurchaseActionsCore

// A policy's retry schedule as engine workflows (Docs/dunning.md, "The schedule on the engine"):
// each invoice in dunning is one enrollment of `dunning.<policy id>`, driven by the runtime's
// signals; the dunning process still decides when (gaps, send window, budgets, card lines,
// retry-after, age limit) and runs the actions.

extension DunningPolicy {
    /// The id of the policy's schedule workflow: `dunning.<policy id>` (`dunning.legacy-billing`).
    public var scheduleWorkflowID: String { "dunning." + id }

    /// The id of the workflow the schedule calls after each failed attempt to branch on the
    /// decline's class, with the standard decline table: ``declineWorkflowID(table:)``.
    public var declineWorkflowID: String { declineWorkflowID(table: .standard) }

    /// The id of the decline workflow: `dunning.<policy id>.decline-<16 hex digits of a 64-bit
    /// FNV-1a of its content>`. A changed decline workflow is a new workflow, so an invoice's
    /// schedule keeps calling the one it was published with (a call takes the callee's current
    /// version), as the dunning process keeps classing its declines with the policy version it
    /// started under.
    public func declineWorkflowID(table: DeclineTable) -> String { ScheduleWorkflows.decline(of: self, table: table).id }

    /// The two workflows the policy's schedule runs as on the engine, the schedule
    /// (``scheduleWorkflowID``) first, then the decline branches (``declineWorkflowID``).
    ///
    /// The schedule has no trigger (the runtime starts one enrollment per invoice in dunning);
    /// for each attempt k from 2 to N (the most attempts any of the policy's schedules makes, the
    /// plans' included, at most 100) the steps `attempt-<k>-due` (wait for `dunning.attempt_due`),
    /// `attempt-<k>` (`retry-charge`), `attempt-<k>-outcome` (wait for
    /// `payment.autocharge_failed`) and `attempt-<k>-decline` (call the decline workflow); then
    /// `final-due`, `final` (exit) and the goal `recovered` (`payment.autocharge_recovered`).
    /// It starts with `attempt-1-decline` (the first failure through the decline workflow). Every
    /// wait's timeout is ``scheduleTimeoutDays`` days. At most 1 + 4 × 99 + 3 = 400 steps.
    ///
    /// The decline workflow's one `if` step, `decline-class`, has a branch per class (`hard`,
    /// `update-required`, `retry-after`, `soft`; a class nothing maps to has none) whose
    /// conditions on `payment.declineCode` and `payment.adviceCode` pick the class
    /// `table.classify(code:adviceCode:settings:)` gives with the policy's `declines` for the
    /// code ``declineCodeField(_:)`` makes (a missing or empty field reads as the code `""`);
    /// `otherwise` is the `declines.unknown` class's. `hard` and `update-required` wait for
    /// `payment_method.updated` (step `<class>-wait-for-card`, `unknown-wait-for-card` in
    /// `otherwise`); `retry-after` and `soft` return to the schedule at once.
    ///
    /// The same policy and table give the same workflows, value for value. Exact for the codes of
    /// a policy as its reader accepts them (`a-z 0-9 _ - .`) and a table whose keys have no upper
    /// case letter (``DeclineTable/standard``).
    public func scheduleWorkflows(table: DeclineTable = .standard) -> [Workflow] {
        let decline = ScheduleWorkflows.decline(of: self, table: table)
        return [ScheduleWorkflows.schedule(of: self, declineID: decline.id), decline]
    }

    /// The most attempts any schedule of the policy makes (its own and each plan's), the first
    /// failure included: the N of ``scheduleWorkflows(table:)``, from 1 to
    /// `DunningLimits.standard.maxAttempts` (100).
    public var scheduleWorkflowAttempts: Int {
        var most = retries.totalAttempts
        for override in plans.values {
            if let schedule = override.retries { most = max(most, schedule.totalAttempts) }
        }
        return min(max(1, most), DunningLimits.standard.maxAttempts)
    }

    /// The timeout, in days, of every wait of the compiled workflows: `maxInvoiceAgeMonths` × 31
    /// (at least 1, at most `WorkflowLimits.days`, 36,500), or 3,650 when the policy has no age
    /// limit. The runtime signals or ends an enrollment long before; a wait that times out goes
    /// on to its next step.
    public var scheduleTimeoutDays: Int {
        guard let months = maxInvoiceAgeMonths else { return 3650 }
        let (days, overflow) = months.multipliedReportingOverflow(by: 31)
        if overflow { return months < 0 ? 1 : WorkflowLimits.days }
        return min(max(1, days), WorkflowLimits.days)
    }

    /// A decline code as the decline workflow's `payment.declineCode` should hold it, so that
    /// its branches pick the class the process gives the decline: the code the process reads
    /// (`unknown` when the failure has none, as the process reads it) with each U+212A KELVIN SIGN
    /// replaced by U+FFFD. (Conditions compare text in Unicode lower case, where the Kelvin sign is
    /// `k`; ``DeclineTable/classify(code:adviceCode:settings:)`` lowers ASCII letters only, where it
    /// stays itself and matches no code. It is the one character on which they differ.)
    public static func declineCodeField(_ code: String?) -> String {
        guard let code else { return "unknown" }
        guard code.unicodeScalars.contains(ScheduleWorkflows.kelvin) else { return code }
        return String(String.UnicodeScalarView(code.unicodeScalars.map { $0 == ScheduleWorkflows.kelvin ? "\u{FFFD}" : $0 }))
    }
}

/// How a policy's schedule becomes its two workflows.
enum ScheduleWorkflows {
    static let kelvin: Unicode.Scalar = "\u{212A}"
    /// `dunning.attempt_due`, the internal event the runtime signals when an attempt is due.
    static let attemptDue = EventType.dunningAttemptDue
    static let codeField = "payment.declineCode"
    static let adviceField = "payment.adviceCode"
    /// The classes in the order of the decline workflow's branches.
    static let classOrder: [DeclineClass] = [.hard, .updateRequired, .retryAfter, .soft]

    static func schedule(of policy: DunningPolicy, declineID: String) -> Workflow {
        let timeout = Delay(days: policy.scheduleTimeoutDays)
        func wait(_ id: String, _ event: EventType) -> Step {
            Step(id: id, .wait(.untilEvent(event, filters: [], timeout: timeout, onTimeout: [])))
        }
        let attempts = policy.scheduleWorkflowAttempts
        var steps: [Step] = []
        steps.reserveCapacity(4 * (attempts - 1) + 4)
        // The first failure (the enrollment's event) is classed too: a hard first decline waits
        // for a card before attempt 2.
        steps.append(Step(id: "attempt-1-decline", .call(workflowID: declineID)))
        if attempts >= 2 {
            for attempt in 2...attempts {
                steps.append(wait("attempt-\(attempt)-due", attemptDue))
                steps.append(Step(id: "attempt-\(attempt)", .action(.retryCharge)))
                steps.append(wait("attempt-\(attempt)-outcome", .autochargeFailed))
                steps.append(Step(id: "attempt-\(attempt)-decline", .call(workflowID: declineID)))
            }
        }
        steps.append(wait("final-due", attemptDue))
        steps.append(Step(id: "final", .exit))
        steps.append(Step(id: "recovered", .goal(Goal(name: "payment recovered", event: .autochargeRecovered))))
        return Workflow(
            id: policy.scheduleWorkflowID, name: "Dunning: " + policy.name,
            description: "Compiled from the dunning policy '\(policy.id)' at publish: each invoice in dunning is one enrollment, which the worker signals as its attempts come due and their outcomes come in (Docs/dunning.md, \"The schedule on the engine\"). Do not edit it: publishing the policy compiles it again.",
            version: 1, status: .published, priority: ActionWorkflows.priority, triggers: [], steps: steps, settings: settings(policy))
    }

    static func decline(of policy: DunningPolicy, table: DeclineTable) -> Workflow {
        let timeout = Delay(days: policy.scheduleTimeoutDays)
        func steps(_ declineClass: DeclineClass, prefix: String) -> [Step] {
            switch declineClass {
            case .hard, .updateRequired:
                [Step(id: "\(prefix)-wait-for-card", .wait(.untilEvent(.paymentMethodUpdated, filters: [], timeout: timeout, onTimeout: [])))]
            case .retryAfter, .soft:
                []
            }
        }
        let conditions = DeclineConditions(settings: policy.declines, table: table)
        var branches: [Branch] = []
        for declineClass in classOrder {
            guard let when = conditions.condition(of: declineClass) else { continue }
            branches.append(Branch(name: declineClass.rawValue, when: when, steps: steps(declineClass, prefix: declineClass.rawValue)))
        }
        let otherwise = steps(policy.declines.unknown, prefix: "unknown")
        var workflow = Workflow(
            id: policy.scheduleWorkflowID + ".decline", name: "Dunning: \(policy.name): decline class",
            description: "Compiled from the dunning policy '\(policy.id)' at publish: the schedule calls it after each failed attempt; its branches class the decline as the policy does (Docs/dunning.md, \"Declines\"), a hard or update-required decline waiting for a card update. Do not edit it: publishing the policy compiles it again.",
            version: 1, status: .published, priority: ActionWorkflows.priority, triggers: [],
            steps: [Step(id: "decline-class", .branch(branches, otherwise: otherwise))], settings: settings(policy))
        workflow.id += "-" + EngineWorkflowText.digest(workflow.json.compactText)
        return workflow
    }

    /// The action workflows' settings: re-entry allowed (an invoice's enrollment and the next
    /// invoice's), the policy's timezone, else UTC.
    static func settings(_ policy: DunningPolicy) -> WorkflowSettings {
        var settings = WorkflowSettings(
            allowReentry: true, onePerOrder: false, stopOnResponse: false, timezone: .account, accountTimezone: policy.timezone ?? "UTC")
        if (try? WorkflowSettings(json: settings.json)) == nil { settings.accountTimezone = "UTC" }
        return settings
    }
}

/// The conditions of the decline workflow's branches: `classify`'s precedence (the policy's codes,
/// then the advice code's row, then the code's row) written as `in` / `not-in` tests.
struct DeclineConditions {
    /// The policy's codes by class, and all of them, sorted by UTF-8 bytes.
    var policyCodes: [DeclineClass: [String]] = [:]
    var allPolicyCodes: [String] = []
    /// The table's advice keys and code keys by class (the row `classify` reads for each key, in
    /// table order), all advice keys, and the code keys no policy code shadows.
    var adviceCodes: [DeclineClass: [String]] = [:]
    var allAdviceCodes: [String] = []
    var tableCodes: [DeclineClass: [String]] = [:]

    init(settings: DeclineSettings, table: DeclineTable) {
        // classify looks codes up in ASCII lower case: a key with an ASCII capital (only a policy or
        // table built in code can hold one) never matches, so no condition names it.
        func matchable(_ code: String) -> Bool { DeclineTable.lowercased(code) == code }
        for (code, declineClass) in settings.codes.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) where matchable(code) {
            allPolicyCodes.append(code)
            policyCodes[declineClass, default: []].append(code)
        }
        let shadowed = Set(allPolicyCodes)
        // The row classify reads for each key: its first (a key listed twice keeps its first row).
        var seen: Set<DeclineTable.Key> = []
        for row in table.rows where seen.insert(row.key).inserted {
            switch row.key {
            case .advice(let advice):
                adviceCodes[row.declineClass, default: []].append(advice)
                allAdviceCodes.append(advice)
            case .code(let code):
                guard !shadowed.contains(code), matchable(code) else { continue }
                tableCodes[row.declineClass, default: []].append(code)
            }
        }
    }

    /// The branch condition of a class, `nil` when nothing maps to it:
    /// `any` of the code in the policy's codes of the class; the code in none of the policy's codes
    /// and the advice code in the table's of the class; the code in none of the policy's, the
    /// advice code in none of the table's, and the code in the table's of the class.
    func condition(of declineClass: DeclineClass) -> Condition? {
        let notPolicy = allPolicyCodes.isEmpty ? nil : Condition.field(ScheduleWorkflows.codeField, .notIn, .list(allPolicyCodes))
        var parts: [Condition] = []
        if let codes = policyCodes[declineClass] {
            parts.append(.field(ScheduleWorkflows.codeField, .in, .list(codes)))
        }
        if let advice = adviceCodes[declineClass] {
            parts.append(Self.all([notPolicy, .field(ScheduleWorkflows.adviceField, .in, .list(advice))]))
        }
        if let codes = tableCodes[declineClass] {
            let notAdvice = allAdviceCodes.isEmpty ? nil : Condition.field(ScheduleWorkflows.adviceField, .notIn, .list(allAdviceCodes))
            parts.append(Self.all([notPolicy, notAdvice, .field(ScheduleWorkflows.codeField, .in, .list(codes))]))
        }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return Condition(.any(parts))
        }
    }

    /// `all` of the conditions given, or the one alone.
    static func all(_ conditions: [Condition?]) -> Condition {
        let present = conditions.compactMap { $0 }
        return present.count == 1 ? present[0] : Condition(.all(present))
    }
}

extension DunningPolicy {
    /// The code a decline code no policy or table key can match stands in as: `~` is in no key
    /// (keys are `a-z 0-9 _ - .`), so the decline workflow classes it as `classify` classes any
    /// unmatched code.
    static let unlistedCode = "~unlisted"

    /// The decline code and advice code a signal to the decline workflow carries, as the events
    /// format takes them (a code of 1 to 64 printable ASCII characters with no space, an advice
    /// code of two digits): the gateway's own when they fit (``declineCodeField(_:)``); otherwise
    /// stand-ins the workflow's conditions class as `table.classify` classes the real ones, so
    /// the enrollment branches as the process decides and still reads back. A gateway may answer
    /// `"Do Not Honor"` or a 200-character code (Docs/payment-gateway.md); the timeline keeps the
    /// real one.
    public func signalDecline(code: String, adviceCode: String?, table: DeclineTable = .standard) -> (code: String, adviceCode: String?) {
        func fitsCode(_ text: String) -> Bool {
            (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        }
        func fitsAdvice(_ text: String) -> Bool {
            text.utf8.count == 2 && text.utf8.allSatisfy { (48...57).contains($0) } && text != "00"
        }
        let field = Self.declineCodeField(code)
        if fitsCode(field), adviceCode.map(fitsAdvice) ?? true { return (field, adviceCode) }
        let target = table.classify(code: code, adviceCode: adviceCode, settings: declines).declineClass
        func classed(_ candidate: String, _ advice: String?) -> Bool {
            table.classify(code: candidate, adviceCode: advice, settings: declines).declineClass == target
        }
        let advice = adviceCode.flatMap { fitsAdvice($0) ? $0 : nil }
        if fitsCode(field), classed(field, nil) { return (field, nil) }
        if classed(Self.unlistedCode, advice) { return (Self.unlistedCode, advice) }
        if classed(Self.unlistedCode, nil) { return (Self.unlistedCode, nil) }
        // A class only a listed code or advice code gives: the first such key, in a fixed order.
        for key in declines.codes.keys.sorted() where fitsCode(key) && classed(key, nil) { return (key, nil) }
        for row in table.rows {
            switch row.key {
            case .code(let key) where fitsCode(key) && classed(key, nil): return (key, nil)
            case .advice(let key) where fitsAdvice(key) && classed(Self.unlistedCode, key): return (Self.unlistedCode, key)
            default: continue
            }
        }
        return (Self.unlistedCode, nil)
    }
}
