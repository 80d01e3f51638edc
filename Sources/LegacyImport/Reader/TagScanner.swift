#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Counts the attributes of each start tag in the raw bytes, before libxml2 sees them.
///
/// libxml2 2.9 checks a start tag for duplicate attributes in time that grows with the square of
/// their number, before any callback of ours runs: a few megabytes of attributes on one tag would
/// take minutes. This scanner refuses such a tag first. It follows quoted values, comments, CDATA
/// sections, processing instructions and declarations, so text that only looks like markup is not
/// counted. It jumps from one byte that matters to the next with `memchr`, so it costs little.
struct TagScanner {
    private enum State: Equatable {
        case text, open, tag, quoted(UInt8), markup(Int), comment, cdata, instruction, skipToClose
    }

    private var state = State.text
    private var attributes = 0
    /// The last two bytes before the current one, for `-->`, `]]>` and `?>` across chunks.
    private var previous: (UInt8, UInt8) = (0, 0)
    /// A tag with more `=` signs outside quotes than this is refused.
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Scans a chunk; returns the offset in it of a start tag's attribute over the limit, if any.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        /// The offset of the next `byte` from `index`, or nil.
        func find(_ byte: UInt8, from index: Int) -> Int? {
            guard index < count, let found = memchr(base + index, Int32(byte), count - index) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        func remember(upTo end: Int) {
            // The two bytes before `end`, reaching into the previous chunk when needed.
            if end >= 2 {
                previous = (bytes[end - 2], bytes[end - 1])
            } else if end == 1 {
                previous = (previous.1, bytes[0])
            }
        }
        while index < count {
            switch state {
            case .text:
                guard let next = find(0x3C, from: index) else { return nil }  // <
                index = next + 1
                state = .open
            case .open:
                switch bytes[index] {
                case 0x21: state = .markup(1)  // <!
                case 0x3F: state = .instruction  // <?
                case 0x2F: state = .skipToClose  // </
                default:
                    attributes = 0
                    state = .tag
                    continue
                }
                index += 1
            case .tag:
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22, 0x27: state = .quoted(byte)
                case 0x3D:
                    attributes += 1
                    if attributes > limit { return index - 1 }
                case 0x3E: state = .text
                default: break
                }
            case .quoted(let quote):
                guard let next = find(quote, from: index) else { return nil }
                index = next + 1
                state = .tag
            case .markup(let seen):
                // `<!--`, `<![CDATA[`, or a declaration such as `<!DOCTYPE ...>`.
                let byte = bytes[index]
                index += 1
                if seen == 1, byte == 0x2D {
                    state = .markup(-1)  // "<!-"
                } else if seen == -1 {
                    state = byte == 0x2D ? .comment : .skipToClose
                    previous = (0, 0)
                } else if seen >= 1, seen <= 7, byte == Array("[CDATA[".utf8)[seen - 1] {
                    state = seen == 7 ? .cdata : .markup(seen + 1)
                    previous = (0, 0)
                } else {
                    state = byte == 0x3E ? .text : .skipToClose
                }
            case .comment, .cdata, .instruction:
                // Each ends with '>' after two marker bytes: "--", "]]", or "?" (one byte).
                guard let close = find(0x3E, from: index) else {
                    remember(upTo: count)
                    return nil
                }
                remember(upTo: close)
                index = close + 1
                let ends: Bool
                switch state {
                case .comment: ends = previous == (0x2D, 0x2D)
                case .cdata: ends = previous == (0x5D, 0x5D)
                default: ends = previous.1 == 0x3F
                }
                if ends { state = .text }
            case .skipToClose:
                guard let close = find(0x3E, from: index) else { return nil }
                index = close + 1
                state = .text
            }
        }
        return nil
    }
}
