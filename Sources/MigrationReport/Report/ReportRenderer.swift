public import PurchaseActionsCore

/// The part of the report's per-workflow work that depends on nothing another workflow's report
/// wrote: the outline, the JSON outline entry, the Markdown section with its Mermaid picture, and the
/// HTML outline as an `HTMLOutline` (its text around the phrases the page's dictionary turns into
/// tokens). ``MigrationReportBuilder/add(_:)`` does the rest, in workflow order: the counters, the
/// JSON separators, the HTML dictionary and its budgets.
///
/// What it keeps is the catalogue's names, the findings of its templates, the names of the action
/// sets and sequences met so far (`ReportNames`: a call names its target only if it came before)
/// and a cache of Mermaid labels (which changes no byte). So several renderers can each render every
/// other chunk of workflows and give exactly the serial bytes, if each one is told, in order, the
/// names of the workflows the others rendered (``ReportChunk/preceding``): the split the import
/// uses to put the report on both cores (Benchmarks/README.md, "Import throughput").
public struct ReportRenderer: Sendable {
    var names: ReportNames
    var labels = MermaidLabels()
    /// The words of actions met so far (bounded: ``ActionWords``); they depend only on the
    /// catalogue, which a renderer keeps for its life.
    var words = ActionWords()
    /// The Mermaid text of the workflow being rendered: one buffer for every workflow, emptied
    /// (its capacity kept) before each.
    private var picture: [UInt8] = []
    /// The outline of the workflow being rendered: its arrays kept for every workflow.
    private var outline = OutlineWriter()

    /// A renderer naming things from `catalogue`, whose steps using a template with findings
    /// (`templateFindings`, as ``MigrationReportBuilder/add(templateFindings:)`` takes them) are
    /// approximated.
    public init(catalogue: Catalogue, templateFindings: [MigrationFinding]) {
        names = ReportNames(catalogue: catalogue)
        names.add(templateFindings: templateFindings)
    }

    init(names: ReportNames) { self.names = names }

    /// Remembers the name of a workflow rendered elsewhere (only action sets and sequences are
    /// named by others; bounded: at most 20,000 names).
    public mutating func remember(workflowID: String, name: String) {
        let kind = WorkflowKind(workflowID: workflowID)
        if kind == .actionSet || kind == .sequence { names.remember(workflow: workflowID, name: name) }
    }

    /// Renders one workflow (remembering its name first, as the serial report does).
    public mutating func render(workflow: Workflow, findings: [MigrationFinding]) -> RenderedWorkflow {
        remember(workflowID: workflow.id, name: workflow.name)
        let kind = WorkflowKind(workflowID: workflow.id)
        // The outline's three formats written in one pass (`OutlineWriter`: the bytes of
        // `WorkflowOutline`'s, Benchmarks/README.md, "The report in one pass").
        outline.take(workflow, findings: findings, names: names, words: &words)
        var rendered = RenderedWorkflow(id: workflow.id, name: workflow.name, kind: kind, outcome: outline.outcome)
        rendered.stepOutcomes = outline.stepOutcomes
        rendered.learn(workflow)
        rendered.jsonID = JSONFragment.indented(workflow.id.json, by: 4)
        // The Markdown, its picture and the HTML are written straight into bytes (Benchmarks/README.md,
        // "Import throughput").
        picture.removeAll(keepingCapacity: true)
        PictureLayout(workflow).mermaid(into: &picture, labels: &labels)
        rendered.markdown.reserveCapacity(picture.count + 4096)
        let fires = names.fires(workflow, kind: kind)
        (rendered.jsonOutline, rendered.html) = outline.write(workflow, kind: kind, fires: fires, picture: picture, markdown: &rendered.markdown)
        return rendered
    }

    /// Renders a chunk: first the names of the workflows before it that another renderer rendered,
    /// then each of its workflows, in order.
    public mutating func render(_ chunk: ReportChunk) -> [RenderedWorkflow] {
        for name in chunk.preceding { remember(workflowID: name.id, name: name.name) }
        return chunk.workflows.map { render(workflow: $0.workflow, findings: $0.findings) }
    }
}

/// One workflow rendered by a ``ReportRenderer``, for ``MigrationReportBuilder/add(_:)``.
public struct RenderedWorkflow: Sendable {
    let id: String
    let name: String
    let kind: WorkflowKind
    let outcome: ActionOutcome
    /// Counted steps by outcome (`ActionOutcome.index`).
    var stepOutcomes = [0, 0, 0]
    /// What the workflow tells the behaviour changes.
    var facts: [ReportFact] = []
    /// Ids the HTML may show pictures of (a slot and the workflows it calls), in order.
    var pictured: [String] = []
    var jsonOutline: [UInt8] = []
    var jsonID: [UInt8] = []
    var markdown: [UInt8] = []
    var html = HTMLOutline()

    init(id: String, name: String, kind: WorkflowKind, outcome: ActionOutcome) {
        self.id = id
        self.name = name
        self.kind = kind
        self.outcome = outcome
    }

    fileprivate mutating func learn(_ workflow: Workflow) {
        switch kind {
        case .slot:
            if workflow.id == "slot.contact-creation" { facts.append(.contactCreation) }
            let product = workflow.id.hasPrefix("slot.product-purchase.") || workflow.id.hasPrefix("slot.subscription-purchase.")
            facts.append(product ? .productSlot : .globalSlot)
            pictured.append(workflow.id)
            for step in workflow.steps {
                if case .call(let target) = step.kind { pictured.append(target) }
            }
        case .sequence: facts.append(.sequence)
        case .billingRule:
            facts.append(.billingRule)
            if workflow.triggers.contains(where: { $0.event == .autochargeFailed }) { facts.append(.autochargeFailed) }
        case .actionSet, .other: break
        }
    }
}

extension ActionOutcome {
    /// 0, 1 or 2: exact, approximated, not mappable.
    var index: Int {
        switch self {
        case .exact: 0
        case .approximated: 1
        case .notMappable: 2
        }
    }
}

/// The name of an action set or sequence, handed to the renderers that did not render it.
public struct WorkflowName: Hashable, Sendable {
    /// The workflow's id.
    public var id: String
    /// Its name.
    public var name: String
}

/// Workflows for one ``ReportRenderer`` to render, made by a ``ReportChunker``.
public struct ReportChunk: Sendable {
    /// The renderer (0 to `workers` − 1) this chunk is for.
    public let worker: Int
    /// The names of the action sets and sequences before this chunk that this renderer did not
    /// render, in order.
    public internal(set) var preceding: [WorkflowName] = []
    /// The workflows, each with its findings, in order.
    public internal(set) var workflows: [(workflow: Workflow, findings: [MigrationFinding])] = []

    init(worker: Int) { self.worker = worker }
}

/// Cuts the workflows into chunks of at most `size` for `workers` renderers in turn (chunk k goes to
/// renderer k mod `workers`), and gives each chunk the names its renderer has not seen: the names of
/// the action sets and sequences in the chunks the others rendered since its last one. Memory: one
/// chunk of workflows and, per renderer, at most `(workers − 1) × size` names.
public struct ReportChunker: Sendable {
    /// The number of renderers (at least 1).
    public let workers: Int
    /// The most workflows in a chunk (at least 1).
    public let size: Int
    private var pending: [[WorkflowName]]
    private var current: ReportChunk
    private var next = 0

    /// A chunker for `workers` renderers and chunks of `size` workflows (each at least 1).
    public init(workers: Int, size: Int) {
        self.workers = Swift.max(1, workers)
        self.size = Swift.max(1, size)
        pending = Array(repeating: [], count: self.workers)
        current = ReportChunk(worker: 0)
    }

    /// Adds a workflow; returns the chunk it completes, if it does.
    public mutating func add(workflow: Workflow, findings: [MigrationFinding]) -> ReportChunk? {
        current.workflows.append((workflow, findings))
        return current.workflows.count >= size ? flush() : nil
    }

    /// The chunk begun, if it holds any workflow.
    public mutating func flush() -> ReportChunk? {
        guard !current.workflows.isEmpty else { return nil }
        var chunk = current
        let worker = chunk.worker
        chunk.preceding = pending[worker]
        pending[worker] = []
        if workers > 1 {
            for (workflow, _) in chunk.workflows {
                let kind = WorkflowKind(workflowID: workflow.id)
                guard kind == .actionSet || kind == .sequence else { continue }
                for other in 0..<workers where other != worker { pending[other].append(WorkflowName(id: workflow.id, name: workflow.name)) }
            }
        }
        next = (worker + 1) % workers
        current = ReportChunk(worker: next)
        return chunk
    }
}
