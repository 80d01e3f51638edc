import PurchaseActionsCore

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
    /// Lines compared by their bytes (``ExactText``), not by `String`'s canonical equivalence: an
    /// equivalent label spelled with other bytes is its own entry, as written anew.
    private struct Key: Hashable {
        var lines: [ExactText]
        var maxCharacters: Int
    }

    private var labels: [Key: [UInt8]] = [:]
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
        var text: [UInt8] = []
        write(lines, maxCharacters: maxCharacters, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// ``label(_:maxCharacters:)`` appended to `text`.
    mutating func write(_ lines: [String], maxCharacters: Int, keep: Bool = true, into text: inout [UInt8]) {
        // Most labels are lines that fit as they are: written byte by byte, cheaper than looking
        // them up (and a workflow id or order named once would only fill the cache).
        if Self.writeFittingLines(lines, maxCharacters: maxCharacters, into: &text) { return }
        // Long text is not worth hashing (it is rare, and cut when written): only short lines are kept.
        var keyBytes = 0
        for line in lines { keyBytes += line.utf8.count }
        guard keep, entryLimit > 0, keyBytes <= Self.keyByteLimit else {
            return Self.wrap(lines, maxCharacters: maxCharacters, into: &text)
        }
        let key = Key(lines: lines.map(ExactText.init), maxCharacters: maxCharacters)
        if let label = labels[key] {
            text.append(contentsOf: label)
            return
        }
        let start = text.count
        Self.wrap(lines, maxCharacters: maxCharacters, into: &text)
        let label = Array(text[start...])
        let size = keyBytes + label.count
        if labels.count < entryLimit, bytes + size <= Self.byteLimit {
            labels[key] = label
            bytes += size
        }
    }

    /// The label of `lines` when each fits on one display line as it is, without a control
    /// character: at most `maxCharacters` characters and, escaped, at most the line's bytes less the
    /// `…` a cut would need (with the label's bytes counted down as
    /// ``LabelWrap/wrap(_:maxCharacters:escape:)`` counts them). Escaped byte by byte (non-ASCII
    /// text is kept as it is) and appended to `text`: the label
    /// ``PictureLayout/label(_:maxCharacters:_:joiner:)`` writes. False, with nothing appended, for
    /// any other label.
    static func writeFittingLines(_ lines: [String], maxCharacters: Int, into text: inout [UInt8]) -> Bool {
        let start = text.count
        var budget = WorkflowPicture.maxLabelBytes
        // Room is kept for the `…` a cut would need, as when wrapping.
        let ellipsis = "…".utf8.count
        for (index, line) in lines.enumerated() {
            if index > 0 { text.write("<br/>") }
            let maxBytes = Swift.min(WorkflowPicture.maxLineBytes, budget) - ellipsis
            // Measured first, then written in one copy when no byte needs an entity (most lines).
            let measure = line.utf8.withContiguousStorageIfAvailable { bytes in
                let size = escapedSize(bytes, maxBytes: maxBytes)
                if let size, size.count == bytes.count {
                    text.append(contentsOf: bytes)
                } else if size != nil {
                    append(bytes, into: &text)
                }
                return size
            } ?? escapedSize(Array(line.utf8), maxBytes: maxBytes).map { size in
                append(Array(line.utf8), into: &text)
                return size
            }
            guard let size = measure else {
                text.removeSubrange(start...)
                return false
            }
            var fits = true
            if line.utf8.count > maxCharacters {
                // Counted in characters, as the wrapping counts them (only when the bytes are more).
                fits = !size.ascii && line.index(line.startIndex, offsetBy: maxCharacters, limitedBy: line.endIndex).map { $0 == line.endIndex } ?? true
            }
            if fits, !size.ascii, line.unicodeScalars.contains(where: DisplayText.isControl) { fits = false }
            guard fits else {
                text.removeSubrange(start...)
                return false
            }
            budget -= size.count
        }
        return true
    }

    /// The escaped size of a line's bytes and whether they are all ASCII; nil when an ASCII byte is
    /// not printable or the size passes `maxBytes` (a line with no bytes always fits).
    private static func escapedSize<Bytes: Collection<UInt8>>(_ bytes: Bytes, maxBytes: Int) -> (count: Int, ascii: Bool)? {
        let sizes = asciiEscapeSizes
        var count = 0
        var ascii = true
        for byte in bytes {
            if byte < 0x80 {
                // 0 for a control character or DEL: never written.
                let size = Int(sizes[Int(byte)])
                guard size > 0 else { return nil }
                count += size
            } else {
                ascii = false
                count += 1
            }
            // Past the bound: nil whatever follows (a long condition is not measured to its end).
            if count > maxBytes { return nil }
        }
        // The size only grows byte by byte: past the bound at the end, past it at some byte.
        guard bytes.isEmpty || count <= maxBytes else { return nil }
        return (count, ascii)
    }

    /// `bytes` escaped as ``asciiEscapes`` says (non-ASCII bytes as they are), appended to `text`.
    private static func append<Bytes: Collection<UInt8>>(_ bytes: Bytes, into text: inout [UInt8]) {
        let escapes = asciiEscapes
        let escapesItself = asciiEscapesItself
        for byte in bytes {
            if byte >= 0x80 || escapesItself[Int(byte)] {
                text.append(byte)
            } else {
                text.append(contentsOf: escapes[Int(byte)])
            }
        }
    }

    /// ``PictureLayout/mermaidEscape(_:)`` of each ASCII byte.
    static let asciiEscapes: [[UInt8]] = (0..<128).map { Array(PictureLayout.mermaidEscape(Unicode.Scalar(UInt8($0))).utf8) }
    /// Whether an ASCII byte's escape is the byte itself (most are: appended without copying an array).
    static let asciiEscapesItself: [Bool] = (0..<128).map { asciiEscapes[$0] == [UInt8($0)] }
    /// The size of each ASCII byte's escape, 0 for the bytes a fitting line may not hold (control
    /// characters and DEL).
    static let asciiEscapeSizes: [UInt8] = (0..<128).map { $0 < 0x20 || $0 == 0x7F ? 0 : UInt8(asciiEscapes[$0].count) }

    /// The label ``PictureLayout/label(_:maxCharacters:_:joiner:asciiEscapes:)`` makes, written
    /// into `text` as bytes.
    private static func wrap(_ lines: [String], maxCharacters: Int, into text: inout [UInt8]) {
        LabelWrap.write(lines, maxCharacters: maxCharacters, escape: PictureLayout.mermaidEscape, asciiEscapes: asciiEscapes, joiner: "<br/>", into: &text)
    }
}
