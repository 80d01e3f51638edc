import PurchaseActionsCore

/// The names the report shows for ids an export's catalogue holds: products, plans, tags, users;
/// the names of the action sets and sequences added so far (bounded: ``workflowNameLimit``); and
/// the findings of the catalogue's templates (bounded by the catalogue). An id without a name is
/// shown as the id.
struct ReportNames: Sendable {
    var catalogue: Catalogue
    /// The names of action-set and sequence workflows added so far, by workflow id.
    private(set) var workflowNames: [String: String] = [:]
    private var workflowNameBytes = 0
    /// The findings of each template that has any, by template id, their messages without the
    /// "(used by …)" the import adds.
    private(set) var templateFindings: [String: [MigrationFinding]] = [:]

    /// The most action-set and sequence names kept for "Run action set *Name*": 20,000.
    static let workflowNameLimit = 20_000
    /// The most bytes of those names: 2,000,000.
    static let workflowNameByteLimit = 2_000_000

    init(catalogue: Catalogue) { self.catalogue = catalogue }

    func product(_ id: String) -> String { catalogue.products[id]?.name ?? id }
    func plan(_ id: String) -> String { catalogue.subscriptionPlans[id]?.name ?? id }
    func tag(_ id: String) -> String { catalogue.tags[id]?.name ?? id }
    func user(_ id: String) -> String { catalogue.users[id]?.name ?? id }

    /// A tag as the report names it: its name in italics, then its id in code (just the id when the
    /// catalogue has no such tag).
    func tagPhrases(_ id: String) -> [Phrase] { [tagPhrase(id)] }

    /// ``tagPhrases(_:)``'s one phrase.
    func tagPhrase(_ id: String) -> Phrase {
        guard let name = catalogue.tags[id]?.name, name != id else { return .id(id) }
        return .named(name, id: id)
    }

    /// A workflow called, enrolled in or left: its name in italics, then its id in code (just the id
    /// when its name is not known, as for one defined later in the export).
    func workflowPhrases(_ id: String) -> [Phrase] {
        guard let name = workflowNames[id], !name.isEmpty else { return [.id(id)] }
        return [.named(name, id: id)]
    }

    /// Remembers the name of an action set or sequence, while within the bounds.
    mutating func remember(workflow id: String, name: String) {
        guard workflowNames.count < Self.workflowNameLimit, workflowNameBytes + id.utf8.count + name.utf8.count <= Self.workflowNameByteLimit else { return }
        if workflowNames.updateValue(name, forKey: id) == nil { workflowNameBytes += id.utf8.count + name.utf8.count }
    }

    /// Takes the findings about templates: each kept under the catalogue template at whose line
    /// it is (the compiler reports a template's findings at the template's own line); others are
    /// ignored.
    mutating func add(templateFindings findings: [MigrationFinding]) {
        guard !findings.isEmpty else { return }
        var byLine: [Int: [String]] = [:]
        for template in catalogue.templates.values { byLine[template.location.line, default: []].append(template.id) }
        for finding in findings where finding.workflowID.isEmpty {
            guard let ids = byLine[finding.location.line] else { continue }
            for id in ids where catalogue.templates[id]?.location.path == finding.location.path {
                var kept = finding
                if let range = kept.message.ranges(of: " (used by ").last { kept.message = String(kept.message[..<range.lowerBound]) }
                templateFindings[id, default: []].append(kept)
            }
        }
        templateNoteTexts = templateFindings.reduce(into: [:]) { texts, entry in
            let notes = Self.notes(entry.key, entry.value, catalogue: catalogue)
            texts[entry.key] = TemplateNotes(
                findings: notes, markdown: notes.map(WorkflowOutline.markdownBytes), messages: notes.map { DisplayText.escapeControls($0.message) })
        }
    }

    /// The notes of a template's findings as a step shows them, made once: the findings (their
    /// workflow not set: no format writes it under a step) and the Markdown of each
    /// (`WorkflowOutline.markdown(_:into:)`, which does not depend on the workflow).
    struct TemplateNotes: Sendable {
        var findings: [MigrationFinding]
        var markdown: [[UInt8]]
        /// Each finding's message as the JSON outline writes it (controls escaped).
        var messages: [String]
    }

    /// The notes a step naming `templateID` gets, shared by every step naming it (``templateNotes(_:workflowID:)``
    /// without the workflow); nil when the template has none.
    func sharedTemplateNotes(_ templateID: String) -> TemplateNotes? { templateNoteTexts[templateID] }

    /// The notes a step naming `templateID` gets: one per finding of the template, saying the step
    /// takes its text from it, at the template's line.
    func templateNotes(_ templateID: String, workflowID: String) -> [MigrationFinding] {
        guard var notes = templateNoteTexts[templateID]?.findings else { return [] }
        for index in notes.indices { notes[index].workflowID = workflowID }
        return notes
    }

    /// ``templateNotes(_:workflowID:)`` without the workflow, by template id: made once when the
    /// findings are taken, not for every step naming the template (Benchmarks/README.md, "Import
    /// throughput"). Bounded as ``templateFindings`` is.
    private(set) var templateNoteTexts: [String: TemplateNotes] = [:]

    private static func notes(_ templateID: String, _ findings: [MigrationFinding], catalogue: Catalogue) -> [MigrationFinding] {
        findings.map { finding in
            var note = finding
            let name = catalogue.templates[templateID]?.name ?? ""
            let named = name.isEmpty || name == templateID ? "" : " (“\(name)”)"
            note.message = "its template \(templateID)\(named): \(finding.message); see line \(finding.location.line)"
            return note
        }
    }
}

/// A piece of report text: plain words, or a name or quote from the export that each format
/// escapes and marks its own way (Markdown italics, HTML `<i>`).
enum Phrase: Hashable, Sendable {
    /// Words the report wrote (trusted).
    case words(String)
    /// A name from the export, shown in italics.
    case name(String)
    /// A quoted text from the export (a subject, a value), cut to ``ReportText/quoteLimit``.
    case quote(String)
    /// An id, shown as code (ids hold only `A-Z a-z 0-9 . _ : -` when valid; others are escaped).
    case id(String)
    /// A name with its id after it: "*VIP buyer* (`tag-vip`)" (one phrase, so the HTML writes the
    /// pair as one shared string).
    case named(String, id: String)

    /// Equal when the case and the texts' **bytes** are (``ExactText``): the HTML report keeps what
    /// it wrote for a phrase by the phrase, and `String`'s own equality (canonical equivalence)
    /// would give a name the bytes written for an equivalent one spelled differently ("Café" with
    /// one accented letter and with a combining accent), as the JSON and Markdown no longer do.
    static func == (lhs: Phrase, rhs: Phrase) -> Bool {
        switch (lhs, rhs) {
        case (.words(let left), .words(let right)), (.name(let left), .name(let right)), (.quote(let left), .quote(let right)), (.id(let left), .id(let right)):
            ExactText(left) == ExactText(right)
        case (.named(let leftName, let leftID), .named(let rightName, let rightID)):
            ExactText(leftName) == ExactText(rightName) && ExactText(leftID) == ExactText(rightID)
        default: false
        }
    }

    /// Hashes the case and the texts' bytes, as ``==(_:_:)`` compares them.
    func hash(into hasher: inout Hasher) {
        switch self {
        case .words(let text): hasher.combine(0); hasher.combine(ExactText(text))
        case .name(let text): hasher.combine(1); hasher.combine(ExactText(text))
        case .quote(let text): hasher.combine(2); hasher.combine(ExactText(text))
        case .id(let text): hasher.combine(3); hasher.combine(ExactText(text))
        case .named(let name, let id): hasher.combine(4); hasher.combine(ExactText(name)); hasher.combine(ExactText(id))
        }
    }

    /// The plain text, for JSON and the HTML filter.
    var plain: String {
        switch self {
        case .words(let text): text
        case .name(let text): DisplayText.escape(ReportText.cut(text, limit: ReportText.nameLimit))
        case .quote(let text): "“" + DisplayText.escape(ReportText.cut(text)) + "”"
        case .id(let text): DisplayText.escape(text)
        case .named(let name, let id): DisplayText.escape(ReportText.cut(name, limit: ReportText.nameLimit)) + " (" + DisplayText.escape(id) + ")"
        }
    }

    /// ``plain`` appended to `text`.
    func plain(into text: inout [UInt8]) {
        func shown(_ raw: String) { ReportText.shown(raw, into: &text) }
        switch self {
        case .words(let words): text.write(words)
        case .name(let name): shown(ReportText.cut(name, limit: ReportText.nameLimit))
        case .quote(let quote):
            text.write("“")
            shown(ReportText.cut(quote))
            text.write("”")
        case .id(let id): shown(id)
        case .named(let name, let id):
            shown(ReportText.cut(name, limit: ReportText.nameLimit))
            text.write(" (")
            shown(id)
            text.append(UInt8(ascii: ")"))
        }
    }

    var markdown: String {
        switch self {
        case .words(let text): return text
        case .name(let whole):
            let text = ReportText.cut(whole, limit: ReportText.nameLimit)
            let trimmed = text.trimmingSpaces
            return trimmed.isEmpty || trimmed != text ? "“" + ReportText.markdown(text) + "”" : "*" + ReportText.markdown(text) + "*"
        case .quote(let text): return "“" + ReportText.markdown(ReportText.cut(text)) + "”"
        case .id(let text): return Workflow.isValidID(text) ? "`" + text + "`" : ReportText.markdown(text)
        case .named(let name, let id): return Phrase.name(name).markdown + " (" + Phrase.id(id).markdown + ")"
        }
    }

    /// ``markdown`` appended to `text`.
    func markdown(into text: inout [UInt8]) {
        switch self {
        case .words(let words): text.write(words)
        case .name(let whole):
            let name = ReportText.cut(whole, limit: ReportText.nameLimit)
            // As `trimmingSpaces` finds it: a name that is empty, or starts or ends with a space
            // (a character, looked at only when the byte there is a space: a space and a combining
            // mark are one character, not a space).
            let bytes = name.utf8
            let quoted = name.isEmpty || (bytes.first == UInt8(ascii: " ") && name.first == " ") || (bytes.last == UInt8(ascii: " ") && name.last == " ")
            text.write(quoted ? "“" : "*")
            ReportText.markdown(name, into: &text)
            text.write(quoted ? "”" : "*")
        case .quote(let quote):
            text.write("“")
            ReportText.markdown(ReportText.cut(quote), into: &text)
            text.write("”")
        case .id(let id):
            if Workflow.isValidID(id) {
                text.append(UInt8(ascii: "`"))
                text.write(id)
                text.append(UInt8(ascii: "`"))
            } else {
                ReportText.markdown(id, into: &text)
            }
        case .named(let name, let id):
            Phrase.name(name).markdown(into: &text)
            text.write(" (")
            Phrase.id(id).markdown(into: &text)
            text.append(UInt8(ascii: ")"))
        }
    }

    /// ``html`` appended to `text`.
    func html(into text: inout [UInt8]) {
        switch self {
        case .words(let words): ReportText.html(words, into: &text)
        case .name(let name):
            text.write("<i>")
            ReportText.html(ReportText.cut(name, limit: ReportText.nameLimit), into: &text)
            text.write("</i>")
        case .quote(let quote):
            text.write("“")
            ReportText.html(ReportText.cut(quote), into: &text)
            text.write("”")
        case .id(let id):
            text.write("<code>")
            ReportText.html(id, into: &text)
            text.write("</code>")
        case .named(let name, let id):
            Phrase.name(name).html(into: &text)
            text.write(" (")
            Phrase.id(id).html(into: &text)
            text.append(UInt8(ascii: ")"))
        }
    }

    var html: String {
        switch self {
        case .words(let text): ReportText.html(text)
        case .name(let text): "<i>" + ReportText.html(ReportText.cut(text, limit: ReportText.nameLimit)) + "</i>"
        case .quote(let text): "“" + ReportText.html(ReportText.cut(text)) + "”"
        case .id(let text): "<code>" + ReportText.html(text) + "</code>"
        case .named(let name, let id): Phrase.name(name).html + " (" + Phrase.id(id).html + ")"
        }
    }
}

/// A sentence of ``Phrase``s.
struct Sentence: Hashable, Sendable {
    var phrases: [Phrase]

    init(_ phrases: [Phrase] = []) { self.phrases = phrases }

    static func + (lhs: Sentence, rhs: Sentence) -> Sentence { Sentence(lhs.phrases + rhs.phrases) }
    static func += (lhs: inout Sentence, rhs: Sentence) { lhs.phrases += rhs.phrases }

    var plain: String {
        if phrases.count == 1, case .words(let text) = phrases[0] { return text }
        guard !phrases.isEmpty else { return "" }
        // One buffer, decoded once (Benchmarks/README.md, "Import throughput").
        var text: [UInt8] = []
        text.reserveCapacity(phrases.reduce(0) { $0 + $1.byteCount + 8 })
        for phrase in phrases { phrase.plain(into: &text) }
        return String(decoding: text, as: UTF8.self)
    }
    var markdown: String { phrases.map(\.markdown).joined() }
    var html: String { phrases.map(\.html).joined() }
    var isEmpty: Bool { phrases.isEmpty }

    /// ``markdown`` appended to `text`.
    func markdown(into text: inout [UInt8]) {
        for phrase in phrases { phrase.markdown(into: &text) }
    }
}

extension Sentence: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self.init([.words(value)]) }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
