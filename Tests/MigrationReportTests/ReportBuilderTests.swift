import CommandLineTesting
import Foundation
@testable import MigrationReport
import PurchaseActionsCore
import Testing

/// The report built one workflow at a time: plain words, outcomes, the three documents, memory.
@Suite("Migration report builder")
struct ReportBuilderTests {
    @Test("A product slot says in plain words what fires it, with the product's name from the catalogue")
    func firesInPlainWords() {
        let markdown = ReportFixture.document(.markdown, ReportFixture.account())
        #expect(markdown.contains("Runs when a cart or order-form payment of *Foundations — VIP* succeeds, first payment only (it runs for a purchase in the cart or on an order form and "), "\(markdown)")
        let allOrders = ReportFixture.document(.markdown, ReportFixture.account(allOrders: true))
        #expect(allOrders.contains("Runs when a payment of *Foundations — VIP* succeeds (it runs for a purchase in the cart or on an order form, a manual order charged to a card, "))
        #expect(allOrders.contains("every later instalment of a payment plan"))
    }

    @Test("Each action has its outcome and line; a fax is not mappable, with what to do")
    func outcomes() {
        let markdown = ReportFixture.document(.markdown, ReportFixture.account())
        #expect(markdown.contains("1. Add tag *VIP buyer* (`tag-vip`) — exact · line 11"))
        #expect(markdown.contains("1. Send a fax (kept as a record that does nothing) — **not mappable** · line 12"))
        #expect(markdown.contains("*What to do:* Do this another way"))
        #expect(markdown.contains("| steps not mappable | 1 |"))
        #expect(markdown.contains("| steps exact | 2 |"), "the tag and the slot's call")
    }

    @Test("Every Markdown workflow section has its Mermaid picture in a fence")
    func mermaid() {
        let markdown = ReportFixture.document(.markdown, ReportFixture.account())
        #expect(markdown.components(separatedBy: "```mermaid\nflowchart").count - 1 == 2)
        #expect(MigrationReportBuilder.fencedForTest("a\n````\nb") .hasPrefix("`````mermaid\n"))
    }

    @Test("Hostile names break neither the Markdown nor the HTML, and no control character is raw")
    func hostileNames() throws {
        let account = ReportFixture.account(productName: ReportFixture.hostile, tagName: ReportFixture.hostile, accountName: ReportFixture.hostile)
        let markdown = ReportFixture.document(.markdown, account)
        #expect(!markdown.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("| account | Gold \\| \\*VIP\\*"), "the name is in its table cell, escaped")
        // The structure is intact: each workflow is one heading, each table row still has its cells.
        #expect(markdown.components(separatedBy: "\n### ").count - 1 == 2)
        var cells: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                cells = nil
                continue
            }
            let count = line.replacing("\\|", with: "").filter { $0 == "|" }.count
            #expect(count == (cells ?? count), "a row with other cells than its table's header: \(line)")
            cells = count
        }
        let html = ReportFixture.document(.html, account)
        #expect(!html.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
        try HTMLCheck.balanced(html)
        let expanded = try HTMLCheck.expanded(html)
        #expect(expanded.components(separatedBy: "<script").count - 1 == 1, "only the page's own script")
        #expect(!expanded.contains("<script>alert"))
        #expect(expanded.contains("<i>Gold | *VIP* &lt;script&gt;alert(1)&lt;/script&gt;"), "the tag's name, escaped, in the outline")
        try HTMLCheck.balanced(expanded)
        let json = ReportFixture.document(.json, account)
        let value = try JSONValue.parse(json)
        #expect(value.canonicalText == json)
    }

    @Test("The JSON report is canonical, format v2, with an outline entry and an id per workflow")
    func json() throws {
        let json = ReportFixture.document(.json, ReportFixture.account())
        let value = try JSONValue.parse(json)
        #expect(value.canonicalText == json, "canonical form")
        guard case .object(let report) = value, case .array(let outline)? = report["outline"], case .array(let ids)? = report["workflows"] else {
            Issue.record("not a report")
            return
        }
        #expect(report["formatVersion"] == .integer(2))
        #expect(ids == [.string("action-set.as-vip"), .string("slot.product-purchase.prod-vip")])
        #expect(outline.count == 2)
        guard case .object(let input)? = report["input"] else { return }
        #expect(input["sha256"] == .string(ReportFixture.digest))
    }

    @Test("Findings written in chunks make the same canonical list, past a chunk's size")
    func findingsInChunks() throws {
        let (builder, bodies, _) = ReportFixture.report(ReportFixture.account())
        let findings = (0..<2_500).map { index in
            MigrationFinding(.unknownMergeField, "field \(index)", at: FileLocation(file: "code.xml", line: 2_500 - index), workflowID: "action-set.as-vip")
        }
        let ending = ReportEnding(digest: ReportFixture.digest, findings: findings)
        #expect(builder.pieces(.json, ending: ending).filter { if case .findings = $0 { true } else { false } }.count == 3)
        let json = String(decoding: builder.document(.json, ending: ending, bodies: bodies), as: UTF8.self)
        let value = try JSONValue.parse(json)
        #expect(value.canonicalText == json)
        guard case .object(let report) = value, case .array(let written)? = report["findings"] else {
            Issue.record("no findings")
            return
        }
        #expect(written == Migration.documentOrder(findings).map(\.json), "every finding, in document order")
    }

    @Test("With no workflows the JSON still parses, with empty lists")
    func emptyJSON() throws {
        let builder = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        let json = String(decoding: builder.document(.json, ending: ReportEnding(digest: ReportFixture.digest, findings: []), bodies: [:]), as: UTF8.self)
        let value = try JSONValue.parse(json)
        #expect(value.canonicalText == json)
        #expect(json.contains("\"outline\": []") && json.contains("\"workflows\": []"))
    }

    @Test("Memory: adding workflows that are not slots keeps nothing but counters")
    func flatMemory() {
        let (compiled, _, _) = ReportFixture.report(ReportFixture.account())
        var builder = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        let workflow = Workflow(
            id: "action-set.x", name: "X", priority: 50, triggers: [Trigger(id: "manual", event: .manual)],
            steps: [Step(id: "a", .action(.addTag(tagID: "t")))], settings: WorkflowSettings(accountTimezone: "UTC"))
        for index in 0..<5_000 {
            var copy = workflow
            copy.id = "action-set.x\(index)"
            _ = builder.add(workflow: copy, findings: [])
        }
        #expect(builder.retainedIDs == 0)
        #expect(builder.workflowCount == 5_000)
        #expect(compiled.retainedIDs == 2, "a slot and the set it calls")
        var slots = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        for index in 0...MigrationReportBuilder.picturedLimit {
            _ = slots.add(workflow: Workflow(id: "slot.s\(index)", name: "S", priority: 30, triggers: [], steps: [], settings: WorkflowSettings(accountTimezone: "UTC")), findings: [])
        }
        #expect(slots.retainedIDs == MigrationReportBuilder.picturedLimit, "bounded one past the limit")
    }

    @Test("The HTML stays under its size limit however long the outlines: past the budgets, workflows by name only, then not listed")
    func htmlSizeBound() {
        var builder = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        // 12 distinct actions per workflow, each with a subject of its own: about 1.5 KB of outline.
        var bodies: [ReportBody: [UInt8]] = [:]
        for index in 0..<10_000 {
            let steps = (0..<12).map { Step(id: "s\($0)", .action(.sendSMS(from: nil, message: "message \(index)-\($0) " + String(repeating: "x", count: 60)))) }
            let workflow = Workflow(
                id: "action-set.x\(index)", name: "Set \(index) " + String(repeating: "n", count: 30), priority: 50, triggers: [Trigger(id: "manual", event: .manual)],
                steps: steps, settings: WorkflowSettings(accountTimezone: "UTC"))
            for part in builder.add(workflow: workflow, findings: []).parts { bodies[part.body, default: []] += part.bytes }
        }
        let html = builder.document(.html, ending: ReportEnding(digest: ReportFixture.digest, findings: []), bodies: bodies)
        #expect(html.count < MigrationReportBuilder.htmlSizeLimit, "\(html.count) bytes")
        let text = String(decoding: html, as: UTF8.self)
        #expect(text.contains("workflows are listed by name only"))
        #expect(text.contains("action-set.x0<") && text.contains("(outline in migration-report.md)"))
        #expect(!text.contains("workflows are not listed"), "at 10,000 workflows every one is listed")
        #expect(text.contains("action-set.x9999<"))
        // The Markdown keeps every workflow.
        let markdown = String(decoding: bodies[.markdown(.actionSet)] ?? [], as: UTF8.self)
        #expect(markdown.contains("action-set.x9999"))
    }

    @Test("Pictures: all workflows when few; past the limit only the slots and what they call")
    func pictureChoice() {
        var builder = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        let call = Step(id: "run", .call(workflowID: "action-set.called"))
        _ = builder.add(workflow: Workflow(id: "slot.s", name: "S", priority: 30, triggers: [], steps: [call], settings: WorkflowSettings(accountTimezone: "UTC")), findings: [])
        #expect(builder.showsPicture("action-set.other"))
        for index in 0..<MigrationReportBuilder.allPicturesUpTo {
            _ = builder.add(workflow: Workflow(id: "action-set.n\(index)", name: "N", priority: 50, triggers: [], steps: [], settings: WorkflowSettings(accountTimezone: "UTC")), findings: [])
        }
        #expect(!builder.showsPicture("action-set.other"))
        #expect(builder.showsPicture("slot.s") && builder.showsPicture("action-set.called"))
    }

    @Test("The HTML is self-contained, balanced, lists every workflow, and inlines the pictures it is given")
    func html() throws {
        let svg = Array("<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><!-- c --><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10pt\" viewBox=\"0 0 10 10\"><g id=\"n\"><title>a&#45;&gt;b</title><text x=\"1\">hi</text></g></svg>\n".utf8)
        let html = ReportFixture.document(.html, ReportFixture.account()) { $0 == "slot.product-purchase.prod-vip" ? svg : nil }
        try HTMLCheck.balanced(html)
        try HTMLCheck.selfContained(html)
        let expanded = try HTMLCheck.expanded(html)
        try HTMLCheck.balanced(expanded)
        try HTMLCheck.selfContained(expanded)
        #expect(html.contains("<code>action-set.as-vip</code>") && html.contains("<code>slot.product-purchase.prod-vip</code>"))
        #expect(expanded.contains("<li>Send a fax (kept as a record that does nothing) <b class=n>not mappable</b> <code>legacy-action</code> <small>12</small></li>"), "\(expanded)")
        #expect(expanded.contains("<p>Runs when a cart or order-form payment of <i>Foundations — VIP</i> succeeds, first payment only (it runs for "))
        #expect(html.contains("<div class=pic><svg width=\"10pt\" viewBox=\"0 0 10 10\"><g id=\"n\"><title>a&#45;&gt;b</title>"))
        #expect(!html.contains("\u{0}"))
    }

    @Test("Each behaviour change's explanation is word for word in Docs/mapping.md", arguments: BehaviourChange.all.map(\.id))
    func behaviourChangesQuoteMapping(id: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let mapping = try String(contentsOf: root.appendingPathComponent("Docs/mapping.md"), encoding: .utf8)
        func normal(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let change = try #require(BehaviourChange.all.first { $0.id == id })
        #expect(normal(mapping).contains(normal(change.explanation)), "Docs/mapping.md no longer says: \(change.explanation)")
    }

    @Test("The HTML outlines share their strings: the dictionary stays bounded, and a { in a name is never a token")
    func dictionary() throws {
        var builder = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        for index in 0..<2_000 {
            let steps = [Step(id: "a", .action(.addTag(tagID: "tag \(index) {0}")))]
            _ = builder.add(workflow: Workflow(id: "action-set.x\(index)", name: "{1}", priority: 50, triggers: [], steps: steps, settings: WorkflowSettings(accountTimezone: "UTC")), findings: [])
        }
        #expect(builder.dictionary.entries.count == HTMLDictionary.fixed.count + 1 + 2_000, "“Add tag” and each tag once")
        var full = HTMLDictionary()
        for index in 0...HTMLDictionary.entryLimit { _ = full.token("entry \(index)") }
        #expect(full.entries.count == HTMLDictionary.entryLimit)
        #expect(full.token("one past the limit") == "one past the limit", "written where it is used")
        let html = ReportFixture.document(.html, ReportFixture.account(tagName: "{0}{1}"))
        let expanded = try HTMLCheck.expanded(html)
        #expect(expanded.contains("<i>&#123;0}&#123;1}</i>"))
    }

    @Test("Only the behaviour changes that apply are listed")
    func relevantChanges() {
        let markdown = ReportFixture.document(.markdown, ReportFixture.account())
        #expect(markdown.contains("Faxes, letters and voice broadcasts are no longer sent"))
        #expect(markdown.contains("payment-retry settings"))
        #expect(!markdown.contains("A contact already in a sequence"), "no sequences")
        #expect(!markdown.contains("PayPal"), "no billing rules")
    }
}

extension MigrationReportBuilder {
    static func fencedForTest(_ text: String) -> String { WorkflowOutline.fenced(text, info: "mermaid") }
}
