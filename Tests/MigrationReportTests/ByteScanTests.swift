import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7 (helper R2): the Markdown fence's scan of a picture skips plain text eight bytes
/// at a time (`ByteScan`); the word test is the byte test, and the fence is the one the byte-by-byte
/// scan chose.
@Suite("Byte scan: a word of plain bytes is skipped exactly when each of its bytes is plain")
struct ByteScanTests {
    /// Bytes at and around every bound the test has: 0x00, 0x0A, 0x1F, 0x20, 0x5F, 0x60, 0x61, 0x7E, 0x7F, 0x80, 0xFF.
    static let edges: [UInt8] = [0x00, 0x0A, 0x1F, 0x20, 0x41, 0x5F, 0x60, 0x61, 0x7E, 0x7F, 0x80, 0xC2, 0xE2, 0xFF]

    @Test("A word is plain exactly when its eight bytes are, for words of edge bytes and random words")
    func words() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...(Self.edges.count - 1)).array(of: 8...8), Gen.int(in: 0...255).array(of: 8...8)) { picks, random in
            for bytes in [picks.map { Self.edges[$0] }, random.map { UInt8($0) }, picks.map { _ in UInt8(ascii: "a") }] {
                let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                #expect(ByteScan.isPlain(word) == bytes.allSatisfy(ByteScan.isPlain(byte:)), "\(bytes)")
            }
        }
        for byte in 0...255 {
            let word = UInt64(0x6161_6161_6161_6161) & ~(UInt64(0xFF) << 24) | UInt64(byte) << 24
            #expect(ByteScan.isPlain(word) == ByteScan.isPlain(byte: UInt8(byte)), "\(byte)")
        }
    }

    /// The fence scan as it was, byte by byte: the longest backtick run and whether a control
    /// character other than a line feed is in the text.
    static func reference(_ content: [UInt8]) -> [UInt8] {
        var longest = 0
        var run = 0
        for byte in content {
            if byte == UInt8(ascii: "`") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let text = String(decoding: content, as: UTF8.self)
        let controls = text.unicodeScalars.contains { $0 != "\n" && DisplayText.isControl($0) }
        var output: [UInt8] = []
        let fence = max(3, longest + 1)
        output += Array(repeating: UInt8(ascii: "`"), count: fence) + Array("mermaid\n".utf8)
        let body = controls
            ? text.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.escapeControls(String($0)) }.joined(separator: "\n") : text
        output += Array(body.utf8)
        // The body ends with a line feed, one added when it has none (an empty body too).
        if body.utf8.last != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\n")) }
        output += Array(repeating: UInt8(ascii: "`"), count: fence) + [UInt8(ascii: "\n")]
        return output
    }

    static let pieces = ["flowchart TD\n", "    s_as_1_a1[\"add-tag<br/>tag-166\"]\n", "`", "``", "```", "\n", "\t", "\u{85}", "\u{202E}", "…", "✓", "x", "#96;"]

    @Test("The fenced picture: the fence and body of the byte-by-byte scan, for text with backtick runs, controls and non-ASCII at every offset")
    func fences() async {
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...40)) { picks in
            let content = Array(picks.map { Self.pieces[$0] }.joined().utf8)
            var fenced: [UInt8] = []
            WorkflowOutline.fenced(content, info: "mermaid", into: &fenced)
            #expect(fenced == Self.reference(content))
        }
    }

    @Test("Plain runs end where a word holds another byte; fewer than eight bytes are not skipped")
    func runEnds() {
        let text = Array("abcdefgh12345678`bcdefgh".utf8)
        text.withUnsafeBufferPointer { bytes in
            #expect(ByteScan.plainRunEnd(bytes, from: 0) == 16)
            #expect(ByteScan.plainRunEnd(bytes, from: 16) == 16)
            #expect(ByteScan.plainRunEnd(bytes, from: 17) == 17, "seven bytes left")
            #expect(ByteScan.plainRunEnd(bytes, from: 9) == 9, "the word at 9 holds the backtick")
        }
        [UInt8]().withUnsafeBufferPointer { #expect(ByteScan.plainRunEnd($0, from: 0) == 0) }
    }
}
