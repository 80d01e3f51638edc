import CommandLineTesting
import Foundation
import PropertyBased
import PurchaseActionsCore
@testable import MigrationReport
import Testing

/// A workflow built in code for the picture tests.
private func workflow(id: String = "w", triggers: [Trigger] = [Trigger(id: "t", event: .paymentSucceeded)], _ steps: [Step]) -> Workflow {
    Workflow(id: id, name: "Test", priority: 0, triggers: triggers, steps: steps, settings: WorkflowSettings(accountTimezone: "UTC"))
}

private func email(_ id: String, subject: String, template: String? = nil) -> Step {
    Step(id: id, .action(.sendEmail(EmailMessage(to: .contact, from: nil, subject: subject, templateID: template))))
}

/// The text between the first `"` of a Mermaid node or edge line and its last `"`.
private func quoted(_ line: Substring) -> Substring {
    guard let first = line.firstIndex(of: "\""), let last = line.lastIndex(of: "\""), first < last else { return "" }
    return line[line.index(after: first)..<last]
}

@Suite struct WorkflowPictureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    // MARK: What is drawn

    @Test func everyKindOfStepHasItsShapeInBothSyntaxes() {
        let picture = WorkflowPicture(
            workflow([
                email("mail", subject: "Welcome", template: "tpl-welcome"),
                Step(id: "wait", .wait(.delay(Delay(days: 3), calendarDays: true, at: "09:00", from: .now))),
                Step(
                    id: "check",
                    .branch(
                        [Branch(name: "vip", when: .field("contact.tags", .contains, .text("tag-vip")), steps: [Step(id: "tag", .action(.addTag(tagID: "tag-a")))])],
                        otherwise: [Step(id: "bye", .exit)])),
                Step(id: "goal", .goal(Goal(name: "Bought", event: .paymentSucceeded))),
                Step(id: "run", .call(workflowID: "action-set.as-x")),
                Step(id: "join", .enroll(workflowID: "sequence.seq-y")),
                Step(id: "leave", .unenroll(workflowID: "sequence.seq-z")),
            ]))
        let mermaid = picture.mermaid
        #expect(mermaid.hasPrefix("flowchart TD\n"))
        #expect(mermaid.contains("    t_t([\"when payment.succeeded\"])\n"))
        #expect(mermaid.contains("    s_mail[\"send-email<br/>Welcome<br/>template tpl-welcome\"]\n"))
        #expect(mermaid.contains("    s_wait{{\"wait 3 d (calendar days) at 09#58;00<br/>counted from here\"}}\n"))
        #expect(mermaid.contains("    s_check{\"if\"}\n"))
        #expect(mermaid.contains("    s_check -->|\"vip<br/>contact.tags contains tag-vip\"| s_tag\n"))
        #expect(mermaid.contains("    s_check -->|\"otherwise\"| s_bye\n"))
        #expect(mermaid.contains("    s_bye(((\"exit\")))\n"))
        #expect(mermaid.contains("    s_goal>\"goal#58; Bought<br/>on payment.succeeded\"]\n"))
        #expect(mermaid.contains("    s_run[[\"call<br/>action-set.as-x\"]]\n"))
        #expect(mermaid.contains("    s_join[/\"enroll in<br/>sequence.seq-y\"/]\n"))
        #expect(mermaid.contains("    s_leave[/\"unenroll from<br/>sequence.seq-z\"\\]\n"))
        #expect(mermaid.contains("    n_end((\"end\"))\n"))
        // The exit ends its path: nothing leaves it; the tag's path goes on to the goal.
        #expect(!mermaid.contains("s_bye -->"))
        #expect(mermaid.contains("    s_tag --> s_goal\n"))
        #expect(mermaid.contains("    s_leave --> n_end\n"))

        let dot = picture.dot
        #expect(dot.hasPrefix("digraph workflow {\n"))
        #expect(dot.hasSuffix("}\n"))
        #expect(dot.contains("    s_check [shape=diamond, label=\"if\"];\n"))
        #expect(dot.contains("    s_run [shape=box, peripheries=2, label=\"call\\naction-set.as-x\"];\n"))
        #expect(dot.contains("    s_bye [shape=octagon, label=\"exit\"];\n"))
        #expect(dot.contains("    s_check -> s_tag [label=\"vip\\ncontact.tags contains tag-vip\"];\n"))
        #expect(picture.mermaid == mermaid && picture.dot == dot)
    }

    @Test func aWaitsTimeoutStepsHangOffATimedOutEdge() {
        let picture = WorkflowPicture(
            workflow([
                Step(
                    id: "w",
                    .wait(.untilEvent(.paymentSucceeded, filters: [], timeout: Delay(days: 2), onTimeout: [Step(id: "nudge", .action(.addTag(tagID: "late")))]))),
                Step(id: "after", .action(.retryCharge)),
            ]))
        #expect(picture.mermaid.contains("    s_w -->|\"timed out\"| s_nudge\n"))
        #expect(picture.mermaid.contains("    s_w --> s_after\n"))
        #expect(picture.mermaid.contains("    s_nudge --> s_after\n"))
    }

    @Test func aWorkflowWithoutTriggersStartsWithANote() {
        let mermaid = WorkflowPicture(workflow(triggers: [], [Step(id: "a", .exit)])).mermaid
        #expect(mermaid.contains("    n_start([\"no trigger<br/>runs when called or enrolled\"])\n"))
        #expect(mermaid.contains("    n_start --> s_a\n"))
    }

    // MARK: Ids

    @Test func nodeIDsAreSafeAndUniqueWhateverTheStepIDs() {
        let ids = ["a.b", "a:b", "a_b", "end", "x\"];\nclick x call alert()", String(repeating: "é", count: 300), "a_b_2"]
        let picture = WorkflowPicture(workflow(ids.map { Step(id: $0, .action(.retryCharge)) }))
        let nodeLines = picture.mermaid.split(separator: "\n").dropFirst().filter { !$0.contains("-->") }
        let nodeIDs = nodeLines.map { $0.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" } }
        #expect(Set(nodeIDs).count == nodeIDs.count)
        #expect(nodeIDs.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } })
        #expect(nodeIDs.contains("s_a_b") && nodeIDs.contains("s_a_b_2") && nodeIDs.contains("s_a_b_3") && nodeIDs.contains("s_a_b_2_2"))
        #expect(nodeIDs.contains("s_end"))
        #expect(WorkflowPicture.nodeID(step: String(repeating: "x", count: 100)).count == 2 + 32)
    }

    // MARK: Escaping

    static let hostile = "say \"hi\"]; click A `code` <b>bold</b> &amp; #35; | {x} %% :::x\n\u{1B}[31m\u{202E}\\ end"

    @Test func mermaidLabelsHoldNoSyntaxHTMLOrControlCharacters() {
        let picture = WorkflowPicture(
            workflow(
                triggers: [Trigger(id: Self.hostile, event: .tagAdded, filters: [.field("tag", .equals, .text(Self.hostile))])],
                [
                    email(Self.hostile, subject: Self.hostile, template: Self.hostile),
                    email("controls", subject: "\n\u{1B}[31m\u{202E}\\ end"),
                    Step(id: "if", .branch([Branch(name: Self.hostile, when: .field("x", .isEmpty), steps: [])], otherwise: [])),
                ]))
        let lines = picture.mermaid.split(separator: "\n", omittingEmptySubsequences: false)
        // One line per node and edge: trigger, 2 mails, if, end; trigger→mail→mail→if, if→end twice.
        #expect(lines.count == 1 + 5 + 5 + 1)
        #expect(lines.last == "")
        for line in lines.dropFirst().dropLast() {
            let label = quoted(line).replacing("<br/>", with: "")
            #expect(!label.contains("\""), "\(line)")
            for forbidden in ["<", ">", "&", ";", "[", "]", "{", "}", "|", "`", "%", ":", "\\"] where forbidden != ";" {
                #expect(!label.contains(forbidden), "\(forbidden) in \(line)")
            }
            // Entities only: every `;` closes a `#<digits>` entity.
            for part in label.split(separator: ";", omittingEmptySubsequences: false).dropLast() {
                #expect(part.range(of: "#[0-9]+$", options: .regularExpression) != nil, "\(line)")
            }
            #expect(!line.unicodeScalars.contains(where: DisplayText.isControl), "\(line)")
        }
        // The control characters are shown, escaped twice: as text (\u{1B}), then for Mermaid.
        #expect(picture.mermaid.contains("<br/>#92;n#92;u#123;1B#125;#91;31m#92;u#123;202E#125;#92; end\"]"))
        #expect(picture.mermaid.contains("say #34;hi#34;#93;#59; click A #96;code#96; #60;b#62;bold#60;/b#62; #38;amp#59;"))
    }

    @Test func dotLabelsEscapeQuotesBackslashesAmpersandsAndLineBreaks() {
        let dot = WorkflowPicture(workflow([email("m", subject: "a \"quoted\" \\n & &lt; line\nbreak")])).dot
        #expect(dot.contains("label=\"send-email\\na \\\"quoted\\\" \\\\n &amp; &amp;lt; line\\\\nbreak\""))
        #expect(!dot.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
        // Only the line feeds that end statements.
        #expect(dot.split(separator: "\n").allSatisfy { $0.hasSuffix(";") || $0.hasSuffix("{") || $0 == "}" })
    }

    @Test(.requires(.dot)) func dotReadsHostileLabelsAndShowsThemAsWritten() throws {
        let picture = WorkflowPicture(workflow(triggers: [Trigger(id: Self.hostile, event: .manual)], [email(Self.hostile, subject: "é \"q\" \\ & &lt; <b>"), email("b", subject: "<b>bold</b>")]))
        let folder = try BuiltProducts.scratch("picture-dot")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.dot")
        try Data(picture.dot.utf8).write(to: file)
        let result = try BuiltProducts.runProgram(URL(fileURLWithPath: RequiredTool.dot.path!), ["-Tsvg", file.path], in: folder)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.isEmpty)
        // SVG escapes for XML what the label says: the text exactly as the workflow holds it.
        #expect(result.output.contains("é &quot;q&quot; \\ &amp; &amp;lt; &lt;b&gt;"))
        #expect(result.output.contains("&lt;b&gt;bold&lt;/b&gt;"))
    }

    // MARK: Cutting long text

    @Test func longTextWrapsOntoLinesAndIsCutOnlyPastTheBound() {
        let max = WorkflowPicture.maxLineCharacters
        let lines = WorkflowPicture.maxWrappedLines
        let exact = String(repeating: "a", count: max)
        #expect(WorkflowPicture(workflow([email("m", subject: exact)])).mermaid.contains("<br/>" + exact + "\"]"))
        // One past a line wraps onto the next line, nothing cut.
        let over = exact + "b"
        #expect(WorkflowPicture(workflow([email("m", subject: over)])).mermaid.contains("<br/>" + exact + "<br/>b\"]"))
        #expect(WorkflowPicture(workflow([email("m", subject: over)])).dot.contains("\\n" + exact + "\\nb\"]"))
        // A space right after a full line breaks it there, with no empty line after.
        #expect(WorkflowPicture(workflow([email("m", subject: exact + " ")])).mermaid.contains("<br/>" + exact + "\"]"))
        // The most lines exactly: all there; one character past them: cut with `…`.
        let full = String(repeating: exact, count: lines)
        let fullLabel = Array(repeating: exact, count: lines).joined(separator: "<br/>")
        #expect(WorkflowPicture(workflow([email("m", subject: full)])).mermaid.contains("<br/>" + fullLabel + "\"]"))
        let onePast = WorkflowPicture(workflow([email("m", subject: full + "b", template: "tpl")])).mermaid
        #expect(onePast.contains("<br/>" + fullLabel + "…<br/>template tpl\"]"), "\(onePast)")
        // Escapes count in bytes: 60 quotes are 120 bytes in DOT (\") and 240 in Mermaid (#34;), so
        // a line holds fewer of them and the text wraps sooner.
        let quotes = String(repeating: "\"", count: max)
        let dot = WorkflowPicture(workflow([email("m", subject: quotes)])).dot
        let dotLabel = dot.split(separator: "\n").first { $0.contains("s_m ") }!
        let perDotLine = (WorkflowPicture.maxLineBytes - 3) / 2
        #expect(dotLabel.contains("\\n" + String(repeating: "\\\"", count: perDotLine) + "\\n" + String(repeating: "\\\"", count: max - perDotLine) + "\"]"), "\(dotLabel)")
        let mermaid = WorkflowPicture(workflow([email("m", subject: quotes)])).mermaid
        let perMermaidLine = (WorkflowPicture.maxLineBytes - 3) / 4
        #expect(mermaid.contains("<br/>" + String(repeating: "#34;", count: perMermaidLine) + "<br/>"), "\(mermaid)")
    }

    @Test func linesBreakAtSpacesPreferablyAfterAndOrOr() {
        // The billing rule of the issue: every filter readable, each on lines of its own of at most
        // 60 characters, a long one wrapped after `or`.
        let plans = ["plan-daily-trial", "plan-monthly", "plan-studio-pass", "plan-yearly"]
        let filters: [Condition] = [
            .field("autocharge.attempt", .equals, .integer(2)),
            Condition(.any([.field("order.products", .contains, .text("prod-membership"))] + plans.map { .field("order.subscriptionPlans", .contains, .text($0)) })),
            .field("order.gateway", .notEquals, .text("paypal")),
            Condition(.not(Condition(.all([.field("payment.kind", .equals, .text("first")), .field("autocharge.attempt", .atLeast, .integer(2))])))),
        ]
        let picture = WorkflowPicture(workflow(triggers: [Trigger(id: "t", event: .autochargeFailed, filters: filters)], []))
        let label = picture.dot.split(separator: "\n").first { $0.contains("t_t ") }!
        let shown = label.split(separator: "label=\"")[1].dropLast(3).components(separatedBy: "\\n")
        #expect(shown == [
            "when payment.autocharge_failed",
            "if autocharge.attempt equals 2",
            "and (order.products contains prod-membership or",
            "order.subscriptionPlans contains plan-daily-trial or",
            "order.subscriptionPlans contains plan-monthly or",
            "order.subscriptionPlans contains plan-studio-pass or",
            "order.subscriptionPlans contains plan-yearly)",
            "and order.gateway not-equals paypal",
            "and not ((payment.kind equals first and",
            "autocharge.attempt at-least 2))",
        ], "\(shown)")
        #expect(!label.contains("…"))
        #expect(shown.allSatisfy { $0.count <= WorkflowPicture.maxLineCharacters })
        // Past the most filters listed, one line counts the rest.
        let many = (0..<20).map { Condition.field("f\($0)", .isEmpty) }
        let counted = WorkflowPicture(workflow(triggers: [Trigger(id: "t", event: .tagAdded, filters: many)], [])).mermaid
        #expect(counted.contains("<br/>and f11 is-empty<br/>and 8 more filters\"]"), "\(counted)")
        // No space at all: a hard break where the line is full.
        #expect(LabelWrap.breakPoint(Array(repeating: ("x", false), count: 60), maxCharacters: 60) == 60)
        // A space only near the start is not used: the line would be too short.
        var early: [(text: String, isSpace: Bool)] = Array(repeating: ("x", false), count: 60)
        early[5] = (" ", true)
        #expect(LabelWrap.breakPoint(early, maxCharacters: 60) == 60)
    }

    /// The lines of the DOT label of the node whose line starts with `node`.
    static func dotLines(_ picture: WorkflowPicture, node: String) -> [String] {
        let label = picture.dot.split(separator: "\n").first { $0.contains(node + " ") }!
        return String(label.split(separator: "label=\"")[1].dropLast(3)).components(separatedBy: "\\n")
    }

    @Test("A filter cut at its sixth line ends with … and the filters after it are still shown (review of issue 12)")
    func filtersAfterACutFilterAreShown() {
        let long = String(repeating: "x", count: 400)
        let filters: [Condition] = [.field("order.products", .contains, .text(long))] + (1...3).map { .field("f\($0)", .isEmpty) }
        let lines = Self.dotLines(WorkflowPicture(workflow(triggers: [Trigger(id: "t", event: .tagAdded, filters: filters)], [])), node: "t_t")
        #expect(lines.count == 1 + WorkflowPicture.maxWrappedLines + 3, "\(lines)")
        #expect(lines[WorkflowPicture.maxWrappedLines].hasSuffix("…"), "\(lines)")
        #expect(Array(lines.suffix(3)) == ["and f1 is-empty", "and f2 is-empty", "and f3 is-empty"], "\(lines)")
        #expect(!lines.contains { $0.contains("more not shown") })
    }

    @Test("When a label's bytes run out before its last parts, a last line says how many were left out, within the label's bytes")
    func partsLeftOutAreCounted() {
        let long = String(repeating: "x", count: 400)
        let filters: [Condition] = (1...3).map { .field("order.products\($0)", .contains, .text(long)) } + (1...2).map { .field("f\($0)", .isEmpty) }
        let lines = Self.dotLines(WorkflowPicture(workflow(triggers: [Trigger(id: "t", event: .tagAdded, filters: filters)], [])), node: "t_t")
        // The first filter takes its six lines, the second what is left but the note's bytes: the
        // third and the two short ones are left out.
        #expect(lines.last == "(3 more not shown)", "\(lines)")
        #expect(lines[lines.count - 2].hasSuffix("…"), "\(lines)")
        #expect(lines.joined().utf8.count <= WorkflowPicture.maxLabelBytes, "\(lines.joined().utf8.count)")
        #expect(lines.contains { $0.hasPrefix("and order.products2 contains") }, "the second filter starts before the bytes run out")
        // The same in Mermaid: escaped within the same bound, the count the same.
        let mermaid = WorkflowPicture(workflow(triggers: [Trigger(id: "t", event: .tagAdded, filters: filters)], [])).mermaid
        #expect(mermaid.contains(" more not shown)\"]"), "\(mermaid)")
        // A label whose last part alone is cut by the bytes says nothing more: nothing was left out.
        let two: [Condition] = [.field("a", .contains, .text(long)), .field("b", .contains, .text(long))]
        let cut = Self.dotLines(WorkflowPicture(workflow(triggers: [Trigger(id: "t", event: .tagAdded, filters: two)], [])), node: "t_t")
        #expect(cut.last?.hasSuffix("…") == true && !cut.joined().contains("more not shown"), "\(cut)")
    }

    @Test func aWholeLabelStopsAtItsByteBound() {
        let words = String(repeating: "word ", count: 400)
        let picture = WorkflowPicture(workflow([email("m", subject: words, template: words)]))
        let label = picture.dot.split(separator: "\n").first { $0.contains("s_m ") }!
        let text = String(label.split(separator: "label=\"")[1].dropLast(3))
        #expect(text.hasSuffix("…"))
        #expect(text.replacing("\\n", with: "").utf8.count <= WorkflowPicture.maxLabelBytes)
        #expect(text.components(separatedBy: "\\n").count <= 2 * WorkflowPicture.maxWrappedLines + 1)
    }

    @Test func longListsInConditionsAndOrdersStopEarly() {
        let values = (0..<100_000).map { "value-\($0)" }
        let picture = WorkflowPicture(
            workflow(
                triggers: [Trigger(id: "t", event: .orderSubmitted, filters: [.field("order.products", .in, .list(values))])],
                [Step(id: "if", .branch([Branch(name: "deep", when: (0..<10_000).reduce(Condition.field("x", .isEmpty)) { inner, _ in Condition(.not(inner)) }, steps: [])], otherwise: []))]))
        #expect(picture.mermaid.contains("if order.products in #91;value-0, value-1,"))
        #expect(picture.mermaid.contains("not (not (not ("))
        #expect(picture.mermaid.utf8.count < 2_000)
    }

    // MARK: The bound

    static func chain(_ count: Int) -> Workflow {
        workflow((0..<count).map { Step(id: "s\($0)", .action(.addTag(tagID: "t"))) })
    }

    @Test func thePictureDrawsAtMostMaxElementsThenCountsTheRest() {
        // One trigger: maxElements − 1 steps fill the picture exactly.
        let full = WorkflowPicture(Self.chain(WorkflowPicture.maxElements - 1)).mermaid
        #expect(!full.contains("n_more"))
        #expect(full.contains("s_s\(WorkflowPicture.maxElements - 2) --> n_end"))
        let onePast = WorkflowPicture(Self.chain(WorkflowPicture.maxElements)).mermaid
        #expect(onePast.contains("    n_more[\"… and 1 more triggers, steps and branches not drawn<br/>(a picture shows at most 60)\"]\n"))
        #expect(onePast.contains("    s_s\(WorkflowPicture.maxElements - 2) --> n_more\n"))
        #expect(onePast.contains("    n_more --> n_end\n"))
        #expect(!onePast.contains("s_s\(WorkflowPicture.maxElements - 1)"))
        let thousands = WorkflowPicture(Self.chain(5_000))
        #expect(thousands.mermaid.contains("… and 4941 more"))
        #expect(thousands.dot.contains("… and 4941 more"))
    }

    @Test func branchesAndTriggersCountTowardTheBound() {
        let wide = Step(id: "if", .branch((0..<100).map { Branch(name: "b\($0)", when: .field("x", .isEmpty), steps: [Step(id: "in\($0)", .exit)]) }, otherwise: []))
        // 1 trigger + the if + 29 branches with their step = 60; 71 branches and their steps are left.
        let mermaid = WorkflowPicture(workflow([wide])).mermaid
        #expect(mermaid.contains("… and 142 more"))
        #expect(mermaid.contains("    s_if --> n_more\n"))
        let triggers = (0..<70).map { Trigger(id: "t\($0)", event: .tagAdded) }
        let onlyTriggers = WorkflowPicture(workflow(triggers: triggers, [Step(id: "a", .exit)])).mermaid
        #expect(onlyTriggers.contains("… and 11 more"))
        #expect(onlyTriggers.contains("    t_t59 --> n_more\n"))
        let noSteps = WorkflowPicture(workflow(triggers: triggers, [])).mermaid
        #expect(noSteps.contains("… and 10 more"))
        #expect(noSteps.contains("    n_more --> n_end\n"))
    }

    /// The biggest pictures: every id and text as long as allowed and all of it escaped, in the
    /// shapes that give the most nodes or edges. Mermaid refuses text over 50,000 characters
    /// (`maxTextSize`) and more than 500 edges (`maxEdges`).
    @Test func theWorstPicturesStayWithinMermaidsMaximums() {
        let text = String(repeating: "\"#\u{1B}", count: 400)
        let id = { (n: Int) in String(repeating: "-", count: 120) + "\(n)" }
        let condition = Condition.field(text, .in, .list([text, text]))
        let shapes: [[Step]] = [
            (0..<100).map { email(id($0), subject: text, template: text) },
            [Step(id: id(0), .branch((0..<100).map { _ in Branch(name: text, when: condition, steps: []) }, otherwise: []))],
            (0..<100).map { Step(id: id($0), .branch([Branch(name: text, when: condition, steps: [])], otherwise: [])) },
            (0..<100).map {
                Step(
                    id: id($0),
                    .wait(.untilCondition(condition, timeout: Delay(days: 1), onTimeout: [Step(id: id(1000 + $0), .action(.legacy(element: text, templateID: text, reason: text)))])))
            },
        ]
        let triggers = (0..<10).map { Trigger(id: id($0), event: EventType(rawValue: text), filters: [condition]) }
        for steps in shapes {
            for withTriggers in [false, true] {
                let picture = WorkflowPicture(workflow(triggers: withTriggers ? triggers : [Trigger(id: "t", event: .manual)], steps))
                let mermaid = picture.mermaid
                #expect(mermaid.count < 50_000, "\(mermaid.count) characters")
                #expect(mermaid.split(separator: "\n").filter { $0.contains("-->") }.count < 500)
                #expect(picture.dot.utf8.count < 100_000)
            }
        }
    }

    // MARK: Properties

    @Test func anyTextGivesOneLinePerNodeAndEdgeWithNoControlCharacter() async {
        let alphabet: [Character] = Array("aZ9 \"#;:[]{}()|<>&`%\\/-_.\n\r\t\u{0}\u{1B}\u{7F}\u{85}\u{2028}\u{202E}\u{FEFF}é😀") + ["e\u{301}"]
        let texts = Gen<Character?>.element(of: alphabet).array(of: 0...90).map { String($0.compactMap { $0 }) }
        await propertyCheck(count: 200, input: zip(texts, texts, texts)) { id, subject, branch in
            let picture = WorkflowPicture(
                workflow(
                    triggers: [Trigger(id: id, event: EventType(rawValue: subject))],
                    [
                        email(id, subject: subject, template: branch),
                        Step(id: subject, .branch([Branch(name: branch, when: .field(subject, .equals, .text(id)), steps: [])], otherwise: [])),
                    ]))
            let mermaid = picture.mermaid.split(separator: "\n")
            #expect(mermaid.count == 1 + 4 + 4)
            #expect(!picture.mermaid.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
            #expect(mermaid.dropFirst().allSatisfy { !quoted($0).replacing("<br/>", with: "").contains("\"") })
            #expect(picture.dot.split(separator: "\n").count == 4 + 4 + 4 + 1)
            #expect(!picture.dot.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
        }
    }
}
