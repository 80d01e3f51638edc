import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7 (helper I3): the HTML dictionary keeps what it wrote for each phrase in a table
/// of its own (`PhraseTable`), hashed by the phrase's case and bytes.
@Suite("Phrase table: what the HTML dictionary wrote, found by case and bytes")
struct PhraseTableTests {
    static let pieces = ["a", "é", "e\u{301}", "\u{212B}", "\u{C5}", " ", "😀", "\u{0}", "", "longer text of the report "]
    static let texts = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...6).map { $0.map { Self.pieces[$0] }.joined() }
    /// A phrase of each case, the case chosen by the third text's byte count.
    static let phrases = Self.texts.array(of: 3...3).map { texts -> Phrase in
        switch texts[2].utf8.count % 5 {
        case 0: .words(texts[0])
        case 1: .name(texts[0])
        case 2: .quote(texts[0])
        case 3: .id(texts[0])
        default: .named(texts[0], id: texts[1])
        }
    }

    @Test("Finds exactly what a [Phrase: [UInt8]] dictionary finds, past several growths; equal phrases hash alike")
    func againstDictionary() async {
        await propertyCheck(count: 200, input: Self.phrases.array(of: 0...300)) { phrases in
            var table = PhraseTable()
            var reference: [Phrase: [UInt8]] = [:]
            for (number, phrase) in phrases.enumerated() {
                let hash = table.hash(phrase)
                #expect(table.value(phrase, hash: hash) == reference[phrase])
                if reference[phrase] == nil {
                    let value = Array("\(number)".utf8)
                    table.insert(phrase, hash: hash, value: value)
                    reference[phrase] = value
                }
                #expect(table.value(phrase, hash: hash) == reference[phrase])
            }
            #expect(table.count == reference.count)
            for (phrase, value) in reference { #expect(table.value(phrase, hash: table.hash(phrase)) == value) }
        }
    }

    @Test("Each table keys its hash: the same phrase hashes apart under two keys, alike under one")
    func keyed() async {
        await propertyCheck(count: 200, input: Self.texts) { text in
            let one = PhraseTable(key: 1), two = PhraseTable(key: 0x5555_5555_5555_5555)
            #expect(one.hash(.name(text)) != two.hash(.name(text)))
            #expect(one.hash(.name(text)) == PhraseTable(key: 1).hash(.name(text)))
            #expect(one.hash(.named(text, id: "x")) == PhraseTable.hash(.named(text, id: "x"), key: 1))
        }
        #expect(PhraseTable().key != PhraseTable().key || PhraseTable().key != PhraseTable().key)
    }

    @Test("Names that differ only in a long tail's last bytes or their count spread over the slots under any key (review 10)")
    func tailsSpread() {
        // One 8-byte block, five tail bytes alike, then 0-2 more bytes: before the finaliser these
        // 161 names fell into 2 slots of 32,768 under every key.
        var names = ["Customerabcde", "CustomerabcdeC"]
        for byte in UInt8(0x20)...UInt8(0x7E) { names.append("CustomerabcdeC" + String(UnicodeScalar(byte))) }
        for byte in UInt8(0x80)...UInt8(0xBF) { names.append(String(decoding: Array("Customerabcde".utf8) + [0xC3, byte], as: UTF8.self)) }
        for key: UInt64 in [0, 1, 0xDEAD_BEEF, .max] {
            let table = PhraseTable(key: key)
            let slots = Set(names.map { Int(truncatingIfNeeded: table.hash(.name($0))) & 32_767 })
            #expect(slots.count > names.count * 9 / 10, "key \(key): \(slots.count) slots for \(names.count) names")
        }
    }

    @Test("The hash: of the bytes (a copy through other storage hashes alike), the case and the split between a name and its id")
    func hash() async {
        await propertyCheck(count: 300, input: Self.texts, Self.texts) { left, right in
            let copy = String(decoding: Array(left.utf8), as: UTF8.self)
            #expect(PhraseTable.hash(.name(copy)) == PhraseTable.hash(.name(left)))
            #expect(PhraseTable.hash(.named(copy, id: right)) == PhraseTable.hash(.named(left, id: right)))
            if Array(left.utf8) != Array(right.utf8) {
                #expect(Phrase.name(left) != Phrase.name(right))
            }
        }
        // Canonically equivalent but with other bytes: other phrases (`Phrase.==`), found apart.
        var table = PhraseTable()
        table.insert(.name("é"), hash: PhraseTable.hash(.name("é")), value: [1])
        #expect(table.value(.name("e\u{301}"), hash: PhraseTable.hash(.name("e\u{301}"))) == nil)
        #expect(table.value(.words("é"), hash: PhraseTable.hash(.words("é"))) == nil)
        #expect(PhraseTable.hash(.named("ab", id: "c")) != PhraseTable.hash(.named("a", id: "bc")))
        // Every count from 0 to 20 bytes (the word loop and the tail), each byte position mattering.
        for count in 0...20 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) & 0x7F }
            let text = String(decoding: bytes, as: UTF8.self)
            for position in 0..<count {
                var other = bytes
                other[position] = other[position] == 0x41 ? 0x42 : 0x41
                #expect(PhraseTable.hash(.words(String(decoding: other, as: UTF8.self))) != PhraseTable.hash(.words(text)), "\(count) \(position)")
            }
        }
    }

    @Test("An entry's bytes in the script, counted on its bytes: those of its compact JSON text, each < five more, and a comma")
    func scriptSize() async {
        let pieces = ["a", "<", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "é", "😀", "{", " ", "</b>"]
        let texts = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...20).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 500, input: texts) { html in
            let written = JSONValue.string(html).compactText.utf8
            #expect(HTMLDictionary.scriptSize(html) == written.count + 5 * written.filter { $0 == UInt8(ascii: "<") }.count + 1)
        }
        for byte in UInt8(0)...UInt8(0x7F) {
            let html = String(decoding: [byte], as: UTF8.self)
            let written = JSONValue.string(html).compactText.utf8
            #expect(HTMLDictionary.scriptSize(html) == written.count + 5 * written.filter { $0 == UInt8(ascii: "<") }.count + 1, "\(byte)")
        }
    }
}
