import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("JSONValue: parsing")
struct JSONParsingTests {
    static let strings = Gen.int(in: 0...7).map { ["", "a", "é", "\"q\"", "back\\slash", "line\nbreak\u{1}", "😀", "\u{2028}"][$0] }
    static let scalars = zip(Gen.int(in: 0...3), strings, Gen.int(in: -1_000_000...1_000_000)).map { kind, text, number -> JSONValue in
        [JSONValue.string(text), .integer(number), .bool(number % 2 == 0), .null][kind]
    }
    static let values = zip(scalars.array(of: 0...4), strings.array(of: 0...4), Gen.int(in: 0...2)).map { items, keys, shape -> JSONValue in
        let object = JSONValue.object(Dictionary(zip(keys, items), uniquingKeysWith: { first, _ in first }))
        return [JSONValue.array(items), object, .array([object, .array(items)])][shape]
    }

    @Test("Parsing the canonical text gives back the value")
    func roundTrip() async {
        await propertyCheck(count: 300, input: Self.values) { value in
            #expect((try? JSONValue.parse(value.canonicalText)) == value)
        }
    }

    @Test("Escapes, surrogate pairs and white space are read as JSON says")
    func reading() throws {
        #expect(try JSONValue.parse(#" { "a" : [ 1 , -2 , true , false , null , "\u00e9\ud83d\ude00\/\t" ] } "#)
            == .object(["a": .array([.integer(1), .integer(-2), .bool(true), .bool(false), .null, .string("é😀/\t")])]))
        #expect(try JSONValue.parse("9223372036854775807") == .integer(Int.max))
    }

    @Test("Bad JSON is refused with its line and column", arguments: [
        ("{\"a\": 1,\n \"a\": 2}", 2, 2, JSONError.Code.syntax),
        ("{\"a\": 1.5}", 1, 7, .notAnInteger),
        ("[1e3]", 1, 2, .notAnInteger),
        ("[01]", 1, 2, .syntax),
        ("\"\\ud800\"", 1, 8, .syntax),
        ("{\"a\" 1}", 1, 6, .syntax),
        ("[1,]", 1, 4, .syntax),
        ("\"tab\there\"", 1, 5, .syntax),
        ("{} {}", 1, 4, .syntax),
        ("99999999999999999999", 1, 1, .notAnInteger),
    ])
    func refused(text: String, line: Int, column: Int, code: JSONError.Code) {
        do {
            let value = try JSONValue.parse(text)
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.line == line && error.column == column, "\(error)")
        }
    }

    @Test("Nesting deeper than the limit is refused, not a crash")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(throws: Never.self) { try JSONValue.parse(fine) }
    }

    @Test("A fraction's error names its JSON path")
    func fractionPath() {
        do {
            _ = try JSONValue.parse(#"{"payment":{"amount":{"minor":12.5}}}"#)
            Issue.record("a fraction was accepted")
        } catch {
            #expect(error.path.description == "$.payment.amount.minor")
            #expect(error.description.hasPrefix("1:31: $.payment.amount.minor: must be a whole number"))
        }
    }
}
