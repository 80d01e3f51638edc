import PurchaseActionsCore
import Testing

@Suite("CatalogueTable: entries by id, compact, in document order")
struct CatalogueTableTests {
    let here = FileLocation(file: "t.xml", line: 1)

    func tag(_ id: String, _ name: String = "N") -> ContactTag { ContactTag(id: id, name: name, location: here) }

    @Test("Reads and writes like a dictionary, keeping insertion order, across many chunks")
    func dictionaryLike() {
        var table = CatalogueTable<ContactTag>()
        #expect(table.isEmpty && table["a"] == nil)
        let ids = (0..<5_000).map { "tag-\($0)" }
        for id in ids { table[id] = tag(id) }
        #expect(table.count == 5_000)
        #expect(table.keys == ids, "insertion order")
        #expect(ids.allSatisfy { table[$0]?.id == $0 && table.contains($0) })
        #expect(!table.contains("tag-5000"))
        table["tag-17"] = tag("tag-17", "renamed")
        #expect(table.count == 5_000 && table["tag-17"]?.name == "renamed" && table.keys[17] == "tag-17", "replacing keeps the place")
        table["tag-17"] = nil
        #expect(table.count == 4_999 && table["tag-17"] == nil && table["tag-18"] != nil && table.keys[17] == "tag-18")
        #expect(table.mapValues(\.name).count == 4_999)
        // Read in place: the same as the copy the subscript gives, in every chunk, and nil when absent.
        for id in ["tag-0", "tag-1023", "tag-1024", "tag-4999", "tag-18"] {
            #expect(table.read(id) { $0.name + "|" + $0.id } == table[id].map { $0.name + "|" + $0.id })
        }
        #expect(table.read("tag-17") { $0.id } == nil)
        #expect(table.read("nope") { _ in 1 } == nil)
    }

    @Test("A table is a value: changing a copy leaves the original, and values read earlier, as they were")
    func valueSemantics() {
        var original = CatalogueTable<ContactTag>()
        for index in 0..<2_000 { original["t\(index)"] = tag("t\(index)") }
        let snapshot = original.values
        var copy = original
        copy["t5"] = tag("t5", "changed")
        copy["new"] = tag("new")
        copy["t7"] = nil
        #expect(original.count == 2_000 && original["t5"]?.name == "N" && original["new"] == nil && original["t7"] != nil)
        #expect(copy.count == 2_000 && copy["t5"]?.name == "changed" && copy["new"] != nil && copy["t7"] == nil)
        original["t9"] = tag("t9", "later")
        #expect(snapshot.count == 2_000 && snapshot[9].name == "N", "values read before a change keep what they read")
    }

    @Test("The key is the id: storing under another key stores that id")
    func keyIsID() {
        var table = CatalogueTable<ContactTag>()
        table["b"] = tag("a")
        #expect(table["b"]?.id == "b" && table["a"] == nil)
    }

    @Test("Equality and hashing ignore order, as a dictionary's do; Codable writes a dictionary")
    func equalityAndCoding() throws {
        var one = CatalogueTable<ContactTag>()
        var two = CatalogueTable<ContactTag>()
        for id in ["x", "y", "z"] { one[id] = tag(id) }
        for id in ["z", "x", "y"] { two[id] = tag(id) }
        #expect(one == two && one.hashValue == two.hashValue)
        two["y"] = tag("y", "other")
        #expect(one != two)
        let literal: CatalogueTable<ContactTag> = ["x": tag("x"), "y": tag("y"), "z": tag("z")]
        #expect(literal == one)
        let dictionary = Dictionary(uniqueKeysWithValues: one.map { ($0.key, $0.value) })
        #expect(dictionary.count == 3 && dictionary["y"]?.id == "y")
    }
}
