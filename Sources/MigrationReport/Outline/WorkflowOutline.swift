import PurchaseActionsCore

/// One workflow as the report shows it: its kind, name, what fires it in plain words, and each step
/// with what it does, its outcome and its source line. Made one workflow at a time and dropped
/// once its fragments are written.
struct WorkflowOutline {
    /// One step: what it does, how it was migrated, where it came from, and the steps inside it.
    struct Item {
        var id: String
        var does: Sentence
        var line: Int?
        var path: String?
        var counts: Bool
        var notes: [MigrationFinding] = []
        var children: [Item] = []
        /// `does.plain`, when made already (``ActionWords``).
        var plain: String? = nil
        /// `does`'s Markdown, when made already (``ActionWords``).
        var markdown: [UInt8]? = nil
        /// The template notes the notes begin with, their texts made already
        /// (`ReportNames.TemplateNotes`).
        var templateNotes: ReportNames.TemplateNotes?

        /// The worst outcome of its own findings (the children have their own).
        var outcome: ActionOutcome {
            // Asked by every format: no array of outcomes made for it.
            var worst = ActionOutcome.exact
            for note in notes where note.outcome > worst { worst = note.outcome }
            return worst
        }
    }

    var id: String
    var kind: WorkflowKind
    var name: String
    var fires: Sentence
    var source: SourceTrace?
    private(set) var items: [Item]
    /// Findings about the workflow as a whole, or that no step's source matches.
    private(set) var notes: [MigrationFinding] = []

    init(_ workflow: Workflow, findings: [MigrationFinding], names: ReportNames) {
        var words = ActionWords(entryLimit: 0)
        self.init(workflow, findings: findings, names: names, words: &words)
    }

    /// The outline, taking the words of actions met before from `words` (the same text:
    /// ``ActionWords``).
    init(_ workflow: Workflow, findings: [MigrationFinding], names: ReportNames, words: inout ActionWords) {
        id = workflow.id
        kind = WorkflowKind(workflowID: workflow.id)
        name = ReportText.cut(workflow.name, limit: ReportText.nameLimit)
        fires = names.fires(workflow, kind: kind)
        source = workflow.source
        items = Self.items(workflow.steps, names: names, words: &words)
        let own = workflow.source?.path
        for finding in findings {
            let path = finding.location.path
            if path != own, Self.attach(finding, exact: path, to: &items) { continue }
            if path != own, Self.attach(finding, inside: path, own: own, to: &items) { continue }
            notes.append(finding)
        }
        outcome = worstOutcome
    }

    private static func items(_ steps: [Step], names: ReportNames, words: inout ActionWords) -> [Item] {
        func items(_ steps: [Step], names: ReportNames) -> [Item] { Self.items(steps, names: names, words: &words) }
        return steps.map { step in
            let said = words.words(step.kind, names: names)
            var item = Item(
                id: step.id, does: said.sentence, line: step.source?.line, path: step.source?.path, counts: true, plain: said.plain, markdown: said.markdown)
            if let template = ReportNames.templateID(step.kind), let notes = names.sharedTemplateNotes(template) {
                item.notes = notes.findings
                item.templateNotes = notes
            }
            switch step.kind {
            case .branch(let branches, let otherwise):
                item.counts = false
                if branches.count == 1, otherwise.isEmpty {
                    item.children = items(branches[0].steps, names: names)
                    // A legacy action's rule (its `if` step) is checked before the action runs, but
                    // its element comes after the action's start tag: it is shown at the action's
                    // line, so the lines read in the order things run.
                    if let first = item.children.first?.line, let own = item.line, first < own { item.line = first }
                } else {
                    item.children = branches.map { branch in
                        Item(
                            id: step.id, does: "When " + names.words(branch.when) + Sentence([.words(" ("), .name(branch.name), .words("):")]),
                            line: nil, path: nil, counts: false, children: items(branch.steps, names: names))
                    }
                    if !otherwise.isEmpty {
                        item.children.append(Item(id: step.id, does: "Otherwise:", line: nil, path: nil, counts: false, children: items(otherwise, names: names)))
                    }
                }
            case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                if !onTimeout.isEmpty {
                    item.children = [Item(id: step.id, does: "If the wait times out:", line: nil, path: nil, counts: false, children: items(onTimeout, names: names))]
                }
            default: break
            }
            return item
        }
    }

    /// Attaches a finding to the first step (in reading order) whose source path is the finding's.
    private static func attach(_ finding: MigrationFinding, exact path: String, to items: inout [Item]) -> Bool {
        for index in items.indices {
            if items[index].path == path {
                items[index].notes.append(finding)
                return true
            }
            if attach(finding, exact: path, to: &items[index].children) { return true }
        }
        return false
    }

    /// Attaches a finding to the deepest step whose element holds the finding's element (an
    /// extension inside an action).
    private static func attach(_ finding: MigrationFinding, inside path: String, own: String?, to items: inout [Item]) -> Bool {
        for index in items.indices {
            if attach(finding, inside: path, own: own, to: &items[index].children) { return true }
            if let step = items[index].path, step != own, path.hasPrefix(step + "/") {
                items[index].notes.append(finding)
                return true
            }
        }
        return false
    }

    /// Every counted step's outcome, in reading order.
    func forEachOutcome(_ body: (ActionOutcome) -> Void) {
        func visit(_ items: [Item]) {
            for item in items {
                if item.counts { body(item.outcome) }
                visit(item.children)
            }
        }
        visit(items)
    }

    /// The worst outcome of any step or of the workflow's own findings (``worstOutcome``, found once:
    /// every format asks for it).
    private(set) var outcome = ActionOutcome.exact

    /// The worst outcome of any step or of the workflow's own findings.
    /// What the section says before its steps (``OutlineHead``).
    var head: OutlineHead { OutlineHead(name: name, id: id, kind: kind, source: source, outcome: outcome, fires: fires, notes: notes) }

    var worstOutcome: ActionOutcome {
        var worst = notes.map(\.outcome).max() ?? .exact
        func visit(_ items: [Item]) {
            for item in items {
                worst = Swift.max(worst, item.outcome)
                visit(item.children)
            }
        }
        visit(items)
        return worst
    }
}
