import LegacyImport
import PurchaseActionsCore
import Testing

/// The catalogue and one unit are bounded in bytes, not only in elements (issue 10, item 7).
@Suite("Byte limits on the catalogue and on one unit")
struct ByteLimitTests {
    @Test("Defaults are documented: 256 MiB of catalogue, 16 MiB per unit, 128 bytes per catalogue element")
    func defaults() {
        #expect(ExportLimits.default.maxCatalogueBytes == 256 << 20)
        #expect(ExportLimits.default.maxUnitBytes == 16 << 20)
        #expect(ExportLimits.catalogueElementBytes == 128)
        #expect(ExportLimits.catalogueExtensionElementBytes == 320)
        #expect(ExportLimits.default.maxNameBytes == 1 << 20)
    }

    @Test("A unit at the unit byte limit reads; one byte past it is refused, located")
    func unitBytes() throws {
        // An extension unit holds its text (1,000 bytes), its attribute's name and value (k="v": 2
        // bytes), its name (blob: 4) and its path in the unit (/blob: 5).
        func export(_ text: Int) -> String {
            Minimal.export(actionSets: #"<x:blob xmlns:x="urn:x" k="v">\#(String(repeating: "a", count: text))</x:blob>"#)
        }
        let limits = ExportLimits(maxUnitBytes: 1_011)
        #expect(Repository.error(export(1_000), limits: limits) == nil)
        let error = try #require(Repository.error(export(1_001), limits: limits))
        #expect(error.code == .limitExceeded && error.message.contains("unit byte limit") && error.message.contains("--max-unit-bytes"), "\(error)")
        #expect(error.location.line > 0 && error.location.column != nil && error.location.path.hasSuffix("/blob"), "\(error)")
    }

    @Test("Many elements of extension text in one unit add up against the unit byte limit")
    func manyTextsInOneUnit() throws {
        let part = String(repeating: "b", count: 900)
        let texts = (1...300).map { _ in #"<x:t>\#(part)</x:t>"# }.joined()
        let xml = Minimal.export(actionSets: #"<action-set id="as-2" name="N" xmlns:x="urn:x"><x:big>\#(texts)</x:big></action-set>"#)
        let limits = ExportLimits(maxTextBytes: 1_000, maxUnitBytes: 100_000)
        let error = try #require(Repository.error(xml, limits: limits), "300 × 900 bytes in one unit were held")
        #expect(error.message.contains("unit byte limit"), "\(error)")
        #expect(Repository.error(xml, limits: ExportLimits(maxTextBytes: 1_000, maxUnitBytes: 300_000)) == nil)
    }

    @Test("The catalogue at its byte limit reads; one byte past it is refused, located")
    func catalogueBytes() throws {
        // The minimal catalogue: 5 elements (tag, user, product, email-template and its text) with
        // 120 bytes of attribute values and text, 213 bytes of names and paths (tag: 3 + 6 of
        // attribute names + 17 of path `/tag[@id='tag-a']`; user 34, product 40, email-template 76,
        // text 37): 120 + 213 + 5 × 128 = 973. A tag adds its values, names and path + 128.
        let base = 973
        #expect(Repository.error(Minimal.export(), limits: ExportLimits(maxCatalogueBytes: base)) == nil)
        let over = try #require(Repository.error(Minimal.export(), limits: ExportLimits(maxCatalogueBytes: base - 1)))
        #expect(over.code == .limitExceeded && over.message.contains("catalogue limit") && over.message.contains("--max-catalogue-bytes"), "\(over)")
        #expect(over.location.path.hasPrefix("/export/catalogue/") && over.location.column != nil, "\(over)")
        let tag = #"<tag id="tag-z" name="Zed"/>"#  // 5 + 3 bytes of values, 3 + 6 + 17 of names and path
        let withTag = Minimal.export(catalogue: tag)
        #expect(Repository.error(withTag, limits: ExportLimits(maxCatalogueBytes: base + 34 + 128)) == nil)
        #expect(Repository.error(withTag, limits: ExportLimits(maxCatalogueBytes: base + 34 + 127))?.code == .limitExceeded)
    }

    @Test("Element and attribute names count towards the unit byte limit: one byte past it is refused")
    func namesInUnit() throws {
        // 40 empty elements with a 1,000-character name: each counts its name (1,000) and its path
        // in the unit (/g/NAME: 1,003), and <g> counts 1 + 2 = 3; no text, no attribute values.
        let name = String(repeating: "n", count: 1_000)
        let children = (1...40).map { _ in "<x:\(name)/>" }.joined()
        let xml = Minimal.export(actionSets: #"<x:g xmlns:x="urn:x">\#(children)</x:g>"#)
        let exact = 3 + 40 * 2_003
        #expect(Repository.error(xml, limits: ExportLimits(maxUnitBytes: exact)) == nil)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxUnitBytes: exact - 1)))
        #expect(error.code == .limitExceeded && error.message.contains("--max-unit-bytes"), "\(error)")
        // An attribute's name counts too.
        let attributeName = String(repeating: "a", count: 5_000)
        let withAttribute = Minimal.export(actionSets: #"<x:g xmlns:x="urn:x" \#(attributeName)="v"/>"#)
        #expect(Repository.error(withAttribute, limits: ExportLimits(maxUnitBytes: 3 + 5_001)) == nil)
        #expect(Repository.error(withAttribute, limits: ExportLimits(maxUnitBytes: 3 + 5_000))?.code == .limitExceeded)
    }

    @Test("Each element kept whole in the catalogue counts 320 bytes: one byte past the limit is refused")
    func extensionElementsInCatalogue() throws {
        // <x:g> holding 100 <x:c/>: g counts 1 + 2 + 320, each c 1 + 4 + 320 (name, path /g/c).
        let children = String(repeating: "<x:c/>", count: 100)
        let xml = Minimal.export(catalogue: #"<x:g xmlns:x="urn:x">\#(children)</x:g>"#)
        let exact = 973 + 323 + 100 * 325
        #expect(Repository.error(xml, limits: ExportLimits(maxCatalogueBytes: exact)) == nil)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxCatalogueBytes: exact - 1)))
        #expect(error.code == .limitExceeded && error.message.contains("--max-catalogue-bytes"), "\(error)")
        #expect(error.location.path == "/export/catalogue/g/c", "\(error)")
    }

    @Test("Distinct names are bounded in bytes: at the limit the export reads, one byte past it is refused, located")
    func nameBytes() throws {
        // Names of the minimal export, then one new element name of 10,000 bytes.
        let name = String(repeating: "q", count: 10_000)
        let plain = Minimal.export()
        let xml = Minimal.export(actionSets: #"<x:\#(name) xmlns:x="urn:x"/>"#)
        var low = 1, high = 1 << 20
        while low < high {  // the smallest limit the plain export passes: the bytes of its names
            let middle = (low + high) / 2
            if Repository.error(plain, limits: ExportLimits(maxNameBytes: middle)) == nil { high = middle } else { low = middle + 1 }
        }
        // The new element adds its name, the prefix x (1) and the URI urn:x (5).
        let exact = low + 10_000 + 1 + 5
        #expect(Repository.error(xml, limits: ExportLimits(maxNameBytes: exact)) == nil)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxNameBytes: exact - 1)))
        #expect(error.code == .limitExceeded && error.message.contains("--max-name-bytes"), "\(error)")
        #expect(error.location.line > 0 && error.location.column != nil, "\(error)")
    }

    @Test("400 distinct names of 40,000 bytes are refused by the name byte limit, not by libxml2's dictionary")
    func libxml2Dictionary() throws {
        let elements = (0..<400).map { "<x:\(String(repeating: "n", count: 40_000))\($0)/>" }.joined()
        let xml = Minimal.export(actionSets: #"<x:g xmlns:x="urn:x">\#(elements)</x:g>"#)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxUnitBytes: 1 << 30)))
        #expect(error.code == .limitExceeded && error.message.contains("--max-name-bytes"), "\(error)")
        #expect(!error.description.contains("Memory allocation failed"), "\(error)")
    }

    @Test("The byte-limit fixtures read under the defaults and stop where the limit is passed with a lower one", arguments: [
        ("unit-bytes-limit.xml", ["--max-unit-bytes", "1024"], 24, "unit byte limit"),
        ("catalogue-bytes-limit.xml", ["--max-catalogue-bytes", "4096"], 28, "catalogue limit"),
    ])
    func fixtures(file: String, options: [String], line: Int, message: String) throws {
        // Not in manifest.json until import-actions has the options (the CLI runs every entry).
        let path = Repository.path("Fixtures/malformed/\(file)")
        _ = try ExportReader().read(file: path)
        _ = try ExportReader(validatesSchema: true).read(file: path)
        var caught: ImportError?
        do { _ = try ExportReader(limits: Repository.limits(options)).read(file: path) } catch { caught = error }
        let error = try #require(caught)
        #expect(error.location.line == line && error.message.contains(message), "\(error)")
    }

    @Test("Catalogue extensions count against the catalogue limit; units after the catalogue do not")
    func whatCounts() throws {
        let blob = #"<x:blob xmlns:x="urn:x">\#(String(repeating: "c", count: 500))</x:blob>"#
        #expect(Repository.error(Minimal.export(catalogue: blob), limits: ExportLimits(maxCatalogueBytes: 1_000))?.code == .limitExceeded)
        #expect(Repository.error(Minimal.export(actionSets: blob), limits: ExportLimits(maxCatalogueBytes: 1_000)) == nil)
    }
}

/// Catalogue ids are found through the catalogue's own tables, not held twice: duplicates are still
/// found across every kind, with the earlier element's kind and line.
@Suite("Duplicate ids across kinds, with the catalogue's tables as the index")
struct CatalogueDuplicateTests {
    @Test("Each pair of a catalogue entry and another top-level element with one id is refused", arguments: [
        (#"<user id="tag-a" name="U" email="u@example.com"/>"#, "", "", "<tag>"),
        (#"<product id="p2" name="P" price="1"><price-option id="tag-a" name="O" price="1"/></product>"#, "", "", "<tag>"),
        (#"<product id="p2" name="P" price="1"><price-option id="p2" name="O" price="1"/></product>"#, "", "", "<product>"),
        (#"<product id="p2" name="P" price="1"><price-option id="po" name="O" price="1"/></product><tag id="po" name="T"/>"#, "", "", "<price-option>"),
        ("", #"<sequence id="tpl-1" name="S"/>"#, "", "<email-template>"),
        ("", "", #"<action-set id="user-1" name="A"/>"#, "<user>"),
        (#"<tag id="acct" name="T"/>"#, "", "", "<account>"),
    ])
    func duplicates(catalogue: String, sequences: String, actionSets: String, earlier: String) throws {
        let error = try #require(Repository.error(Minimal.export(catalogue: catalogue, sequences: sequences, actionSets: actionSets)))
        #expect(error.code == .duplicateID && error.message.contains("\(earlier) at line"), "\(error)")
    }
}

@Suite("Forward references to sequences are held once per id")
struct SequenceReferenceTests {
    @Test("Of many references to missing sequences, the first in the document is reported, every time")
    func firstMissing() throws {
        let steps = (1...200).map { #"<step id="s.\#($0)" delay-days="0"><start-sequence id="s.\#($0).go" sequence="missing-\#($0 % 3)"/></step>"# }
        let xml = Minimal.export(sequences: #"<sequence id="s" name="S">\#(steps.joined(separator: "\n"))</sequence><sequence id="missing-0" name="Zero"/>"#)
        let messages = Set((0..<5).compactMap { _ in Repository.error(xml)?.message })
        #expect(messages.count == 1)
        let error = try #require(Repository.error(xml))
        #expect(error.message.contains("'missing-1'") && error.location.path.hasSuffix("step[@id='s.1']/start-sequence[@id='s.1.go']"), "\(error)")
    }
}

/// Attributes in a namespace count their namespace URI: past the name table's cache each one holds a
/// copy of it.
@Suite("Namespaced attributes in the unit byte limit")
struct NamespacedAttributeBytesTests {
    @Test("An attribute's namespace URI counts towards the unit byte limit: one byte past it is refused")
    func namespaceURI() throws {
        let uri = "urn:" + String(repeating: "u", count: 996)  // 1,000 bytes
        let xml = Minimal.export(actionSets: #"<x:g xmlns:x="\#(uri)" x:a="v"/>"#)
        // <g>: name 1 + path 2; x:a: name 1, URI 1,000, value 1.
        let exact = 3 + 1 + 1_000 + 1
        #expect(Repository.error(xml, limits: ExportLimits(maxUnitBytes: exact)) == nil)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxUnitBytes: exact - 1)))
        #expect(error.code == .limitExceeded && error.message.contains("--max-unit-bytes"), "\(error)")
    }
}
