import PropertyBased
import Testing

@testable import MigrationReport

/// Issue 12, item 7: a label part that fits on one line is escaped without being split into
/// characters (`LabelWrap.oneLine`); the lines are exactly those of wrapping character by character
/// (`addWrapping`), for both syntaxes, at every budget, for parts at and past the line's bounds.
@Suite("Picture labels: the one-line fast path wraps as the character-by-character path")
struct LabelWrapFastPathTests {
    static let pieces = ["a", " ", "and", "or", "\"", "&", "#", "<", "é", "…", "\t", "\r\n", "x", "Zz", "e\u{301}", "😀", "\\", "{"]
    static let parts = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...70).map { $0.map { Self.pieces[$0] }.joined() }
    static func escape(_ syntax: Int) -> (Unicode.Scalar) -> String {
        if syntax == 0 { return { PictureLayout.mermaidEscape($0) } }
        return { PictureLayout.dotEscape($0) }
    }

    static func lines(_ parts: [String], escape: Int, reserve: Int, fast: Bool) -> ([String], Bool) {
        var wrap = LabelWrap(maxCharacters: WorkflowPicture.maxLineCharacters, escape: Self.escape(escape), reserve: reserve)
        for (index, part) in parts.enumerated() {
            let reserving = index < parts.count - 1 ? reserve : 0
            if fast { wrap.add(part, reserving: reserving) } else { wrap.addWrapping(part, reserving: reserving) }
        }
        return (wrap.lines, wrap.isFull)
    }

    @Test("Random parts, both syntaxes, with and without the reserve: the same lines and the same fullness")
    func sameLines() async {
        let input = zip(Self.parts.array(of: 1...14), Gen.int(in: 0...1), Gen.int(in: 0...1))
        await propertyCheck(count: 500, input: input) { parts, escape, reserving in
            let reserve = reserving == 0 ? 0 : LabelWrap.noteReserve
            let fast = Self.lines(parts, escape: escape, reserve: reserve, fast: true)
            let slow = Self.lines(parts, escape: escape, reserve: reserve, fast: false)
            #expect(fast.0 == slow.0)
            #expect(fast.1 == slow.1)
        }
    }

    @Test("Printable ASCII parts wrapped on bytes: the lines and fullness of wrapping character by character, both syntaxes, with and without the reserve")
    func asciiWrapping() async {
        let words = ["a", " ", "and", "or", "\"", "&", "#", "<", "x", "Zz", "\\", "{", "  ", "contact.fields._Field8", "after", "2021-01-20", "(", ")"]
        let ascii = Gen.int(in: 0...(words.count - 1)).array(of: 0...90).map { $0.map { words[$0] }.joined() }
        let input = zip(ascii.array(of: 1...10), Gen.int(in: 0...1), Gen.int(in: 0...1))
        await propertyCheck(count: 500, input: input) { parts, escape, reserving in
            let reserve = reserving == 0 ? 0 : LabelWrap.noteReserve
            var bytes = LabelWrap(maxCharacters: WorkflowPicture.maxLineCharacters, escape: Self.escape(escape), reserve: reserve)
            var characters = LabelWrap(maxCharacters: WorkflowPicture.maxLineCharacters, escape: Self.escape(escape), reserve: reserve)
            for (index, part) in parts.enumerated() {
                let reserving = index < parts.count - 1 ? reserve : 0
                bytes.addWrappingASCII(part, reserving: reserving)
                characters.addWrapping(part, reserving: reserving)
            }
            #expect(bytes.lines == characters.lines)
            #expect(bytes.isFull == characters.isFull)
        }
        for part in [String(repeating: " ", count: 200), "x" + String(repeating: " ", count: 59) + "y and z", String(repeating: "and ", count: 40), String(repeating: "&", count: 200)] {
            for escape in [0, 1] {
                var bytes = LabelWrap(maxCharacters: 12, escape: Self.escape(escape))
                var characters = LabelWrap(maxCharacters: 12, escape: Self.escape(escape))
                bytes.addWrappingASCII(part)
                characters.addWrapping(part)
                #expect(bytes.lines == characters.lines, "\(part)")
            }
        }
    }

    @Test("Printable ASCII at the line's bounds: 60 characters fit, 61 wrap; escapes that pass the bytes wrap", arguments: [0, 1])
    func bounds(escape: Int) {
        for part in [String(repeating: "x", count: 60), String(repeating: "x", count: 61), String(repeating: "&", count: 30), String(repeating: "#", count: 25), ""] {
            let fast = Self.lines([part, part, part], escape: escape, reserve: 0, fast: true)
            let slow = Self.lines([part, part, part], escape: escape, reserve: 0, fast: false)
            #expect(fast.0 == slow.0, "\(part)")
            #expect(fast.1 == slow.1, "\(part)")
        }
        #expect(LabelWrap.oneLine(String(repeating: "x", count: 60), maxCharacters: 60, maxBytes: 120, escape: Self.escape(escape)) != nil)
        #expect(LabelWrap.oneLine(String(repeating: "x", count: 61), maxCharacters: 60, maxBytes: 120, escape: Self.escape(escape)) == nil)
        #expect(LabelWrap.oneLine("tab\there", maxCharacters: 60, maxBytes: 120, escape: Self.escape(escape)) == nil)
    }
}
