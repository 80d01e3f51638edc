import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("StableID and FileLocation")
struct StableIDTests {
    @Test("Valid and invalid ids", arguments: [
        ("as-welcome", true), ("1042", true), ("a.b_c-d", true), (String(repeating: "x", count: 64), true),
        ("", false), ("-leading", false), (".leading", false), ("has space", false), ("é", false),
        (String(repeating: "x", count: 65), false), ("a/b", false),
    ])
    func validity(id: String, valid: Bool) {
        #expect(StableID.isValid(id) == valid)
    }

    @Test("The digest is FNV-1a 64 and stable")
    func digest() {
        #expect(StableID.digest("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableID.digest("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableID.digest("as-welcome") == StableID.digest("as-welcome"))
        #expect(StableID.digest("as-welcome") != StableID.digest("as-welcomf"))
    }

    @Test("An id is valid exactly when it is short enough and uses allowed characters")
    func allowedCharacters() async {
        let alphabet = Array("abcXYZ019._-é ")
        let ids = zip(Gen<Character?>.element(of: Array("aZ7")), Gen<Character?>.element(of: alphabet).array(of: 0...70))
            .map { first, rest in String(first!) + String(rest.compactMap { $0 }) }
        await propertyCheck(count: 300, input: ids) { id in
            let expected = id.count <= 64 && !id.contains("é") && !id.contains(" ")
            #expect(StableID.isValid(id) == expected)
        }
    }

    @Test("Locations print as file:line:column (path)")
    func locations() {
        #expect(FileLocation(file: "a.xml", path: "/export", line: 3, column: 7).description == "a.xml:3:7 (/export)")
        #expect(FileLocation(file: "a.xml", line: 3).description == "a.xml:3")
        #expect(FileLocation(file: "a.xml").description == "a.xml")
    }
}
