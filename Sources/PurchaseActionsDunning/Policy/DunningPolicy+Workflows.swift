public import PurchaseActionsCore

// A policy's actions as engine workflows (Docs/dunning.md, "How actions run"). The worker runs the
// workflow of each timeline entry's action for the invoice's contact; publish publishes them all.

extension DunningAction {
    /// The id of the workflow that performs this action on the engine:
    /// `dunning-action-<16 hex digits of a 64-bit FNV-1a of the action's JSON>`.
    ///
    /// The digest is of the action's compact canonical JSON (``json``'s `compactText`, keys sorted),
    /// so the id depends on the action alone: equal actions in any policy, or in two versions of one,
    /// have one workflow, and an invoice on an older policy version finds the workflows of its own
    /// actions. `{"template":"dunning-reminder","type":"email"}` is
    /// `dunning-action-86eacacbbdc10745`.
    public var engineWorkflowID: String { "dunning-action-" + EngineWorkflowText.digest(json.compactText) }

    /// A workflow with no trigger that performs this action for the contact it runs for, built
    /// without templates and in UTC.
    ///
    /// An `email` needs its template's subject and bodies, which only
    /// ``engineWorkflow(timezone:templates:)`` has: here its step is a `legacy` action that
    /// records that the template was not given and sends nothing. Publish uses
    /// ``DunningPolicy/actionWorkflows(templates:)``.
    public var engineWorkflow: Workflow { ActionWorkflows.workflow(of: self, timezone: nil) }

    /// The workflow that performs this action, an `email` taking its sender, subject and bodies
    /// from `templates` (the folder's `templates/`, by id) as a workflow file naming the template
    /// would. `timezone` is the workflow's `accountTimezone` (`nil`: UTC).
    ///
    /// - Throws: ``DunningError`` `missing-template` when an email's template is not in
    ///   `templates`, `invalid-template` when it does not make a whole email (not an email
    ///   template; no body; no sender), at `$.template`.
    public func engineWorkflow(timezone: String? = nil, templates: [String: WorkflowTemplate]) throws(DunningError) -> Workflow {
        try ActionWorkflows.workflow(of: self, timezone: timezone, templates: templates, at: .root)
    }

    /// The tag `suspend-access` adds to the contact and `restore-access` removes:
    /// `dunning:access-suspended`. An app (or a workflow triggered by `tag.added` / `tag.removed`
    /// with this tag) gates access on it. Its `:` keeps it apart from every imported tag id, which
    /// never holds one.
    public static let accessSuspendedTag = "dunning:access-suspended"
}

extension FinalAction {
    /// The id of the workflow that performs the final action itself (`dunning-final-<hex>`), `nil`
    /// for `keep-past-due` (nothing to do).
    ///
    /// The digest is of `{"action", "workflow"}` (compact, keys sorted): the final action's
    /// `actions` run as workflows of their own (``DunningAction/engineWorkflowID``), so they do not
    /// change this id.
    public var engineWorkflowID: String? {
        kind == .keepPastDue ? nil : "dunning-final-" + EngineWorkflowText.digest(ActionWorkflows.finalIdentity(self).compactText)
    }

    /// That workflow (in UTC): `cancel-subscription` for `cancel-now` and `cancel-at-period-end`,
    /// a staff task for `write-off`, a `call` for `run-workflow`; `nil` for `keep-past-due`.
    public var engineWorkflow: Workflow? { engineWorkflow(timezone: nil) }

    /// ``engineWorkflow`` with `timezone` as its `accountTimezone` (`nil`: UTC).
    public func engineWorkflow(timezone: String?) -> Workflow? { ActionWorkflows.workflow(of: self, timezone: timezone) }
}

extension DunningPolicy {
    /// Every workflow the policy's actions run as (each action of the stages, attempt rules,
    /// `recovered`, `final`, the final action, and the built-in staff task of an unknown charge),
    /// one per distinct action, sorted by id.
    ///
    /// Built without templates: an email's workflow sends nothing (``DunningAction/engineWorkflow``).
    /// Publish uses ``actionWorkflows(templates:)``. Each workflow's `accountTimezone` is the policy's
    /// `timezone`, else UTC. At most ``maxActionWorkflows(limits:)`` of them.
    public var actionWorkflows: [Workflow] {
        var byID: [String: Workflow] = [:]
        for (action, _) in actionsWithPaths() where byID[action.engineWorkflowID] == nil {
            byID[action.engineWorkflowID] = ActionWorkflows.workflow(of: action, timezone: timezone)
        }
        if let workflow = final.engineWorkflow(timezone: timezone) { byID[workflow.id] = workflow }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// ``actionWorkflows``, each email taking its sender, subject and bodies from `templates` (the
    /// folder's `templates/`, by id): what publish publishes with the folder's workflows.
    ///
    /// - Throws: ``DunningError`` at the policy's JSON path of the first email whose template is
    ///   missing (`missing-template`, `$.stages[0].actions[1].template`) or does not make a whole
    ///   email (`invalid-template`); `workflow-id-collision` when two different actions of the
    ///   policy have the same digest (FNV-1a is a name, not a cryptographic hash).
    public func actionWorkflows(templates: [String: WorkflowTemplate]) throws(DunningError) -> [Workflow] {
        var byID: [String: (DunningAction, JSONPath, Workflow)] = [:]
        for (action, path) in actionsWithPaths() {
            let id = action.engineWorkflowID
            if let (seen, seenPath, _) = byID[id] {
                guard seen == action else {
                    throw DunningError(
                        "workflow-id-collision",
                        "this action and the one at \(seenPath) differ but have the same workflow id '\(id)'; change one of them (a word of a text) to give it another",
                        path: path)
                }
                continue
            }
            byID[id] = (action, path, try ActionWorkflows.workflow(of: action, timezone: timezone, templates: templates, at: path))
        }
        var workflows = byID.values.map { $0.2 }
        if let workflow = final.engineWorkflow(timezone: timezone) { workflows.append(workflow) }
        return workflows.sorted { $0.id < $1.id }
    }

    /// The most workflows ``actionWorkflows`` gives for a policy within `limits`: one per action of
    /// each stage and attempt rule, of `recovered` and of `final` (`maxActions` each), the final
    /// action and the unknown-charge task. 7,602 with ``DunningLimits/standard``
    /// (50 × 50 + 100 × 50 + 50 + 50 + 2); `Int.max` if the product does not fit.
    public static func maxActionWorkflows(limits: DunningLimits = .standard) -> Int {
        let stages = limits.maxStages.multipliedReportingOverflow(by: limits.maxActions)
        let rules = limits.maxAttemptRules.multipliedReportingOverflow(by: limits.maxActions)
        let lists = limits.maxActions.multipliedReportingOverflow(by: 2)
        guard !stages.overflow, !rules.overflow, !lists.overflow else { return Int.max }
        var total = 2
        for part in [stages.partialValue, rules.partialValue, lists.partialValue] {
            let sum = total.addingReportingOverflow(part)
            guard !sum.overflow else { return Int.max }
            total = sum.partialValue
        }
        return total
    }

    /// Every action the process may run for an invoice under this policy, with its JSON path,
    /// in policy order, then the built-in unknown-charge task (at `$`).
    func actionsWithPaths() -> [(DunningAction, JSONPath)] {
        var all: [(DunningAction, JSONPath)] = []
        for (index, stage) in stages.enumerated() {
            let path = JSONPath.root.member("stages").index(index).member("actions")
            for (number, action) in stage.actions.enumerated() { all.append((action, path.index(number))) }
        }
        for (index, rule) in attempts.enumerated() {
            let path = JSONPath.root.member("attempts").index(index).member("actions")
            for (number, action) in rule.actions.enumerated() { all.append((action, path.index(number))) }
        }
        for (number, action) in recovered.enumerated() { all.append((action, JSONPath.root.member("recovered").index(number))) }
        for (number, action) in final.actions.enumerated() { all.append((action, JSONPath.root.member("final").member("actions").index(number))) }
        all.append((DunningProcess.unknownChargeTask, .root))
        return all
    }
}

extension DunningProcess {
    /// The staff task the process creates when a charge's outcome stays unknown (after the most
    /// repeats, or when the invoice leaves dunning meanwhile): staff check with the gateway whether
    /// it went through. Its timeline entry's detail names the charge's idempotency key and why; the
    /// task itself is one fixed action so that it runs as one published workflow
    /// (``DunningPolicy/actionWorkflows``).
    public static let unknownChargeTask = DunningAction.task(
        title: "Check with the payment gateway whether a dunning charge whose outcome stayed unknown went through, and refund it if the invoice was settled otherwise (the contact's dunning timeline names the charge's key)",
        assignee: nil, dueInDays: 1)
}

/// FNV-1a 64 of text, as 16 lowercase hex digits.
enum EngineWorkflowText {
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
