import PropertyBased
@testable import PurchaseActionsCore
import Testing

/// Issue 12, item 7: `MergeFields.translate` works on bytes for ASCII text and for text with no
/// tilde or double brace; the translation (text, uses, literal braces, unknown fields) is exactly
/// the character-by-character one (`translateCharacters`), kept as the reference.
@Suite("Merge fields: the byte paths translate as the character path does")
struct MergeFieldsFastPathTests {
    /// Pieces random texts are made of: tildes, dots, braces, known, custom and unknown fields,
    /// letters, digits, `_`, CR LF, and what is not ASCII (a combining mark after a tilde or brace,
    /// letters and digits of other scripts).
    static let pieces = [
        "~", ".", "{", "}", "{{", "}}", "_", "a", "Z", "7", " ", "\r\n", "\n", "~Contact.FirstName~", "~Owner.Email~", "~Contact._ShirtSize~",
        "~Contact._Unknown~", "~Nope.Field~", "~Contact.~", "~.Email~", "~Contact.First.Name~", "~Date.Current~", "Contact", "Email", "é", "\u{301}",
        "~\u{301}", "{\u{301}", "٣", "ß", "😀", "~Contact.Fïrst~",
    ]

    static let custom: Set<String> = ["_ShirtSize", "_Other"]

    static func check(_ text: String) {
        let fast = MergeFields.translate(text, customFields: custom)
        let reference = MergeFields.translateCharacters(text, customFields: custom)
        #expect(fast == reference, "\(text.debugDescription)")
        #expect(Array(fast.text.utf8) == Array(reference.text.utf8), "\(text.debugDescription)")
        #expect(fast.unknown == reference.unknown)
    }

    @Test("Random texts of fields, tildes, braces and other characters")
    func randomTexts() async {
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...24)) { indices in
            Self.check(indices.map { Self.pieces[$0] }.joined())
        }
    }

    @Test(
        "Edge cases: empty, lone and trailing tildes, braces alone, fields at both ends, a combining mark on a tilde or brace",
        arguments: [
            "", "~", "~~", "~~~", "a~", "~a", "~Contact.FirstName", "Contact.FirstName~", "~Contact.FirstName~~Owner.Email~", "{{", "}}", "{}", "{ {",
            "x{{y~Owner.Email~", "~Contact.FirstName~ and ~Contact._ShirtSize~ and ~Contact._Nope~ ~Contact._Nope~", "~\u{301}Contact.FirstName~",
            "{\u{301}{", "é ~Contact.FirstName~", "\r\n~Contact.FirstName~\r\n",
        ])
    func edges(text: String) {
        Self.check(text)
    }

    @Test("A known field becomes its modern form; an unknown one is kept and listed")
    func meaning() {
        let translation = MergeFields.translate("Hi ~Contact.FirstName~ ~Contact._Nope~ {{x}}", customFields: Self.custom)
        #expect(translation.text == "Hi {{contact.FirstName}} ~Contact._Nope~ {{x}}")
        #expect(translation.unknown == ["~Contact._Nope~"])
        #expect(translation.hasLiteralBraces)
    }
}
