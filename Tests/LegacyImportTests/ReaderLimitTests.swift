import LegacyImport
import PurchaseActionsCore
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
        // Extreme limits neither trap nor misbehave.
        #expect(Repository.error(export(2049), limits: ExportLimits(maxNamespaceBytes: .max)) == nil)
        #expect(Repository.error(export(2049), limits: ExportLimits(maxNamespaceBytes: 0))?.code == .limitExceeded)
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
        /// The smallest limit that reads the document.
        func threshold(_ xml: String) -> Int {
            var (low, high) = (1, 1000)
            while low < high {
                let middle = (low + high) / 2
                if Repository.error(xml, limits: ExportLimits(maxNames: middle)) == nil { high = middle } else { low = middle + 1 }
            }
            return low
        }
        // Each new name counts once, exactly at the limit: one past it is refused.
        let one = threshold(Self.export(1, element))
        let many = threshold(Self.export(150, element))
        #expect(many == one + 149, "\(one) \(many)")
        #expect(Repository.error(Self.export(150, element), limits: ExportLimits(maxNames: many - 1))?.code == .limitExceeded)
        let limits = ExportLimits(maxNames: 300)
        #expect(Repository.error(Self.export(150, element), limits: limits) == nil)
        let error = try #require(Repository.error(Self.export(400, element), limits: limits))
        #expect(error.code == .limitExceeded && error.message.contains("over the limit of 300 names"), "\(error)")
        #expect(error.location.path.hasPrefix("/export/action-sets") && error.location.column != nil, "\(error)")
    }

    @Test("Namespace declarations in scope at once: the limit is accepted, one more refused; siblings' go out of scope")
    func namespacesInScope() throws {
        func declarations(_ tag: Int, _ count: Int) -> String {
            (0..<count).map { #"xmlns:p\#(tag)x\#($0)="urn:same""# }.joined(separator: " ")
        }
        func nested(_ last: Int) -> String {
            // <export xmlns=...> declares one; 31 + 31 + last more.
            Minimal.export(actionSets: #"<action-set id="as-2" name="N"><p1x0:w \#(declarations(1, 31))><p2x0:w \#(declarations(2, 31))><p3x0:w \#(declarations(3, last))/></p2x0:w></p1x0:w></action-set>"#)
        }
        #expect(Repository.error(nested(1)) == nil)
        let error = try #require(Repository.error(nested(2)))
        #expect(error.code == .limitExceeded && error.message.contains("namespace declarations in scope to 65, over the limit of 64"), "\(error)")
        #expect(error.location.path.hasSuffix("/p2x0:w") || error.location.path.hasSuffix("/w"), "\(error)")
        #expect(Repository.error(nested(2), limits: ExportLimits(maxNamespacesInScope: 65)) == nil)
        let siblings = Minimal.export(actionSets: #"<action-set id="as-2" name="N">\#((0..<100).map { "<p\($0)x0:w \(declarations($0, 31))/>" }.joined())</action-set>"#)
        #expect(Repository.error(siblings) == nil)
    }

    @Test("The default limits")
    func defaults() {
        #expect(ExportLimits.default.maxNamespaces == 64)
        #expect(ExportLimits.default.maxNamespaceBytes == 2048)
        #expect(ExportLimits.default.maxNames == 10_000)
        #expect(ExportLimits.default.maxNamespacesInScope == 64)
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

    @Test("Markup longer than libxml2's 10,000,000-byte bound is named, not 'internal error: Huge input lookup'", arguments: [
        "<!-- ", "<![CDATA[", "<?p ", "<x:v xmlns:x=\"urn:x\" x:a=\"",
    ])
    func hugeMarkup(opening: String) throws {
        let closing = ["<!-- ": " -->", "<![CDATA[": "]]>", "<?p ": "?>"][opening] ?? "\"/>"
        let holder = opening == "<![CDATA[" ? ("<x:n xmlns:x=\"urn:x\">", "</x:n>") : ("", "")
        let parts = Minimal.export(actionSets: #"<action-set id="as-2" name="N">\#(holder.0)\#(opening)HUGE\#(closing)\#(holder.1)</action-set>"#)
            .split(separator: "HUGE")
        let bytes = Array(parts[0].utf8) + [UInt8](repeating: UInt8(ascii: "v"), count: 10_500_000) + Array(parts[1].utf8)
        let error = try #require(Encoded.error(bytes))
        #expect(error.code == .notWellFormed && error.message.contains("longer than 10,000,000 bytes"), "\(error)")
        #expect(!error.message.contains("internal error"))
    }

    @Test("A document cut off inside a start tag says so, at the tag, in UTF-8 and UTF-16", arguments: [
        "<billing-au", "<billing-automation id=\"x", "<billing-automation id='x' ", "<",
    ])
    func cutOffInTag(ending: String) throws {
        let whole = Minimal.export()
        let cut = String(whole[..<whole.firstRange(of: "<billing-automation>")!.lowerBound]) + ending
        for form in [Encoded.Form.utf8, .utf16LEBOM, .utf16BE] {
            let error = try #require(Encoded.error(Encoded.bytes(cut, form)))
            #expect(error.code == .notWellFormed && error.message.contains("ends inside a start tag"), "\(error)")
            #expect(error.location.line == cut.split(separator: "\n", omittingEmptySubsequences: false).count && error.location.column == 3, "\(error)")
        }
    }

    @Test("A raw control character is named as a character XML forbids, not an encoding error")
    func forbiddenCharacter() throws {
        let xml = Minimal.export(catalogue: "<letter-template id=\"l\" name=\"L\"><body>a\u{1}b</body></letter-template>")
        let error = try #require(Repository.error(xml))
        #expect(error.code == .notWellFormed && error.message.contains("U+0001"), "\(error)")
    }
}
