import PurchaseActionsCore
import Testing

/// Issue 12, item 7: the canonical text copies unescaped runs whole and compares keys on their
/// UTF-8 storage; the bytes stay exactly Python's `json.dumps(indent=2, sort_keys=True,
/// ensure_ascii=False)`.
@Suite("JSONValue canonical text: the fast paths write the same bytes")
struct JSONTextFastPathTests {
    @Test("Keys sort by code point: upper before lower, ASCII before é, a prefix first, the empty key first")
    func keyOrder() {
        let value = JSONValue.members(["é": 1.json, "z": 2.json, "Z": 3.json, "": 4.json, "ab": 5.json, "a": 6.json, "\u{1F600}": 7.json, "\u{FFFD}": 8.json])
        #expect(value.canonicalText == "{\n  \"\": 4,\n  \"Z\": 3,\n  \"a\": 6,\n  \"ab\": 5,\n  \"z\": 2,\n  \"é\": 1,\n  \"\u{FFFD}\": 8,\n  \"\u{1F600}\": 7\n}\n")
    }

    @Test("Escapes at the start, middle and end of a string, and runs between them, are written as before")
    func escapes() {
        let text = "\"start\tmid\\dle\u{1}\u{1F}end\n\u{8}\u{C}\r"
        #expect(JSONValue.string(text).canonicalText == #""\"start\tmid\\dle\u0001\u001fend\n\b\f\r""# + "\n")
        #expect(JSONValue.string("").canonicalText == "\"\"\n")
        #expect(JSONValue.string("plain ü 😀").canonicalText == "\"plain ü 😀\"\n")
    }

    @Test("A bridged or sliced string (not native UTF-8) writes the same bytes", arguments: ["abc", "a\"b", "é\n"])
    func substrings(text: String) {
        let sliced = String(("xx" + text + "yy").dropFirst(2).dropLast(2))
        #expect(JSONValue.string(sliced).canonicalBytes == JSONValue.string(text).canonicalBytes)
        #expect(JSONValue.members([sliced: 1.json, "b": 2.json]).canonicalBytes == JSONValue.members([text: 1.json, "b": 2.json]).canonicalBytes)
    }
}
