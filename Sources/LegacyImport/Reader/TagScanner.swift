/// Counts the attributes of each start tag in the raw bytes, before libxml2 sees them.
///
/// libxml2 2.9 checks a start tag for duplicate attributes in time that grows with the square of
/// their number, before any callback of ours runs: a few megabytes of attributes on one tag would
/// take minutes. This scanner refuses such a tag first. It follows quoted values, comments, CDATA
/// sections, processing instructions and declarations, so text that only looks like markup is not
/// counted.
struct TagScanner {
    private enum State {
        case text, open, tag, quoted(UInt8), markup(Int), comment, cdata, instruction, skipToClose
    }

    private var state = State.text
    private var attributes = 0
    /// The last eight bytes, newest in the low byte.
    private var window: UInt64 = 0
    /// Lines seen so far (1-based), for the error's location.
    private(set) var line = 1
    /// A tag with more `=` signs outside quotes than this is refused.
    let limit: Int

    init(limit: Int) { self.limit = limit }

    private static func pattern(_ text: String) -> (value: UInt64, mask: UInt64) {
        var value: UInt64 = 0
        for byte in text.utf8 { value = value << 8 | UInt64(byte) }
        let count = text.utf8.count
        return (value, count == 8 ? ~0 : (1 << (8 * UInt64(count))) - 1)
    }
    private static let commentStart = pattern("<!--")
    private static let cdataStart = pattern("![CDATA[")
    private static let commentEnd = pattern("-->")
    private static let cdataEnd = pattern("]]>")
    private static let instructionEnd = pattern("?>")

    private func ends(with pattern: (value: UInt64, mask: UInt64)) -> Bool { window & pattern.mask == pattern.value }

    /// Scans a chunk; returns the line of a start tag over the limit, if any.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for byte in bytes {
            window = window << 8 | UInt64(byte)
            if byte == 0x0A { line += 1 }
            switch state {
            case .text:
                if byte == 0x3C { state = .open }  // <
            case .open:
                switch byte {
                case 0x21: state = .markup(2)  // <!
                case 0x3F: state = .instruction  // <?
                case 0x2F: state = .skipToClose  // </
                default:
                    attributes = 0
                    state = byte == 0x3E ? .text : .tag
                }
            case .tag:
                switch byte {
                case 0x22, 0x27: state = .quoted(byte)
                case 0x3D:
                    attributes += 1
                    if attributes > limit { return line }
                case 0x3E: state = .text
                default: break
                }
            case .quoted(let quote):
                if byte == quote { state = .tag }
            case .markup(let seen):
                if ends(with: Self.commentStart) {
                    state = .comment
                } else if ends(with: Self.cdataStart) {
                    state = .cdata
                } else if byte == 0x3E {
                    state = .text
                } else if seen >= 9 {
                    state = .skipToClose
                } else {
                    state = .markup(seen + 1)
                }
            case .comment:
                if ends(with: Self.commentEnd) { state = .text }
            case .cdata:
                if ends(with: Self.cdataEnd) { state = .text }
            case .instruction:
                if ends(with: Self.instructionEnd) { state = .text }
            case .skipToClose:
                if byte == 0x3E { state = .text }
            }
        }
        return nil
    }
}
