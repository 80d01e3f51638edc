import PurchaseActionsCore

/// The producing half of the reader: takes the parser's element events, checks structure, order and
/// limits, gathers each unit (the account, a catalogue entry, a sequence, an action set, a slot, a
/// billing rule) as a tree of elements, and sends it on to the ``ExportAssembler``.
///
/// It may run on its own thread, so that parsing one part of a large export and building the model
/// of the part before it happen at once (see ``ExportStream``).
final class ExportStructure {
    /// The sections of an export, in their fixed order.
    static let sections = ["account", "catalogue", "sequences", "action-sets", "purchase-actions", "billing-automation"]
    static let xincludeNamespaces: Set<String> = ["http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"]

    let file: String
    let limits: ExportLimits
    // Properties marked `@exclusivity(unchecked)` are touched on every element, from one thread,
    // never with two accesses at once, so the run-time exclusivity check (about a tenth of the
    // reader's time) is skipped for them.

    /// Where finished units and section ends go; returning an error stops the parse.
    let send: (StructureEvent) -> ImportError?
    /// Arenas for unit trees, handed back by the assembler once a unit is read.
    private let arenas: ArenaPool
    /// Elements outside units: the export and its sections.
    private let outerArena = NodeArena()
    /// Elements of the unit being read.
    @exclusivity(unchecked) private var unitArena: NodeArena
    /// Every open element, outermost first; paths are built from it only when a location is needed.
    @exclusivity(unchecked) private var openPath: [XMLNode] = []
    /// Open elements of the unit being read; empty between units.
    @exclusivity(unchecked) private var openNodes: [XMLNode] = []
    /// For each open element of the unit, the bytes of the names on its path within the unit (its
    /// own included): an element kept whole holds its path, built from those names.
    @exclusivity(unchecked) private var openPathBytes: [Int] = []
    /// The next section expected (index into ``sections``).
    private var nextSection = 0
    /// The section being read, or nil between sections.
    private(set) var section: String? {
        didSet { isInCatalogue = section == "catalogue" }
    }
    /// Whether the section being read is the catalogue, whose units count towards its byte limit.
    @exclusivity(unchecked) private var isInCatalogue = false
    /// Bytes of the current run of text.
    @exclusivity(unchecked) private var textRun = 0
    /// Whether stray text in the element outside units now open was warned about.
    private var strayTextReported = false
    /// Bytes of text and attribute values held for the unit being read.
    @exclusivity(unchecked) private var unitBytes = 0
    /// What the attributes of the element just started hold (names, namespace URIs, values), and
    /// what its `id` adds to its path, as ``checkLimits(_:namespaceDeclarations:)`` found them.
    @exclusivity(unchecked) private var attributeBytes = 0
    @exclusivity(unchecked) private var attributeIDBytes = 0
    /// The UTF-8 bytes of the name of the element just started, and whether the format defines it.
    @exclusivity(unchecked) private var elementNameBytes = 0
    @exclusivity(unchecked) private var elementIsKnown = false
    /// Bytes of the catalogue held so far (``ExportLimits/maxCatalogueBytes``).
    @exclusivity(unchecked) private var catalogueBytes = 0
    /// Set once the root element started.
    private(set) var hasRoot = false
    /// Set once the closing `</export>` was read with every section present.
    private(set) var isComplete = false
    /// The parser's current line and column, for errors found between elements.
    var position: () -> (line: Int, column: Int) = { (0, 0) }

    init(file: String, limits: ExportLimits, arenas: ArenaPool, send: @escaping (StructureEvent) -> ImportError?) {
        self.file = file
        self.limits = limits
        self.arenas = arenas
        self.send = send
        unitArena = arenas.take()
    }

    var depth: Int { openPath.count }

    var isBetweenUnits: Bool { openNodes.isEmpty }

    /// The location of the element at the top of the path, at a line and column.
    func location(line: Int, column: Int? = nil) -> FileLocation {
        let path = openPath.isEmpty ? "" : "/" + openPath.map(\.pathStep).joined(separator: "/")
        return FileLocation(file: file, path: path, line: line, column: column)
    }

    // MARK: Parser events (called by SAXParser)

    /// The arena the next element goes to: the export and its sections live in their own arena, a
    /// unit's elements in the unit arena.
    func arena(forElementNamed name: String, role: ElementRole) -> NodeArena {
        if !openNodes.isEmpty { return unitArena }
        if depth == 0 || (depth == 1 && role.contains(.ours) && name != "account" && Self.sections.contains(name)) { return outerArena }
        return unitArena
    }

    /// An element started; its attributes are already in `arena` (from ``arena(forElementNamed:role:)``).
    func startElement(
        name: String, namespace: String?, role: ElementRole, in arena: NodeArena, attributeCount: Int, namespaceDeclarations: Int,
        line: Int, column: Int
    ) -> ImportError? {
        textRun = 0
        strayTextReported = false
        elementNameBytes = name.utf8.count
        elementIsKnown = role.contains(.known)
        let node = arena.add(name: name, namespace: namespace, role: role, attributeCount: attributeCount, line: line, column: column)
        openPath.append(node)
        if let error = checkLimits(node, namespaceDeclarations: namespaceDeclarations) { return error }
        if !role.contains(.ours), let namespace, Self.xincludeNamespaces.contains(namespace) {
            return ImportError(
                .xinclude, "xinclude is never processed: <\(name)> in the XInclude namespace is refused; paste the content in instead",
                at: location(line: line, column: column))
        }
        if let parent = openNodes.last {
            if parent.role.contains(.text), let error = checkMarkupInText(node, parent: parent) { return error }
            if unitArena.count > limits.maxUnitElements {
                return ImportError(
                    .limitExceeded,
                    "this unit has more than \(limits.maxUnitElements) elements, over the unit limit (raise it with --max-unit-elements); a unit is held whole while it is read",
                    at: location(line: line, column: column))
            }
            unitArena.append(node, to: parent)
            openNodes.append(node)
            return hold(node, parentPathBytes: openPathBytes.last ?? 0)
        }
        switch depth {
        case 1:
            hasRoot = true
            return startExport(node)
        case 2: return startSection(node)
        default:
            if section == nil {
                return ImportError(.unexpectedElement, "unexpected element <\(name)> outside a section", at: location(line: line, column: column))
            }
            return startUnit(node)
        }
    }

    /// The first element of a unit.
    private func startUnit(_ node: XMLNode) -> ImportError? {
        openNodes.append(node)
        openPathBytes.removeAll(keepingCapacity: true)
        unitBytes = 0
        return hold(node, parentPathBytes: 0)
    }

    /// Counts an element of the unit being read towards the byte limits: its name, its path within
    /// the unit (the names and ids of the elements it is in and its own), and its attributes' names,
    /// namespace URIs and values; in the catalogue, also what holding the element costs beyond those
    /// bytes.
    ///
    /// Running sums only: the element's name bytes and known-ness were noted by
    /// ``startElement(name:namespace:role:in:attributeCount:namespaceDeclarations:line:column:)``, its
    /// attributes by ``checkLimits(_:namespaceDeclarations:)``, and its path is its parent's plus its
    /// own step, so nothing is built or read back from the arena.
    @inline(__always)
    private func hold(_ node: XMLNode, parentPathBytes: Int) -> ImportError? {
        // Every addend is bounded by the input held in memory, so these sums cannot overflow.
        let nameBytes = elementNameBytes
        let pathBytes = parentPathBytes + 1 + nameBytes + attributeIDBytes
        openPathBytes.append(pathBytes)
        let bytes = attributeBytes + nameBytes + pathBytes
        unitBytes += bytes
        if unitBytes > limits.maxUnitBytes { return unitBytesError(line: node.line, column: node.column) }
        guard isInCatalogue else { return nil }
        catalogueBytes += bytes + (elementIsKnown ? ExportLimits.catalogueElementBytes : ExportLimits.catalogueExtensionElementBytes)
        if catalogueBytes > limits.maxCatalogueBytes { return catalogueBytesError(line: node.line, column: node.column) }
        return nil
    }

    /// Counts bytes held for the unit being read (and, in the catalogue, for the whole read).
    private func hold(bytes: Int, elementCost: Int, at place: @autoclosure () -> (line: Int, column: Int)) -> ImportError? {
        unitBytes += bytes
        if unitBytes > limits.maxUnitBytes { return unitBytesError(line: place().line, column: place().column) }
        guard isInCatalogue else { return nil }
        catalogueBytes += bytes + elementCost
        if catalogueBytes > limits.maxCatalogueBytes { return catalogueBytesError(line: place().line, column: place().column) }
        return nil
    }

    @inline(never)
    private func unitBytesError(line: Int, column: Int) -> ImportError {
        ImportError(
            .limitExceeded,
            "this unit holds more than \(limits.maxUnitBytes) bytes of text, names and attribute values, over the unit byte limit (raise it with --max-unit-bytes); a unit is held whole while it is read",
            at: location(line: line, column: column))
    }

    @inline(never)
    private func catalogueBytesError(line: Int, column: Int) -> ImportError {
        ImportError(
            .limitExceeded,
            "the catalogue holds more than \(limits.maxCatalogueBytes) bytes (text, names and attribute values, plus \(ExportLimits.catalogueElementBytes) bytes for each element of the format and \(ExportLimits.catalogueExtensionElementBytes) for each element kept whole), over the catalogue limit (raise it with --max-catalogue-bytes); the catalogue is held for the whole read",
            at: location(line: line, column: column))
    }

    func endElement() -> ImportError? {
        textRun = 0
        strayTextReported = false
        defer { openPath.removeLast() }
        if let node = openNodes.popLast() {
            openPathBytes.removeLast()
            guard openNodes.isEmpty else { return nil }
            let unit = UnitTree(arena: unitArena, root: node, section: section, isTopLevel: depth == 2)
            unitArena = arenas.take()  // the tree now belongs to the assembler, which gives it back
            return send(.unit(unit))
        }
        if depth == 2, let section {
            self.section = nil
            return send(.sectionEnd(section))
        }
        if depth == 1 { return finishDocument() }
        return nil
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> ImportError? {
        textRun += bytes.count
        if textRun > limits.maxTextBytes {
            return ImportError(
                .limitExceeded,
                "text of more than \(limits.maxTextBytes) bytes exceeds the text limit (raise it with --max-text-bytes)",
                at: location(line: position().line, column: position().column))
        }
        guard let node = openNodes.last else { return strayText(bytes) }
        // Text kept across child elements counts whole, so splitting it cannot get past the limit.
        if TextElements.holdsText(node), node.text.utf8.count + bytes.count > limits.maxTextBytes {
            return ImportError(
                .limitExceeded,
                "text of more than \(limits.maxTextBytes) bytes exceeds the text limit (raise it with --max-text-bytes)",
                at: location(line: position().line, column: position().column))
        }
        if !TextElements.holdsText(node) {
            if bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) {
                if node.text.isEmpty { node.text = "x" }  // marks stray text; reported when the element is read
            }
            return nil
        }
        if let error = hold(bytes: bytes.count, elementCost: 0, at: position()) { return error }
        node.appendText(String(decoding: bytes, as: UTF8.self))
        return nil
    }

    /// Text between units, in `<export>` or a section: warned about once per element, never silently
    /// dropped.
    private func strayText(_ bytes: UnsafeBufferPointer<UInt8>) -> ImportError? {
        guard let element = openPath.last, !strayTextReported,
            bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) })
        else { return nil }
        strayTextReported = true
        let (line, column) = position()
        return send(.strayText(element: element.name, at: location(line: line, column: column)))
    }

    func doctype(name: String, line: Int, column: Int) -> ImportError {
        ImportError(
            .doctype,
            "a doctype (<!DOCTYPE \(name) ...>) is not allowed: exports never use DTDs or entities, and none is ever processed; remove it",
            at: FileLocation(file: file, path: "", line: line, column: column))
    }

    /// The error for a document that ends with no root element: empty but for white space,
    /// comments, processing instructions, an XML declaration or a byte-order mark.
    func noRootElement(line: Int, column: Int) -> ImportError {
        ImportError(
            .notWellFormed,
            "not an XML export: no root element <export>: the file holds only white space, comments, processing instructions or an XML declaration; an export is <export xmlns=\"\(SAXParser.exportNamespace)\" version=\"1\"> ... </export>",
            at: FileLocation(file: file, path: "", line: line, column: column > 0 ? column : nil))
    }

    func parserError(message: String, isEncoding: Bool, line: Int, column: Int) -> ImportError {
        // A line break libxml2 quotes from the input is shown as `\n`, never as a space or a new line.
        let message = Self.shortened(message)
        let at = location(line: line, column: column > 0 ? column : nil)
        if isEncoding {
            return ImportError(.encoding, "encoding error: \(message); save the file as UTF-8 (exports are read in UTF-8 and UTF-16 only)", at: at)
        }
        return ImportError(.notWellFormed, "not well-formed XML: \(message)", at: at)
    }

    /// libxml2's message with what it quotes from the input shown as ``XMLNode/shown(_:)`` writes
    /// it: each part between single quotes (where libxml2 quotes values and names) and each word of
    /// more than 200 characters elsewhere (a name it quotes bare) at most 200 characters, and the
    /// text between quotes at most 2,000 (libxml2's own words, such as a list of expected elements).
    static func shortened(_ message: String) -> String {
        guard message.utf8.count > 200 else { return DisplayText.escape(message) }
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            if index % 2 == 1 { return XMLNode.shown(String(part)) }
            let words = part.split(separator: " ", omittingEmptySubsequences: false).map { XMLNode.shown(String($0)) }.joined(separator: " ")
            return words.unicodeScalars.count > 2_000 ? DisplayText.escape(words, maxScalars: 2_000) : words
        }.joined(separator: "'")
    }

    func schemaError(message: String, line: Int, column: Int) -> ImportError {
        // Names read better without our namespace spelled out in every one of them.
        let text = Self.shortened(message.replacing("{\(SAXParser.exportNamespace)}", with: ""))
        return ImportError(
            .schema, "does not match the schema (Docs/export-format.xsd): \(text)",
            at: location(line: line, column: column > 0 ? column : position().column))
    }

    // MARK: Structure

    private func checkLimits(_ node: XMLNode, namespaceDeclarations: Int) -> ImportError? {
        if depth > limits.maxDepth { return limitError(node, "element depth \(depth) exceeds the depth limit of \(limits.maxDepth) (raise it with --max-depth)") }
        let list = node.attributes
        // Namespace declarations (xmlns:...) count as attributes: they cost the parser the same.
        let attributes = list.count + namespaceDeclarations
        if attributes > limits.maxAttributes {
            return limitError(
                node, "<\(node.shownName)> has \(attributes) attributes, over the limit of \(limits.maxAttributes) attributes (raise it with --max-attributes)")
        }
        // One pass over the attributes checks each value against the text limit and adds up what
        // the element's attributes hold, for ``hold(_:parentPathBytes:)``. The attributes are read in
        // place through the arena's pointer, so no string is retained.
        var bytes = 0
        var idBytes = 0
        if let base = list.baseAddress {
            for position in 0..<list.count {
                let valueBytes = base[position].value.utf8.count
                if valueBytes > limits.maxTextBytes {
                    return limitError(
                        node,
                        "attribute '\(XMLNode.shown(base[position].name))' holds \(valueBytes) bytes, over the text limit of \(limits.maxTextBytes) (raise it with --max-text-bytes)")
                }
                let nameBytes = base[position].name.utf8.count
                bytes += nameBytes + valueBytes
                if let namespaceBytes = base[position].namespace?.utf8.count {
                    // Held with the attribute, and again in the key an element kept whole files it under.
                    bytes += namespaceBytes
                } else if nameBytes == 2, base[position].name == "id" {
                    idBytes = valueBytes + 8
                }
            }
        }
        attributeBytes = bytes
        attributeIDBytes = idBytes
        return nil
    }

    @inline(never)
    private func limitError(_ node: XMLNode, _ message: String) -> ImportError {
        ImportError(.limitExceeded, message, at: location(line: node.line, column: node.column))
    }

    /// Refuses an element inside a text-only element the format reads (`html`, `text`, `description`,
    /// `body`, `script`, `message`): only its text is read, so the element and its text would be lost.
    /// A text element inside an extension or unknown element is kept whole with it, markup and all.
    private func checkMarkupInText(_ node: XMLNode, parent: XMLNode) -> ImportError? {
        guard parent.role.contains(.text) else { return nil }
        if openNodes.count >= 2 {
            let holder = openNodes[openNodes.count - 2]
            guard holder.isOurs, holder.role.contains(.known) else { return nil }
        }
        return ImportError(
            .unexpectedElement,
            "markup inside <\(parent.shownName)>: <\(node.shownName)> is an element, and <\(parent.shownName)> holds text only, so it would be lost; escape it (&lt;\(node.shownName)&gt;) or wrap the text in <![CDATA[ ... ]]>",
            at: location(line: node.line, column: node.column))
    }

    private func startExport(_ node: XMLNode) -> ImportError? {
        let at = location(line: node.line, column: node.column)
        guard node.isOurs, node.name == "export" else {
            return ImportError(
                .unexpectedElement,
                "unexpected element <\(node.shownName)>: an export starts with <export xmlns=\"\(SAXParser.exportNamespace)\" version=\"1\">",
                at: at)
        }
        guard let version = node.attribute("version") else {
            return ImportError(.missingAttribute, "missing attribute 'version' on <export>: write version=\"1\"", at: at)
        }
        guard version == "1" else {
            return ImportError(.invalidValue, "invalid value version=\"\(XMLNode.shown(version))\": this reader reads export format version 1", at: at)
        }
        return reportAttributes(node, allowed: ["version"])
    }

    private func startSection(_ node: XMLNode) -> ImportError? {
        guard node.isOurs else {
            return startUnit(node)  // a top-level extension, read whole
        }
        let at = location(line: node.line, column: node.column)
        guard let position = Self.sections.firstIndex(of: node.name) else {
            return ImportError(.unexpectedElement, "unexpected element <\(node.shownName)> in <export>: expected \(expectedSection)", at: at)
        }
        guard position == nextSection else {
            return ImportError(
                .unexpectedElement,
                "unexpected element <\(node.shownName)>: sections come in the order \(Self.sections.map { "<\($0)>" }.joined(separator: ", ")); expected \(expectedSection)",
                at: at)
        }
        nextSection += 1
        if node.name == "account" { return startUnit(node) }
        section = node.name
        return reportAttributes(node, allowed: [])
    }

    /// Sends the attributes of `<export>` or a section element beyond `allowed` (extension
    /// attributes, and unqualified attributes the format does not define) to the assembler, which
    /// warns about each at its line, so none is dropped silently. Nothing is sent for an element
    /// with only the attributes it defines.
    private func reportAttributes(_ node: XMLNode, allowed: [String]) -> ImportError? {
        let list = node.attributes
        guard list.contains(where: { $0.namespace != nil || !allowed.contains($0.name) }) else { return nil }
        let attributes = list.map { OuterElement.Attribute(name: $0.name, namespace: $0.namespace, value: $0.value) }
        return send(
            .outerAttributes(
                OuterElement(name: node.shownName, attributes: attributes, allowed: allowed, location: location(line: node.line, column: node.column))))
    }

    private var expectedSection: String {
        nextSection < Self.sections.count ? "<\(Self.sections[nextSection])>" : "</export>"
    }

    private func finishDocument() -> ImportError? {
        guard nextSection == Self.sections.count else {
            return ImportError(
                .unexpectedElement, "the export ends early: expected \(expectedSection) before </export>",
                at: location(line: position().line))
        }
        isComplete = true
        return nil
    }
}

/// What the structure sends the assembler.
enum StructureEvent {
    /// A complete unit.
    case unit(UnitTree)
    /// A section (`catalogue`, `sequences`, ...) ended.
    case sectionEnd(String)
    /// Text that is not white space directly in `<export>` or a section, which holds none: ignored,
    /// with a warning (the schema refuses it).
    case strayText(element: String, at: FileLocation)
    /// `<export>` or a section element holds attributes beyond those the format defines for it.
    case outerAttributes(OuterElement)
}

/// `<export>` or a section element (`catalogue`, `sequences`, `action-sets`, `purchase-actions`,
/// `billing-automation`) with its attributes, copied out of the parser's arena.
struct OuterElement: Sendable {
    struct Attribute: Sendable {
        let name: String
        let namespace: String?
        let value: String
    }

    /// The element's name as a message shows it.
    let name: String
    let attributes: [Attribute]
    /// The unqualified attributes the format defines on it.
    let allowed: [String]
    let location: FileLocation
}

/// One unit's elements, handed from the structure to the assembler with the arena they live in.
struct UnitTree: @unchecked Sendable {
    // Handed over whole: after sending it, the structure never touches the arena again until the
    // assembler gives it back through the pool.
    let arena: NodeArena
    let root: XMLNode
    /// The section the unit is in; nil for a top-level element (the account, an extension).
    let section: String?
    /// Whether the unit is a child of `<export>` itself.
    let isTopLevel: Bool
}

/// Arenas for unit trees, shared by the structure (which takes them) and the assembler (which gives
/// them back emptied); safe to use from two threads.
final class ArenaPool: @unchecked Sendable {
    private let monitor = Monitor()
    private var free: [NodeArena] = []

    /// An empty arena. Emptying happens here, on the structure's side, which has less to do than the
    /// assembler's.
    func take() -> NodeArena {
        let arena = monitor.locked { free.popLast() }
        guard let arena else { return NodeArena() }
        arena.reset()
        return arena
    }

    /// Gives back an arena whose unit was read.
    func give(_ arena: NodeArena) {
        monitor.locked { free.append(arena) }
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
