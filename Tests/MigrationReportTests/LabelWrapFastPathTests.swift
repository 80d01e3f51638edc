import PropertyBased
import Testing
import PurchaseActionsCore

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
                bytes.addWrappingScalars(part, reserving: reserving)
                characters.addWrapping(part, reserving: reserving)
            }
            #expect(bytes.lines == characters.lines)
            #expect(bytes.isFull == characters.isFull)
        }
        for part in [String(repeating: " ", count: 200), "x" + String(repeating: " ", count: 59) + "y and z", String(repeating: "and ", count: 40), String(repeating: "&", count: 200)] {
            for escape in [0, 1] {
                var bytes = LabelWrap(maxCharacters: 12, escape: Self.escape(escape))
                var characters = LabelWrap(maxCharacters: 12, escape: Self.escape(escape))
                bytes.addWrappingScalars(part)
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

    /// Scalars at and just past the edges of `LabelWrap.isStandalone`'s blocks, and ones that join
    /// (combining marks, joiners, variation selectors, emoji modifiers) or are controls.
    static let scalarPieces = [
        "a", " ", "and", "or", "Müller", "Grüße", "—", "…", "“", "”", "✓", "×", "顧客", "お得意様", "Ω", "Ж", "€", "→", "½",
        "\u{A0}", "\u{AC}", "\u{AD}", "\u{AE}", "\u{2FF}", "\u{300}", "\u{301}", "\u{370}", "\u{482}", "\u{483}", "\u{200D}", "\u{200C}",
        "\u{2010}", "\u{2027}", "\u{2028}", "\u{202F}", "\u{2030}", "\u{205E}", "\u{2060}", "\u{20C0}", "\u{20D0}", "\u{27BF}", "\u{27C0}",
        "\u{3096}", "\u{3099}", "\u{FE0F}", "\u{1F3FB}", "😀", "\u{1F1E9}\u{1F1EA}", "#", "&", "\"", "{", "\t",
    ]

    @Test("Parts with non-ASCII text wrapped on scalars: the lines and fullness of wrapping character by character, Mermaid's table and both escapes, with and without the reserve")
    func scalarWrapping() async {
        let parts = Gen.int(in: 0...(Self.scalarPieces.count - 1)).array(of: 0...90).map { $0.map { Self.scalarPieces[$0] }.joined() }
        let input = zip(parts.array(of: 1...10), Gen.int(in: 0...2), Gen.int(in: 0...1))
        await propertyCheck(count: 500, input: input) { parts, syntax, reserving in
            let reserve = reserving == 0 ? 0 : LabelWrap.noteReserve
            // 2: Mermaid's escape with its ASCII table, as the report wraps.
            let table = syntax == 2 ? MermaidLabels.asciiEscapes : nil
            var fast = LabelWrap(maxCharacters: WorkflowPicture.maxLineCharacters, escape: Self.escape(syntax == 1 ? 1 : 0), reserve: reserve, asciiEscapes: table)
            var slow = LabelWrap(maxCharacters: WorkflowPicture.maxLineCharacters, escape: Self.escape(syntax == 1 ? 1 : 0), reserve: reserve)
            for (index, part) in parts.enumerated() {
                let reserving = index < parts.count - 1 ? reserve : 0
                fast.add(part, reserving: reserving)
                slow.addWrapping(part, reserving: reserving)
            }
            #expect(fast.lines == slow.lines)
            #expect(fast.isFull == slow.isFull)
        }
    }

    @Test("Every standalone scalar is one character, alone, doubled and between letters, and never a control character")
    func standaloneScalars() {
        var checked = 0
        for value in UInt32(0)...0x10FFFF where LabelWrap.isStandalone(value) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            #expect(!DisplayText.isControl(scalar), "U+\(String(value, radix: 16))")
            #expect((text + text).count == 2, "U+\(String(value, radix: 16))")
            #expect(("a" + text + "a").count == 3, "U+\(String(value, radix: 16))")
            #expect((text + "a" + text).count == 3, "U+\(String(value, radix: 16))")
            checked += 1
        }
        #expect(checked > 20_000)
        // Just past the blocks: joining or control scalars are not taken.
        for value: UInt32 in [0x1F, 0x7F, 0x9F, 0xAD, 0x300, 0x483, 0x200B, 0x200D, 0x2028, 0x2060, 0x20D0, 0x3099, 0xFE0F, 0x1F3FB, 0x1F1E6, 0x1100, 0xAC00] {
            #expect(!LabelWrap.isStandalone(value), "U+\(String(value, radix: 16))")
        }
        #expect(LabelWrap.isOneScalarPerCharacter("Grüße — “Müller” ✓ 顧客"))
        #expect(!LabelWrap.isOneScalarPerCharacter("e\u{301}"))
        #expect(!LabelWrap.isOneScalarPerCharacter("tab\there"))
    }
}
