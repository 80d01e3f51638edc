import PropertyBased
import PurchaseActionsCore
import Testing

/// Issue 13: a trigger's `why` is written straight to bytes (`Condition.appendCompactTrace`), and a
/// log message from its parts (`JSONValue.writeStringContents`): the bytes must be those of
/// `trace(_:).json.compactText` and of `JSONValue.writeString` on the whole text.
@Suite("Condition traces and string contents written straight to bytes")
struct CompactTraceTests {
    static let texts = ["", "a", "Cart", "cart", "42", "2026-03-01", "a\"b\\c\n\r\t\u{0}\u{8}\u{C}\u{1B}\u{7F}é—\u{2028}💥", "long enough text"]

    /// A condition tree read from `codes` (consumed from the front): at most `depth` levels.
    static func condition(_ codes: inout ArraySlice<Int>, depth: Int) -> Condition {
        let code = codes.popFirst() ?? 0
        let id: String? = code & 8 == 0 ? nil : texts[(code >> 4) % texts.count]
        let kind = depth == 0 ? 0 : code % 8
        switch kind {
        case 5, 6:
            let count = (codes.popFirst() ?? 0) % 4
            let parts = (0..<count).map { _ in condition(&codes, depth: depth - 1) }
            return Condition(id: id, kind == 5 ? .all(parts) : .any(parts))
        case 7:
            return Condition(id: id, .not(condition(&codes, depth: depth - 1)))
        default:
            let op = ConditionOperator.allCases[(codes.popFirst() ?? 0) % ConditionOperator.allCases.count]
            let pick = codes.popFirst() ?? 0
            let value: ConditionValue? =
                switch pick % 4 {
                case 0: nil
                case 1: .text(texts[(pick >> 2) % texts.count])
                case 2: .integer((pick >> 2) - 500)
                default: .list(Array(texts.prefix((pick >> 2) % 4)))
                }
            return .field(texts[code % texts.count] + "f", op, value, id: id)
        }
    }

    /// A field's value by name, from the name's length: missing, text, integer or list.
    static func field(_ name: String) -> FieldValue? {
        switch name.utf8.count % 4 {
        case 0: nil
        case 1: .text(name)
        case 2: .integer(name.utf8.count * 7 - 20)
        default: .list([name, "Cart", ""])
        }
    }

    @Test("Property: random condition trees trace to json.compactText's bytes, with the same result")
    func randomTrees() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...100_000).array(of: 0...60)) { codes in
            var rest = codes[...]
            let condition = Self.condition(&rest, depth: 4)
            let traced = condition.trace(Self.field)
            var bytes = Array("x".utf8)
            let held = condition.appendCompactTrace(Self.field, to: &bytes)
            #expect(held == traced.held)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + traced.json.compactText, "appended after what is there")
        }
    }

    @Test("Every group shape, with and without id: all, any, not, empty groups")
    func shapes() {
        let leaf = Condition.field("Cartf", .equals, .text("cart"), id: "c1")
        let missing = Condition.field("f", .isEmpty)
        let conditions = [
            Condition(.all([])), Condition(.any([])), Condition(id: "g", .all([leaf, missing])), Condition(.any([leaf, missing])),
            Condition(id: "n", .not(leaf)), Condition(.not(Condition(.not(missing)))), Condition(id: "\"", .any([Condition(.not(Condition(.all([leaf]))))])),
        ]
        for condition in conditions {
            var bytes: [UInt8] = []
            #expect(condition.appendCompactTrace(Self.field, to: &bytes) == condition.trace(Self.field).held)
            #expect(String(decoding: bytes, as: UTF8.self) == condition.trace(Self.field).json.compactText)
        }
    }

    /// The escapes of the canonical form, one character at a time: the reference.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "1") + String(scalar.value & 0xF, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test("Property: strings in pieces: writeString is the reference escape, and the pieces' contents are the whole's")
    func pieces() async {
        let pieces = ["a", "bcdefghij", "\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "😀", " ", "\u{7F}", "~", "0123456789abcdef", "\u{8}\u{C}\r\t"]
        let input = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...12).array(of: 0...4)
        await propertyCheck(count: 1_000, input: input) { parts in
            let texts = parts.map { $0.map { pieces[$0] }.joined() }
            let whole = texts.joined()
            var bytes: [UInt8] = []
            JSONValue.writeString(whole, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == Self.reference(whole))
            var joined = Array("\"".utf8)
            for text in texts { JSONValue.writeStringContents(text, to: &joined) }
            joined.append(UInt8(ascii: "\""))
            #expect(joined == bytes)
        }
    }

    @Test("writeString at the 8-byte chunk edges: every special byte at every position of 0...40-byte strings, and the pieces split at every scalar (review 10)")
    func chunkEdges() {
        let specials: [String] = ["\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\"", "\\", "\u{7F}", " ", "é", "\u{2028}", "💥"]
        var failures: [String] = []
        for length in 0...40 {
            for position in 0...max(0, length - 1) {
                for special in specials {
                    var text = String(repeating: "a", count: length)
                    if length > 0 {
                        let characters = Array(text)
                        text = String(characters[0..<position]) + special + String(characters[(position + 1)...])
                    }
                    var bytes: [UInt8] = []
                    JSONValue.writeString(text, to: &bytes)
                    if String(decoding: bytes, as: UTF8.self) != Self.reference(text) || bytes != Array(JSONValue.string(text).compactText.utf8) {
                        failures.append(text)
                    }
                    let scalars = Array(text.unicodeScalars)
                    for cut in 0...scalars.count {
                        var left = String.UnicodeScalarView(), right = String.UnicodeScalarView()
                        left.append(contentsOf: scalars[0..<cut])
                        right.append(contentsOf: scalars[cut...])
                        var joined = Array("\"".utf8)
                        JSONValue.writeStringContents(String(left), to: &joined)
                        JSONValue.writeStringContents(String(right), to: &joined)
                        joined.append(UInt8(ascii: "\""))
                        if joined != bytes { failures.append("\(text) cut at \(cut)") }
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
