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
    /// Entries by their bytes (``ExactText``), not by `String`'s canonical equivalence, so a name is
    /// never shown with the bytes of an equivalent one spelled differently.
    private var index: [ExactText: Int] = [:]
    private(set) var bytes = 0
    /// What ``Phrase/html(_:)`` wrote for a phrase (its token, or its text when not interned), so a
    /// phrase met again is written without escaping it again. Exact: once a string gets a token it
    /// keeps it, and one written out in full stays so (the dictionary only fills up). Bounded:
    /// ``phraseLimit`` phrases of at most ``phraseKeyLimit`` bytes each.
    private var written = PhraseTable()
    private var writtenBytes = 0

    /// The most phrases whose text is kept: 10,000 (the ones met first: the catalogue's names and
    /// the report's own words come back in every workflow; memory stays flat in the export's size).
    static let phraseLimit = 10_000
    /// The most bytes of the phrases' text kept, with what was written for them: 1,000,000.
    static let phraseByteLimit = 1_000_000
    /// The most bytes of one phrase kept: 1,000 (a longer one is cut when written, and rare).
    static let phraseKeyLimit = 1_000

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
        if let number = index[ExactText(html)] { return "{\(number)}" }
        guard entries.count < Self.entryLimit, bytes + html.utf8.count <= Self.byteLimit else { return html }
        return "{\(intern(html))}"
    }

    private mutating func intern(_ html: String) -> Int {
        let number = entries.count
        entries.append(html)
        index[ExactText(html)] = number
        bytes += Self.scriptSize(html)
        return number
    }

    /// The bytes ``script`` writes for an entry, counted on its bytes without writing them: a JSON
    /// string (two quotes; two bytes for `"`, `\` and the controls with a short escape, six for the
    /// other controls, `JSONValue.writeString`'s escapes), each `<` as `\u003c`, and a comma.
    static func scriptSize(_ html: String) -> Int {
        var size = 3
        for byte in html.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x08, 0x09, 0x0A, 0x0C, 0x0D: size += 2
            case 0..<0x20: size += 6
            case UInt8(ascii: "<"): size += 6
            default: size += 1
            }
        }
        return size
    }

    /// What ``Phrase/html(_:)`` gives for `phrase`, appended to `text`.
    mutating func write(_ phrase: Phrase, into text: inout [UInt8]) {
        let size = phrase.byteCount
        let hash = size <= Self.phraseKeyLimit ? written.hash(phrase) : 0
        if size <= Self.phraseKeyLimit, let bytes = written.value(phrase, hash: hash) {
            text.append(contentsOf: bytes)
            return
        }
        var html: [UInt8] = []
        html.reserveCapacity(size + 16)
        phrase.html(into: &html)
        // `{` in export text is written `&#123;` so it can never read as a token.
        if html.contains(UInt8(ascii: "{")) {
            var replaced: [UInt8] = []
            replaced.reserveCapacity(html.count + 16)
            for byte in html {
                if byte == UInt8(ascii: "{") { replaced.write("&#123;") } else { replaced.append(byte) }
            }
            html = replaced
        }
        let result = Array(token(String(decoding: html, as: UTF8.self)).utf8)
        text.append(contentsOf: result)
        if size <= Self.phraseKeyLimit, written.count < Self.phraseLimit, writtenBytes + size + result.count <= Self.phraseByteLimit {
            written.insert(phrase, hash: hash, value: result)
            writtenBytes += size + result.count
        }
    }

    /// The entries as a JavaScript array literal, safe inside a `<script>` element (`<` written
    /// `\u003c`, so no `</script>` can end it).
    var script: String {
        // The compact JSON text of the array of strings, each `<` written `\u003c` as it is copied
        // (every `<` in an entry starts one of the report's own tags: export text is escaped).
        var entry: [UInt8] = []
        var output: [UInt8] = []
        output.reserveCapacity(bytes + bytes / 8 + 2)
        output.append(UInt8(ascii: "["))
        for (index, text) in entries.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            entry.removeAll(keepingCapacity: true)
            JSONValue.writeString(text, to: &entry)
            for byte in entry {
                if byte == UInt8(ascii: "<") { output.write("\\u003c") } else { output.append(byte) }
            }
        }
        output.append(UInt8(ascii: "]"))
        return String(decoding: output, as: UTF8.self)
    }
}

extension Phrase {
    /// The phrase for an outline in the HTML report, through the dictionary; `{` in export text is
    /// written `&#123;` so it can never read as a token.
    func html(_ dictionary: inout HTMLDictionary) -> String {
        var text: [UInt8] = []
        dictionary.write(self, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of the phrase's strings.
    var byteCount: Int {
        switch self {
        case .words(let text), .name(let text), .quote(let text), .id(let text): text.utf8.count
        case .named(let name, let id): name.utf8.count + id.utf8.count
        }
    }
}

extension Sentence {
    func html(_ dictionary: inout HTMLDictionary) -> String {
        var text: [UInt8] = []
        html(into: &text, &dictionary)
        return String(decoding: text, as: UTF8.self)
    }

    /// ``html(_:)`` appended to `text`.
    func html(into text: inout [UInt8], _ dictionary: inout HTMLDictionary) {
        for phrase in phrases { dictionary.write(phrase, into: &text) }
    }
}

/// A workflow's HTML section with holes where the page's dictionary writes a phrase or a code
/// (``HTMLDictionary/write(_:into:)``, ``HTMLDictionary/token(_:)``): made without the dictionary
/// (on any thread), filled in workflow order by ``write(into:_:)``, which gives exactly what writing
/// the section through the dictionary directly gave.
struct HTMLOutline: Sendable {
    /// A step's line as `{+n}` or `{-n}`, its difference from `previous` (the line before it in the
    /// same outline), which becomes `line`; nothing written when the difference overflows.
    mutating func addLine(_ line: Int, after previous: inout Int) {
        let (difference, overflow) = line.subtractingReportingOverflow(previous)
        if !overflow {
            bytes.append(UInt8(ascii: "{"))
            if difference >= 0 { bytes.append(UInt8(ascii: "+")) }
            bytes.write(decimal: difference)
            bytes.append(UInt8(ascii: "}"))
        }
        previous = line
    }

    /// What the dictionary writes at a hole.
    enum HoleKind: Sendable {
        /// A phrase, through ``HTMLDictionary/write(_:into:)``.
        case phrase(Phrase)
        /// HTML given a token through ``HTMLDictionary/token(_:)``.
        case code(String)
    }

    /// A hole before `bytes[at]`.
    struct Hole: Sendable {
        var at: Int
        var kind: HoleKind
    }

    /// The section's text around the holes.
    var bytes: [UInt8] = []
    /// The holes, in order of `at`.
    var holes: [Hole] = []
    /// The bytes of the summary head (`<details…><summary>…</summary>`), which begins `bytes` (no hole in it).
    var summaryHeadCount = 0

    /// Adds a hole for each phrase of `sentence`.
    mutating func add(_ sentence: Sentence) {
        for phrase in sentence.phrases { holes.append(Hole(at: bytes.count, kind: .phrase(phrase))) }
    }

    /// The section, each hole filled through `dictionary`, appended to `text`.
    func write(into text: inout [UInt8], _ dictionary: inout HTMLDictionary) {
        var start = 0
        for hole in holes {
            if hole.at > start { text.append(contentsOf: bytes[start..<hole.at]) }
            start = hole.at
            switch hole.kind {
            case .phrase(let phrase): dictionary.write(phrase, into: &text)
            case .code(let html): text.write(dictionary.token(html))
            }
        }
        if start < bytes.count { text.append(contentsOf: bytes[start...]) }
    }
}
