import PropertyBased
import Testing

@testable import PurchaseActionsCore

/// `DisplayText`'s byte check (`holdsControl`) finds exactly the scalars `isControl` names (and `\`
/// when asked), so text with `…`, quotes or dashes is no longer decoded to be found clean, and
/// text with a control is still escaped.
@Suite("DisplayText: the byte check for control characters is exact")
struct DisplayTextByteCheckTests {
    /// Scalars at and around every edge of the control ranges, and others with the same lead bytes.
    static let scalars: [Unicode.Scalar] = [
        0x00, 0x09, 0x0A, 0x1F, 0x20, 0x41, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xE9, 0x0600, 0x061B, 0x061C, 0x061D,
        0x063F, 0x2000, 0x200D, 0x200E, 0x200F, 0x2010, 0x2026, 0x2027, 0x2028, 0x202A, 0x202E, 0x202F, 0x2065, 0x2066, 0x2069, 0x206A,
        0x201C, 0x201D, 0x2013, 0x2040, 0x20AC, 0xFEFE, 0xFEFF, 0xFFBF, 0xFF01, 0x1F600,
    ].map { Unicode.Scalar($0)! }

    @Test("Random text of edge scalars: a control (and a backslash, when asked) is found exactly when one is there")
    func exact() async {
        await propertyCheck(count: 3000, input: Gen.int(in: 0...(Self.scalars.count - 1)).array(of: 0...12)) { picks in
            var text = ""
            for pick in picks { text.unicodeScalars.append(Self.scalars[pick]) }
            let control = text.unicodeScalars.contains(where: DisplayText.isControl)
            #expect(DisplayText.holdsControl(text, orBackslash: false) == control, "\(picks)")
            #expect(DisplayText.holdsControl(text, orBackslash: true) == text.unicodeScalars.contains(where: DisplayText.needsEscape), "\(picks)")
            // What the checks decide is what the escapes do: text is kept as it is exactly when clean.
            #expect((DisplayText.escapeControls(text) == text) == !control)
            #expect(!DisplayText.escape(text).unicodeScalars.contains(where: DisplayText.isControl))
        }
    }

    @Test("Every scalar of the control ranges is found alone and inside text; its neighbours are not")
    func everyScalar() {
        for value in UInt32(0)...0x2100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "a…" + String(scalar) + "“b”"] {
                #expect(DisplayText.holdsControl(text, orBackslash: false) == (DisplayText.isControl(scalar)), "U+\(String(value, radix: 16))")
            }
        }
        #expect(DisplayText.holdsControl("\u{FEFF}", orBackslash: false))
        #expect(!DisplayText.holdsControl("\u{FEFE}\u{FFBF}", orBackslash: false))
        #expect(DisplayText.holdsControl("a\\b", orBackslash: true) && !DisplayText.holdsControl("a\\b", orBackslash: false))
    }
}
