import PropertyBased
import PurchaseActionsCore
import Testing

/// `ElementPath.join` builds a path in place, each part's copy checked against the room left; the
/// result is the plain concatenation, whatever the parts.
@Suite("Element paths: joined in place as `+` joins them")
struct ElementPathTests {
    /// Pieces random parts are made of: ASCII, characters of two, three and four UTF-8 bytes, a
    /// combining mark, quotes and brackets, CR LF.
    static let pieces = ["a", "Z", "-", "/", "'", "[", "]", "@", "é", "✓", "🙂", "\u{301}", "\r\n", " ", "as-1.a1", String(repeating: "x", count: 40)]

    static func text(_ indices: [Int]) -> String { indices.map { pieces[$0] }.joined() }

    @Test("Random parents, names and ids, with and without an id")
    func randomParts() async {
        let part = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...12)
        await propertyCheck(count: 500, input: zip(part, part, part, Gen.int(in: 0...1))) { parent, name, id, hasID in
            let parent = Self.text(parent)
            let name = Self.text(name)
            let id: String? = hasID == 1 ? Self.text(id) : nil
            let expected = parent + "/" + name + (id.map { "[@id='" + $0 + "']" } ?? "")
            let joined = ElementPath.join(parent: parent, name: name, id: id)
            #expect(joined == expected)
            #expect(Array(joined.utf8) == Array(expected.utf8))
        }
    }

    @Test("Empty parts, an empty id (written as [@id='']) and a path far longer than a small string")
    func edges() {
        #expect(ElementPath.join(parent: "", name: "", id: nil) == "/")
        #expect(ElementPath.join(parent: "", name: "x", id: "") == "/x[@id='']")
        let long = String(repeating: "/a", count: 2_000)
        #expect(ElementPath.join(parent: long, name: "b", id: "c") == long + "/b[@id='c']")
    }
}

/// `ElementPath.numbered` writes `base:number` in place: the same text as `base + ":" + String(number)`.
@Suite("Numbered ids: joined in place as `+` and `String(_:)` join them")
struct NumberedIDTests {
    @Test("Random bases and numbers, the extremes among them")
    func randomNumbers() async {
        let base = Gen.int(in: 0...(ElementPathTests.pieces.count - 1)).array(of: 0...8)
        let number = Gen.int(in: Int.min...Int.max)
        await propertyCheck(count: 500, input: zip(base, number)) { base, number in
            let base = ElementPathTests.text(base)
            #expect(ElementPath.numbered(base, number) == base + ":" + String(number))
        }
    }

    @Test("Each power of ten and its neighbours, zero, and both ends of Int", arguments: [0, 1, 9, 10, 11, 99, 100, 101, 999_999, 1_000_000, -1, -10, Int.max, Int.min, Int.max - 1, Int.min + 1])
    func edges(number: Int) {
        #expect(ElementPath.numbered("as-1.a2:rule", number) == "as-1.a2:rule:" + String(number))
        #expect(ElementPath.numbered("", number) == ":" + String(number))
    }
}
