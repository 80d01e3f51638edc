import PurchaseActionsCore

/// `migration-report.md`: the report for people, in GitHub-flavoured Markdown, with a Mermaid
/// picture of each workflow. Every text from the export goes through ``ReportText/markdown(_:)``.
extension WorkflowOutline {
    /// The workflow's section.
    func markdown(picture: String) -> String {
        var text = "### " + ReportText.markdown(name) + "\n\n"
        let line = source.map { " · line \($0.line)" } ?? ""
        text += "`\(Workflow.isValidID(id) ? id : "?")` · \(kind.singular)\(line) · **\(outcome.words)**\n\n"
        text += "Runs " + fires.markdown + ".\n\n"
        for note in notes { text += "- " + Self.markdown(note) + "\n" }
        if !notes.isEmpty { text += "\n" }
        if items.isEmpty { text += "No steps.\n" }
        Self.markdown(items, depth: 0, into: &text)
        text += "\n" + Self.fenced(picture, info: "mermaid") + "\n"
        return text
    }

    private static func markdown(_ items: [Item], depth: Int, into text: inout String) {
        let pad = String(repeating: "   ", count: depth)
        for item in items {
            text += pad + "1. " + item.does.markdown
            if item.counts { text += " — " + (item.outcome == .exact ? "exact" : "**\(item.outcome.words)**") }
            if let line = item.line { text += " · line \(line)" }
            text += "\n"
            for note in item.notes { text += pad + "   - " + markdown(note) + "\n" }
            markdown(item.children, depth: depth + 1, into: &text)
        }
    }

    /// A finding under a step: its outcome and code, the message, and what to do.
    static func markdown(_ note: MigrationFinding) -> String {
        "\(note.outcome.words) (`\(note.code.rawValue)`, line \(note.location.line)): " + ReportText.markdown(note.sentence)
            + " *What to do:* " + note.advice
    }

    /// `content` in a fenced code block whose fence is longer than any run of backticks inside, with
    /// every control character but the line feed escaped.
    static func fenced(_ content: String, info: String) -> String {
        var longest = 0
        var run = 0
        var controls = false
        for byte in content.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = Swift.max(longest, run)
            if byte < 0x20 && byte != UInt8(ascii: "\n") || byte == 0x7F || byte == 0xC2 || byte == 0xE2 || byte == 0xD8 || byte == 0xEF { controls = true }
        }
        let fence = String(repeating: "`", count: Swift.max(3, longest + 1))
        var body = content
        // The bytes only say a control character may be there (U+2026 `…` starts with 0xE2 too).
        if controls, content.unicodeScalars.contains(where: { $0 != "\n" && DisplayText.isControl($0) }) {
            body = content.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.escapeControls(String($0)) }.joined(separator: "\n")
        }
        if !body.hasSuffix("\n") { body += "\n" }
        return fence + info + "\n" + body + fence + "\n"
    }
}

extension MigrationReportBuilder {
    /// The Markdown document's pieces.
    func markdownPieces(_ ending: ReportEnding) -> [ReportPiece] {
        let summary = ending.summary
        var text = "# Migration report"
        if let name = settings?.name, !name.isEmpty { text += ": " + ReportText.markdown(name) }
        text += "\n\n"
        text += "Made by \(tool) \(version) from " + ReportText.markdown(input)
            + " (SHA-256 `\(ending.digest)`).\n\n"
        text += Self.mergeFieldNote + "\n\n"
        text += "## Totals\n\n"
        text += "| what | count |\n|---|---:|\n"
        text += "| workflows | \(workflowCount) |\n"
        for kind in WorkflowKind.reportOrder where (workflows[kind] ?? 0) > 0 {
            text += "| — \(kind.title.lowercased()) | \(workflows[kind]!) |\n"
        }
        for outcome in ActionOutcome.allCases { text += "| steps \(outcome.words) | \(steps[outcome] ?? 0) |\n" }
        for outcome in ActionOutcome.allCases { text += "| workflows \(outcome.words) | \(workflowOutcomes[outcome] ?? 0) |\n" }
        text += "| findings | \(summary.total) |\n| reader warnings | \(ending.warnings.count) |\n\n"
        text += Self.outcomeLegend
        text += "## Behaviour changes\n\n"
        text += "Where the new workflows behave differently from the old system, or where the old system's behaviour had to be decided. Each explanation is quoted from Docs/mapping.md.\n\n"
        for change in behaviourChanges(ending) {
            text += "- **" + change.title + "**\n\n  > " + change.explanation + "\n\n"
        }
        text += accountMarkdown
        text += "## Findings\n\n"
        if summary.total == 0 {
            text += "Everything was mapped exactly.\n\n"
        } else {
            text += "| code | count | what to do |\n|---|---:|---|\n"
            for (code, count) in summary.sortedCounts {
                text += "| `\(code)` | \(count) | \(MigrationFinding.advice(code: code)) |\n"
            }
            text += "\n"
            if summary.generalCount > 0 {
                text += "Findings about the account, its catalogue or its templates (the others are listed under their workflow):\n\n"
                for finding in summary.general.prefix(Self.listLimit) {
                    text += "- line \(finding.location.line), `\(finding.code.rawValue)`: " + ReportText.markdown(finding.message) + "\n"
                }
                if summary.generalCount > Self.listLimit { text += "- … and \(summary.generalCount - Self.listLimit) more in migration-report.json\n" }
                text += "\n"
            }
        }
        if !ending.warnings.isEmpty {
            text += "## Reader warnings\n\n"
            for warning in ending.warnings.prefix(Self.listLimit) {
                text += "- line \(warning.location.line): " + ReportText.markdown(warning.message) + "\n"
            }
            if ending.warnings.count > Self.listLimit { text += "- … and \(ending.warnings.count - Self.listLimit) more in migration-report.json\n" }
            text += "\n"
        }
        var pieces: [ReportPiece] = [.text(Array(text.utf8))]
        for kind in WorkflowKind.reportOrder {
            guard let count = workflows[kind], count > 0 else { continue }
            pieces.append(.text(Array("## \(kind.title) (\(count))\n\n".utf8)))
            pieces.append(.body(.markdown(kind)))
        }
        return pieces
    }

    /// The most account-level findings and reader warnings the Markdown lists (the JSON has them
    /// all): 1,000.
    static let listLimit = 1_000
    /// The most findings and reader warnings the HTML lists (the Markdown and JSON have them): 200.
    static let htmlListLimit = 200

    /// The intro's sentence on merge fields, in the report's Markdown.
    static let mergeFieldNote =
        "Merge fields in subjects and texts are shown in the new syntax: `~Contact.FirstName~` in the old system is `{{contact.FirstName}}` here."

    static let outcomeLegend =
        "*Exact*: the step does what the old one did. *Approximated*: it does nearly that; the note says how it differs. *Not mappable*: it has no equivalent; the note says what to do.\n\n"

    private var accountMarkdown: String {
        guard let settings else { return "" }
        var text = "## Account\n\n"
        text += "| setting | value |\n|---|---|\n"
        text += "| account | " + ReportText.markdown(settings.name) + " (id " + ReportText.markdown(settings.id) + ") |\n"
        text += "| timezone | " + ReportText.markdown(settings.timezone) + " |\n"
        text += "| currency | " + ReportText.markdown(settings.currency) + " |\n"
        text += "| run purchase actions on all orders | \(settings.runPurchaseActionsOnAllOrders ? "on" : "off") |\n"
        let billing = settings.billing
        let retries = policy == nil ? retryRows : policyRows
        let prefix = policy.map { "payment retries (" + ReportText.markdown($0.file) + "), " } ?? "payment retries (not carried: see above), "
        for (label, value) in retries.prefix(Self.listLimit) { text += "| " + prefix + label.markdown + " | " + ReportText.markdown(value) + " |\n" }
        if retries.count > Self.listLimit { text += "| payment retries of \(retries.count - Self.listLimit) more plans | in migration-report.json |\n" }
        text += "| days before autocharge | \(billing.daysBeforeAutocharge)\(billing.daysBeforeAutocharge != 0 && policy != nil ? " (not in the policy: see its finding)" : "") |\n"
        text += "| oldest invoice charged | \(billing.maxInvoiceAgeMonths) months |\n\n"
        return text + policyMarkdown
    }
}
