@testable import LegacyImport
import PurchaseActionsCore
import Testing

/// Messages quote at most 200 characters of any value or name (export-format.md, "Errors").
@Suite("Messages quote at most 200 characters of input")
struct MessageLengthTests {
    /// The longest run of characters between two spaces in a line: a quoted name or value.
    static func longestWord(_ line: String) -> Int {
        line.split(separator: " ").map { $0.unicodeScalars.count }.max() ?? 0
    }

    @Test("An id of 5,000 C1 controls: the value and the path show 200 characters each, escaped")
    func longInvalidID() throws {
        let id = String(repeating: "&#x9B;", count: 5_000)
        let xml = Minimal.export(actionSets: #"<action-set id="\#(id)" name="N"/>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.code == .invalidValue, "\(error)")
        #expect(error.description.utf8.count < 4_000, "\(error.description.utf8.count) bytes")
        #expect(error.description.contains("…"))
        #expect(!error.description.unicodeScalars.contains { DisplayText.isControl($0) })
    }

    @Test("A 50,000-character unknown attribute name is shown with 200 characters")
    func longAttributeName() throws {
        let name = String(repeating: "a", count: 50_000)
        let document = try Repository.read(Minimal.export(catalogue: #"<tag id="t9" name="N" \#(name)="1"/>"#))
        let warning = try #require(document.warnings.first { $0.message.contains("unknown attribute") })
        #expect(warning.description.utf8.count < 1_000, "\(warning.description.utf8.count) bytes")
        #expect(warning.description.contains(String(repeating: "a", count: 200) + "…"))
    }

    @Test("A 50,000-character unknown element name is shown with 200 characters, in the message and the path")
    func longElementName() throws {
        let name = String(repeating: "e", count: 50_000)
        let document = try Repository.read(Minimal.export(actionSets: #"<action-set id="as-2" name="N"><\#(name) id="z"/></action-set>"#))
        let warning = try #require(document.warnings.first { $0.message.contains("unknown element") })
        #expect(warning.description.utf8.count < 1_000, "\(warning.description.utf8.count) bytes")
        #expect(Self.longestWord(warning.description) < 300)
    }

    @Test("An error inside an element with a long name shows its path with 200 characters")
    func longNameInPath() throws {
        let name = String(repeating: "p", count: 40_000)
        let xml = Minimal.export(actionSets: #"<x:\#(name) xmlns:x="urn:x">\#(String(repeating: "t", count: 200))</x:\#(name)>"#)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxTextBytes: 100)))
        #expect(error.code == .limitExceeded)
        #expect(error.location.path.unicodeScalars.count < 300, "\(error.location.path.count)")
    }

    @Test("libxml2's messages quoting a long name are shortened too")
    func libxml2Message() throws {
        let name = String(repeating: "m", count: 30_000)
        let xml = Minimal.export(actionSets: #"<x:\#(name) xmlns:x="urn:x"></x:other>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.code == .notWellFormed, "\(error)")
        #expect(error.description.utf8.count < 1_500, "\(error.description.utf8.count) bytes")
    }
}

/// A namespace name that is not a valid URI is still a namespace name: XML and the schema accept it.
@Suite("Namespace names that are not URIs")
struct NamespaceNameTests {
    @Test("urn:café and urn:a b are read, with and without the schema", arguments: ["urn:café", "urn:a b", "urn:a&#10;b"])
    func accepted(uri: String) throws {
        let xml = Minimal.export(actionSets: #"<action-set id="as-2" name="N"><x:e xmlns:x="\#(uri)"/></action-set>"#)
        #expect(Repository.error(xml) == nil)
        #expect(Repository.error(xml, schema: true) == nil)
    }

    @Test("The namespace limits still apply to them")
    func limits() throws {
        let uri = "urn:é" + String(repeating: " ", count: 100)
        let xml = Minimal.export(actionSets: #"<action-set id="as-2" name="N"><x:e xmlns:x="\#(uri)"/></action-set>"#)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxNamespaceBytes: 50)))
        #expect(error.code == .limitExceeded && error.message.contains("--max-namespace-bytes"), "\(error)")
    }
}

/// Schema messages quote values in single quotes; a long value with spaces is shortened too.
@Suite("libxml2 messages quoting long values")
struct LibXML2MessageLengthTests {
    @Test("A quoted value of short words is shown with at most 200 characters; libxml2's words are kept")
    func quotedValueWithSpaces() throws {
        let value = String(repeating: "ab ", count: 20_000)
        let message = "Element 'tag', attribute 'name': [facet 'maxLength'] The value '\(value)' has a length of 60000."
        let shown = ExportStructure.shortened(message)
        #expect(shown.unicodeScalars.count < 400, "\(shown.count)")
        #expect(shown.hasPrefix("Element 'tag', attribute 'name': [facet 'maxLength'] The value 'ab ab"))
        #expect(shown.hasSuffix("…' has a length of 60000."))
    }

    @Test("A line break libxml2 quotes is shown as \\n, not as a space or a new line")
    func lineBreak() {
        #expect(ExportStructure.shortened("xmlns:x: 'urn:a\nb' is odd") == "xmlns:x: 'urn:a\\nb' is odd")
    }
}
