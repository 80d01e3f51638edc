import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7: the report's Markdown, HTML and Mermaid text are written straight into bytes
/// (`ReportBytes.swift`); on random workflows with hostile names, subjects, ids and findings, each
/// is byte for byte what the `String` code it replaced wrote (kept below as `Reference`), and the
/// HTML dictionary ends the same, also when it is full.
@Suite("Report bytes: the byte writers write what the String code wrote")
struct ReportBytesTests {
    /// Reads choices from a generated list of numbers (0 when it runs out).
    struct Choices {
        var values: [Int]
        var index = 0
        var ids = 0

        mutating func next(_ count: Int) -> Int {
            defer { index += 1 }
            return index < values.count ? values[index] % count : 0
        }

        mutating func pick<T>(_ options: [T]) -> T { options[next(options.count)] }
        mutating func text() -> String { pick(Self.texts) }

        mutating func id(_ prefix: String) -> String {
            ids += 1
            return "\(prefix)\(ids)"
        }

        static let texts = [
            "", "a", "é", "VIP buyer", " padded ", "x|y *z* _u_ [l](m) ~s~ $5$", "<b>&\"'</b>", "{3}", "{{contact.FirstName}}", "back\\slash",
            "line\nbreak\u{1B}[31m", "\u{202E}rtl\u{2028}", "12. list", "- dash", "+ plus", "😀 e\u{301}", "`tick`` ```", "#h !x", "…–—",
            String(repeating: "long name ", count: 14), String(repeating: "é", count: 130), "tag-vip", "prod-1", "action-set.as-1", "a and b or c",
        ]
    }

    static let catalogue: Catalogue = {
        let here = FileLocation(file: "x.xml", line: 1)
        var catalogue = Catalogue()
        for (index, name) in Choices.texts.enumerated() {
            catalogue.tags["tag-\(index)"] = ContactTag(id: "tag-\(index)", name: name, location: here)
            catalogue.products["prod-\(index)"] = Product(id: "prod-\(index)", name: name, price: 1, location: here)
            catalogue.users["user-\(index)"] = User(id: "user-\(index)", name: name, email: "u\(index)@example.com", location: here)
        }
        return catalogue
    }()

    static func catalogueID(_ choices: inout Choices, _ prefix: String) -> String {
        choices.next(5) == 0 ? choices.text() : "\(prefix)-\(choices.next(Choices.texts.count))"
    }

    static func condition(_ choices: inout Choices, depth: Int) -> Condition {
        switch choices.next(depth < 2 ? 5 : 2) {
        case 0: return Condition(.compare(field: "contact.tags", op: choices.pick([.contains, .notContains]), value: .text(catalogueID(&choices, "tag"))))
        case 1:
            let value: ConditionValue? = choices.pick([nil, .text(choices.text()), .integer(choices.pick([0, -5, Int.max])), .list([choices.text(), choices.text()])])
            return Condition(.compare(field: choices.pick(["contact.fields.\(choices.text())", "order.total", choices.text()]), op: choices.pick(ConditionOperator.allCases), value: value))
        case 2: return Condition(.all((0..<choices.next(3)).map { _ in condition(&choices, depth: depth + 1) }))
        case 3: return Condition(.any((0..<choices.next(3)).map { _ in condition(&choices, depth: depth + 1) }))
        default: return Condition(.not(condition(&choices, depth: depth + 1)))
        }
    }

    static func action(_ choices: inout Choices) -> WorkflowAction {
        switch choices.next(9) {
        case 0: return .addTag(tagID: catalogueID(&choices, "tag"))
        case 1: return .removeTag(tagID: catalogueID(&choices, "tag"))
        case 2:
            return .sendEmail(
                EmailMessage(
                    to: choices.pick([.contact, .owner, .user(catalogueID(&choices, "user")), .address(choices.text())]), from: nil, subject: choices.text(),
                    templateID: choices.next(2) == 0 ? nil : "tpl-\(choices.next(3))"))
        case 3: return .sendSMS(from: nil, message: choices.text())
        case 4: return .createTask(TaskDetails(title: choices.text(), assigneeID: catalogueID(&choices, "user"), dueInDays: choices.pick([nil, 3, -1])))
        case 5: return .updateField(field: choices.text(), value: choices.text())
        case 6: return .createOrder(CreateOrder(lines: [CreateOrder.Line(item: .product(id: catalogueID(&choices, "prod"), priceOptionID: nil), quantity: 2)]))
        case 7: return .webhook(Webhook(url: choices.text(), fields: [], includeAllContactFields: false))
        default: return .legacy(element: choices.pick(["send-fax", "send-voice", choices.text()]), templateID: nil, reason: choices.text())
        }
    }

    static func steps(_ choices: inout Choices, depth: Int, path: String) -> [Step] {
        (0..<choices.next(depth == 0 ? 7 : 3)).map { _ in step(&choices, depth: depth, path: path) }
    }

    static func step(_ choices: inout Choices, depth: Int, path: String) -> Step {
        let id = choices.next(6) == 0 ? choices.text() : choices.id("s")
        let own = path + "/a\(choices.ids)"
        let source = choices.next(4) == 0 ? nil : SourceTrace(file: "x.xml", path: own, line: choices.pick([1, 7, 40, 3, Int.max, Int.min]))
        let nested = depth < 3
        let kind: Step.Kind =
            switch choices.next(nested ? 12 : 9) {
            case 0, 1, 2: .action(action(&choices))
            case 3: .goal(Goal(name: choices.text(), event: choices.pick(EventType.all), filters: [condition(&choices, depth: 0)]))
            case 4: .exit
            case 5: .call(workflowID: choices.pick(["action-set.as-\(choices.next(9))", "sequence.q", choices.text()]))
            case 6: .enroll(workflowID: choices.pick(["sequence.q-\(choices.next(9))", choices.text()]))
            case 7: .unenroll(workflowID: choices.text())
            case 8: .wait(.delay(Delay(days: choices.pick([0, 3]), hours: choices.pick([0, 1]), minutes: 0), calendarDays: choices.next(2) == 0, at: choices.pick([nil, "09:00"]), from: choices.pick(DelayStart.allCases)))
            case 9:
                .wait(.untilEvent(choices.pick(EventType.all), filters: [condition(&choices, depth: 0)], timeout: Delay(days: 2), onTimeout: steps(&choices, depth: depth + 1, path: own)))
            case 10: .branch([Branch(name: choices.text(), when: condition(&choices, depth: 0), steps: steps(&choices, depth: depth + 1, path: own))], otherwise: [])
            default:
                .branch(
                    (0..<(1 + choices.next(3))).map { _ in Branch(name: choices.text(), when: condition(&choices, depth: 0), steps: steps(&choices, depth: depth + 1, path: own)) },
                    otherwise: steps(&choices, depth: depth + 1, path: own))
            }
        return Step(id: id, kind, source: source)
    }

    /// A random workflow (an action set, sequence, slot, billing rule or other) and findings at its
    /// steps' paths, inside them, and at its own.
    static func workflow(_ choices: inout Choices) -> (Workflow, [MigrationFinding]) {
        let id = choices.pick(["action-set.as-", "sequence.q-", "slot.product-purchase.", "billing.b-", "other-", "bad id "]) + "\(choices.next(9))"
        let path = "/export/x[@id='\(id)']"
        let triggers = (0..<choices.next(3)).map { _ in
            Trigger(id: choices.id("t"), event: choices.pick([.manual, .paymentSucceeded, .paymentFailed, .autochargeFailed, .contactCreated]), filters: (0..<choices.next(3)).map { _ in
                choices.next(2) == 0 ? Condition(.compare(field: "order.products", op: .contains, value: .text(catalogueID(&choices, "prod")))) : condition(&choices, depth: 0)
            })
        }
        let workflow = Workflow(
            id: id, name: choices.text(), priority: 0, triggers: triggers, steps: steps(&choices, depth: 0, path: path), settings: WorkflowSettings(accountTimezone: "UTC"),
            source: choices.next(3) == 0 ? nil : SourceTrace(file: "x.xml", path: path, line: choices.pick([2, 900])))
        var paths = [path, path + "/nowhere"]
        func collect(_ steps: [Step]) {
            for step in steps {
                if let source = step.source { paths += [source.path, source.path + "/extension"] }
                switch step.kind {
                case .branch(let branches, let otherwise):
                    branches.forEach { collect($0.steps) }
                    collect(otherwise)
                case .wait(.untilEvent(_, _, _, let onTimeout)): collect(onTimeout)
                default: break
                }
            }
        }
        collect(workflow.steps)
        let codes: [MigrationFinding.Code] = [.unknownMergeField, .legacyAction, .missingReference, .literalBraces, .sendTimeIgnored]
        let findings = (0..<choices.next(5)).map { _ in
            MigrationFinding(choices.pick(codes), choices.text(), at: FileLocation(file: "x.xml", line: choices.pick([5, 6])), workflowID: id)
        }.enumerated().map { index, finding in
            var placed = finding
            placed.location.path = paths[index * 7 % paths.count]
            return placed
        }
        return (workflow, findings)
    }

    @Test("Random workflows: Markdown with its picture, HTML and the dictionary are the String code's")
    func randomWorkflows() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 0...300)) { values in
            var choices = Choices(values: values)
            Self.compare((0..<4).map { _ in Self.workflow(&choices) }, dictionary: HTMLDictionary())
        }
    }

    @Test("A full HTML dictionary: phrases past it are written out, the same as the String code")
    func fullDictionary() async {
        var full = HTMLDictionary()
        // Filled to its entry or byte limit, whichever comes first: then a new string is not interned.
        var index = 0
        while full.token("<i>filler \(index)</i>") != "<i>filler \(index)</i>" { index += 1 }
        #expect(full.entries.count == HTMLDictionary.entryLimit || full.bytes > HTMLDictionary.byteLimit - 100)
        let filled = full
        await propertyCheck(count: 10, input: Gen.int(in: 0...1_000_000).array(of: 0...300)) { values in
            var choices = Choices(values: values)
            Self.compare((0..<3).map { _ in Self.workflow(&choices) }, dictionary: filled, script: false)
        }
    }

    static func compare(_ workflows: [(Workflow, [MigrationFinding])], dictionary: HTMLDictionary, script: Bool = true) {
        var names = ReportNames(catalogue: catalogue)
        var newDictionary = dictionary
        var oldDictionary = dictionary
        var labels = MermaidLabels()
        // The same workflows twice: the second time every phrase and label is known.
        for (workflow, findings) in workflows + workflows {
            names.remember(workflow: workflow.id, name: workflow.name)
            let outline = WorkflowOutline(workflow, findings: findings, names: names)
            var picture: [UInt8] = []
            PictureLayout(workflow).mermaid(into: &picture, labels: &labels)
            let oldPicture = Reference.mermaid(PictureLayout(workflow))
            #expect(String(decoding: picture, as: UTF8.self) == oldPicture, "\(workflow.id)")
            var markdown: [UInt8] = []
            outline.markdown(picture: picture, into: &markdown)
            #expect(String(decoding: markdown, as: UTF8.self) == Reference.markdown(outline, picture: oldPicture), "\(workflow.id)")
            var html: [UInt8] = []
            outline.html(into: &html, &newDictionary)
            #expect(String(decoding: html, as: UTF8.self) == Reference.html(outline, &oldDictionary), "\(workflow.id)")
            var summary: [UInt8] = []
            outline.htmlSummaryOnly(into: &summary)
            #expect(String(decoding: summary, as: UTF8.self) == Reference.htmlSummaryOnly(outline))
        }
        #expect(newDictionary.entries == oldDictionary.entries)
        #expect(newDictionary.bytes == oldDictionary.bytes)
        // (Not for the full dictionary: its script is the same 1.5 MB every time.)
        if script { #expect(newDictionary.script == JSONValue.array(oldDictionary.entries.map(JSONValue.string)).compactText.replacing("<", with: "\\u003c")) }
    }

    @Test("Escaping: random text of every hostile piece, the String code's Markdown and HTML")
    func escaping() async {
        let pieces = Choices.texts + ["&", "<", ">", "\"", "'", "\\", "-", "1", ".", ")", "\u{0}", "\u{7F}", "\u{85}", "\u{FEFF}"]
        await propertyCheck(count: 500, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...12)) { indices in
            let text = indices.map { pieces[$0] }.joined()
            var markdown: [UInt8] = []
            ReportText.markdown(text, into: &markdown)
            #expect(String(decoding: markdown, as: UTF8.self) == Reference.markdown(text))
            var html: [UInt8] = []
            ReportText.html(text, into: &html)
            #expect(String(decoding: html, as: UTF8.self) == Reference.html(text))
            #expect(ReportText.html(text) == Reference.html(text))
            #expect(ReportText.cut(text, limit: 5) == Reference.cut(text, limit: 5))
            #expect(ReportText.cut(text) == Reference.cut(text))
        }
        var number: [UInt8] = []
        // Every power of ten and the number before it (each digit count's edges), both signs.
        var powers: [Int] = []
        var power = 1
        for _ in 0..<19 {
            powers += [power, power - 1, -power, 1 - power]
            power = power.multipliedReportingOverflow(by: 10).partialValue
        }
        for value in [0, 9, 10, -1, -10, 1_234_567, Int.max, Int.min, Int.max - 1, Int.min + 1] + powers {
            number.removeAll()
            number.write(decimal: value)
            #expect(String(decoding: number, as: UTF8.self) == "\(value)")
        }
    }

    @Test("Markdown: a name is quoted when it starts or ends with a space character (a space with a combining mark is not one), as the reference quotes it")
    func nameQuoting() {
        for name in ["", " ", "x ", " x", "x", " \u{301}x", "x \u{301}", "\u{301} ", "  ", "é ", " é", "x\u{301}"] {
            var markdown: [UInt8] = []
            Phrase.name(name).markdown(into: &markdown)
            #expect(String(decoding: markdown, as: UTF8.self) == Reference.markdown(Phrase.name(name)), "\(Array(name.unicodeScalars))")
        }
    }

    @Test("HTML: a special character followed by a combining mark is escaped too (it was left raw)")
    func combiningMark() {
        // `"` + U+0301 is one Character, which the character-by-character escaping did not match.
        #expect(ReportText.html("a\"\u{301} onmouseover=x") == "a&quot;\u{301} onmouseover=x")
        #expect(ReportText.html("<\u{301}script>&\u{301}") == "&lt;\u{301}script&gt;&amp;\u{301}")
        var dictionary = HTMLDictionary()
        _ = Phrase.quote("{\u{301}3}").html(&dictionary)
        #expect(dictionary.entries.last == "“&#123;\u{301}3}”", "a brace never reads as a token")
    }
}

/// The `String` code the byte writers replaced, as it was (commit 3cb8510), to compare with.
private enum Reference {
    static func cut(_ text: String, limit: Int = ReportText.quoteLimit) -> String {
        guard let end = text.index(text.startIndex, offsetBy: Swift.max(limit, 0), limitedBy: text.endIndex), end < text.endIndex else { return text }
        return String(text[..<end]) + "…"
    }

    static func markdown(_ text: String) -> String {
        let shown = DisplayText.escape(text)
        let bytes = shown.utf8
        guard let first = bytes.first else { return shown }
        let special = Array("\\`*_[]<>|#!~&$".utf8)
        let leading = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") || (0x30...0x39).contains(first)
        guard leading || bytes.contains(where: { special.contains($0) }) else { return shown }
        var result: [UInt8] = []
        var leadingDigits = true
        var isFirst = true
        for byte in bytes {
            let digit = (0x30...0x39).contains(byte)
            if special.contains(byte) {
                result.append(UInt8(ascii: "\\"))
            } else if isFirst, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") {
                result.append(UInt8(ascii: "\\"))
            } else if !isFirst, leadingDigits, byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")") {
                result.append(UInt8(ascii: "\\"))
            }
            leadingDigits = leadingDigits && digit
            isFirst = false
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// As it was, but escaping scalar by scalar (the fix `combiningMark` checks).
    static func html(_ text: String) -> String {
        var result = ""
        for scalar in DisplayText.escape(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func markdown(_ phrase: Phrase) -> String {
        switch phrase {
        case .words(let text): return text
        case .name(let whole):
            let text = cut(whole, limit: ReportText.nameLimit)
            let trimmed = text.trimmingSpaces
            return trimmed.isEmpty || trimmed != text ? "“" + markdown(text) + "”" : "*" + markdown(text) + "*"
        case .quote(let text): return "“" + markdown(cut(text)) + "”"
        case .id(let text): return Workflow.isValidID(text) ? "`" + text + "`" : markdown(text)
        case .named(let name, let id): return markdown(Phrase.name(name)) + " (" + markdown(Phrase.id(id)) + ")"
        }
    }

    static func html(_ phrase: Phrase) -> String {
        switch phrase {
        case .words(let text): html(text)
        case .name(let text): "<i>" + html(cut(text, limit: ReportText.nameLimit)) + "</i>"
        case .quote(let text): "“" + html(cut(text)) + "”"
        case .id(let text): "<code>" + html(text) + "</code>"
        case .named(let name, let id): html(Phrase.name(name)) + " (" + html(Phrase.id(id)) + ")"
        }
    }

    static func markdown(_ sentence: Sentence) -> String { sentence.phrases.map { markdown($0) }.joined() }

    static func markdown(_ outline: WorkflowOutline, picture: String) -> String {
        var text = "### " + markdown(outline.name) + "\n\n"
        let line = outline.source.map { " · line \($0.line)" } ?? ""
        text += "`\(Workflow.isValidID(outline.id) ? outline.id : "?")` · \(outline.kind.singular)\(line) · **\(outline.outcome.words)**\n\n"
        text += "Runs " + markdown(outline.fires) + ".\n\n"
        for note in outline.notes { text += "- " + markdown(note) + "\n" }
        if !outline.notes.isEmpty { text += "\n" }
        if outline.items.isEmpty { text += "No steps.\n" }
        markdown(outline.items, depth: 0, into: &text)
        text += "\n" + fenced(picture, info: "mermaid") + "\n"
        return text
    }

    static func markdown(_ items: [WorkflowOutline.Item], depth: Int, into text: inout String) {
        let pad = String(repeating: "   ", count: depth)
        for item in items {
            text += pad + "1. " + markdown(item.does)
            if item.counts { text += " — " + (item.outcome == .exact ? "exact" : "**\(item.outcome.words)**") }
            if let line = item.line { text += " · line \(line)" }
            text += "\n"
            for note in item.notes { text += pad + "   - " + markdown(note) + "\n" }
            markdown(item.children, depth: depth + 1, into: &text)
        }
    }

    static func markdown(_ note: MigrationFinding) -> String {
        "\(note.outcome.words) (`\(note.code.rawValue)`, line \(note.location.line)): " + markdown(note.sentence) + " *What to do:* " + note.advice
    }

    static func fenced(_ content: String, info: String) -> String {
        var longest = 0
        var run = 0
        for byte in content.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = Swift.max(longest, run)
        }
        let fence = String(repeating: "`", count: Swift.max(3, longest + 1))
        var body = content
        if content.unicodeScalars.contains(where: { $0 != "\n" && DisplayText.isControl($0) }) {
            body = content.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.escapeControls(String($0)) }.joined(separator: "\n")
        }
        if !body.hasSuffix("\n") { body += "\n" }
        return fence + info + "\n" + body + fence + "\n"
    }

    static func token(_ phrase: Phrase, _ dictionary: inout HTMLDictionary) -> String {
        let text = html(phrase)
        return dictionary.token(text.utf8.contains(UInt8(ascii: "{")) ? text.replacing("{", with: "&#123;") : text)
    }

    static func html(_ outline: WorkflowOutline, _ dictionary: inout HTMLDictionary) -> String {
        var text = "<details" + (outline.outcome == .exact ? "" : " class=" + WorkflowOutline.cssClass(outline.outcome)) + "><summary>" + html(outline.name) + " <code>"
            + html(outline.id) + "</code></summary><script type=o>"
        if outline.kind != .actionSet && outline.kind != .sequence { text += "{3}{7}" + outline.fires.phrases.map { token($0, &dictionary) }.joined() + ".{4}" }
        if !outline.notes.isEmpty { text += "{3}" + codes(outline.notes, &dictionary) + "{4}" }
        var line = 0
        html(outline.items, into: &text, line: &line, &dictionary)
        text += "</script>\u{0}" + outline.id + "\u{0}</details>\n"
        return text
    }

    static func htmlSummaryOnly(_ outline: WorkflowOutline) -> String {
        "<details" + (outline.outcome == .exact ? "" : " class=" + WorkflowOutline.cssClass(outline.outcome)) + "><summary>" + html(outline.name) + " <code>"
            + html(outline.id) + "</code></summary>(outline in migration-report.md)</details>\n"
    }

    static func html(_ items: [WorkflowOutline.Item], into text: inout String, line previous: inout Int, _ dictionary: inout HTMLDictionary) {
        guard !items.isEmpty else { return }
        text += "{0}"
        for (index, item) in items.enumerated() {
            if index > 0 { text += "{1}" }
            text += item.does.phrases.map { token($0, &dictionary) }.joined()
            if item.counts, item.outcome != .exact { text += item.outcome == .approximated ? "{8}" : "{9}" }
            if !item.notes.isEmpty { text += " " + codes(item.notes, &dictionary) }
            if let line = item.line {
                let (difference, overflow) = line.subtractingReportingOverflow(previous)
                text += overflow ? "" : difference < 0 ? "{\(difference)}" : "{+\(difference)}"
                previous = line
            }
            html(item.children, into: &text, line: &previous, &dictionary)
        }
        text += "{2}"
    }

    static func codes(_ notes: [MigrationFinding], _ dictionary: inout HTMLDictionary) -> String {
        var seen: Set<String> = []
        var text = ""
        for note in notes where seen.insert(note.code.rawValue).inserted {
            text += dictionary.token("<code>" + html(note.code.rawValue) + "</code>")
        }
        return text
    }

    static func mermaid(_ layout: PictureLayout) -> String {
        func label(_ lines: [String], _ width: Int) -> String {
            PictureLayout.label(lines, maxCharacters: width, PictureLayout.mermaidEscape, joiner: "<br/>")
        }
        var text = "flowchart TD\n"
        for node in layout.nodes {
            let label = "\"" + label(node.lines, WorkflowPicture.maxLineCharacters) + "\""
            let shaped =
                switch node.shape {
                case .trigger: "([" + label + "])"
                case .action, .more: "[" + label + "]"
                case .decision: "{" + label + "}"
                case .wait: "{{" + label + "}}"
                case .goal: ">" + label + "]"
                case .call: "[[" + label + "]]"
                case .enroll: "[/" + label + "/]"
                case .unenroll: "[/" + label + "\\]"
                case .exit: "(((" + label + ")))"
                case .end: "((" + label + "))"
                }
            text += "    " + node.id + shaped + "\n"
        }
        for edge in layout.edges {
            if edge.lines.isEmpty {
                text += "    " + edge.from + " --> " + edge.to + "\n"
            } else {
                text += "    " + edge.from + " -->|\"" + label(edge.lines, WorkflowPicture.maxEdgeLineCharacters) + "\"| " + edge.to + "\n"
            }
        }
        return text
    }
}
