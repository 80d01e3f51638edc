import PurchaseActionsCore

/// The names the report shows for ids an export's catalogue holds: products, plans, tags, users.
/// An id the catalogue does not hold is shown as the id.
struct ReportNames: Sendable {
    var catalogue: Catalogue

    func product(_ id: String) -> String { catalogue.products[id]?.name ?? id }
    func plan(_ id: String) -> String { catalogue.subscriptionPlans[id]?.name ?? id }
    func tag(_ id: String) -> String { catalogue.tags[id]?.name ?? id }
    func user(_ id: String) -> String { catalogue.users[id]?.name ?? id }
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

    /// The plain text, for JSON and the HTML filter.
    var plain: String {
        switch self {
        case .words(let text): text
        case .name(let text): DisplayText.escape(text)
        case .quote(let text): "“" + DisplayText.escape(ReportText.cut(text)) + "”"
        case .id(let text): DisplayText.escape(text)
        }
    }

    var markdown: String {
        switch self {
        case .words(let text): return text
        case .name(let text):
            let trimmed = text.trimmingSpaces
            return trimmed.isEmpty || trimmed != text ? "“" + ReportText.markdown(text) + "”" : "*" + ReportText.markdown(text) + "*"
        case .quote(let text): return "“" + ReportText.markdown(ReportText.cut(text)) + "”"
        case .id(let text): return Workflow.isValidID(text) ? "`" + text + "`" : ReportText.markdown(text)
        }
    }

    var html: String {
        switch self {
        case .words(let text): ReportText.html(text)
        case .name(let text): "<i>" + ReportText.html(text) + "</i>"
        case .quote(let text): "“" + ReportText.html(ReportText.cut(text)) + "”"
        case .id(let text): "<code>" + ReportText.html(text) + "</code>"
        }
    }
}

/// A sentence of ``Phrase``s.
struct Sentence: Hashable, Sendable {
    var phrases: [Phrase]

    init(_ phrases: [Phrase] = []) { self.phrases = phrases }

    static func + (lhs: Sentence, rhs: Sentence) -> Sentence { Sentence(lhs.phrases + rhs.phrases) }
    static func += (lhs: inout Sentence, rhs: Sentence) { lhs.phrases += rhs.phrases }

    var plain: String { phrases.map(\.plain).joined() }
    var markdown: String { phrases.map(\.markdown).joined() }
    var html: String { phrases.map(\.html).joined() }
    var isEmpty: Bool { phrases.isEmpty }
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
