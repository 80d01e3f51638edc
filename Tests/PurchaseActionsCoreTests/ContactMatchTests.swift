import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("ContactMatch: the legacy 'already a contact' rule")
struct ContactMatchTests {
    @Test("White space, case and canonical equivalence do not matter; every part must match")
    func examples() {
        let ann = ContactMatch(firstName: "Ann", lastName: "Lee", email: "ann@example.com")
        #expect(ContactMatch(firstName: "  ann ", lastName: "LEE", email: "Ann@Example.COM ") == ann)
        #expect(ContactMatch(firstName: "Mary  Ann", lastName: "Lee", email: "a@x") == ContactMatch(firstName: "mary\tann", lastName: "lee", email: "A@X"))
        let composed = ContactMatch(firstName: "Ren\u{E9}e", lastName: "L\u{F6}w", email: "r@x")
        let decomposed = ContactMatch(firstName: "Rene\u{301}e", lastName: "Lo\u{308}w", email: "r@x")
        #expect(composed == decomposed)
        #expect(Set([composed, decomposed]).count == 1, "keys hash alike, so a dictionary finds the match")
        #expect(ContactMatch(firstName: "Ann", lastName: "Lee", email: "ann2@example.com") != ann)
        #expect(ContactMatch(firstName: "Anne", lastName: "Lee", email: "ann@example.com") != ann)
    }

    @Test("Several matches pick the oldest")
    func oldest() {
        let contacts = [(id: 7, created: 300), (id: 3, created: 100), (id: 5, created: 100)]
        let picked = ContactMatch.pick(contacts) { ($0.created, $0.id) < ($1.created, $1.id) }
        #expect(picked?.id == 3)
        #expect(ContactMatch.pick([(id: Int, created: Int)]()) { $0.id < $1.id } == nil)
    }

    static let words = Gen<Character?>.element(of: Array("abcXYZé ")).array(of: 0...12).map { String($0.compactMap { $0 }) }
    static let spaces = Gen<Character?>.element(of: [" ", "\t", "\n"]).array(of: 0...3).map { String($0.compactMap { $0 }) }

    @Test("Padding with white space and changing case never changes the key")
    func invariance() async {
        await propertyCheck(count: 300, input: Self.words, Self.spaces, Self.spaces) { word, before, after in
            let plain = ContactMatch(firstName: word, lastName: word, email: word)
            let padded = ContactMatch(firstName: before + word.uppercased() + after, lastName: word, email: after + word + before)
            #expect(plain == padded)
            #expect(ContactMatch.normalize(ContactMatch.normalize(word)) == ContactMatch.normalize(word), "normalising is idempotent")
        }
    }
}
