import PurchaseActionsCore

/// A workflow's outline written in one pass: its JSON entry, its Markdown section and its HTML
/// outline together, step by step, from a flat list of the outline's lines (Benchmarks/README.md,
/// "The report in one pass"). The same bytes as ``WorkflowOutline``'s three formats
/// (`OutlineWriterTests`), without the tree of items each format walked again (and copied as it
/// walked), an array of children per step, or the outcome found by walking the tree twice more.
///
/// A ``ReportRenderer`` keeps one and reuses its arrays (emptied, their capacity kept) for every
/// workflow. Memory: one node per step and heading of the workflow being written.
struct OutlineWriter {
    /// A line of the outline: a step, or a heading (a branch's condition, "Otherwise:", "If the
    /// wait times out:") with the steps inside it after it.
    struct Node {
        var id: String
        var words: ActionWords.Words
        var line: Int?
        /// The step's source path (nil for a heading), which findings are attached by.
        var path: String?
        var counts: Bool
        /// The index after the last node inside this one: the nodes inside are `index + 1 ..< end`.
        var end = 0
        /// The template notes the notes begin with.
        var template: ReportNames.TemplateNotes?
        /// The findings attached to it (indices into ``OutlineWriter/findings``, in order):
        /// `attached[attachedRange]`.
        var attachedRange = 0..<0
        /// The worst outcome of its notes.
        var outcome = ActionOutcome.exact
    }

    private(set) var nodes: [Node] = []
    /// The workflow's findings.
    private var findings: [MigrationFinding] = []
    /// Indices of the findings attached to nodes, grouped by node in node order.
    private var attached: [Int] = []
    /// Indices of the findings about the workflow as a whole (or that no step's source matches).
    private var ownNotes: [Int] = []

    /// The outline's outcome: the worst of any step or of the workflow's own findings.
    private(set) var outcome = ActionOutcome.exact
    /// Counted steps by outcome (`ActionOutcome.index`).
    private(set) var stepOutcomes = [0, 0, 0]

    /// Takes a workflow's steps and findings: the nodes in reading order, each finding attached as
    /// ``WorkflowOutline`` attaches it, the outcomes.
    mutating func take(_ workflow: Workflow, findings: [MigrationFinding], names: ReportNames, words: inout ActionWords) {
        nodes.removeAll(keepingCapacity: true)
        attached.removeAll(keepingCapacity: true)
        ownNotes.removeAll(keepingCapacity: true)
        self.findings = findings
        add(workflow.steps, names: names, words: &words)
        if !findings.isEmpty { attach(own: workflow.source?.path) }
        var worst = ActionOutcome.exact
        for index in ownNotes where findings[index].outcome > worst { worst = findings[index].outcome }
        stepOutcomes = [0, 0, 0]
        for index in nodes.indices {
            var node = ActionOutcome.exact
            if let template = nodes[index].template {
                for note in template.findings where note.outcome > node { node = note.outcome }
            }
            for finding in attached[nodes[index].attachedRange] where findings[finding].outcome > node { node = findings[finding].outcome }
            nodes[index].outcome = node
            if node > worst { worst = node }
            if nodes[index].counts { stepOutcomes[node.index] += 1 }
        }
        outcome = worst
    }

    /// Adds the nodes of `steps` (and of the steps inside them), as `WorkflowOutline`'s items.
    private mutating func add(_ steps: [Step], names: ReportNames, words: inout ActionWords) {
        for step in steps {
            let index = nodes.count
            nodes.append(Node(id: step.id, words: words.words(step.kind, names: names), line: step.source?.line, path: step.source?.path, counts: true))
            if let template = ReportNames.templateID(step.kind), let notes = names.sharedTemplateNotes(template) { nodes[index].template = notes }
            switch step.kind {
            case .branch(let branches, let otherwise):
                nodes[index].counts = false
                if branches.count == 1, otherwise.isEmpty {
                    add(branches[0].steps, names: names, words: &words)
                    // Shown at its first step's line when that comes first (`WorkflowOutline`).
                    if nodes.count > index + 1, let first = nodes[index + 1].line, let own = nodes[index].line, first < own { nodes[index].line = first }
                } else {
                    for branch in branches {
                        let said = "When " + names.words(branch.when) + Sentence([.words(" ("), .name(branch.name), .words("):")])
                        heading(step.id, said) { $0.add(branch.steps, names: names, words: &words) }
                    }
                    if !otherwise.isEmpty { heading(step.id, "Otherwise:") { $0.add(otherwise, names: names, words: &words) } }
                }
            case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                if !onTimeout.isEmpty { heading(step.id, "If the wait times out:") { $0.add(onTimeout, names: names, words: &words) } }
            default: break
            }
            nodes[index].end = nodes.count
        }
    }

    /// A heading node with the nodes `inner` adds inside it.
    private mutating func heading(_ id: String, _ said: Sentence, _ inner: (inout OutlineWriter) -> Void) {
        let index = nodes.count
        nodes.append(Node(id: id, words: ActionWords.Words(sentence: said), line: nil, path: nil, counts: false))
        inner(&self)
        nodes[index].end = nodes.count
    }

    /// Attaches each finding to the node `WorkflowOutline` attaches it to: the first step (in
    /// reading order) whose source path is the finding's, else the deepest step whose element
    /// holds the finding's; else it is the workflow's own.
    private mutating func attach(own: String?) {
        var target: [Int] = []
        target.reserveCapacity(findings.count)
        var counts = [Int](repeating: 0, count: nodes.count)
        for finding in findings {
            let path = finding.location.path
            var found: Int?
            if path != own {
                found = nodes.firstIndex { $0.path == path } ?? inside(path, own: own, from: 0, to: nodes.count)
            }
            target.append(found ?? -1)
            if let found { counts[found] += 1 }
        }
        // Grouped by node (a counting sort: the findings keep their order within a node).
        var start = 0
        var starts = [Int](repeating: 0, count: nodes.count)
        for index in nodes.indices {
            starts[index] = start
            nodes[index].attachedRange = start..<(start + counts[index])
            start += counts[index]
        }
        attached = [Int](repeating: 0, count: start)
        for (finding, node) in target.enumerated() {
            if node < 0 {
                ownNotes.append(finding)
            } else {
                attached[starts[node]] = finding
                starts[node] += 1
            }
        }
    }

    /// The deepest node of `from..<to` (the nodes inside one checked before it) whose step's
    /// element holds `path`'s.
    private func inside(_ path: String, own: String?, from: Int, to: Int) -> Int? {
        var index = from
        while index < to {
            let end = nodes[index].end
            if let found = inside(path, own: own, from: index + 1, to: end) { return found }
            if let step = nodes[index].path, step != own, path.hasPrefix(step + "/") { return index }
            index = end
        }
        return nil
    }

    /// The notes of a node: its template's, then the findings attached to it.
    private func notes(_ index: Int) -> [MigrationFinding] {
        let range = nodes[index].attachedRange
        guard !range.isEmpty else { return nodes[index].template?.findings ?? [] }
        var notes = nodes[index].template?.findings ?? []
        for finding in attached[range] { notes.append(findings[finding]) }
        return notes
    }

    /// The workflow's own notes.
    private var workflowNotes: [MigrationFinding] { ownNotes.map { findings[$0] } }

    // MARK: Writing

    /// The three formats of the workflow taken last: the JSON entry (``WorkflowOutline/jsonFragment``),
    /// the Markdown section with `picture` (``WorkflowOutline/markdown(picture:into:)``) appended to
    /// `markdown`, and the HTML outline (``WorkflowOutline/htmlOutline()``).
    func write(_ workflow: Workflow, kind: WorkflowKind, fires: Sentence, picture: [UInt8], markdown: inout [UInt8]) -> (json: [UInt8], html: HTMLOutline) {
        let name = ReportText.cut(workflow.name, limit: ReportText.nameLimit)
        let id = workflow.id
        let source = workflow.source

        let head = OutlineHead(name: name, id: id, kind: kind, source: source, outcome: outcome, fires: fires, notes: workflowNotes)
        var json = CanonicalJSONWriter(capacity: 2048, indent: 4)
        head.json(into: &json)
        head.markdown(into: &markdown)
        var html = HTMLOutline()
        head.html(into: &html)

        if nodes.isEmpty {
            json.beginArray()
            json.endArray()
            markdown.write("No steps.\n")
        } else {
            var line = 0
            write(from: 0, to: nodes.count, depth: 0, json: &json, markdown: &markdown, html: &html, line: &line)
        }
        json.endObject()

        markdown.append(UInt8(ascii: "\n"))
        WorkflowOutline.fenced(picture, info: "mermaid", into: &markdown)
        markdown.append(UInt8(ascii: "\n"))

        html.bytes.write("</script>\u{0}")
        html.bytes.write(id)
        html.bytes.write("\u{0}</details>\n")
        return (json.bytes, html)
    }

    /// The nodes `from..<to` (a non-empty run of siblings and the nodes inside them) in the three
    /// formats at once: a JSON array, Markdown list items at `depth`, an HTML list.
    private func write(
        from: Int, to: Int, depth: Int, json: inout CanonicalJSONWriter, markdown: inout [UInt8], html: inout HTMLOutline, line previous: inout Int
    ) {
        json.beginArray()
        html.bytes.write("{0}")
        var index = from
        while index < to {
            // Each field read where it is needed: the node is not copied (its strings and arrays
            // retained and released) as a whole.
            let notes = self.notes(index)
            let outcome = nodes[index].outcome
            let counts = nodes[index].counts
            let end = nodes[index].end

            // JSON
            json.element()
            json.beginObject()
            json.member("does", nodes[index].words.plain ?? nodes[index].words.sentence.plain)
            json.member("id", nodes[index].id)
            json.member("line", nodes[index].line)
            if !notes.isEmpty {
                json.key("notes")
                WorkflowOutline.write(notes, messages: nodes[index].template?.messages ?? [], to: &json)
            }
            if counts { json.member("outcome", outcome.rawValue) }

            // Markdown
            markdown.write(spaces: 3 * depth)
            markdown.write("1. ")
            if let words = nodes[index].words.markdown { markdown.append(contentsOf: words) } else { nodes[index].words.sentence.markdown(into: &markdown) }
            if counts { WorkflowOutline.markdownOutcome(outcome, into: &markdown) }
            let line = nodes[index].line
            if let line {
                markdown.write(" · line ")
                markdown.write(decimal: line)
            }
            markdown.append(UInt8(ascii: "\n"))
            for (number, note) in notes.enumerated() {
                markdown.write(spaces: 3 * depth)
                markdown.write("   - ")
                if let texts = nodes[index].template?.markdown, number < texts.count { markdown.append(contentsOf: texts[number]) } else { WorkflowOutline.markdown(note, into: &markdown) }
                markdown.append(UInt8(ascii: "\n"))
            }

            // HTML
            if index > from { html.bytes.write("{1}") }
            html.add(nodes[index].words.sentence)
            if counts, outcome != .exact { html.bytes.write(outcome == .approximated ? "{8}" : "{9}") }
            if !notes.isEmpty {
                html.bytes.append(UInt8(ascii: " "))
                WorkflowOutline.codes(notes, into: &html)
            }
            if let line { html.addLine(line, after: &previous) }

            // The nodes inside, in all three.
            if end > index + 1 {
                json.key("steps")
                write(from: index + 1, to: end, depth: depth + 1, json: &json, markdown: &markdown, html: &html, line: &previous)
            }
            json.endObject()
            index = end
        }
        json.endArray()
        html.bytes.write("{2}")
    }
}
