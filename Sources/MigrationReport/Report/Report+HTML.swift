import PurchaseActionsCore

/// `migration-report.html`: one self-contained file (inline CSS and a small inline script for the
/// filter box; no external URL, script, font or link, and a Content-Security-Policy that forbids
/// loading any), with every workflow as an outline in a collapsed `<details>` section. Every text
/// from the export goes through ``ReportText/html(_:)``.
extension WorkflowOutline {
    /// The workflow's section: a summary (name, id, outcome) and its outline, written compactly
    /// (``HTMLDictionary``) in a `<script type=o>` the page's script expands when the
    /// section is opened; a picture marker (``PictureSplicer``) before its end.
    func html(_ dictionary: inout HTMLDictionary) -> String {
        var text: [UInt8] = []
        html(into: &text, &dictionary)
        return String(decoding: text, as: UTF8.self)
    }

    /// ``html(_:)`` appended to `text`.
    func html(into text: inout [UInt8], _ dictionary: inout HTMLDictionary) {
        htmlOutline().write(into: &text, &dictionary)
    }

    /// The workflow's section as ``html(into:_:)`` writes it, with the phrases and codes the
    /// dictionary turns into tokens left as holes: what needs no dictionary, made apart from it
    /// (``ReportRenderer``).
    func htmlOutline() -> HTMLOutline {
        var outline = HTMLOutline()
        head.html(into: &outline)
        var line = 0
        Self.html(items, into: &outline, line: &line)
        outline.bytes.write("</script>\u{0}")
        outline.bytes.write(id)
        outline.bytes.write("\u{0}</details>\n")
        return outline
    }

    /// The workflow's section without its outline, for an HTML report past its outline budget.
    var htmlSummaryOnly: String {
        var text: [UInt8] = []
        htmlSummaryOnly(into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// `<details class=…><summary>name <code>id</code></summary>`, the start of both HTML forms.
    private func summaryHead(into text: inout [UInt8]) {
        Self.summaryHead(name: name, id: id, outcome: outcome, into: &text)
    }

    /// ``summaryHead(into:)`` of a workflow's name, id and outcome.
    static func summaryHead(name: String, id: String, outcome: ActionOutcome, into text: inout [UInt8]) {
        text.write("<details")
        if outcome != .exact {
            text.write(" class=")
            text.write(cssClass(outcome))
        }
        text.write("><summary>")
        ReportText.html(name, into: &text)
        text.write(" <code>")
        ReportText.html(id, into: &text)
        text.write("</code></summary>")
    }

    /// ``htmlSummaryOnly`` appended to `text`.
    func htmlSummaryOnly(into text: inout [UInt8]) {
        summaryHead(into: &text)
        Self.htmlSummaryTail(into: &text)
    }

    /// What follows the summary head in ``htmlSummaryOnly``.
    static func htmlSummaryTail(into text: inout [UInt8]) {
        text.write("(outline in migration-report.md)</details>\n")
    }

    private static func html(_ items: [Item], into outline: inout HTMLOutline, line previous: inout Int) {
        guard !items.isEmpty else { return }
        outline.bytes.write("{0}")
        for (index, item) in items.enumerated() {
            if index > 0 { outline.bytes.write("{1}") }
            outline.add(item.does)
            if item.counts {
                let outcome = item.outcome
                if outcome != .exact { outline.bytes.write(outcome == .approximated ? "{8}" : "{9}") }
            }
            if !item.notes.isEmpty {
                outline.bytes.append(UInt8(ascii: " "))
                codes(item.notes, into: &outline)
            }
            if let line = item.line { outline.addLine(line, after: &previous) }
            html(item.children, into: &outline, line: &previous)
        }
        outline.bytes.write("{2}")
    }

    /// The codes of findings, each once: the findings section has their messages.
    static func codes(_ notes: [MigrationFinding], into outline: inout HTMLOutline) {
        // A step has a few notes: each code looked for among those before it, with no set made.
        for (index, note) in notes.enumerated() where !notes[..<index].contains(where: { $0.code == note.code }) {
            outline.holes.append(HTMLOutline.Hole(at: outline.bytes.count, kind: .code(codeHTML(note.code))))
        }
    }

    /// `<code>` and a finding code's text (made once per code, not per note).
    static func codeHTML(_ code: MigrationFinding.Code) -> String {
        codeHTMLByCode[code] ?? "<code>" + ReportText.html(code.rawValue) + "</code>"
    }

    private static let codeHTMLByCode: [MigrationFinding.Code: String] = Dictionary(
        uniqueKeysWithValues: MigrationFinding.Code.allCases.map { ($0, "<code>" + ReportText.html($0.rawValue) + "</code>") })

    static func html(_ note: MigrationFinding) -> String {
        "<code>\(note.code.rawValue)</code> line \(note.location.line)" + (note.workflowID.isEmpty ? "" : " (" + ReportText.html(note.workflowID) + ")")
            + ": " + ReportText.html(note.sentence)
    }

    static func cssClass(_ outcome: ActionOutcome) -> String {
        switch outcome {
        case .exact: "x"
        case .approximated: "a"
        case .notMappable: "n"
        }
    }
}

extension MigrationReportBuilder {
    static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}\
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}\
        #workflows details{border-top:1px solid #ddd;padding:2px 0}details.a>summary:after{content:" approximated";color:#a60}details.n>summary:after{content:" not mappable";color:#b00}summary{cursor:pointer}code{font-size:90%}\
        small{color:#777}small:before{content:"line "}b.a{color:#a60}b.n{color:#b00}\
        ol{margin:0;padding-left:1.6em}.pic svg{max-width:100%;height:auto}#filter{font-size:110%;width:20em}\
        blockquote{margin:.3em 0 .8em 1em;color:#444}
        """

    /// Expands an outline when its section is opened (``HTMLDictionary``), and filters the sections by
    /// any word of their name, id or outline.
    static let script = """
        function X(s){var l=0;return s.replace(/\\{([+-]?)(\\d+)\\}/g,function(m,d,i){if(d==="")return D[+i];l+=d==="+"?+i:-i;return " <small>"+l+"</small>";});}\
        function O(d){var s=d.querySelector("script[type=o]");if(!s)return;var e=document.createElement("div");e.innerHTML=X(s.textContent);s.replaceWith(e);}\
        document.addEventListener("toggle",function(e){if(e.target.open)O(e.target);},true);\
        document.getElementById("filter").addEventListener("input",function(){var q=this.value.toLowerCase();\
        document.querySelectorAll("#workflows details").forEach(function(d){if(d.t===undefined){var s=d.querySelector("script[type=o]");\
        d.t=(d.querySelector("summary").textContent+" "+(s?X(s.textContent).replace(/<[^>]*>/g,""):d.textContent)).toLowerCase();}\
        d.hidden=q!==""&&d.t.indexOf(q)<0;});});
        """

    /// The HTML document's pieces.
    func htmlPieces(_ ending: ReportEnding) -> [ReportPiece] {
        let summary = ending.summary
        let title = "Migration report" + (settings.map { $0.name.isEmpty ? "" : ": " + ReportText.html($0.name) } ?? "")
        var text = "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        text += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        text += "<meta name=viewport content=\"width=device-width\"><title>" + title + "</title><style>" + Self.style + "</style><script>var D=" + dictionary.script + ";</script></head><body>\n"
        text += "<h1>" + title + "</h1>\n"
        text += "<p>Made by " + ReportText.html(tool) + " " + ReportText.html(version) + " from " + ReportText.html(input)
            + " (SHA-256 <code>" + ReportText.html(ending.digest) + "</code>).</p>\n"
        text += "<p>" + Self.inlineMarkdown(Self.mergeFieldNote) + "</p>\n"
        text += "<h2>Totals</h2><table><tr><th>what</th><th>count</th></tr><tr><td>workflows</td><td>\(workflowCount)</td></tr>"
        for kind in WorkflowKind.reportOrder where (workflows[kind] ?? 0) > 0 {
            text += "<tr><td>— \(kind.title.lowercased())</td><td>\(workflows[kind]!)</td></tr>"
        }
        for outcome in ActionOutcome.allCases { text += "<tr><td>steps \(outcome.words)</td><td>\(steps[outcome] ?? 0)</td></tr>" }
        for outcome in ActionOutcome.allCases { text += "<tr><td>workflows \(outcome.words)</td><td>\(workflowOutcomes[outcome] ?? 0)</td></tr>" }
        text += "<tr><td>findings</td><td>\(summary.total)</td></tr><tr><td>reader warnings</td><td>\(ending.warnings.count)</td></tr></table>\n"
        text += "<p>" + Self.inlineMarkdown(Self.outcomeLegend.trimmingCharacters(in: "\n")) + "</p>\n"
        text += "<h2>Behaviour changes</h2><p>Where the new workflows behave differently from the old system, or where the old system's behaviour had to be decided. Each explanation is quoted from Docs/mapping.md.</p><ul>\n"
        for change in behaviourChanges(ending) {
            text += "<li><b>" + ReportText.html(change.title) + "</b><blockquote>" + Self.inlineMarkdown(change.explanation) + "</blockquote></li>\n"
        }
        text += "</ul>\n" + accountHTML
        text += "<h2>Findings</h2>"
        if summary.total == 0 {
            text += "<p>Everything was mapped exactly.</p>\n"
        } else {
            text += "<table><tr><th>code</th><th>count</th><th>what to do</th></tr>"
            for (code, count) in summary.sortedCounts {
                text += "<tr><td><code>" + ReportText.html(code) + "</code></td><td>\(count)</td><td>" + ReportText.html(MigrationFinding.advice(code: code)) + "</td></tr>"
            }
            text += "</table>\n"
            text += "<details><summary>Every finding, in document order (workflow in brackets)</summary><ul>"
            for finding in summary.first.prefix(Self.htmlListLimit) { text += "<li>" + WorkflowOutline.html(finding) + "</li>\n" }
            if summary.total > Self.htmlListLimit { text += "<li>… and \(summary.total - Self.htmlListLimit) more in migration-report.md and migration-report.json</li>" }
            text += "</ul></details>\n"
        }
        if !ending.warnings.isEmpty {
            text += "<h2>Reader warnings</h2><ul>"
            for warning in ending.warnings.prefix(Self.htmlListLimit) {
                text += "<li>line \(warning.location.line): " + ReportText.html(warning.message) + "</li>\n"
            }
            if ending.warnings.count > Self.htmlListLimit { text += "<li>… and \(ending.warnings.count - Self.htmlListLimit) more in migration-report.json</li>" }
            text += "</ul>\n"
        }
        text += "<h2>Workflows</h2><p>Open a workflow to see what fires it and each step, with its outcome and line. <input id=filter type=search placeholder=\"Filter workflows by any word\" aria-label=\"Filter workflows\"> "
        text += "Pictures appear when the import ran with --pictures and Graphviz was installed"
        text += workflowCount > Self.allPicturesUpTo ? " (with this many workflows, only for the purchase slots and the action sets they run)" : ""
        text += "; migration-report.md has a picture of every workflow.</p>"
        if htmlSummarized > 0 || htmlOmitted > 0 {
            text += "<p><b>This file keeps under 5 MB:</b> "
            if htmlSummarized > 0 { text += "\(htmlSummarized) workflows are listed by name only" }
            if htmlSummarized > 0 && htmlOmitted > 0 { text += " and " }
            if htmlOmitted > 0 { text += "\(htmlOmitted) workflows are not listed" }
            text += "; migration-report.md and migration-report.json hold every workflow's outline.</p>"
        }
        text += "<div id=workflows>\n"
        var pieces: [ReportPiece] = [.text(Array(text.utf8))]
        for kind in WorkflowKind.reportOrder {
            guard let count = workflows[kind], count > 0 else { continue }
            var intro = "<h3>" + kind.title + " (\(count))</h3>\n"
            if kind == .actionSet || kind == .sequence { intro += "<p>Each runs " + ReportNames.manual(kind).html + ".</p>\n" }
            pieces.append(.text(Array(intro.utf8)))
            pieces.append(.body(.html(kind)))
        }
        pieces.append(.text(Array(("</div><script>" + Self.script + "</script>\n</body></html>\n").utf8)))
        return pieces
    }

    private var accountHTML: String {
        guard let settings else { return "" }
        let billing = settings.billing
        let rows: [(String, String)] = [
            ("account", ReportText.html(settings.name) + " (id " + ReportText.html(settings.id) + ")"),
            ("timezone", ReportText.html(settings.timezone)), ("currency", ReportText.html(settings.currency)),
            ("run purchase actions on all orders", settings.runPurchaseActionsOnAllOrders ? "on" : "off"),
        ]
        let retries = policy == nil ? retryRows : policyRows
        let prefix = policy.map { "payment retries (" + ReportText.html($0.file) + "), " } ?? "payment retries (not carried: see above), "
        var retryCells = retries.prefix(Self.htmlListLimit).map { (prefix + $0.label.html, ReportText.html($0.value)) }
        if retries.count > Self.htmlListLimit { retryCells.append(("payment retries of \(retries.count - Self.htmlListLimit) more plans", "in migration-report.md and migration-report.json")) }
        let more: [(String, String)] = [
            (
                "days before autocharge",
                "\(billing.daysBeforeAutocharge)\(billing.daysBeforeAutocharge != 0 && policy != nil ? " (not in the policy: see its finding)" : "")"
            ),
            ("oldest invoice charged", "\(billing.maxInvoiceAgeMonths) months"),
        ]
        return "<h2>Account</h2><table>" + (rows + retryCells + more).map { "<tr><td>\($0.0)</td><td>\($0.1)</td></tr>" }.joined() + "</table>\n"
            + policyHTML
    }

    /// The report's own Markdown (behaviour changes, the legend) as HTML: escaped, then `` `code` ``,
    /// `**bold**` and `*italic*` pairs made tags.
    static func inlineMarkdown(_ text: String) -> String {
        var result = ""
        var open: [Character: Bool] = [:]
        var characters = Array(ReportText.html(text))
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "`" {
                result += open["`", default: false] ? "</code>" : "<code>"
                open["`", default: false].toggle()
            } else if character == "*", !open["`", default: false] {
                if index + 1 < characters.count, characters[index + 1] == "*" {
                    result += open["b", default: false] ? "</b>" : "<b>"
                    open["b", default: false].toggle()
                    index += 1
                } else {
                    result += open["i", default: false] ? "</i>" : "<i>"
                    open["i", default: false].toggle()
                }
            } else {
                result.append(character)
            }
            index += 1
        }
        characters = []
        return result
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
