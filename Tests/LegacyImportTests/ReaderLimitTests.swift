import LegacyImport
import PurchaseActions
import Testing

@Suite("Reader limits: namespaces, names, and where each limit error points")
struct ReaderLimitTests {
    /// An action set holding `count` extension elements, the i-th made by `element`.
    static func export(_ count: Int, _ element: (Int) -> String) -> String {
        Minimal.export(actionSets: #"<action-set id="as-2" name="N">\#((0..<count).map(element).joined(separator: "\n"))</action-set>"#)
    }

    @Test("Distinct namespace URIs: the limit is accepted, one more is refused where it is declared")
    func namespaces() throws {
        // The export namespace is the first; `count` more.
        let at = Self.export(63) { #"<x:e xmlns:x="urn:n:\#($0)"/>"# }
        #expect(Repository.error(at) == nil)
        let over = Self.export(64) { #"<x:e xmlns:x="urn:n:\#($0)"/>"# }
        let error = try #require(Repository.error(over))
        #expect(error.code == .limitExceeded)
        #expect(error.message.contains("over the limit of 64 distinct namespace URIs"), "\(error)")
        #expect(error.location.path == "/export/action-sets/action-set[@id='as-2']" && error.location.column != nil, "\(error)")
        #expect(error.location.line == over.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("urn:n:63") }.map { $0 + 1 })
        // The same URI declared again and again is one namespace.
        #expect(Repository.error(Self.export(500) { _ in #"<x:e xmlns:x="urn:same"/>"# }) == nil)
        #expect(Repository.error(over, limits: ExportLimits(maxNamespaces: 65)) == nil)
    }

    @Test("A namespace URI of the limit's bytes is accepted, one byte more is refused")
    func namespaceBytes() throws {
        let prefix = "urn:long:"
        func export(_ bytes: Int) -> String {
            Minimal.export(actionSets: #"<action-set id="as-2" name="N"><x:e xmlns:x="\#(prefix + String(repeating: "a", count: bytes - prefix.count))"/></action-set>"#)
        }
        #expect(Repository.error(export(2048)) == nil)
        let error = try #require(Repository.error(export(2049)))
        #expect(error.code == .limitExceeded && error.message.contains("namespace URI of more than 2048 bytes"), "\(error)")
        #expect(error.location.column != nil)
        // 3 MiB was accepted before: the text limit never saw it.
        #expect(Repository.error(export(3 << 20))?.code == .limitExceeded)
        #expect(Repository.error(export(2049), limits: ExportLimits(maxNamespaceBytes: 2049)) == nil)
    }

    @Test("Distinct names (elements, attributes, prefixes, instruction targets) are bounded", arguments: [
        "element", "attribute", "prefix", "instruction",
    ])
    func names(kind: String) throws {
        func element(_ index: Int) -> String {
            switch kind {
            case "element": #"<x:e\#(index) xmlns:x="urn:x"/>"#
            case "attribute": #"<x:e xmlns:x="urn:x" x:a\#(index)="1"/>"#
            case "prefix": #"<p\#(index):e xmlns:p\#(index)="urn:x"/>"#
            default: #"<?t\#(index) data?>"#
            }
        }
        let limits = ExportLimits(maxNames: 300)
        #expect(Repository.error(Self.export(150, element), limits: limits) == nil)
        let error = try #require(Repository.error(Self.export(400, element), limits: limits))
        #expect(error.code == .limitExceeded && error.message.contains("over the limit of 300 names"), "\(error)")
        #expect(error.location.path.hasPrefix("/export/action-sets") && error.location.column != nil, "\(error)")
    }

    @Test("The default limits")
    func defaults() {
        #expect(ExportLimits.default.maxNamespaces == 64)
        #expect(ExportLimits.default.maxNamespaceBytes == 2048)
        #expect(ExportLimits.default.maxNames == 10_000)
    }

    @Test("The document-size error says at which byte the limit was passed, with a line, column and path")
    func documentSize() throws {
        let xml = Minimal.export()
        let bytes = Array(xml.utf8)
        let limit = bytes.count - 40
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxDocumentBytes: limit)))
        #expect(error.message.contains("document size exceeds the limit of \(limit) bytes: byte \(limit + 1) is past it"), "\(error)")
        let line = bytes[..<limit].filter { $0 == 0x0A }.count + 1
        // Where the parser stopped: at most the token before the limit.
        #expect(error.location.line == line || error.location.line == line - 1, "\(error), limit on line \(line)")
        #expect(error.location.column != nil && error.location.path.hasPrefix("/export"), "\(error)")
        // An error before the limit comes first.
        let broken = xml.replacing("<sequences>", with: "<sequences><x>")
        #expect(Repository.error(broken, limits: ExportLimits(maxDocumentBytes: limit))?.code == .notWellFormed)
    }

    @Test("The text-limit error has a column and the element's path")
    func textLocation() throws {
        let body = String(repeating: "a", count: 300)
        let xml = Minimal.export(catalogue: #"<letter-template id="l" name="L"><body>\#(body)</body></letter-template>"#)
        let error = try #require(Repository.error(xml, limits: ExportLimits(maxTextBytes: 299)))
        #expect(error.location.column != nil, "\(error)")
        #expect(error.location.path == "/export/catalogue/letter-template[@id='l']/body", "\(error)")
    }

    @Test("A character reference to a character XML forbids is named so, with its location", arguments: ["&#0;", "&#x1;", "&#xFFFE;"])
    func forbiddenReference(reference: String) throws {
        let xml = Minimal.export(catalogue: #"<tag id="t2" name="x\#(reference)"/>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.code == .notWellFormed, "\(error)")
        #expect(error.message.contains("a character reference to U+") && error.message.contains("XML forbids"), "\(error)")
        #expect(!error.message.contains("encoding"), "\(error)")
        #expect(error.location.line == 11 && error.location.column != nil)
    }

    @Test("A raw control character is named as a character XML forbids, not an encoding error")
    func forbiddenCharacter() throws {
        let xml = Minimal.export(catalogue: "<letter-template id=\"l\" name=\"L\"><body>a\u{1}b</body></letter-template>")
        let error = try #require(Repository.error(xml))
        #expect(error.code == .notWellFormed && error.message.contains("U+0001"), "\(error)")
    }
}
