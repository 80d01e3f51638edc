import LegacyImport
import PurchaseActionsCore
import Testing

/// Files that are not XML, or XML with no element, say so instead of libxml2's "Document is empty" or
/// "Extra content at the end of the document".
@Suite("Files that are not an XML export")
struct NotAnExportTests {
    static func error(_ bytes: [UInt8]) -> ImportError? {
        do {
            _ = try ExportReader().read(bytes: bytes, name: "x.xml")
            return nil
        } catch {
            return error
        }
    }

    static func utf16LE(_ text: String) -> [UInt8] { text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    @Test("Text, JSON, and UTF-8 after a UTF-16 byte-order mark: no root element, with the first bytes", arguments: [
        Array("hello world\n".utf8), Array(#"{"a":1}"#.utf8), [0xFF, 0xFE] + Array("<export/>".utf8), Array("  \n x<export/>".utf8),
    ])
    func notMarkup(bytes: [UInt8]) throws {
        let error = try #require(Self.error(bytes))
        #expect(error.code == .notWellFormed && error.message.hasPrefix("not an XML export: no root element <export>"), "\(error)")
        #expect(error.message.contains("starts with the bytes"), "\(error)")
        #expect(!error.message.contains("Document is empty"))
    }

    static let withoutElement: [[UInt8]] = {
        let declaration: [UInt8] = Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8) + [0x0A]
        let declaration16: [UInt8] = [0xFF, 0xFE] + utf16LE(#"<?xml version="1.0" encoding="UTF-16"?>"#)
        let bom8: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bom16: [UInt8] = [0xFF, 0xFE]
        return [Array("  \n\n".utf8), Array("<!-- nothing -->\n".utf8), declaration, bom8, bom16, declaration16, Array("<?pi x?>".utf8)]
    }()

    @Test("White space, a comment, a declaration or a byte-order mark alone: no root element", arguments: withoutElement)
    func noElement(bytes: [UInt8]) throws {
        let error = try #require(Self.error(bytes))
        #expect(error.code == .notWellFormed && error.message.hasPrefix("not an XML export: no root element <export>"), "\(error)")
        #expect(!error.message.contains("Extra content"), "\(error)")
    }

    @Test("Content after </export> is still libxml2's extra content")
    func extraContent() throws {
        let error = try #require(Self.error(Array((Minimal.export() + "<more/>").utf8)))
        #expect(error.message.contains("Extra content"), "\(error)")
    }

    @Test("UTF-7 and GB18030 byte-order marks and EBCDIC without a declaration are named", arguments: [
        ([0x2B, 0x2F, 0x76, 0x38] + Array("<export/>".utf8), "UTF-7"),
        ([0x84, 0x31, 0x95, 0x33] + Array("<export/>".utf8), "GB18030"),
        ([0x4C, 0x85, 0xA7, 0x97, 0x96, 0x99, 0xA3, 0x61, 0x6E], "EBCDIC"),
    ])
    func otherEncodings(bytes: [UInt8], name: String) throws {
        let error = try #require(Self.error(bytes))
        #expect(error.code == .encoding && error.message.contains("the export is in \(name)"), "\(error)")
    }

    @Test("An empty encoding declaration is called empty", arguments: [#"encoding="""#, #"encoding=''"#])
    func emptyEncoding(declaration: String) throws {
        let error = try #require(Self.error(Array(#"<?xml version="1.0" \#(declaration)?><export/>"#.utf8)))
        #expect(error.code == .encoding && error.message.contains("the encoding declaration is empty"), "\(error)")
        #expect(!error.message.contains("iconv -f  -t"), "\(error)")
    }
}

/// Bytes that are not valid in the document's encoding are an encoding error, not a forbidden character.
@Suite("Invalid bytes are encoding errors")
struct InvalidBytesTests {
    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test("A lone low surrogate in UTF-16, either byte order", arguments: [false, true])
    func loneLowSurrogate(bigEndian: Bool) throws {
        let xml = Minimal.export(actionSets: #"<action-set id="as-2" name="N">SURROGATE</action-set>"#)
            .replacing(#"encoding="UTF-8""#, with: #"encoding="UTF-16""#)
        let parts = xml.split(separator: "SURROGATE", omittingEmptySubsequences: false).map(String.init)
        let low: [UInt8] = bigEndian ? [0xDC, 0x00] : [0x00, 0xDC]
        let bytes = (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) + Self.utf16(parts[0], bigEndian: bigEndian) + low + Self.utf16(parts[1], bigEndian: bigEndian)
        let error = try #require(NotAnExportTests.error(bytes))
        #expect(error.code == .encoding && error.message.contains("not valid in the document's encoding"), "\(error)")
        #expect(error.location.line == 18, "\(error)")
    }

    @Test("UTF-8 for a surrogate (ED A0 80) or past U+10FFFF (F4 90 80 80)", arguments: [[0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func utf8(sequence: [UInt8]) throws {
        let parts = Minimal.export(actionSets: #"<action-set id="as-2" name="N">X</action-set>"#).split(separator: "N\">X", omittingEmptySubsequences: false)
        let bytes = Array(parts[0].utf8) + Array("N\">".utf8) + sequence + Array(parts[1].utf8)
        let error = try #require(NotAnExportTests.error(bytes))
        #expect(error.code == .encoding && !error.message.contains("XML forbids"), "\(error)")
    }

    @Test("A character reference to a surrogate is still a forbidden character")
    func characterReference() throws {
        let error = try #require(Repository.error(Minimal.export(actionSets: #"<action-set id="as-2" name="N">&#xD800;</action-set>"#)))
        #expect(error.code == .notWellFormed && error.message.contains("XML forbids"), "\(error)")
    }
}
