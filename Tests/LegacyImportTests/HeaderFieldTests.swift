import LegacyImport
import PurchaseActionsCore
import Testing

/// Values that become part of an email header refuse line breaks and NUL, with and without the schema
/// (issue 10, "header fields"): otherwise `Bob&#13;&#10;Bcc: ...` would forge a header.
@Suite("Header fields refuse line breaks")
struct HeaderFieldTests {
    /// (attribute, export with `VALUE` in it).
    static let fields: [(String, String)] = [
        ("subject", Minimal.export(catalogue: #"<email-template id="t2" name="T" from-name="S" from-address="s@example.com" subject="VALUE"><text>x</text></email-template>"#)),
        ("from-name", Minimal.export(catalogue: #"<email-template id="t2" name="T" from-name="VALUE" from-address="s@example.com" subject="S"><text>x</text></email-template>"#)),
        ("from-address", Minimal.export(catalogue: #"<email-template id="t2" name="T" from-name="S" from-address="VALUE" subject="S"><text>x</text></email-template>"#)),
        ("reply-to", Minimal.export(catalogue: #"<email-template id="t2" name="T" from-name="S" from-address="s@example.com" reply-to="VALUE" subject="S"><text>x</text></email-template>"#)),
        ("name", Minimal.export(catalogue: #"<user id="u2" name="VALUE" email="u@example.com"/>"#)),
        ("email", Minimal.export(catalogue: #"<user id="u2" name="U" email="VALUE"/>"#)),
        ("name", Minimal.export(catalogue: #"<fulfillment-list-template id="fl" name="VALUE" to="ops@example.com"/>"#)),
        ("to", Minimal.export(catalogue: #"<fulfillment-list-template id="fl" name="L" to="VALUE"/>"#)),
        ("name", Minimal.export().replacing(#"name="Test &amp; Co""#, with: #"name="VALUE""#)),
    ]

    @Test("A CR, LF, NEL, U+2028 or U+2029 in a header field is refused by the reader and the schema", arguments: 0..<fields.count)
    func refused(index: Int) throws {
        let (attribute, xml) = Self.fields[index]
        let good = attribute.contains("address") || attribute == "email" || attribute == "to" || attribute == "reply-to" ? "bob@example.com" : "Bob Smith"
        #expect(Repository.error(xml.replacing("VALUE", with: good)) == nil, "\(attribute)")
        #expect(Repository.error(xml.replacing("VALUE", with: good), schema: true) == nil, "\(attribute)")
        for bad in ["Bob&#13;&#10;Bcc: eve@example.com", "bob@example.com&#10;Bcc:x@example.com", "Bob&#13;x@example.com", "Bob&#x85;x@example.com", "Bob&#x2028;x@example.com", "Bob&#x2029;x@example.com"] {
            let document = xml.replacing("VALUE", with: bad)
            let error = try #require(Repository.error(document), "\(attribute)=\(bad) was read")
            #expect(error.code == .invalidValue && error.message.contains(attribute), "\(error)")
            #expect(!error.description.contains("\n") && !error.description.contains("\r"), "the message itself holds no line break")
            #expect(error.location.line > 0 && error.location.column != nil)
            #expect(Repository.error(document, schema: true) != nil, "--check accepted \(attribute)=\(bad)")
        }
    }

    @Test(
        "An address holding a control character, a bidi override or U+FEFF is refused by the reader and the schema",
        arguments: ["from-address", "reply-to", "email", "to"])
    func addressControls(attribute: String) throws {
        let xml = try #require(Self.fields.first { $0.0 == attribute }).1
        for bad in ["bob&#x202E;@example.com", "bob@exa&#x7F;mple.com", "bob@example.com&#x9B;", "&#xFEFF;bob@example.com", "bob&#x2066;@example.com"] {
            let document = xml.replacing("VALUE", with: bad)
            let error = try #require(Repository.error(document), "\(attribute)=\(bad) was read")
            #expect(error.code == .invalidValue && error.message.contains(attribute), "\(error)")
            #expect(!error.description.unicodeScalars.contains(where: DisplayText.isControl), "the message escapes it")
            #expect(Repository.error(document, schema: true) != nil, "--check accepted \(attribute)=\(bad)")
        }
        #expect(Repository.error(xml.replacing("VALUE", with: "bøb@exämple.com")) == nil, "other non-ASCII letters stay allowed")
        #expect(Repository.error(xml.replacing("VALUE", with: "bøb@exämple.com"), schema: true) == nil)
    }

    @Test("A tab in a subject is still allowed, and so are line breaks in bodies")
    func tabsAndBodies() throws {
        let xml = Minimal.export(
            catalogue: #"<email-template id="t2" name="T" from-name="S" from-address="s@example.com" subject="A&#9;B"><text>line one&#10;line two</text></email-template>"#)
        #expect(Repository.error(xml) == nil)
        #expect(Repository.error(xml, schema: true) == nil)
    }
}
