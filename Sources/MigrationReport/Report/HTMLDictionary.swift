import PurchaseActionsCore

/// The strings the HTML report's outlines share, each written once in the page's head and referred
/// to as `{n}` in the outlines, which the page's script expands when a workflow is opened: what keeps
/// the report under 5 MB at 10,000 workflows, whose outlines repeat the catalogue's names, the
/// templates' subjects and the report's own phrases (Docs/mapping.md, "The migration report").
///
/// A step's line is written `{+n}` or `{-n}`: the difference from the line before it in the same
/// outline (from 0 for the first), which the script adds up.
///
/// Bounded: at most ``entryLimit`` entries and ``byteLimit`` bytes; past either, strings are written
/// where they are used. Entries are HTML already (escaped text and the report's own tags).
struct HTMLDictionary: Sendable {
    private(set) var entries: [String] = []
    private var index: [String: Int] = [:]
    private(set) var bytes = 0

    /// The most entries: 50,000.
    static let entryLimit = 50_000
    /// The most bytes of entries: 1,500,000.
    static let byteLimit = 1_500_000
    /// The report's own markup, entries 0 to 9 (three-byte tokens).
    static let fixed = [
        "<ol><li>", "</li><li>", "</li></ol>", "<p>", "</p>", "<code>", "</code>", "Runs ", " <b class=a>approximated</b>", " <b class=n>not mappable</b>",
    ]

    init() {
        for text in Self.fixed { _ = intern(text) }
    }

    /// The token of `html` (`{n}`), interning it, or `html` itself when that is as short or the
    /// dictionary is full.
    mutating func token(_ html: String) -> String {
        guard html.utf8.count > 3 else { return html }
        if let number = index[html] { return "{\(number)}" }
        guard entries.count < Self.entryLimit, bytes + html.utf8.count <= Self.byteLimit else { return html }
        return "{\(intern(html))}"
    }

    private mutating func intern(_ html: String) -> Int {
        let number = entries.count
        entries.append(html)
        index[html] = number
        // Counted as ``script`` writes it: a JSON string, each `<` as `\u003c`, and a comma.
        let written = JSONValue.string(html).compactText.utf8
        bytes += written.count + 5 * written.reduce(0) { $0 + ($1 == UInt8(ascii: "<") ? 1 : 0) } + 1
        return number
    }

    /// The entries as a JavaScript array literal, safe inside a `<script>` element (`<` written
    /// `\u003c`, so no `</script>` can end it).
    var script: String {
        JSONValue.array(entries.map(JSONValue.string)).compactText.replacing("<", with: "\\u003c")
    }
}

extension Phrase {
    /// The phrase for an outline in the HTML report, through the dictionary; `{` in export text is
    /// written `&#123;` so it can never read as a token.
    func html(_ dictionary: inout HTMLDictionary) -> String {
        let text = html
        return dictionary.token(text.utf8.contains(UInt8(ascii: "{")) ? text.replacing("{", with: "&#123;") : text)
    }
}

extension Sentence {
    func html(_ dictionary: inout HTMLDictionary) -> String {
        var result = ""
        for phrase in phrases { result += phrase.html(&dictionary) }
        return result
    }
}
