import PropertyBased
@testable import PurchaseActionsCore
import Testing

/// Issue 12, item 7: the canonical writer skips eight bytes at a time past text that needs no
/// escape (`JSONValue.mayNeedEscape`); a byte that needs one (below 0x20, `"`, `\`) is never
/// skipped, and the strings it writes are those of the byte-by-byte array writer. Step ids are
/// checked on contiguous bytes (`Workflow.isValidID`) by the same rule as before.
@Suite("String escape scan: eight bytes at a time, nothing that needs an escape skipped")
struct StringEscapeScanTests {
    static func needs(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    @Test("Every byte value at every position of a plain word: flagged exactly when it needs an escape")
    func everyByteEverywhere() {
        for position in 0..<8 {
            for value in 0...255 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[position] = UInt8(value)
                #expect(JSONValue.mayNeedEscape(Self.word(bytes)) == Self.needs(UInt8(value)), "byte \(value) at \(position)")
            }
        }
    }

    @Test("Random words: flagged exactly when one of their bytes needs an escape")
    func randomWords() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...255).array(of: 8...8)) { values in
            let bytes = values.map { UInt8($0) }
            #expect(JSONValue.mayNeedEscape(Self.word(bytes)) == bytes.contains(where: Self.needs))
        }
    }

    @Test("Text of 8 to 40 bytes, one byte that needs an escape at any position (the last, overlapping word too): flagged, and written as the array writer writes it")
    func wholeTextCheck() {
        for count in 8...40 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: count)
            #expect(!plain.withUnsafeBytes { JSONValue.mayNeedEscape($0) })
            for position in 0..<count {
                for value: UInt8 in [0x00, 0x0A, 0x1F, UInt8(ascii: "\""), UInt8(ascii: "\\")] {
                    var bytes = plain
                    bytes[position] = value
                    #expect(bytes.withUnsafeBytes { JSONValue.mayNeedEscape($0) }, "byte \(value) at \(position) of \(count)")
                    let text = String(decoding: bytes, as: UTF8.self)
                    var buffer = JSONBytes(capacity: 0)
                    JSONValue.writeString(text, to: &buffer)
                    var array: [UInt8] = []
                    JSONValue.writeString(text, to: &array)
                    #expect(buffer.array == array)
                }
            }
        }
    }

    @Test("Random strings with escapes anywhere are written as the array writer writes them")
    func randomStrings() async {
        let pieces = ["a", "bcdefghij", "\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "😀", " ", "\u{7F}", "~", "0123456789abcdef"]
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40)) { indices in
            let text = indices.map { pieces[$0] }.joined()
            var buffer = JSONBytes(capacity: 0)
            JSONValue.writeString(text, to: &buffer)
            var array: [UInt8] = []
            JSONValue.writeString(text, to: &array)
            #expect(buffer.array == array, "\(text.debugDescription)")
        }
    }

    @Test("Workflow ids: the byte check accepts exactly what the rule accepts")
    func workflowIDs() async {
        let pieces = ["a", "Z", "0", ".", "_", "-", ":", " ", "/", "é", "@", String(repeating: "x", count: 60)]
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...6)) { indices in
            let text = indices.map { pieces[$0] }.joined()
            let bytes = Array(text.utf8)
            func allowed(_ byte: UInt8) -> Bool {
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x5F || byte == 0x2D || byte == 0x3A
            }
            let first = bytes.first.map { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) } ?? false
            #expect(Workflow.isValidID(text) == (first && bytes.count <= 128 && bytes.allSatisfy(allowed)), "\(text)")
        }
    }
}

/// Issue 12, item 7: `DisplayText.escapeControls` and `escapeJSONText` look at the bytes first;
/// text with a control character or direction mark is still escaped, and only such text.
@Suite("Display text: the byte look before escaping controls misses none")
struct DisplayTextControlScanTests {
    @Test("Random text with every kind of control: escaped exactly when a scalar is one")
    func randomText() async {
        let pieces = ["a", "\\", "\n", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "\u{61C}", "\u{200E}", "\u{2028}", "\u{202E}", "\u{2069}", "\u{2070}", "\u{FEFF}", "\u{FEFE}", "é", "–", "😀"]
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...12)) { indices in
            let text = indices.map { pieces[$0] }.joined()
            let hasControl = text.unicodeScalars.contains(where: DisplayText.isControl)
            #expect((DisplayText.escapeControls(text) != text) == hasControl, "\(text.debugDescription)")
            #expect((DisplayText.escapeJSONText(text) != text) == hasControl, "\(text.debugDescription)")
        }
    }
}
