import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("DisplayText: control characters are escaped in everything shown to people")
struct DisplayTextTests {
    /// Scalars weighted towards what matters: controls, separators, bidi overrides, the escape's own
    /// characters (`\`, `u`, `{`, `}`, hex digits, `n`), and any other scalar.
    static let scalar = zip(Gen.int(in: 0...9), Gen.int(in: 0...0x10FFFF)).map { kind, raw -> Unicode.Scalar in
        let special: [UInt32] = [
            0x5C, 0x75, 0x7B, 0x7D, 0x6E, 0x72, 0x74, 0x30, 0x31, 0x42, 0x0A, 0x0D, 0x09, 0x00, 0x1B, 0x7F, 0x85, 0x9B,
            0x2028, 0x2029, 0x202E, 0x2066, 0x2069, 0x200F, 0xFEFF, 0xE9, 0x301, 0x1F600,
        ]
        let value: UInt32 =
            switch kind {
            case 0...3: special[raw % special.count]
            case 4, 5: UInt32(raw % 0xA0)
            case 6: 0x2000 + UInt32(raw % 0x80)
            default: UInt32(raw)
            }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
    static let strings = scalar.array(of: 0...24).map { scalars in
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    /// The inverse of the escaping, written from its documentation.
    static func unescape(_ text: String) -> [Unicode.Scalar]? {
        var result: [Unicode.Scalar] = []
        var scalars = Array(text.unicodeScalars)[...]
        while let first = scalars.popFirst() {
            guard first == "\\" else {
                result.append(first)
                continue
            }
            switch scalars.popFirst() {
            case "\\": result.append("\\")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "t": result.append("\t")
            case "0": result.append("\0")
            case "u":
                guard scalars.popFirst() == "{", let close = scalars.firstIndex(of: "}") else { return nil }
                let digits = String(String.UnicodeScalarView(scalars[..<close]))
                guard let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) else { return nil }
                result.append(decoded)
                scalars = scalars[(close + 1)...]
            default: return nil
            }
        }
        return result
    }

    @Test("For any text, the escaped form holds no control character and decodes back to the text")
    func escapedIsSafeAndReversible() async {
        await propertyCheck(count: 1000, input: Self.strings) { text in
            let escaped = DisplayText.escape(text)
            #expect(!escaped.unicodeScalars.contains(where: DisplayText.isControl))
            #expect(Self.unescape(escaped) == Array(text.unicodeScalars))
        }
    }

    @Test("Distinct texts are shown distinctly")
    func distinctStayDistinct() async {
        await propertyCheck(count: 1000, input: Self.strings, Self.strings) { first, second in
            let same = Array(first.unicodeScalars) == Array(second.unicodeScalars)
            #expect((Array(DisplayText.escape(first).unicodeScalars) == Array(DisplayText.escape(second).unicodeScalars)) == same)
        }
        #expect(DisplayText.escape("a\\nb") != DisplayText.escape("a\nb"))
        #expect(DisplayText.escape("\\u{1B}") != DisplayText.escape("\u{1B}"))
    }

    @Test("The documented forms: \\n, \\r, \\t, \\0, \\\\, \\u{1B}, separators and overrides")
    func documentedForms() {
        #expect(DisplayText.escape("as-1\nerror: forged") == "as-1\\nerror: forged")
        #expect(DisplayText.escape("Bob\r\nBcc: x@example.com") == "Bob\\r\\nBcc: x@example.com")
        #expect(DisplayText.escape("a\tb\0c\\d") == "a\\tb\\0c\\\\d")
        #expect(DisplayText.escape("\u{1B}[31mred\u{7F}\u{9B}") == "\\u{1B}[31mred\\u{7F}\\u{9B}")
        #expect(DisplayText.escape("x\u{2028}y\u{202E}z\u{2066}") == "x\\u{2028}y\\u{202E}z\\u{2066}")
        #expect(DisplayText.escape("Zoë → ✓ 😀 e\u{301}") == "Zoë → ✓ 😀 e\u{301}")
    }
}
