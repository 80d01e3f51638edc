import PurchaseActionsCore

/// A picture label's text wrapped onto display lines (Docs/cli.md, "Pictures").
///
/// Each part of a label (the action type, the subject, a condition, ...) starts a display line and
/// wraps onto at most ``WorkflowPicture/maxWrappedLines`` of them, each at most
/// ``WorkflowPicture/maxLineCharacters`` characters and ``WorkflowPicture/maxLineBytes`` bytes of
/// escaped text. A line breaks at its last space after `and` or `or` when that space is in the
/// line's second half, else at its last space in the line's last two thirds, else where it is
/// full. The whole label holds at most ``WorkflowPicture/maxLabelBytes`` bytes of escaped text.
/// Text is cut only past those bounds, and the cut is marked with `…`: a part cut at its last line
/// ends with `…` and the next part follows on a line of its own; when the label's bytes are spent,
/// the parts not reached are left out and a last line says how many (`(3 more not shown)`, within
/// the label's bytes). The work is bounded by the bounds, not by the text's length.
struct LabelWrap {
    let maxCharacters: Int
    let escape: (Unicode.Scalar) -> String
    /// `escape` of each ASCII scalar as bytes, when the caller has the table (Mermaid's:
    /// `MermaidLabels.asciiEscapes`): the printable-ASCII paths then look each byte up instead of
    /// calling `escape` (Benchmarks/README.md, "Import throughput").
    let asciiEscapes: [[UInt8]]?
    /// Whether each ASCII byte's escape in ``asciiEscapes`` is the byte itself (most are: appended
    /// without copying an array).
    private let asciiEscapesItself: [Bool]?
    /// The display lines' escaped text, one after another (``lines`` splits it): written as bytes,
    /// with no `String` per line (Benchmarks/README.md, "Import throughput").
    private(set) var written: [UInt8] = []
    /// Where each display line ends in ``written``.
    private var lineEnds: [Int] = []
    /// The display lines, escaped.
    var lines: [String] {
        var start = 0
        return lineEnds.map { end in
            defer { start = end }
            return String(decoding: written[start..<end], as: UTF8.self)
        }
    }
    /// Bytes of escaped text the label may still take.
    private var budget = WorkflowPicture.maxLabelBytes
    /// Bytes kept back, while parts follow, for the line saying how many were left out.
    private let reserve: Int
    /// Set once the label's bytes are spent: nothing more is added.
    private(set) var isFull = false
    private static let ellipsis = "…"
    /// The bytes kept for `(N more not shown)`: 24.
    static let noteReserve = 24

    init(maxCharacters: Int, escape: @escaping (Unicode.Scalar) -> String, reserve: Int = 0, asciiEscapes: [[UInt8]]? = nil) {
        self.maxCharacters = maxCharacters
        self.escape = escape
        let table = asciiEscapes.flatMap { $0.count == 128 ? $0 : nil }
        self.asciiEscapes = table
        // Mermaid's table (the report's: the same array, found without comparing its entries) has
        // its flags made once.
        asciiEscapesItself = table.map { table in
            table == MermaidLabels.asciiEscapes ? MermaidLabels.asciiEscapesItself : (0..<128).map { table[$0] == [UInt8($0)] }
        }
        self.reserve = reserve
    }

    /// The parts of a label wrapped onto display lines. A label whose parts all fit is wrapped as
    /// they come; one whose bytes run out before its last part is wrapped again keeping
    /// ``noteReserve`` bytes back while parts follow, and ends with `(N more not shown)`.
    static func wrap(_ parts: [String], maxCharacters: Int, escape: @escaping (Unicode.Scalar) -> String, asciiEscapes: [[UInt8]]? = nil) -> [String] {
        wrapped(parts, maxCharacters: maxCharacters, escape: escape, asciiEscapes: asciiEscapes).lines
    }

    /// ``wrap(_:maxCharacters:escape:asciiEscapes:)``'s lines joined by `joiner` (written as it is:
    /// it is syntax), appended to `output`.
    static func write(
        _ parts: [String], maxCharacters: Int, escape: @escaping (Unicode.Scalar) -> String, asciiEscapes: [[UInt8]]? = nil, joiner: String,
        into output: inout [UInt8]
    ) {
        let label = wrapped(parts, maxCharacters: maxCharacters, escape: escape, asciiEscapes: asciiEscapes)
        var start = 0
        for (index, end) in label.lineEnds.enumerated() {
            if index > 0 { output.append(contentsOf: joiner.utf8) }
            output.append(contentsOf: label.written[start..<end])
            start = end
        }
    }

    /// The label of `parts`, with its `(N more not shown)` line when parts were left out.
    private static func wrapped(_ parts: [String], maxCharacters: Int, escape: @escaping (Unicode.Scalar) -> String, asciiEscapes: [[UInt8]]?) -> LabelWrap {
        var plain = LabelWrap(maxCharacters: maxCharacters, escape: escape, asciiEscapes: asciiEscapes)
        guard plain.add(parts) > 0 else { return plain }
        var reserving = LabelWrap(maxCharacters: maxCharacters, escape: escape, reserve: noteReserve, asciiEscapes: asciiEscapes)
        let omitted = reserving.add(parts)
        guard omitted > 0 else { return reserving }
        // Within the bytes kept back for it.
        reserving.finish("(\(omitted) more not shown)".unicodeScalars.map(escape).joined())
        return reserving
    }

    /// Adds the parts in order until the label's bytes are spent; returns how many were not reached.
    mutating func add(_ parts: [String]) -> Int {
        for (index, part) in parts.enumerated() {
            if isFull { return parts.count - index }
            add(part, reserving: index < parts.count - 1 ? reserve : 0)
        }
        return 0
    }

    /// One character as the syntax writes it: control characters written visibly
    /// (`DisplayText.escapeControls`), each scalar escaped. A character that escapes to more than a
    /// line's bytes is not finished (it cannot fit anyway).
    private func piece(_ character: Character) -> String {
        var piece = ""
        for scalar in character.unicodeScalars {
            if DisplayText.isControl(scalar) {
                for visible in DisplayText.escapeControls(String(scalar)).unicodeScalars { piece += escape(visible) }
            } else {
                piece += escape(scalar)
            }
            if piece.utf8.count > WorkflowPicture.maxLineBytes { break }
        }
        return piece
    }

    /// Adds a part of the label: it starts a display line of its own. `reserving` bytes of the
    /// label's are kept for what follows.
    mutating func add(_ raw: String, reserving: Int = 0) {
        guard !isFull else { return }
        let maxBytes = min(WorkflowPicture.maxLineBytes, budget - reserving)
        if let asciiEscapes {
            if Self.appendFittingLine(raw, maxCharacters: maxCharacters, maxBytes: maxBytes, asciiEscapes: asciiEscapes, to: &written) { return endLine() }
        } else if let line = Self.oneLine(raw, maxCharacters: maxCharacters, maxBytes: maxBytes, escape: escape) {
            return finish(line)
        }
        if raw.utf8.count <= Self.asciiPartLimit, Self.isOneScalarPerCharacter(raw) { return addWrappingScalars(raw, reserving: reserving) }
        addWrapping(raw, reserving: reserving)
    }

    /// The longest part ``addWrappingScalars(_:reserving:)`` takes: 2,000 bytes (it escapes the whole
    /// part first; a longer one is wrapped character by character, which stops where the label is full).
    static let asciiPartLimit = 2_000

    /// Whether every scalar of `text` is a character of its own that is not a control character:
    /// printable ASCII, or a scalar of the blocks ``isStandalone(_:)`` names. Then its characters
    /// are its scalars, and each is written as `escape` writes the scalar.
    static func isOneScalarPerCharacter(_ text: String) -> Bool {
        // Printable ASCII (nearly every part) is found on the bytes.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return true }
        return text.unicodeScalars.allSatisfy { isStandalone($0.value) }
    }

    /// Scalars that never join a neighbour into one character (Unicode's grapheme cluster break
    /// property `Other`, no `Extend`, `ZWJ`, `SpacingMark`, `Prepend`, regional indicator or Hangul
    /// jamo) and are not control characters (`DisplayText.isControl`): printable ASCII, Latin-1 and
    /// the Latin extensions (not the soft hyphen, a format character), Greek and Cyrillic letters,
    /// general punctuation (dashes, quotes, `…`; not the format and direction marks), currency,
    /// letter-like and number forms, arrows, mathematical and technical signs, box drawing,
    /// shapes, symbols and dingbats (`✓`), katakana, hiragana letters, CJK ideographs and
    /// full-width forms. Any other scalar sends a part to the character-by-character wrapping.
    static func isStandalone(_ value: UInt32) -> Bool {
        switch value {
        case 0x20...0x7E, 0xA0...0xAC, 0xAE...0x2FF, 0x370...0x482: true
        case 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0, 0x2100...0x218B, 0x2190...0x23FF, 0x2460...0x27BF: true
        case 0x3041...0x3096, 0x30A0...0x30FF, 0x4E00...0x9FFF, 0xFF01...0xFF60: true
        default: false
        }
    }

    /// ``addWrapping(_:reserving:)`` for a part whose characters are its scalars, none of them a
    /// control character (``isOneScalarPerCharacter(_:)``): the part's scalars escaped once into
    /// one buffer, and the line being filled a run of them, measured with the running total of their
    /// escaped sizes, instead of one `String` per character. Gives the lines
    /// ``addWrapping(_:reserving:)`` gives (`LabelWrapFastPathTests`).
    mutating func addWrappingScalars(_ raw: String, reserving: Int = 0) {
        guard !isFull else { return }
        // The escaped bytes of the part, where each scalar's escape starts (one more at the end),
        // and which scalars are spaces.
        var escaped: [UInt8] = []
        escaped.reserveCapacity(raw.utf8.count + 16)
        var offsets: [Int] = []
        offsets.reserveCapacity(raw.utf8.count + 1)
        var spaces: [Bool] = []
        spaces.reserveCapacity(raw.utf8.count)
        // An ASCII part (nearly all) read from its bytes, each one scalar; any other decoded.
        let ascii = raw.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            for byte in bytes { piece(Unicode.Scalar(byte), escaped: &escaped, offsets: &offsets, spaces: &spaces) }
            return true
        }
        if ascii != true {
            for scalar in raw.unicodeScalars { piece(scalar, escaped: &escaped, offsets: &offsets, spaces: &spaces) }
        }
        offsets.append(escaped.count)
        let pieces = spaces.count
        let ellipsis = Array(Self.ellipsis.utf8)
        func text(_ from: Int, _ to: Int) -> ArraySlice<UInt8> { escaped[offsets[from]..<offsets[to]] }
        var wrapped = 0
        // The line being filled: the part's scalars `start..<index`.
        var start = 0
        var index = 0
        while index < pieces {
            let width = offsets[index + 1] - offsets[index]
            let available = budget - reserving
            let lineBytes = min(WorkflowPicture.maxLineBytes, available)
            let count = index - start
            // Room is always kept for the `…` a cut would need.
            if count < maxCharacters, offsets[index] - offsets[start] + width <= lineBytes - ellipsis.count {
                index += 1
                continue
            }
            let spent = available <= WorkflowPicture.maxLineBytes
            if spent || wrapped + 1 >= WorkflowPicture.maxWrappedLines || count == 0 {
                finish(text(start, index), ellipsis[...])
                isFull = spent
                return
            }
            if spaces[index] {
                // The line is full just before a space: it breaks there.
                finish(text(start, index))
                wrapped += 1
                index += 1
                start = index
                continue
            }
            let cut = start + Self.breakPoint(count: count, maxCharacters: maxCharacters) { offset in
                spaces[start + offset]
            } word: { from, to in
                text(start + from, start + to)
            }
            finish(text(start, cut))
            wrapped += 1
            start = cut
            while start < index, spaces[start] { start += 1 }
            // The scalar that did not fit is tried again on the new line.
        }
        // A part ending in a space just past a full line adds no empty line.
        if index > start || wrapped == 0 { finish(text(start, index)) }
    }

    /// A scalar of ``addWrappingScalars(_:reserving:)``'s part: where its escape starts, whether it
    /// is a space, and its escape.
    private func piece(_ scalar: Unicode.Scalar, escaped: inout [UInt8], offsets: inout [Int], spaces: inout [Bool]) {
        offsets.append(escaped.count)
        spaces.append(scalar == " ")
        if scalar.value < 0x80, let asciiEscapes, let asciiEscapesItself {
            let byte = Int(scalar.value)
            if asciiEscapesItself[byte] { escaped.append(UInt8(truncatingIfNeeded: byte)) } else { escaped.append(contentsOf: asciiEscapes[byte]) }
        } else {
            escaped.write(escape(scalar))
        }
    }

    /// ``breakPoint(_:maxCharacters:)`` of a line of `count` pieces, asking whether a piece is a
    /// space and the escaped text of a run of pieces.
    static func breakPoint(count: Int, maxCharacters: Int, isSpace: (Int) -> Bool, word: (Int, Int) -> ArraySlice<UInt8>) -> Int {
        var lastSpace: Int?
        var afterConjunction: Int?
        var index = count - 1
        while index > 0 {
            defer { index -= 1 }
            guard isSpace(index) else { continue }
            if lastSpace == nil { lastSpace = index }
            if afterConjunction == nil {
                for conjunction in ["and", "or"] {
                    let start = index - conjunction.utf8.count
                    guard start >= 0, word(start, index).elementsEqual(conjunction.utf8) else { continue }
                    if start == 0 || isSpace(start - 1) {
                        afterConjunction = index
                        break
                    }
                }
            }
            if lastSpace != nil, afterConjunction != nil { break }
        }
        if let afterConjunction, afterConjunction >= maxCharacters / 2 { return afterConjunction }
        if let lastSpace, lastSpace >= maxCharacters / 3 { return lastSpace }
        return count
    }

    /// The escaped text of a part that fits on one display line as it is, or nil: the common case
    /// (an action's type, a tag), which ``addWrapping(_:reserving:)`` would give the same line for,
    /// found without splitting it into characters. Only printable ASCII is taken (each byte one
    /// character and one scalar, none of them control characters); anything else is nil.
    static func oneLine(_ raw: String, maxCharacters: Int, maxBytes: Int, escape: (Unicode.Scalar) -> String, asciiEscapes: [[UInt8]]? = nil) -> String? {
        if let asciiEscapes, asciiEscapes.count == 128 {
            // The same line from the table, built as bytes (printable ASCII only, as below).
            guard raw.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            var line: [UInt8] = []
            guard appendFittingLine(raw, maxCharacters: maxCharacters, maxBytes: maxBytes, asciiEscapes: asciiEscapes, to: &line) else { return nil }
            return String(decoding: line, as: UTF8.self)
        }
        var raw = raw
        return raw.withUTF8 { bytes -> String? in
            guard bytes.count <= maxCharacters else { return nil }
            var line = ""
            var count = 0
            for byte in bytes {
                guard byte >= 0x20, byte < 0x7F else { return nil }
                let piece = escape(Unicode.Scalar(byte))
                count += piece.utf8.count
                // Room is kept for the `…` a cut would need, as when wrapping.
                guard count <= maxBytes - ellipsis.utf8.count else { return nil }
                line += piece
            }
            return line
        }
    }

    /// The escaped text of a part that fits on one display line as it is, appended to `output`, for
    /// an escape whose ASCII escapes are `asciiEscapes` (128 of them) and which keeps every other
    /// scalar as it is (Mermaid's): the line ``addWrapping(_:reserving:)`` would give, found
    /// without splitting the part into characters. The part fits when it has no control character,
    /// at most `maxCharacters` characters and, escaped, at most `maxBytes` less the `…` a cut would
    /// need. False, with nothing appended, for any other part.
    static func appendFittingLine(_ raw: String, maxCharacters: Int, maxBytes: Int, asciiEscapes: [[UInt8]], to output: inout [UInt8]) -> Bool {
        var raw = raw
        // Escaping never makes text shorter: a part of more bytes than the line holds does not fit
        // (found before writing any of it, as a long condition or subject is common).
        let size = raw.utf8.count
        guard size == 0 || size <= maxBytes - ellipsis.utf8.count else { return false }
        let start = output.count
        var ascii = true
        var fits = raw.withUTF8 { bytes -> Bool in
            // More bytes than characters allowed: fits only with non-ASCII text, whose characters take several.
            guard bytes.count <= maxCharacters || bytes.contains(where: { $0 >= 0x80 }) else { return false }
            for byte in bytes {
                if byte < 0x80 {
                    guard byte >= 0x20, byte < 0x7F else { return false }
                    output.append(contentsOf: asciiEscapes[Int(byte)])
                } else {
                    ascii = false
                    output.append(byte)
                }
                // Room is kept for the `…` a cut would need, as when wrapping.
                guard output.count - start <= maxBytes - ellipsis.utf8.count else { return false }
            }
            return true
        }
        if fits, raw.utf8.count > maxCharacters {
            // Counted in characters, as the wrapping counts them (only when the bytes are more).
            fits = !ascii && raw.index(raw.startIndex, offsetBy: maxCharacters, limitedBy: raw.endIndex).map { $0 == raw.endIndex } ?? true
        }
        if fits, !ascii, raw.unicodeScalars.contains(where: DisplayText.isControl) { fits = false }
        if !fits { output.removeSubrange(start...) }
        return fits
    }

    /// ``add(_:reserving:)`` character by character: wraps and cuts as the type's description says.
    mutating func addWrapping(_ raw: String, reserving: Int = 0) {
        guard !isFull else { return }
        var wrapped = 0
        // The line being filled: the escaped piece of each character, and whether it is a space.
        var pieces: [(text: String, isSpace: Bool)] = []
        var bytes = 0
        var iterator = raw.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            let text = piece(character)
            let available = budget - reserving
            let lineBytes = min(WorkflowPicture.maxLineBytes, available)
            // Room is always kept for the `…` a cut would need.
            if pieces.count < maxCharacters, bytes + text.utf8.count <= lineBytes - Self.ellipsis.utf8.count {
                pieces.append((text, character == " "))
                bytes += text.utf8.count
                continue
            }
            // The line is full. On the last line allowed, or when the label's bytes are spent,
            // or when the character cannot fit even on a line of its own, the text is cut here;
            // only when the label's bytes are spent does nothing more follow.
            let spent = available <= WorkflowPicture.maxLineBytes
            if spent || wrapped + 1 >= WorkflowPicture.maxWrappedLines || pieces.isEmpty {
                finish(pieces.map(\.text).joined() + Self.ellipsis)
                isFull = spent
                return
            }
            if character == " " {
                // The line is full just before a space: it breaks there.
                finish(pieces.map(\.text).joined())
                wrapped += 1
                pieces = []
                bytes = 0
                continue
            }
            let cut = Self.breakPoint(pieces, maxCharacters: maxCharacters)
            let carried = Array(pieces[cut...].drop { $0.isSpace })
            finish(pieces[..<cut].map(\.text).joined())
            wrapped += 1
            pieces = carried
            bytes = carried.reduce(0) { $0 + $1.text.utf8.count }
            pending = character
        }
        // A part ending in a space just past a full line adds no empty line.
        if !pieces.isEmpty || wrapped == 0 { finish(pieces.map(\.text).joined()) }
    }

    private mutating func finish(_ line: String) {
        written.append(contentsOf: line.utf8)
        endLine()
    }

    /// A line of escaped bytes (and `suffix`), ended.
    private mutating func finish(_ line: ArraySlice<UInt8>, _ suffix: ArraySlice<UInt8> = []) {
        written.append(contentsOf: line)
        written.append(contentsOf: suffix)
        endLine()
    }

    /// Ends the line written into ``written`` since the last, counting its bytes against the label's.
    private mutating func endLine() {
        budget -= written.count - (lineEnds.last ?? 0)
        lineEnds.append(written.count)
    }

    /// Where a full line breaks: the index of the space that ends it (the space goes to neither
    /// line), or the line's length (a hard break) when no space fits.
    static func breakPoint(_ pieces: [(text: String, isSpace: Bool)], maxCharacters: Int) -> Int {
        var lastSpace: Int?
        var afterConjunction: Int?
        for index in pieces.indices.reversed() where pieces[index].isSpace && index > 0 {
            if lastSpace == nil { lastSpace = index }
            if afterConjunction == nil, endsWithConjunction(pieces, before: index) { afterConjunction = index }
            if lastSpace != nil, afterConjunction != nil { break }
        }
        if let afterConjunction, afterConjunction >= maxCharacters / 2 { return afterConjunction }
        if let lastSpace, lastSpace >= maxCharacters / 3 { return lastSpace }
        return pieces.count
    }

    /// Whether the word before `index` is `and` or `or` (a word of its own).
    private static func endsWithConjunction(_ pieces: [(text: String, isSpace: Bool)], before index: Int) -> Bool {
        for word in ["and", "or"] {
            let start = index - word.count
            guard start >= 0 else { continue }
            guard pieces[start..<index].map(\.text).joined() == word else { continue }
            if start == 0 || pieces[start - 1].isSpace { return true }
        }
        return false
    }
}
