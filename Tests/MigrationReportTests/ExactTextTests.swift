import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7 (helper R2): the action words' cache compares its keys by their bytes
/// (`ExactText`), not by canonical equivalence as `String` does.
@Suite("Exact text: keys equal and hashed by their bytes")
struct ExactTextTests {
    static let pieces = ["a", "é", "e\u{301}", "\u{212B}", "\u{C5}", "A\u{30A}", " ", "😀", "\u{0}", ""]
    static let texts = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...6).map { $0.map { Self.pieces[$0] }.joined() }

    @Test("Equal exactly when the bytes are; equal keys hash alike; a set of keys counts byte-distinct texts")
    func equality() async {
        await propertyCheck(count: 500, input: Self.texts, Self.texts) { left, right in
            let same = Array(left.utf8) == Array(right.utf8)
            #expect((ExactText(left) == ExactText(right)) == same)
            if same { #expect(ExactText(left).hashValue == ExactText(right).hashValue) }
            #expect(Set([ExactText(left), ExactText(right)]).count == (same ? 1 : 2))
            // A copy made through other storage is the same key.
            let copy = String(decoding: Array(left.utf8), as: UTF8.self)
            #expect(ExactText(copy) == ExactText(left))
            #expect(ExactText(copy).hashValue == ExactText(left).hashValue)
        }
        #expect("é" == "e\u{301}", "String compares by canonical equivalence")
        #expect(ExactText("é") != ExactText("e\u{301}"))
        #expect(ExactText("").byteCount == 0 && ExactText("é").byteCount == 2)
    }

    @Test("Bytes compared eight at a time: equal exactly when every byte is, at every count and every differing position")
    func equalBytes() {
        for count in 0...20 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
            bytes.withUnsafeBytes { left in
                #expect(ExactText.equalBytes(left, left))
                Array(bytes).withUnsafeBytes { same in #expect(ExactText.equalBytes(left, same)) }
                for position in 0..<count {
                    var other = bytes
                    other[position] ^= 0x80
                    other.withUnsafeBytes { right in #expect(!ExactText.equalBytes(left, right), "\(count) \(position)") }
                }
                (bytes + [0]).withUnsafeBytes { longer in #expect(!ExactText.equalBytes(left, longer)) }
            }
        }
    }

    @Test("Two tags whose ids are canonically equivalent get the words of their own bytes")
    func equivalentKeys() {
        let names = ReportNames(catalogue: ReportBytesTests.catalogue)
        var words = ActionWords()
        let first = words.words(.action(.addTag(tagID: "é")), names: names)
        let second = words.words(.action(.addTag(tagID: "e\u{301}")), names: names)
        #expect(words.count == 2)
        #expect(first.plain.map { Array($0.utf8) } == Array(names.does(.action(.addTag(tagID: "é"))).plain.utf8))
        #expect(second.plain.map { Array($0.utf8) } == Array(names.does(.action(.addTag(tagID: "e\u{301}"))).plain.utf8))
        #expect(second.markdown.map { Array($0) } != first.markdown.map { Array($0) })
    }
}
