import Foundation
@testable import LegacyImport
import PropertyBased
import PurchaseActionsCore
import Testing

/// Documents in the encodings an export may be in, built from one text.
enum Encoded {
    enum Form: String, CaseIterable, CustomTestStringConvertible {
        case utf8, utf8BOM, utf16LEBOM, utf16BEBOM, utf16LE, utf16BE
        var testDescription: String { rawValue }
        var isUTF16: Bool { ![.utf8, .utf8BOM].contains(self) }
    }

    /// `xml` (which starts with a UTF-8 declaration) in `form`, its declaration saying so.
    static func bytes(_ xml: String, _ form: Form) -> [UInt8] {
        let text = form.isUTF16 ? xml.replacing(#"encoding="UTF-8""#, with: #"encoding="UTF-16""#) : xml
        func le(_ text: String) -> [UInt8] { text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        func be(_ text: String) -> [UInt8] { text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        switch form {
        case .utf8: return Array(text.utf8)
        case .utf8BOM: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .utf16LEBOM: return [0xFF, 0xFE] + le(text)
        case .utf16BEBOM: return [0xFE, 0xFF] + be(text)
        case .utf16LE: return le(text)
        case .utf16BE: return be(text)
        }
    }

    static func read(_ bytes: [UInt8], limits: ExportLimits = .default, schema: Bool = false) throws(ImportError) -> ExportDocument {
        try ExportReader(limits: limits, validatesSchema: schema).read(bytes: bytes, name: "test.xml")
    }

    static func error(_ bytes: [UInt8], limits: ExportLimits = .default, schema: Bool = false) -> ImportError? {
        do {
            _ = try read(bytes, limits: limits, schema: schema)
            return nil
        } catch {
            return error
        }
    }
}

@Suite("Encodings: UTF-8 and UTF-16 are read and scanned by code unit; every other encoding is refused by name")
struct ReaderEncodingTests {
    static let forty = (1...40).map { "a\($0)=\"1\"" }.joined(separator: " ")

    @Test("UTF-8 and UTF-16 in both byte orders, with and without a byte-order mark, read the same values", arguments: Encoded.Form.allCases)
    func accepted(form: Encoded.Form) throws {
        // U+0222 holds a '"' byte, U+043C a '<' byte, U+1F600 is a surrogate pair.
        let name = "\u{222}\u{43C}\u{422} = <\u{1F600}"
        let xml = Minimal.export(catalogue: #"<tag id="t-x" name="\#(name.replacing("<", with: "&lt;"))"/>"#)
        let document = try Encoded.read(Encoded.bytes(xml, form))
        #expect(document.account.catalogue.tags["t-x"]?.name == name)
    }

    @Test("UTF-16 text holding Cyrillic (a '<' byte in a unit) and '=' is not counted as attributes", arguments: Encoded.Form.allCases)
    func cyrillicText(form: Encoded.Form) throws {
        let text = String(repeating: "\u{43C}\u{43C}=\u{422} ", count: 60)
        let xml = Minimal.export(catalogue: #"<letter-template id="l" name="L"><body>\#(text)</body></letter-template>"#)
        #expect(Encoded.error(Encoded.bytes(xml, form)) == nil)
    }

    @Test("Comments holding '=' read, including the comment starts <!--> and <!--->", arguments: Encoded.Form.allCases)
    func comments(form: Encoded.Form) throws {
        for opening in ["<!--", "<!-->", "<!--->", "<!---->"] {
            let comment = opening == "<!---->" ? "<!----><!-- \(Self.forty) -->" : "\(opening) <p \(Self.forty)> = -->"
            let xml = Minimal.export(catalogue: comment)
            #expect(Encoded.error(Encoded.bytes(xml, form)) == nil, "\(opening)")
        }
    }

    @Test("CDATA holding '<a b=c', instructions holding '?' and '>', values holding '>' and '=' are not counted", arguments: Encoded.Form.allCases)
    func lookalikes(form: Encoded.Form) throws {
        let xml = Minimal.export(
            catalogue: #"<letter-template id="l" name="L = > \#(String(repeating: "=", count: 40))"><body><![CDATA[<a b=c \#(Self.forty)>]]></body></letter-template>"#,
            actionSets: #"<?p ? > <x \#(Self.forty)> ?><?q?>"#)
        #expect(Encoded.error(Encoded.bytes(xml, form)) == nil)
    }

    @Test("A U+0222 in a value (a '\"' byte) no longer hides the attributes after it from the raw count", arguments: Encoded.Form.allCases)
    func quoteByteInUTF16(form: Encoded.Form) throws {
        let xml = Minimal.export(catalogue: "<tag id=\"t2\" name=\"\u{222}\"\n \(Self.forty)/>")
        let error = try #require(Encoded.error(Encoded.bytes(xml, form)))
        #expect(error.code == .limitExceeded)
        // "more than": the raw count refused it, before libxml2 parsed the tag.
        #expect(error.message.hasPrefix("<tag> has more than 32 attributes"), "\(error)")
        #expect(error.location.line == 11 && error.location.column == 5 && error.location.path == "/export/catalogue", "\(error)")
    }

    @Test("The tag name in the raw attribute error never carries a control character", arguments: [Encoded.Form.utf8, .utf16LEBOM])
    func controlInName(form: Encoded.Form) throws {
        let xml = Minimal.export(catalogue: "<ta\u{85}g\u{1B}[31m \(Self.forty)/>")
        let error = try #require(Encoded.error(Encoded.bytes(xml, form)))
        #expect(error.message.hasPrefix("<ta> has more than 32 attributes"), "\(error)")
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test("Bytes that are not UTF-8 are an encoding error that does not advise declaring another encoding")
    func notUTF8() throws {
        let error = try #require(Encoded.error(Array(Minimal.export(catalogue: "<tag id=\"t2\" name=\"CAFE\"/>").utf8).map { $0 == UInt8(ascii: "E") ? 0xE9 : $0 }))
        #expect(error.code == .encoding && error.message.contains("the bytes are not UTF-8"), "\(error)")
        #expect(!error.message.contains("indicate encoding") && !error.message.contains("declare its encoding"), "\(error)")
    }

    @Test("A UTF-16 document with an odd trailing byte reads, as xmllint reads it", arguments: [Encoded.Form.utf16LEBOM, .utf16BE])
    func oddByte(form: Encoded.Form) throws {
        #expect(Encoded.error(Encoded.bytes(Minimal.export(), form) + [0]) == nil)
    }

    @Test("A UTF-16 surrogate without its pair is an encoding error where it is, not a document ending early", arguments: [Encoded.Form.utf16LEBOM, .utf16BEBOM])
    func loneSurrogate(form: Encoded.Form) throws {
        let xml = Minimal.export(catalogue: #"<tag id="t2" name="a\#u{FFFD}b"/>"#)
        var bytes = Encoded.bytes(xml, form)
        // Replace U+FFFD by U+D800, which Swift strings cannot hold.
        let marker: [UInt8] = form == .utf16LEBOM ? [0xFD, 0xFF] : [0xFF, 0xFD]
        let at = try #require((0..<bytes.count - 1).first { $0 % 2 == 0 && Array(bytes[$0...($0 + 1)]) == marker })
        bytes.replaceSubrange(at...(at + 1), with: form == .utf16LEBOM ? [0x00, 0xD8] : [0xD8, 0x00])
        let error = try #require(Encoded.error(bytes))
        #expect(error.code == .encoding && error.message.contains("surrogate without its pair"), "\(error)")
        #expect(error.location.line == 11, "\(error)")
    }

    @Test("Every other encoding is refused before parsing, by name, with what to do", arguments: [
        ([0xFF, 0xFE, 0, 0] + Array("<".utf8) + [0, 0, 0], "UTF-32LE", "iconv -f UTF-32LE -t UTF-8"),
        ([0, 0, 0xFE, 0xFF, 0, 0, 0] + Array("<".utf8), "UTF-32BE", "iconv -f UTF-32BE -t UTF-8"),
        ([0x3C, 0, 0, 0, 0x3F, 0, 0, 0], "UTF-32LE", "iconv"),
        ([0, 0, 0, 0x3C, 0, 0, 0, 0x3F], "UTF-32BE", "iconv"),
        ([0, 0, 0x3C, 0, 0, 0, 0x3F, 0], "UCS-4", "iconv"),
        ([0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40], "EBCDIC", "iconv -f EBCDIC-US -t UTF-8"),
        (Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><export/>"#.utf8), "ISO-8859-1", "iconv -f ISO-8859-1 -t UTF-8"),
        (Array(#"<?xml version='1.0' encoding = 'windows-1252' ?><export/>"#.utf8), "windows-1252", "iconv -f windows-1252 -t UTF-8"),
        (Array(#"<?xml version="1.0" encoding="US-ASCII"?><export/>"#.utf8), "US-ASCII", "iconv"),
        (Array(#"<?xml version="1.0" encoding="UTF-16"?><export/>"#.utf8), "UTF-16", "its bytes are UTF-8"),
        ([0xEF, 0xBB, 0xBF] + Array(#"<?xml version="1.0" encoding="UTF-16"?><export/>"#.utf8), "UTF-16", "byte-order mark says UTF-8"),
        ([0xFF, 0xFE] + Array(#"<?xml version="1.0" encoding="UTF-16BE"?>"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "UTF-16BE", "byte-order mark says UTF-16LE"),
        ([0xFE, 0xFF] + Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "UTF-8", "byte-order mark says UTF-16BE"),
        ([0xFF, 0xFE] + Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "ISO-8859-1", "iconv"),
        (Array("<export/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "NUL bytes", "byte-order mark"),
        (Array(#"<?xml version="1.0" encoding="UTF-8""#.utf8) + Array(repeating: 0x20, count: 2000) + Array("?><export/>".utf8), "does not end", "?>"),
    ] as [([UInt8], String, String)])
    func refused(bytes: [UInt8], named: String, advice: String) throws {
        for schema in [false, true] {
            let error = try #require(Encoded.error(bytes, schema: schema))
            #expect(error.code == .encoding, "\(error)")
            #expect(error.message.contains(named) && error.message.contains(advice), "\(error)")
            #expect(error.location.line == 1)
        }
    }

    @Test("The detected encoding: byte-order marks, the <?xml pattern, and the declaration agreeing")
    func detection() {
        func detect(_ bytes: [UInt8]) -> ExportEncoding? {
            bytes.withUnsafeBufferPointer { try? ExportEncoding.detect($0).get() }
        }
        #expect(detect(Array("<export/>".utf8)) == .utf8)
        #expect(detect(Array(#"<?xml version="1.0" encoding="utf-8"?>"#.utf8)) == .utf8, "names are not case-sensitive")
        #expect(detect(Array("<?xml-stylesheet href='a' encoding='x'?><e/>".utf8)) == .utf8, "a PI named xml-... is no declaration")
        #expect(detect(Encoded.bytes(Minimal.export(), .utf16LE)) == .utf16LE)
        #expect(detect(Encoded.bytes(Minimal.export(), .utf16BEBOM)) == .utf16BE)
        #expect(detect([0xFF, 0xFE] + Array(#"<?xml version="1.0" encoding="UTF-16LE"?>"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) == .utf16LE)
        #expect(detect([]) == .utf8)
        #expect(
            (Array(#"<?xml version="encoding" encoding="ISO-8859-1"?>"#.utf8).withUnsafeBufferPointer { try? ExportEncoding.detect($0).get() }) == nil,
            "'encoding' inside another value is not the declaration's encoding")
    }
}

@Suite("TagScanner: the raw attribute count follows the XML grammar, in every chunking")
struct TagScannerTests {
    /// The offset of the first over-limit '=' scanning `bytes` in chunks of `size`, or nil.
    static func scan(_ bytes: [UInt8], encoding: ExportEncoding, limit: Int = 3, size: Int) -> Int? {
        var scanner = TagScanner(limit: limit, encoding: encoding)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            let found = bytes[start..<end].withUnsafeBufferPointer { scanner.scan($0) }
            if let found { return start + found }
            start = end
        }
        return nil
    }

    static func encode(_ text: String, _ encoding: ExportEncoding) -> [UInt8] {
        switch encoding {
        case .utf8: Array(text.utf8)
        case .utf16LE: text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16BE: text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        }
    }

    static let cases: [(String, Bool)] = [
        (#"<a b="1" c="2" d="3"/>"#, false),
        (#"<a b="1" c="2" d="3" e="4"/>"#, true),
        (#"<a b=">" c='"' d="="/><a e="1"/>"#, false),
        (#"<r><!--> <a b=1 c=2 d=3 e=4> --></r>"#, false),
        (#"<r><!---> <a b=1 c=2 d=3 e=4> --></r>"#, false),
        (#"<r><!----><a b="1" c="2" d="3" e="4"/></r>"#, true),
        (#"<r><!-- a -- > --><a b="1" c="2" d="3" e="4"/></r>"#, true),
        (#"<r><![CDATA[<a b=c d=e f=g h=i>]]></r>"#, false),
        (#"<r><![CDATA[]]><a b="1" c="2" d="3" e="4"/></r>"#, true),
        (#"<r><?p <a b=1 c=2 d=3 e=4> ?></r>"#, false),
        (#"<r><?>x <a b=1 c=2 d=3 e=4> ?></r>"#, false),
        (#"<r><?p?><a b="1" c="2" d="3" e="4"/></r>"#, true),
        ("<r>\u{43C}\u{222}<a b=\"\u{222}\" c=\"\u{3C3C}\" d=\"3\" e=\"4\"/></r>", true),
        ("<r>\u{43C}= \u{3C3D}= \u{1F600}= \u{3D3D}=</r>", false),
        (#"<r></a b=1 c=2 d=3 e=4></r>"#, false),
    ]

    @Test("Each case gives the same answer in every encoding and chunk size", arguments: Array(cases.indices))
    func grammar(index: Int) {
        let (text, over) = Self.cases[index]
        for encoding in [ExportEncoding.utf8, .utf16LE, .utf16BE] {
            let bytes = Self.encode(text, encoding)
            let whole = Self.scan(bytes, encoding: encoding, size: bytes.count)
            #expect((whole != nil) == over, "\(text) in \(encoding)")
            for size in [1, 2, 3, 5, 7] {
                #expect(Self.scan(bytes, encoding: encoding, size: size) == whole, "\(text) in \(encoding), chunks of \(size)")
            }
        }
    }

    @Test("The offset found is the '=' over the limit, and the tag's start is kept")
    func offsets() {
        let text = #"<r><a b="1" c="2" d="3" e="4"/></r>"#
        for encoding in [ExportEncoding.utf8, .utf16LE, .utf16BE] {
            let bytes = Self.encode(text, encoding)
            var scanner = TagScanner(limit: 3, encoding: encoding)
            let found = bytes.withUnsafeBufferPointer { scanner.scan($0) }
            let width = encoding.unitWidth
            #expect(found == Array(text.utf16).firstIndex(of: 0x65).map { ($0 + 1) * width })
            #expect(scanner.tagStart == 3 * width)
        }
    }

    /// A well-formed document built from `recipe` (each number picks a fragment and its details):
    /// start tags with attributes whose values hold '>', '=', quotes and units with markup bytes,
    /// comments (including the starts `<!-->` and `<!--->`), CDATA sections and instructions
    /// holding tag look-alikes, and text; with the most attributes any one tag has.
    static func document(_ recipe: [Int]) -> (text: String, most: Int) {
        let values = ["1", ">", "=", "\u{222}", "'", "\u{3C3C}", "\u{43C}=", "a b=c"]
        let texts = ["a", "=", "\u{43C}", "\u{222}", "\u{3C3D}", "&lt;x y=1&gt;", "\u{1F600}", " ", "\n", ">"]
        let commentParts = ["a", "=", "<x y=1 z=2>", ">", " ", "a-b", "\u{43C}"]
        let cdataParts = ["<a b=c d=e>", "=", "] ", "a", ">", "\u{222}"]
        let instructionParts = ["a=1", "<x y=1 z=2>", "? ", " ", ">", "\u{3C3C}"]
        var text = "<r>"
        var most = 0
        for number in recipe {
            let detail = number / 5
            func parts(_ pool: [String], _ count: Int) -> String {
                (0..<count).map { pool[(detail / (($0 + 1) * 3) + $0 * 7) % pool.count] }.joined()
            }
            switch number % 5 {
            case 0:
                let count = detail % 7
                most = max(most, count)
                text += "<e" + (0..<count).map { " a\($0)=\"\(values[(detail + $0) % values.count])\"" }.joined() + "/>"
            case 1: text += ["<!--", "<!-->", "<!--->"][detail % 3] + parts(commentParts, detail % 5) + "-->"
            case 2: text += "<![CDATA[" + parts(cdataParts, detail % 5) + "]]>"
            case 3: text += "<?p " + parts(instructionParts, detail % 5) + "?>"
            default: text += parts(texts, 1 + detail % 4)
            }
        }
        return (text + "</r>", most)
    }

    @Test("On random well-formed documents the scanner refuses exactly the tags over the limit, in every encoding and chunking")
    func randomDocuments() async {
        let recipes = Gen<Int>.value(in: 0...10_000).array(of: 1...30)
        let sizes = Gen<Int>.value(in: 1...9)
        await propertyCheck(count: 300, input: zip(recipes, sizes)) { recipe, size in
            let (text, most) = Self.document(recipe)
            for encoding in [ExportEncoding.utf8, .utf16LE, .utf16BE] {
                let bytes = Self.encode(text, encoding)
                #expect(Self.scan(bytes, encoding: encoding, limit: most, size: size) == nil, "\(text)")
                if most > 0 {
                    #expect(Self.scan(bytes, encoding: encoding, limit: most - 1, size: size) != nil, "\(text)")
                }
            }
        }
    }
}

@Suite("Every fixture reads the same in UTF-8 and in UTF-16")
struct EncodingDifferentialTests {
    /// The fixtures in UTF-8 (declared or not), as text.
    static let fixtures: [String] = {
        ["Fixtures/exports", "Fixtures/malformed"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: Repository.path(folder))) ?? [])
                .filter { $0.hasSuffix(".xml") }.sorted().map { "\(folder)/\($0)" }
        }
        .filter { path in
            guard let data = FileManager.default.contents(atPath: Repository.path(path)), let text = String(data: data, encoding: .utf8) else { return false }
            // A file that is not XML at all (it does not start with markup) has no encoding to agree on:
            // its message quotes its first bytes, which differ in UTF-16.
            guard text.drop(while: \.isWhitespace).first == "<" else { return false }
            return !text.prefix(100).contains("encoding=") || text.prefix(100).contains(#"encoding="UTF-8""#)
        }
    }()

    /// Items, warnings and the error of reading `bytes`.
    static func outcome(_ bytes: [UInt8]) -> PipelineTests.Outcome {
        var outcome = PipelineTests.Outcome()
        do {
            let stream = try ExportReader().stream(bytes: bytes, name: "fixture.xml")
            do {
                while let item = try stream.next() { outcome.items.append(item) }
            } catch {
                outcome.error = error
            }
            outcome.warnings = stream.warnings
        } catch {
            outcome.error = error
        }
        return outcome
    }

    @Test("Items, warnings and errors (message, line, column, path) are equal", arguments: fixtures)
    func same(path: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Repository.path(path)))
        let text = try #require(String(data: data, encoding: .utf8))
        let utf8 = Self.outcome(Array(text.utf8))
        #expect(utf8.error?.code != .encoding, "\(path) is read as UTF-8")
        for form in [Encoded.Form.utf16LEBOM, .utf16BE] {
            #expect(Self.outcome(Encoded.bytes(text, form)) == utf8, "\(path) in \(form)")
        }
    }
}
