extension LegacyCompiler {
    /// Compiles an action set into the workflow that slots, rules, other sets and `runActionSet` call:
    /// a manual trigger and one step per action.
    public func compile(_ set: ActionSet) -> Output {
        let id = LegacyWorkflowID.actionSet(set.id)
        var findings = set.extensions.map { Self.notCarried($0, workflowID: id) }
        var uses: [TemplateUse] = []
        // Appended in place: one array for the workflow, not one per action joined afterwards.
        var body: [Step] = []
        body.reserveCapacity(set.actions.count)
        // Through a span: each action is read in place, not copied (a reference count for each of its parts).
        let actions = set.actions.span
        for index in actions.indices { appendSteps(for: actions[index], to: &body, workflowID: id, findings: &findings, uses: &uses) }
        // One trace (its path built once) for the trigger and the workflow.
        let source = SourceTrace(set.location)
        let workflow = Workflow(
            id: id, name: set.name,
            description: "Legacy action set \(set.id): its actions, top to bottom. Run by id, by the slots and rules that use it, and by run-action-set.",
            priority: Priority.actionSet, triggers: [Trigger(id: "manual", event: .manual, source: source)],
            steps: body, settings: settings(), source: source)
        return Output(workflow: workflow, findings: findings, templateUses: uses)
    }

    /// Appends the steps of one action to `steps`: the action, or an `if` step around it when a rule
    /// gates it (appended in place, with no array of its own per action). The template it uses goes
    /// to `uses`; what its template holds that is not mapped exactly is the template's finding
    /// (``templateFindings(users:)``), not the action's.
    func appendSteps(for action: Action, to steps: inout [Step], workflowID: String, findings: inout [MigrationFinding], uses: inout [TemplateUse]) {
        if !action.extensions.isEmpty { findings += action.extensions.map { Self.notCarried($0, workflowID: workflowID) } }
        var context = ActionContext(compiler: self, workflowID: workflowID)
        let stepID = Self.stepID(for: action)
        let step = Step(id: stepID, context.kind(of: action), source: SourceTrace(action.location))
        if !context.findings.isEmpty { findings += context.findings }
        if let template = context.usedTemplate { uses.append(TemplateUse(templateID: template, actionID: action.id)) }
        guard let rule = action.rule else { return steps.append(step) }
        let ruleID = stepID + ":rule"
        let ruleSource = SourceTrace(rule.location)
        let branch = Branch(name: "rule holds", when: condition(for: rule, id: ruleID, source: ruleSource), steps: [step])
        steps.append(Step(id: stepID + ":if", .branch([branch], otherwise: []), source: ruleSource))
    }

    /// The step id of an action: its id; for an opaque action, whose id is `name@line:column` or an
    /// unchecked attribute, that with `@` written `:`, or `opaque:<line>:<column>` if it is still not a
    /// valid id (`:` marks generated parts, since export ids never hold it).
    static func stepID(for action: Action) -> String {
        // Most ids hold no `@`: String.replacing costs a search object per call, on every action.
        let id = action.id.utf8.contains(UInt8(ascii: "@")) ? action.id.replacing("@", with: ":") : action.id
        if Workflow.isValidID(id) { return id }
        return "opaque:\(action.location.line):\(action.location.column ?? 0)"
    }

    /// A legacy rule as a condition on the contact: all → `all`, any → `any`, none → `not any`.
    /// `source` is the rule's trace, when the caller has made it already.
    func condition(for rule: Rule, id: String, source: SourceTrace? = nil) -> Condition {
        var leaves: [Condition] = []
        leaves.reserveCapacity(rule.criteria.count)
        for index in rule.criteria.indices {
            leaves.append(condition(for: rule.criteria[index], id: ElementPath.numbered(id, index + 1)))
        }
        let source = source ?? SourceTrace(rule.location)
        switch rule.match {
        case .all: return Condition(id: id, .all(leaves), source: source)
        case .any: return Condition(id: id, .any(leaves), source: source)
        case .none: return Condition(id: id, .not(Condition(.any(leaves))), source: source)
        }
    }

    private func condition(for criterion: Criterion, id: String) -> Condition {
        let source = SourceTrace(criterion.location)
        switch criterion.test {
        case .field(let name, let op, let value):
            let op = ConditionOperator(op)
            return .field("contact.fields." + name, op, op.takesValue ? value.map(ConditionValue.text) : nil, id: id, source: source)
        case .hasTag(let tag): return .field("contact.tags", .contains, .text(tag), id: id, source: source)
        case .lacksTag(let tag): return .field("contact.tags", .notContains, .text(tag), id: id, source: source)
        }
    }
}

/// The priorities compiled workflows get (lower runs first): Contact Creation and On Login, then the
/// global purchase slots, then product-specific slots, then billing automation (Docs/mapping.md).
enum Priority {
    static let contactSlot = 10
    static let globalSlot = 20
    static let productSlot = 30
    static let billingRule = 40
    static let actionSet = 50
    static let sequence = 50
}
