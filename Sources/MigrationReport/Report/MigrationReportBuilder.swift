public import PurchaseActionsCore

/// Builds the migration report (`migration-report.json`, `.md` and `.html`: Docs/mapping.md, "The
/// migration report") one compiled workflow at a time, in memory that does not grow with the number
/// of workflows.
///
/// ``add(workflow:findings:)`` returns the workflow's ``ReportFragment``: bytes the writer appends to
/// one file per ``ReportBody``. The builder keeps only counters, the account and its catalogue (for
/// names), and the ids of the purchase slots and the action sets they run (for the HTML pictures, at
/// most ``picturedLimit``). At the end, ``pieces(_:ending:)`` gives each document as text (the
/// header: tool, input digest, totals, behaviour changes, findings) around the bodies to copy in.
///
/// ```swift
/// var report = MigrationReportBuilder(tool: "import-actions", version: "0.1.0", input: "export.xml")
/// report.add(account: account.settings)
/// report.add(catalogue: account.catalogue)
/// let fragment = report.add(workflow: output.workflow, findings: output.findings)
/// let pieces = report.pieces(.markdown, ending: ReportEnding(digest: digest, findings: run.findings))
/// ```
///
/// A writer that streams the findings makes the ending from their ``FindingSummary`` instead
/// (``ReportEnding/init(digest:summary:warnings:)``) and writes the JSON report's findings list
/// itself:
///
/// ```swift
/// let ending = ReportEnding(digest: digest, summary: summary)
/// ```
public struct MigrationReportBuilder: Sendable {
    /// The tool that made the report, such as `import-actions`.
    public let tool: String
    /// Its version.
    public let version: String
    /// The export as the user named it.
    public let input: String
    var settings: AccountSettings?
    /// The dunning policy the billing settings became (``add(dunningPolicy:)``), if any.
    var policy: DunningPolicyNote?
    var names = ReportNames(catalogue: Catalogue())
    /// Workflows added, by kind.
    private(set) var workflows: [WorkflowKind: Int] = [:]
    /// Counted steps, by outcome.
    private(set) var steps: [ActionOutcome: Int] = [:]
    /// Workflows whose worst outcome is each one.
    private(set) var workflowOutcomes: [ActionOutcome: Int] = [:]
    private(set) var facts: Set<ReportFact> = []
    /// Fragments appended to each body so far (for the JSON separators).
    private var appended: [ReportBody: Int] = [:]
    /// Slots and the workflows they call, which the HTML shows pictures of when there are many.
    private(set) var pictured: Set<String> = []
    /// Bytes of HTML fragments so far, less their picture markers.
    private(set) var htmlBodyBytes = 0
    /// Workflows the HTML lists by name only (past ``htmlOutlineBudget``).
    private(set) var htmlSummarized = 0
    /// Workflows the HTML does not list (past ``htmlListBudget``).
    private(set) var htmlOmitted = 0
    /// The strings the HTML outlines share (bounded: ``HTMLDictionary``).
    var dictionary = HTMLDictionary()
    /// The renderer of ``add(workflow:findings:)``: the names it shows and the Mermaid labels drawn
    /// so far (bounded: ``ReportNames``, ``MermaidLabels``).
    private var renderer = ReportRenderer(names: ReportNames(catalogue: Catalogue()))

    /// Pictures of every workflow up to this many workflows; above it, only of the slots and the
    /// workflows they call: 100.
    public static let allPicturesUpTo = 100
    /// The most slot and called-workflow ids kept for pictures: 500.
    public static let picturedLimit = 500

    /// Creates an empty report for an export.
    public init(tool: String, version: String, input: String) {
        self.tool = tool
        self.version = version
        self.input = input
    }

    /// Takes the account's settings (name, timezone, "all orders", billing defaults).
    public mutating func add(account: AccountSettings) { settings = account }

    /// Takes the catalogue the report names products, plans, tags and users from.
    public mutating func add(catalogue: Catalogue) {
        names = ReportNames(catalogue: catalogue)
        renderer = ReportRenderer(names: names)
    }

    /// Takes the findings about the catalogue's templates (``MigrationRun/templateFindings``, or
    /// ``LegacyCompiler/templateFindings(users:)``), after ``add(catalogue:)`` and before the
    /// workflows: each step whose action takes its texts from a template with findings is then
    /// *approximated*, with a note pointing at the template's line. Findings not at a catalogue
    /// template's line are ignored; what is kept is bounded by the catalogue.
    public mutating func add(templateFindings: [MigrationFinding]) {
        names.add(templateFindings: templateFindings)
        renderer.names.add(templateFindings: templateFindings)
    }

    /// The number of workflows added.
    public var workflowCount: Int { workflows.values.reduce(0, +) }

    /// Adds one compiled workflow with its findings and returns what it adds to each body.
    public mutating func add(workflow: Workflow, findings: [MigrationFinding]) -> ReportFragment {
        add(renderer.render(workflow: workflow, findings: findings))
    }

    /// A renderer for the workflows to come, in the state this builder's own is in (the catalogue's
    /// names, the template findings, the names of the workflows added so far): what
    /// ``add(_:)`` needs the workflows rendered with to give ``add(workflow:findings:)``'s bytes.
    public var currentRenderer: ReportRenderer { ReportRenderer(names: renderer.names) }

    /// Adds a workflow rendered apart (``ReportRenderer``), in workflow order, and returns what it
    /// adds to each body: byte for byte what ``add(workflow:findings:)`` returns, if the renderer
    /// saw the same names (``ReportChunker``).
    public mutating func add(_ rendered: RenderedWorkflow) -> ReportFragment {
        // Kept up to date so that a workflow added with `add(workflow:findings:)` after rendered
        // ones names them as the serial report does.
        renderer.remember(workflowID: rendered.id, name: rendered.name)
        workflows[rendered.kind, default: 0] += 1
        for outcome in ActionOutcome.allCases where rendered.stepOutcomes[outcome.index] > 0 {
            steps[outcome, default: 0] += rendered.stepOutcomes[outcome.index]
        }
        workflowOutcomes[rendered.outcome, default: 0] += 1
        for fact in rendered.facts { facts.insert(fact) }
        for id in rendered.pictured { remember(id) }
        var parts: [ReportFragment.Part] = []
        parts.reserveCapacity(4)
        func append(_ body: ReportBody, _ bytes: [UInt8]) {
            let index = appended[body, default: 0]
            appended[body] = index + 1
            let separator: [UInt8] = index == 0 || !(body == .jsonOutline || body == .jsonIDs) ? [] : [UInt8(ascii: ","), UInt8(ascii: "\n")]
            parts.append(ReportFragment.Part(body: body, bytes: separator.isEmpty ? bytes : separator + bytes))
        }
        append(.jsonOutline, rendered.jsonOutline)
        append(.jsonIDs, rendered.jsonID)
        append(.markdown(rendered.kind), rendered.markdown)
        var html: [UInt8] = []
        html.reserveCapacity(rendered.html.bytes.count + 1024)
        rendered.html.write(into: &html, &dictionary)
        var size = html.count - rendered.id.utf8.count - 2
        // Past the outline budget a workflow is listed by name only, and past the list budget not
        // at all, so the file stays under ``htmlSizeLimit`` however long the outlines are; the
        // Markdown and JSON reports always hold every outline.
        if htmlBodyBytes + dictionary.bytes + size > Self.htmlOutlineBudget {
            html.removeAll(keepingCapacity: true)
            html.append(contentsOf: rendered.html.bytes[0..<rendered.html.summaryHeadCount])
            WorkflowOutline.htmlSummaryTail(into: &html)
            size = html.count
            if htmlBodyBytes + dictionary.bytes + size > Self.htmlListBudget {
                html = []
                size = 0
                htmlOmitted += 1
            } else {
                htmlSummarized += 1
            }
        }
        htmlBodyBytes += size
        if !html.isEmpty { append(.html(rendered.kind), html) }
        return ReportFragment(parts: parts)
    }

    private mutating func remember(_ id: String) {
        if pictured.count < Self.picturedLimit { pictured.insert(id) }
    }

    /// Whether the HTML report shows the picture of a workflow: every one when there are at most
    /// ``allPicturesUpTo`` workflows, else the slots and the workflows they call.
    public func showsPicture(_ workflowID: String) -> Bool {
        workflowCount <= Self.allPicturesUpTo || pictured.contains(workflowID)
    }

    /// The HTML report's size limit: 4,900,000 bytes. Pictures are inlined only while the file stays
    /// within it (and within ``PictureSplicer/byteBudget``).
    public static let htmlSizeLimit = 4_900_000

    /// The most bytes of workflow outlines (with the strings they share) the HTML report holds:
    /// 2,800,000, so that at 10,000 workflows every one is still listed. Past it a workflow is listed
    /// by name, id and outcome only.
    public static let htmlOutlineBudget = 2_800_000

    /// The most bytes of workflow sections the HTML report holds: 4,400,000, leaving the rest of
    /// ``htmlSizeLimit`` for the header (its finding and warning lists hold at most 200 entries
    /// each). Past it a workflow is not listed in the HTML at all (the page says how many).
    public static let htmlListBudget = 4_400_000

    /// How many bytes of pictures the HTML report may inline: what is left of ``htmlSizeLimit`` after
    /// its text, at most ``PictureSplicer/byteBudget``.
    public func pictureBudget(_ ending: ReportEnding) -> Int {
        pictureBudget(htmlPieces: pieces(.html, ending: ending))
    }

    /// ``pictureBudget(_:)`` from the HTML document's pieces (``pieces(_:ending:)`` of `.html`),
    /// for a writer that has them already: they are made once, not again for the budget.
    public func pictureBudget(htmlPieces: [ReportPiece]) -> Int {
        var text = htmlBodyBytes
        for piece in htmlPieces {
            if case .text(let bytes) = piece { text += bytes.count }
        }
        return Swift.max(0, Swift.min(PictureSplicer.byteBudget, Self.htmlSizeLimit - text))
    }

    /// The behaviour changes that apply to this export.
    func behaviourChanges(_ ending: ReportEnding) -> [BehaviourChange] {
        var facts = self.facts
        let codes = ending.summary.counts
        if codes["legacy-action", default: 0] > 0 { facts.insert(.legacyAction) }
        if codes["queued-fulfillment-list", default: 0] > 0 { facts.insert(.queuedFulfillmentList) }
        let allOrders = settings?.runPurchaseActionsOnAllOrders ?? false
        return BehaviourChange.all.filter { $0.applies(facts: facts, allOrders: allOrders) }
    }


    /// A document's pieces: its header and footer text around the bodies to copy in.
    public func pieces(_ document: ReportDocument, ending: ReportEnding) -> [ReportPiece] {
        switch document {
        case .json: jsonPieces(ending)
        case .markdown: markdownPieces(ending)
        case .html: htmlPieces(ending)
        }
    }

    /// A whole document in memory, from the bodies' bytes: for tests and small reports (a writer
    /// with files copies the bodies in instead).
    public func document(
        _ document: ReportDocument, ending: ReportEnding, bodies: [ReportBody: [UInt8]], inlineSVG: @escaping (String) -> [UInt8]? = { _ in nil }
    ) -> [UInt8] {
        var output: [UInt8] = []
        var splicer = PictureSplicer(shows: showsPicture, inlineSVG: inlineSVG, budget: pictureBudget(ending))
        for piece in pieces(document, ending: ending) {
            switch piece {
            case .text(let bytes): output += bytes
            case .findings(let range): output += findingsJSON(ending, range)
            case .body(let body):
                let bytes = bodies[body] ?? []
                guard body.hasPictureMarkers else {
                    output += bytes
                    continue
                }
                output += splicer.feed(bytes[...])
                output += splicer.finish()
            }
        }
        return output
    }

    /// How many ids the builder keeps (slots and the workflows they call): what grows with the
    /// export, bounded by ``picturedLimit``.
    var retainedIDs: Int { pictured.count }
}
