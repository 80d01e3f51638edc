import LegacyImport
import PurchaseActionsCore
import Testing

/// Markup inside a text-only element is refused with a located error, never dropped with its text
/// (issue 10, item 6); comments, processing instructions and CDATA keep every character around them.
@Suite("Markup inside text-only elements")
struct MarkupInTextTests {
    /// Every text-only element of the format, in the place the format reads it: (element, where it goes).
    static let places: [(element: String, catalogue: String, actionSets: String)] = [
        ("html", #"<email-template id="t-h" name="H" from-name="S" from-address="s@example.com" subject="S"><html>BODY</html></email-template>"#, ""),
        ("text", #"<email-template id="t-t" name="T" from-name="S" from-address="s@example.com" subject="S"><text>BODY</text></email-template>"#, ""),
        ("description", #"<task-template id="t-d" title="T"><description>BODY</description></task-template>"#, ""),
        ("description", #"<appointment-template id="t-a" title="A"><description>BODY</description></appointment-template>"#, ""),
        ("body", #"<note-template id="t-n" title="N"><body>BODY</body></note-template>"#, ""),
        ("body", #"<letter-template id="t-l" name="L"><body>BODY</body></letter-template>"#, ""),
        ("body", #"<fax-template id="t-f" name="F"><body>BODY</body></fax-template>"#, ""),
        ("script", #"<voice-template id="t-v" name="V"><script>BODY</script></voice-template>"#, ""),
        ("message", "", #"<action-set id="as-m" name="M"><send-sms id="as-m.sms"><message>BODY</message></send-sms></action-set>"#),
    ]

    static func export(_ place: (element: String, catalogue: String, actionSets: String), content: String) -> String {
        Minimal.export(
            catalogue: place.catalogue.replacing("BODY", with: content), actionSets: place.actionSets.replacing("BODY", with: content))
    }

    @Test("An element of ours inside each text-only element is refused where it starts, with and without the schema", arguments: 0..<places.count)
    func elementOfOurs(index: Int) throws {
        let place = Self.places[index]
        let xml = Self.export(place, content: "Hi <p>there</p> you")
        let error = try #require(Repository.error(xml), "<p> inside <\(place.element)> was read")
        #expect(error.code == .unexpectedElement)
        #expect(error.message.contains("markup inside <\(place.element)>"), "\(error)")
        #expect(error.message.contains("CDATA") && error.message.contains("&lt;p&gt;"), "says how to fix it: \(error)")
        #expect(error.location.path.hasSuffix("/\(place.element)/p"), "\(error.location.path)")
        let line = xml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("<p>") }.map { $0 + 1 }
        #expect(error.location.line == line && error.location.column != nil, "\(error)")
        #expect(Repository.error(xml, schema: true) != nil, "--check refuses it too")
    }

    @Test("An extension element inside each text-only element is refused too", arguments: 0..<places.count)
    func extensionElement(index: Int) throws {
        let place = Self.places[index]
        let error = try #require(Repository.error(Self.export(place, content: #"Hi <x:b xmlns:x="urn:x">bold</x:b>"#)))
        #expect(error.code == .unexpectedElement && error.message.contains("<b> is an element"), "\(error)")
    }

    @Test("The same text escaped, or in CDATA, reads exactly", arguments: 0..<places.count)
    func escapedAndCDATA(index: Int) throws {
        let place = Self.places[index]
        for content in ["Hi &lt;p&gt;there&lt;/p&gt; you", "Hi <![CDATA[<p>there</p>]]> you"] {
            let document = try Repository.read(Self.export(place, content: content))
            #expect(Self.text(of: place.element, in: document) == "Hi <p>there</p> you", "\(content)")
        }
    }

    @Test("A comment or processing instruction inside a text-only element keeps the text on both sides")
    func commentsAndInstructions() throws {
        for index in Self.places.indices {
            let place = Self.places[index]
            let document = try Repository.read(Self.export(place, content: "Hello <!-- a note --> world<?render fast?>!"))
            #expect(Self.text(of: place.element, in: document) == "Hello  world!", "\(place.element)")
            #expect(Repository.error(Self.export(place, content: "Hello <!-- a note --> world<?render fast?>!"), schema: true) == nil)
        }
    }

    @Test("CDATA split across the reader's 256 KiB chunks reads whole, wherever the chunk ends")
    func cdataAcrossChunks() throws {
        let body = String(repeating: "<b>bold</b> & ", count: 4000)
        func export(padding: Int) -> String {
            let pad = "<!--" + String(repeating: "x", count: padding) + "-->"
            return Minimal.export(catalogue: #"<note-template id="t-n" title="N"><body>\#(pad)<![CDATA[\#(body)]]></body></note-template>"#)
        }
        let chunk = 256 * 1024
        let start = try #require(export(padding: 0).utf8.ranges(of: "<![CDATA[".utf8).first).lowerBound
        let offset = export(padding: 0).utf8.distance(from: export(padding: 0).utf8.startIndex, to: start)
        // The chunk boundary falls inside "<![CDATA[", inside the text, and inside "]]>".
        for into in [4, 30_000, 9 + body.utf8.count + 1] {
            let xml = export(padding: chunk - offset - into)
            let cut = Array(xml.utf8)[(chunk - 12)..<(chunk + 12)]
            #expect(cut.contains(UInt8(ascii: "[")) || cut.contains(UInt8(ascii: "b")), "the boundary is where it should be")
            let document = try Repository.read(xml)
            #expect(Self.text(of: "body", in: document) == body, "boundary \(into) bytes into the CDATA section")
        }
    }

    @Test("A text-only element inside an extension keeps its markup as opaque children")
    func insideExtensions() throws {
        let xml = Minimal.export(
            actionSets: #"<action-set id="as-x" name="X" xmlns:x="urn:x"><x:mail><html>Hi <p>there</p></html></x:mail></action-set>"#)
        let document = try Repository.read(xml)
        guard case .opaque(let part) = try #require(document.account.actionSets.last?.actions.first).kind else {
            Issue.record("not kept as an opaque action")
            return
        }
        #expect(part.children.first?.children.first?.name == "p")
        #expect(part.children.first?.children.first?.text == "there")
    }

    @Test("A second html, text, body or message, or a second billing-defaults, is refused, not dropped")
    func secondTextElement() throws {
        let cases = [
            Minimal.export(
                catalogue: #"<email-template id="t2" name="T" from-name="S" from-address="s@example.com" subject="S"><html>a</html><html>b</html></email-template>"#),
            Minimal.export(catalogue: #"<note-template id="t-n" title="N"><body>a</body><body>b</body></note-template>"#),
            Minimal.export(
                actionSets: #"<action-set id="as-m" name="M"><send-sms id="as-m.sms"><message>a</message><message>b</message></send-sms></action-set>"#),
            Minimal.export(account: #"><billing-defaults max-retries="2"/><billing-defaults max-retries="5"/></account><x:after xmlns:x="urn:x""#),
        ]
        for xml in cases {
            let error = try #require(Repository.error(xml), "\(xml)")
            #expect(error.code == .unexpectedElement && error.message.contains("at most one"), "\(error)")
        }
    }

    @Test("Text directly in <export> or a section, and unknown attributes on a text element, are warned about, not dropped silently")
    func strayTextBetweenUnits() throws {
        let stray = Minimal.export().replacing("<action-sets>", with: "<action-sets>forgotten words")
        let document = try Repository.read(stray)
        #expect(document.warnings.contains { $0.message.contains("text inside <action-sets> is ignored") && $0.location.line > 0 }, "\(document.warnings)")
        #expect(Repository.error(stray, schema: true) != nil, "--check refuses it")
        #expect(try Repository.read(Minimal.export()).warnings.isEmpty, "white space between units is not text")
        let attribute = Minimal.export(
            catalogue: #"<note-template id="t-n" title="N"><body format="markdown">x</body></note-template>"#)
        #expect(try Repository.read(attribute).warnings.contains { $0.message.contains("unknown attribute 'format' on <body>") })
    }

    static func text(of element: String, in document: ExportDocument) -> String? {
        if let set = document.account.actionSets.first(where: { $0.id == "as-m" }), case .sendSMS(_, let message) = set.actions.first?.kind {
            return message
        }
        for template in document.account.catalogue.templates.values where template.id != "tpl-1" {
            switch template.content {
            case .email(let email): return element == "html" ? email.html : email.text
            case .task(let task): return task.description
            case .appointment(let appointment): return appointment.description
            case .note(_, let body), .letter(let body), .fax(let body): return body
            case .voice(_, let script): return script
            default: return nil
            }
        }
        return nil
    }
}
