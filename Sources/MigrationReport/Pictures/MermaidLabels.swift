/// Mermaid labels already written, by their lines: a report draws one picture per workflow, and
/// the same labels (an action naming the same tag, template or subject; `when` a trigger; `end`)
/// come back in thousands of them, each wrapped and escaped anew (``LabelWrap``) before this cache
/// (Benchmarks/README.md, "Import throughput").
///
/// A label is a pure function of its lines and line width, so a cached label is byte for byte the
/// one ``PictureLayout/label(_:maxCharacters:_:joiner:)`` writes. Bounded: at most `entryLimit`
/// labels of at most ``byteLimit`` bytes in all (lines and label); past either, labels are still
/// looked up but no more are kept.
struct MermaidLabels {
    private struct Key: Hashable {
        var lines: [String]
        var maxCharacters: Int
    }

    private var labels: [Key: String] = [:]
    /// Bytes of lines and labels kept.
    private(set) var bytes = 0
    private let entryLimit: Int

    /// The most labels a report keeps: 4,000.
    static let reportEntryLimit = 4_000
    /// The most bytes of lines and labels kept: 1,000,000.
    static let byteLimit = 1_000_000

    /// The most bytes of lines one kept label has: 1,000.
    static let keyByteLimit = 1_000

    /// A cache keeping at most `entryLimit` labels (0: none, every label written anew).
    init(entryLimit: Int = reportEntryLimit) { self.entryLimit = entryLimit }

    /// How many labels are kept.
    var count: Int { labels.count }

    /// The label of `lines` in Mermaid syntax, lines joined by `<br/>`.
    mutating func label(_ lines: [String], maxCharacters: Int) -> String {
        // Long text is not worth hashing (it is rare, and cut when written): only short lines are kept.
        guard entryLimit > 0, lines.reduce(0, { $0 + $1.utf8.count }) <= Self.keyByteLimit else { return Self.write(lines, maxCharacters: maxCharacters) }
        let key = Key(lines: lines, maxCharacters: maxCharacters)
        if let label = labels[key] { return label }
        let label = Self.write(lines, maxCharacters: maxCharacters)
        let size = lines.reduce(label.utf8.count) { $0 + $1.utf8.count }
        if labels.count < entryLimit, bytes + size <= Self.byteLimit {
            labels[key] = label
            bytes += size
        }
        return label
    }

    private static func write(_ lines: [String], maxCharacters: Int) -> String {
        PictureLayout.label(lines, maxCharacters: maxCharacters, PictureLayout.mermaidEscape, joiner: "<br/>")
    }
}
