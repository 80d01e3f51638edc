import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7 (helper R2): the renderer writes a workflow's JSON entry, Markdown section and
/// HTML outline in one pass over a flat list of its steps (`OutlineWriter`); the bytes are those of
/// the outline tree's three formats (`WorkflowOutline`) with the picture of `PictureLayout`, and the
/// counts and outcome are the tree's.
@Suite("Outline in one pass: the renderer's bytes are the outline tree's")
struct OutlineWriterTests {
    /// What the straightforward path makes of a workflow: the outline tree, each format from it.
    struct Expected: Equatable {
        var json: [UInt8]
        var markdown: [UInt8]
        var html: [UInt8]
        var summary: [UInt8]
        var outcome: ActionOutcome
        var steps: [Int]
    }

    /// The HTML outline filled through a fresh dictionary, and its summary-only form.
    static func html(_ outline: HTMLOutline) -> ([UInt8], [UInt8]) {
        var dictionary = HTMLDictionary()
        var bytes: [UInt8] = []
        outline.write(into: &bytes, &dictionary)
        return (bytes, Array(outline.bytes[0..<outline.summaryHeadCount]))
    }

    static func expected(_ workflow: Workflow, _ findings: [MigrationFinding], names: ReportNames) -> Expected {
        let outline = WorkflowOutline(workflow, findings: findings, names: names)
        var markdown: [UInt8] = []
        outline.markdown(picture: Array(PictureLayout(workflow).mermaid.utf8), into: &markdown)
        var steps = [0, 0, 0]
        outline.forEachOutcome { steps[$0.index] += 1 }
        let (html, summary) = Self.html(outline.htmlOutline())
        return Expected(json: outline.jsonFragment, markdown: markdown, html: html, summary: summary, outcome: outline.worstOutcome, steps: steps)
    }

    static func actual(_ rendered: RenderedWorkflow) -> Expected {
        let (html, summary) = Self.html(rendered.html)
        return Expected(json: rendered.jsonOutline, markdown: rendered.markdown, html: html, summary: summary, outcome: rendered.outcome, steps: rendered.stepOutcomes)
    }

    /// Template findings for two of the three templates the random emails name.
    static func names() -> ReportNames {
        var names = ReportNames(catalogue: ReportSplitTests.catalogue)
        names.add(templateFindings: (0..<2).map {
            MigrationFinding($0 == 0 ? .unknownMergeField : .legacyAction, "tpl \($0) (used by x)", at: FileLocation(file: "x.xml", line: 50 + $0), workflowID: "")
        })
        return names
    }

    @Test("Random workflows with findings at, inside and outside their steps, through one renderer: every format, the outcome and the counted steps are the tree's")
    func randomWorkflows() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 0...400)) { values in
            var choices = ReportBytesTests.Choices(values: values)
            let workflows = (0..<5).map { _ in ReportBytesTests.workflow(&choices) }
            var renderer = ReportRenderer(names: Self.names())
            var names = Self.names()
            // Twice: the second time the action words come from the renderer's cache.
            for (workflow, findings) in workflows + workflows {
                let rendered = renderer.render(workflow: workflow, findings: findings)
                names.remember(workflow: workflow.id, name: workflow.name)
                #expect(Self.actual(rendered) == Self.expected(workflow, findings, names: names), "\(workflow.id)")
            }
        }
    }

    @Test("Findings on nested steps: the first step with the path takes it, else the deepest holding it, else the workflow")
    func attachment() {
        let path = "/export/x[@id='as-1']"
        let inner = Step(id: "inner", .action(.addTag(tagID: "tag-1")), source: SourceTrace(file: "x.xml", path: path + "/if/tag", line: 9))
        let twin = Step(id: "twin", .action(.addTag(tagID: "tag-2")), source: SourceTrace(file: "x.xml", path: path + "/if/tag", line: 10))
        let branch = Step(
            id: "if", .branch([Branch(name: "b", when: .field("order.total", .greaterThan, .integer(5)), steps: [inner, twin])], otherwise: []),
            source: SourceTrace(file: "x.xml", path: path + "/if", line: 8))
        let workflow = Workflow(
            id: "action-set.as-1", name: "One", priority: 0, triggers: [], steps: [branch], settings: WorkflowSettings(accountTimezone: "UTC"),
            source: SourceTrace(file: "x.xml", path: path, line: 7))
        func finding(_ at: String, _ code: MigrationFinding.Code) -> MigrationFinding {
            var finding = MigrationFinding(code, at, at: FileLocation(file: "x.xml", line: 3), workflowID: workflow.id)
            finding.location.path = at
            return finding
        }
        let findings = [
            finding(path + "/if/tag", .legacyAction), finding(path + "/if/tag/extension", .unknownMergeField), finding(path + "/if/other", .missingReference),
            finding(path, .literalBraces), finding(path + "/elsewhere", .sendTimeIgnored),
        ]
        var renderer = ReportRenderer(names: Self.names())
        let rendered = renderer.render(workflow: workflow, findings: findings)
        var names = Self.names()
        names.remember(workflow: workflow.id, name: workflow.name)
        #expect(Self.actual(rendered) == Self.expected(workflow, findings, names: names))
        #expect(rendered.outcome == .notMappable)
        let markdown = String(decoding: rendered.markdown, as: UTF8.self)
        // The first step with the path gets the exact finding and the one inside its element.
        #expect(markdown.contains("— **not mappable** · line 9\n      - not mappable (`legacy-action`, line 3)"))
        #expect(markdown.contains("\n      - approximated (`unknown-merge-field`"), "the finding inside its element")
        #expect(!markdown.contains("· line 10\n      -"), "the twin gets none")
        #expect(markdown.contains("\n- approximated (`literal-braces`"), "the workflow's own")
    }

    /// Text with every kind of byte the escapes care about: controls, direction marks, a backslash,
    /// Markdown and HTML syntax, leading list markers, `…`, quotes and dashes (lead byte `E2`).
    static let pieces = [
        "a", " ", "é", "…", "“", "—", "\u{2028}", "\u{200E}", "\u{85}", "\u{61C}", "\u{FEFF}", "\u{FEFE}", "\t", "\n", "\u{7F}", "\\", "*", "_", "`", "|",
        "&", "<", ">", "\"", "'", "-", "+", "=", "1", ".", ")", "😀", "e\u{301}", "{",
    ]
    static let texts = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40).map { $0.map { Self.pieces[$0] }.joined() }

    /// Markdown escaping as it was written before its one-scan copy: the display escape first, then
    /// byte by byte.
    static func markdownReference(_ text: String) -> [UInt8] {
        let bytes = Array(DisplayText.escape(text).utf8)
        guard let first = bytes.first else { return [] }
        let leading = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") || (0x30...0x39).contains(first)
        guard leading || bytes.contains(where: { ReportText.markdownSpecialByte[Int($0)] }) else { return bytes }
        var output: [UInt8] = []
        var leadingDigits = true
        for (index, byte) in bytes.enumerated() {
            let digit = (0x30...0x39).contains(byte)
            if ReportText.markdownSpecialByte[Int(byte)] {
                output.append(UInt8(ascii: "\\"))
            } else if index == 0, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") {
                output.append(UInt8(ascii: "\\"))
            } else if index > 0, leadingDigits, byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")") {
                output.append(UInt8(ascii: "\\"))
            }
            leadingDigits = leadingDigits && digit
            output.append(byte)
        }
        return output
    }

    @Test("Text copied whole when it needs no escape: the Markdown, HTML and display bytes of escaping it")
    func copiedText() async {
        await propertyCheck(count: 1_000, input: Self.texts) { text in
            var markdown: [UInt8] = [1]
            ReportText.markdown(text, into: &markdown)
            #expect(markdown == [1] + Self.markdownReference(text))
            var html: [UInt8] = [2]
            ReportText.html(text, into: &html)
            var entities: [UInt8] = [2]
            ReportText.htmlEntities(DisplayText.escape(text), into: &entities)
            #expect(html == entities)
            var shown: [UInt8] = [3]
            ReportText.shown(text, into: &shown)
            #expect(shown == [3] + Array(DisplayText.escape(text).utf8))
        }
        var plain: [UInt8] = []
        ReportText.markdown("12. list", into: &plain)
        #expect(String(decoding: plain, as: UTF8.self) == "12\\. list")
    }
}
