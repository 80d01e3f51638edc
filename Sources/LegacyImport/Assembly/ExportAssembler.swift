import PurchaseActions

/// Turns the parser's element events into model values, one unit (account, catalogue entry, sequence,
/// action set, slot, billing rule) at a time, and checks order, limits and references as it goes.
final class ExportAssembler {
    /// The sections of an export, in their fixed order.
    static let sections = ["account", "catalogue", "sequences", "action-sets", "purchase-actions", "billing-automation"]
    static let xincludeNamespaces: Set<String> = ["http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"]

    let file: String
    let limits: ExportLimits
    // Properties marked `@exclusivity(unchecked)` are touched on every element; the assembler runs on
    // one thread inside the parser's callbacks and never holds two accesses to one of them at once,
    // so the run-time exclusivity check (about a tenth of the reader's time) is skipped for them.

    /// Items ready to hand out, oldest first; `nil` once handed out.
    @exclusivity(unchecked) private var ready: [ExportItem?] = []
    @exclusivity(unchecked) private var readyHead = 0
    private(set) var warnings: [ImportWarning] = []
    var catalogue = Catalogue()
    /// Reference checks against the catalogue, made once the catalogue is complete.
    var references = CatalogueReferences(catalogue: Catalogue())
    @exclusivity(unchecked) var index = ReferenceIndex()
    /// Set once the closing `</export>` was read and every check passed.
    private(set) var isComplete = false

    /// Elements outside units: the export and its sections.
    private let outerArena = NodeArena()
    /// Elements of the unit being read.
    private let unitArena = NodeArena()
    /// Every open element, outermost first; paths are built from it only when a location is needed.
    @exclusivity(unchecked) private var openPath: [XMLNode] = []
    /// Open elements of the unit being read; empty between units.
    @exclusivity(unchecked) private var openNodes: [XMLNode] = []
    /// The next section expected (index into ``sections``).
    private var nextSection = 0
    /// The section being read, or nil between sections.
    private(set) var section: String?
    /// Lines of the slots read so far, by key.
    var slotLines: [String: Int] = [:]
    /// Bytes of the current run of text.
    @exclusivity(unchecked) private var textRun = 0
    /// The parser's current line and column, for errors found between elements.
    var position: () -> (line: Int, column: Int) = { (0, 0) }

    init(file: String, limits: ExportLimits) {
        self.file = file
        self.limits = limits
    }

    var depth: Int { openPath.count }

    var isBetweenUnits: Bool { openNodes.isEmpty }

    /// The location of the element at the top of the path, at a line and column.
    func location(line: Int, column: Int? = nil) -> SourceLocation {
        let path = openPath.isEmpty ? "" : "/" + openPath.map(\.pathStep).joined(separator: "/")
        return SourceLocation(file: file, path: path, line: line, column: column)
    }

    /// The most warnings kept; the rest are only counted, so memory stays bounded.
    static let maxWarnings = 1000
    /// Warnings past ``maxWarnings``.
    private(set) var uncountedWarnings = 0

    func warn(_ message: String, at location: SourceLocation) {
        guard warnings.count < Self.maxWarnings else {
            uncountedWarnings += 1
            return
        }
        warnings.append(ImportWarning(message, at: location))
    }

    func emit(_ item: ExportItem) { ready.append(item) }

    /// The oldest item not yet handed out, moved out of the queue.
    func takeReady() -> ExportItem? {
        guard readyHead < ready.count else {
            if !ready.isEmpty {
                ready.removeAll(keepingCapacity: true)
                readyHead = 0
            }
            return nil
        }
        let item = ready[readyHead].take()
        readyHead += 1
        return item
    }

    // MARK: Parser events (called by SAXParser)

    func startElement(
        name: String, namespace: String?, role: ElementRole, attributes: [XMLNode.Attribute], line: Int, column: Int
    ) -> ImportError? {
        textRun = 0
        // The export and its sections live in their own arena; a unit's elements in the unit arena,
        // emptied when the next unit starts (the previous one was read and handed out by then).
        let arena: NodeArena
        if !openNodes.isEmpty {
            arena = unitArena
        } else if depth == 0 || (depth == 1 && role.contains(.ours) && name != "account" && Self.sections.contains(name)) {
            arena = outerArena
        } else {
            unitArena.reset()
            arena = unitArena
        }
        let node = arena.add(name: name, namespace: namespace, role: role, attributes: attributes, line: line, column: column)
        openPath.append(node)
        if let error = checkLimits(node) { return error }
        if !role.contains(.ours), let namespace, Self.xincludeNamespaces.contains(namespace) {
            return ImportError(
                .xinclude, "xinclude is never processed: <\(name)> in the XInclude namespace is refused; paste the content in instead",
                at: location(line: line, column: column))
        }
        if let parent = openNodes.last {
            unitArena.append(node, to: parent)
            openNodes.append(node)
            return nil
        }
        switch depth {
        case 1: return startExport(node)
        case 2: return startSection(node)
        default:
            if section == nil {
                return ImportError(.unexpectedElement, "unexpected element <\(name)> outside a section", at: location(line: line, column: column))
            }
            openNodes.append(node)
            return nil
        }
    }

    func endElement() -> ImportError? {
        textRun = 0
        defer { openPath.removeLast() }
        if let node = openNodes.popLast() {
            guard openNodes.isEmpty else { return nil }
            do throws(ImportError) {
                if depth == 2 { try finishTopLevel(node) } else { try finishUnit(node) }
            } catch { return error }
            return nil
        }
        do throws(ImportError) {
            if depth == 2 { try finishSection() } else if depth == 1 { try finishDocument() }
        } catch { return error }
        return nil
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> ImportError? {
        textRun += bytes.count
        if textRun > limits.maxTextBytes {
            return ImportError(
                .limitExceeded,
                "text of more than \(limits.maxTextBytes) bytes exceeds the text limit (raise it with --max-text-bytes)",
                at: location(line: position().line))
        }
        guard let node = openNodes.last else { return nil }
        if !TextElements.holdsText(node) {
            if bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) {
                if node.text.isEmpty { node.text = "x" }  // marks stray text; reported when the element is read
            }
            return nil
        }
        node.appendText(String(decoding: bytes, as: UTF8.self))
        return nil
    }

    func doctype(name: String, line: Int, column: Int) -> ImportError {
        ImportError(
            .doctype,
            "a doctype (<!DOCTYPE \(name) ...>) is not allowed: exports never use DTDs or entities, and none is ever processed; remove it",
            at: SourceLocation(file: file, path: "", line: line, column: column))
    }

    func parserError(message: String, isEncoding: Bool, line: Int, column: Int) -> ImportError {
        let message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        let at = location(line: line, column: column > 0 ? column : nil)
        if isEncoding {
            return ImportError(.encoding, "encoding error: \(message); save the file as UTF-8 or declare its encoding", at: at)
        }
        return ImportError(.notWellFormed, "not well-formed XML: \(message)", at: at)
    }

    func schemaError(message: String, line: Int, column: Int) -> ImportError {
        // Names read better without our namespace spelled out in every one of them.
        let text = message.replacing("{\(SAXParser.exportNamespace)}", with: "")
        return ImportError(
            .schema, "does not match the schema (Docs/export-format.xsd): \(text)",
            at: location(line: line, column: column > 0 ? column : position().column))
    }

    // MARK: Structure

    private func checkLimits(_ node: XMLNode) -> ImportError? {
        func error(_ message: String) -> ImportError {
            ImportError(.limitExceeded, message, at: location(line: node.line, column: node.column))
        }
        if depth > limits.maxDepth {
            return error("element depth \(depth) exceeds the depth limit of \(limits.maxDepth) (raise it with --max-depth)")
        }
        if node.attributes.count > limits.maxAttributes {
            return error(
                "<\(node.name)> has \(node.attributes.count) attributes, over the limit of \(limits.maxAttributes) attributes (raise it with --max-attributes)")
        }
        for attribute in node.attributes where attribute.value.utf8.count > limits.maxTextBytes {
            return error(
                "attribute '\(attribute.name)' holds \(attribute.value.utf8.count) bytes, over the text limit of \(limits.maxTextBytes) (raise it with --max-text-bytes)")
        }
        return nil
    }

    private func startExport(_ node: XMLNode) -> ImportError? {
        let at = location(line: node.line, column: node.column)
        guard node.isOurs, node.name == "export" else {
            return ImportError(
                .unexpectedElement,
                "unexpected element <\(node.name)>: an export starts with <export xmlns=\"\(SAXParser.exportNamespace)\" version=\"1\">",
                at: at)
        }
        guard let version = node.attribute("version") else {
            return ImportError(.missingAttribute, "missing attribute 'version' on <export>: write version=\"1\"", at: at)
        }
        guard version == "1" else {
            return ImportError(.invalidValue, "invalid value version=\"\(version)\": this reader reads export format version 1", at: at)
        }
        return nil
    }

    private func startSection(_ node: XMLNode) -> ImportError? {
        guard node.isOurs else {
            openNodes.append(node)  // a top-level extension, read whole
            return nil
        }
        let at = location(line: node.line, column: node.column)
        guard let position = Self.sections.firstIndex(of: node.name) else {
            return ImportError(.unexpectedElement, "unexpected element <\(node.name)> in <export>: expected \(expectedSection)", at: at)
        }
        guard position == nextSection else {
            return ImportError(
                .unexpectedElement,
                "unexpected element <\(node.name)>: sections come in the order \(Self.sections.map { "<\($0)>" }.joined(separator: ", ")); expected \(expectedSection)",
                at: at)
        }
        nextSection += 1
        if node.name == "account" {
            openNodes.append(node)
        } else {
            section = node.name
        }
        return nil
    }

    private var expectedSection: String {
        nextSection < Self.sections.count ? "<\(Self.sections[nextSection])>" : "</export>"
    }

    private func finishTopLevel(_ node: XMLNode) throws(ImportError) {
        if node.isOurs {
            emit(.account(try readAccount(node)))
        } else {
            emit(.extension(opaque(node, parentPath: "/export")))
        }
    }

    private func finishSection() throws(ImportError) {
        switch section {
        case "catalogue":
            try checkCatalogue()
            emit(.catalogue(catalogue))
        case "sequences":
            try index.finishSequences()
        case "action-sets":
            try index.finishActionSets(file: file)
        default: break
        }
        section = nil
    }

    private func finishDocument() throws(ImportError) {
        guard nextSection == Self.sections.count else {
            throw ImportError(
                .unexpectedElement, "the export ends early: expected \(expectedSection) before </export>",
                at: location(line: position().line))
        }
        isComplete = true
    }
}

/// Which elements keep their text.
enum TextElements {
    /// Elements of the format whose content is text.
    static let names: Set<String> = ["html", "text", "description", "body", "script", "message"]

    /// Text elements, extensions and unknown elements of ours (kept whole as opaque parts) keep their
    /// text; the format's structural elements hold none.
    static func holdsText(_ node: XMLNode) -> Bool {
        !node.role.contains(.ours) || node.role.contains(.text) || !node.role.contains(.known)
    }
}
