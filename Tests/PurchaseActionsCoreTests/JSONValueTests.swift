import PurchaseActionsCore
import Testing

@Suite("JSONValue: canonical text")
struct JSONValueTests {
    @Test("Keys are sorted by code point, nested objects indented by two spaces, with a final newline")
    func layout() {
        let value = JSONValue.object(["b": .integer(1), "B": .array([.bool(true), .null]), "é": .object([:]), "a": .array([])])
        #expect(value.canonicalText == "{\n  \"B\": [\n    true,\n    null\n  ],\n  \"a\": [],\n  \"b\": 1,\n  \"é\": {}\n}\n")
    }

    @Test("Only what JSON requires is escaped")
    func escapes() {
        let text = JSONValue.string("\"\\/\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é€😀").canonicalText
        #expect(text == "\"\\\"\\\\/\\n\\r\\t\\b\\f\\u0001\\u001f\u{7F}é€😀\"\n")
    }

    @Test("members leaves out nil values")
    func members() {
        let value = JSONValue.members(["kept": .integer(0), "dropped": nil])
        #expect(value == .object(["kept": .integer(0)]))
        #expect(value.adding(["more": .string("x"), "none": nil]) == .object(["kept": .integer(0), "more": .string("x")]))
    }
}
