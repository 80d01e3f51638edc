import PurchaseActionsCore

/// `migration-report.md`: the report for people, in GitHub-flavoured Markdown, with a Mermaid
/// picture of each workflow. Every text from the export goes through ``ReportText/markdown(_:)``.
extension WorkflowOutline {
    /// The workflow's section.
    func markdown(picture: String) -> String {
        var text: [UInt8] = []
        markdown(picture: Array(picture.utf8), into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The workflow's section appended to `text`, with `picture` (Mermaid text) in a fenced block.
    func markdown(picture: [UInt8], into text: inout [UInt8]) {
        head.markdown(into: &text)
        if items.isEmpty { text.write("No steps.\n") }
        Self.markdown(items, depth: 0, into: &text)
        text.append(UInt8(ascii: "\n"))
        Self.fenced(picture, info: "mermaid", into: &text)
        text.append(UInt8(ascii: "\n"))
    }

    /// A counted step's outcome after its words: " — exact", or the outcome in bold.
    static func markdownOutcome(_ outcome: ActionOutcome, into text: inout [UInt8]) {
        if outcome == .exact {
            text.write(" — exact")
        } else {
            text.write(" — **")
            text.write(outcome.words)
            text.write("**")
        }
    }

    private static func markdown(_ items: [Item], depth: Int, into text: inout [UInt8]) {
        for item in items {
            text.write(spaces: 3 * depth)
            text.write("1. ")
            if let markdown = item.markdown { text.append(contentsOf: markdown) } else { item.does.markdown(into: &text) }
            if item.counts { markdownOutcome(item.outcome, into: &text) }
            if let line = item.line {
                text.write(" · line ")
                text.write(decimal: line)
            }
            text.append(UInt8(ascii: "\n"))
            for (index, note) in item.notes.enumerated() {
                text.write(spaces: 3 * depth)
                text.write("   - ")
                if let made = item.templateNotes?.markdown, index < made.count { text.append(contentsOf: made[index]) } else { markdown(note, into: &text) }
                text.append(UInt8(ascii: "\n"))
            }
            markdown(item.children, depth: depth + 1, into: &text)
        }
    }

    /// A finding under a step: its outcome and code, the message, and what to do.
    static func markdown(_ note: MigrationFinding) -> String {
        var text: [UInt8] = []
        markdown(note, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// ``markdown(_:)`` as bytes.
    static func markdownBytes(_ note: MigrationFinding) -> [UInt8] {
        var text: [UInt8] = []
        markdown(note, into: &text)
        return text
    }

    /// ``markdown(_:)`` appended to `text`.
    static func markdown(_ note: MigrationFinding, into text: inout [UInt8]) {
        text.write(note.outcome.words)
        text.write(" (`")
        text.write(note.code.rawValue)
        text.write("`, line ")
        text.write(decimal: note.location.line)
        text.write("): ")
        ReportText.markdown(note.sentence, into: &text)
        text.write(" *What to do:* ")
        text.write(note.advice)
    }

    /// `content` in a fenced code block whose fence is longer than any run of backticks inside, with
    /// every control character but the line feed escaped.
    static func fenced(_ content: String, info: String) -> String {
        var text: [UInt8] = []
        fenced(Array(content.utf8), info: info, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// ``fenced(_:info:)`` appended to `text`.
    static func fenced(_ content: [UInt8], info: String, into text: inout [UInt8]) {
        var longest = 0
        var controls = false
        content.withUnsafeBufferPointer { bytes in
            var run = 0
            var index = 0
            while index < bytes.count {
                // Runs of printable ASCII without a backtick (most of a picture) skipped a word at a
                // time: each ends a backtick run and is no control character.
                let plainEnd = ByteScan.plainRunEnd(bytes, from: index)
                if plainEnd > index {
                    run = 0
                    index = plainEnd
                    continue
                }
                defer { index += 1 }
                let byte = bytes[index]
                if byte == UInt8(ascii: "`") {
                    run += 1
                    if run > longest { longest = run }
                    continue
                }
                run = 0
                if byte >= 0x20 && byte < 0x7F { continue }
                if byte != UInt8(ascii: "\n"), DisplayText.controlStarts(bytes, at: index) { controls = true }
            }
        }
        let fence = Swift.max(3, longest + 1)
        for _ in 0..<fence { text.append(UInt8(ascii: "`")) }
        text.write(info)
        text.append(UInt8(ascii: "\n"))
        var string: String?
        if controls {
            let whole = String(decoding: content, as: UTF8.self)
            if whole.unicodeScalars.contains(where: { $0 != "\n" && DisplayText.isControl($0) }) {
                string = whole.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.escapeControls(String($0)) }.joined(separator: "\n")
            }
        }
        if let string {
            text.write(string)
            if string.utf8.last != UInt8(ascii: "\n") { text.append(UInt8(ascii: "\n")) }
        } else {
            text.append(contentsOf: content)
            if content.last != UInt8(ascii: "\n") { text.append(UInt8(ascii: "\n")) }
        }
        for _ in 0..<fence { text.append(UInt8(ascii: "`")) }
        text.append(UInt8(ascii: "\n"))
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
