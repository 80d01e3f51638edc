#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Counts the attributes of each start tag in the raw input, before libxml2 sees them.
///
/// libxml2 2.9 checks a start tag for duplicate attributes in time that grows with the square of
/// their number, before any callback of ours runs: a few megabytes of attributes on one tag would
/// take minutes. This scanner refuses such a tag first.
///
/// It reads code units of the document's encoding (``ExportEncoding``: UTF-8 bytes, or UTF-16 units
/// in either byte order), so a unit such as U+0222 or U+043C, one of whose bytes is `"` or `<`, is
/// never taken for markup. It follows the XML grammar for what is not a start tag: comments (the
/// `--` of `-->` must follow `<!--`, so `<!-->` and `<!--->` open comments that go on), CDATA
/// sections, processing instructions (the `?` of `?>` must follow the target), declarations, end
/// tags and quoted attribute values, so text that only looks like markup is not counted. It may
/// count more than libxml2 only in a document libxml2 refuses anyway, never less. It jumps from one
/// unit that matters to the next with `memchr`, so it costs little.
struct TagScanner {
    private enum State: Equatable {
        case text, open, tag, quoted(UInt16), markup(Int), comment, cdata, instruction, skipToClose
    }

    private var state = State.text
    private var attributes = 0
    /// The last two units of a comment's, CDATA section's or instruction's content, for `-->`,
    /// `]]>` and `?>` across chunks, and how many units of content there are (at most 2 kept).
    private var previous: (UInt16, UInt16) = (0, 0)
    private var contentUnits = 0
    /// A tag with more `=` signs outside quotes than this is refused.
    let limit: Int
    /// The encoding whose code units are read.
    let encoding: ExportEncoding
    /// UTF-16: the first byte of a code unit split between two chunks.
    private var pendingByte: UInt8?
    /// Bytes scanned before the current chunk.
    private var consumed = 0
    /// The offset in the document, in bytes, of the `<` of the last start tag (or other markup) seen.
    private(set) var tagStart = 0

    /// Whether the bytes scanned so far end inside a start tag (after its `<`, before its `>`).
    var isInsideStartTag: Bool {
        switch state {
        case .open, .tag, .quoted: true
        default: false
        }
    }

    init(limit: Int, encoding: ExportEncoding = .utf8) {
        self.limit = limit
        self.encoding = encoding
    }

    /// Scans the next chunk of the document; returns the offset in it of a start tag's attribute over
    /// the limit, if any (-1 when that unit began in the previous chunk). Chunks may split a code unit.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        defer { consumed += bytes.count }
        switch encoding {
        case .utf8:
            return run(UTF8Units(bytes: bytes), offset: 0)
        case .utf16LE, .utf16BE:
            guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
            var start = 0
            if let first = pendingByte {
                // The unit split across chunks, scanned on its own.
                pendingByte = nil
                let pair = [first, bytes[0]]
                let found = pair.withUnsafeBufferPointer { run16(UnsafeBufferPointer(start: $0.baseAddress, count: 2), offset: -1) }
                if found != nil { return -1 }
                start = 1
            }
            let even = (bytes.count - start) & ~1
            if start + even < bytes.count { pendingByte = bytes[start + even] }
            return run16(UnsafeBufferPointer(start: base + start, count: even), offset: start).map { $0 + start }
        }
    }

    private mutating func run16(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int) -> Int? {
        encoding == .utf16LE
            ? run(UTF16Units<LittleEndian>(bytes: bytes), offset: offset) : run(UTF16Units<BigEndian>(bytes: bytes), offset: offset)
    }

    /// The state machine over one run of whole code units, which starts `offset` bytes into the
    /// chunk; returns the byte offset in the run of the `=` over the limit.
    @inline(__always)
    private mutating func run<Units: CodeUnits>(_ units: Units, offset: Int) -> Int? {
        let count = units.count
        let width = Units.width
        var index = 0
        /// Takes the content units `from..<to` of a comment, CDATA section or instruction into
        /// `previous` and `contentUnits`.
        func absorb(from start: Int, to end: Int) {
            let length = (end - start) / width
            if length >= 2 {
                previous = (units[end - 2 * width], units[end - width])
            } else if length == 1 {
                previous = (previous.1, units[start])
            }
            contentUnits = min(2, contentUnits + length)
        }
        func enter(_ next: State) {
            state = next
            previous = (0, 0)
            contentUnits = 0
        }
        while index < count {
            switch state {
            case .text:
                guard let next = units.find(0x3C, from: index) else { return nil }  // <
                tagStart = consumed + offset + next
                index = next + width
                state = .open
            case .open:
                switch units[index] {
                case 0x21: state = .markup(1)  // <!
                case 0x3F: enter(.instruction)  // <?
                case 0x2F: state = .skipToClose  // </
                default:
                    attributes = 0
                    state = .tag
                    continue
                }
                index += width
            case .tag:
                // A tight loop over the tag's units until a quote or its end.
                tag: while index < count {
                    let unit = units[index]
                    index += width
                    switch unit {
                    case 0x3D:
                        attributes += 1
                        if attributes > limit { return index - width }
                    case 0x22, 0x27:
                        state = .quoted(unit)
                        break tag
                    case 0x3E:
                        state = .text
                        break tag
                    default: continue
                    }
                }
            case .quoted(let quote):
                guard let next = units.find(UInt8(quote), from: index) else { return nil }
                index = next + width
                state = .tag
            case .markup(let seen):
                // `<!--`, `<![CDATA[`, or a declaration such as `<!DOCTYPE ...>`.
                let unit = units[index]
                index += width
                if seen == 1, unit == 0x2D {
                    state = .markup(-1)  // "<!-"
                } else if seen == -1 {
                    if unit == 0x2D { enter(.comment) } else { state = .skipToClose }
                } else if seen >= 1, seen <= 7, unit == Self.cdataOpening[seen - 1] {
                    if seen == 7 { enter(.cdata) } else { state = .markup(seen + 1) }
                } else {
                    state = unit == 0x3E ? .text : .skipToClose
                }
            case .comment, .cdata, .instruction:
                // Each ends with '>' after two units of its content: "--", "]]", or "?" (one unit).
                guard let close = units.find(0x3E, from: index) else {
                    absorb(from: index, to: count)
                    return nil
                }
                absorb(from: index, to: close)
                index = close + width
                let ends: Bool
                switch state {
                case .comment: ends = contentUnits >= 2 && previous == (0x2D, 0x2D)
                case .cdata: ends = contentUnits >= 2 && previous == (0x5D, 0x5D)
                default: ends = contentUnits >= 1 && previous.1 == 0x3F
                }
                if ends {
                    state = .text
                } else {
                    // The '>' is content too.
                    previous = (previous.1, 0x3E)
                    contentUnits = min(2, contentUnits + 1)
                }
            case .skipToClose:
                guard let close = units.find(0x3E, from: index) else { return nil }
                index = close + width
                state = .text
            }
        }
        return nil
    }

    private static let cdataOpening: [UInt16] = Array("[CDATA[".utf16)
}

/// Code units read from raw bytes: indices are byte offsets of whole units.
private protocol CodeUnits {
    /// Bytes per unit.
    static var width: Int { get }
    /// Bytes, a whole number of units.
    var count: Int { get }
    /// The unit at a byte offset.
    subscript(_ offset: Int) -> UInt16 { get }
    /// The byte offset of the next unit equal to the ASCII character `ascii`, from `offset`.
    func find(_ ascii: UInt8, from offset: Int) -> Int?
}

private struct UTF8Units: CodeUnits {
    let bytes: UnsafeBufferPointer<UInt8>
    static var width: Int { 1 }
    var count: Int { bytes.count }
    subscript(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) }

    @inline(__always)
    func find(_ ascii: UInt8, from offset: Int) -> Int? {
        // Bytes below 0x80 are never part of a multi-byte UTF-8 sequence.
        guard offset < bytes.count, let base = bytes.baseAddress, let found = memchr(base + offset, Int32(ascii), bytes.count - offset) else {
            return nil
        }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

private protocol ByteOrder { static var asciiByte: Int { get } }
private enum LittleEndian: ByteOrder { static var asciiByte: Int { 0 } }
private enum BigEndian: ByteOrder { static var asciiByte: Int { 1 } }

private struct UTF16Units<Order: ByteOrder>: CodeUnits {
    let bytes: UnsafeBufferPointer<UInt8>
    static var width: Int { 2 }
    var count: Int { bytes.count }
    subscript(_ offset: Int) -> UInt16 {
        let low = Order.asciiByte
        return UInt16(bytes[offset + low]) | UInt16(bytes[offset + 1 - low]) << 8
    }

    @inline(__always)
    func find(_ ascii: UInt8, from offset: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let low = Order.asciiByte
        var from = offset + low
        // A unit is the character when its low byte is it and its high byte is 0; the byte may also
        // be either half of another unit (U+043C is 3C 04 in little-endian), which is skipped.
        while from < bytes.count, let found = memchr(base + from, Int32(ascii), bytes.count - from) {
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let unit = at - low
            if (unit - offset) & 1 == 0, bytes[unit + 1 - low] == 0 { return unit }
            from = at + 1
        }
        return nil
    }
}
