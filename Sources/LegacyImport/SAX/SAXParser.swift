internal import CLibXML2
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// libxml2's SAX2 push parser, set up for untrusted input.
///
/// - Important: Options are `XML_PARSE_NONET | XML_PARSE_BIG_LINES`, never `NOENT`, `DTDLOAD`,
///   `DTDVALID`, `XINCLUDE` or `HUGE`; the first DOCTYPE stops the parse, so no entity or DTD is ever
///   processed.
final class SAXParser {
    /// The export namespace.
    static let exportNamespace = "urn:purchase-actions:export:v1"
    static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)

    /// Receives the events; returning an error from a callback stops the parse. A concrete type, so
    /// the hot callbacks make direct calls and take no reference count.
    // The stream owns both the parser and the assembler and outlives every callback.
    private unowned(unsafe) let handler: ExportStructure
    private var context: xmlParserCtxtPtr?
    /// The SAX handler, and the two slots the schema plug rewrites when it is removed: all three must
    /// live as long as the parser, so they are on the heap, never in a stack frame.
    private let sax: UnsafeMutablePointer<xmlSAXHandler>
    private let saxSlot: UnsafeMutablePointer<xmlSAXHandlerPtr?>
    private let userDataSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private var validation: xmlSchemaValidCtxtPtr?
    private var plug: xmlSchemaSAXPlugPtr?
    private(set) var failure: ImportError?
    /// The first schema error, held until the unit it is in ends.
    fileprivate var pendingSchemaError: ImportError?
    private let fileName: String
    /// The namespace of the last element started, as libxml2's pointer, string, and whether it is ours.
    @exclusivity(unchecked) fileprivate var lastURI: UnsafePointer<xmlChar>?
    @exclusivity(unchecked) fileprivate var lastNamespace: String?
    @exclusivity(unchecked) fileprivate var lastIsOurs = false
    /// Element and attribute names, interned by libxml2's dictionary pointer.
    @exclusivity(unchecked) fileprivate var names = NameTable()

    init(fileName: String, handler: ExportStructure, schema: ExportSchema?) {
        self.fileName = fileName
        self.handler = handler
        LibXML2.prepareThread()
        sax = .allocate(capacity: 1)
        sax.initialize(to: xmlSAXHandler())
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        sax.pointee.startElementNs = saxStartElement
        sax.pointee.endElementNs = saxEndElement
        sax.pointee.characters = saxCharacters
        sax.pointee.cdataBlock = saxCharacters
        sax.pointee.internalSubset = saxInternalSubset
        sax.pointee.processingInstruction = saxInstruction
        sax.pointee.serror = saxStructuredError
        saxSlot = .allocate(capacity: 1)
        saxSlot.initialize(to: sax)
        userDataSlot = .allocate(capacity: 1)
        userDataSlot.initialize(to: nil)
        let me = Unmanaged.passUnretained(self).toOpaque()
        userDataSlot.pointee = me
        if let schema {
            validation = xmlSchemaNewValidCtxt(schema.pointer)
            xmlSchemaSetValidStructuredErrors(validation, saxSchemaError, me)
            xmlSchemaValidateSetLocator(validation, saxLocator, me)
            plug = xmlSchemaSAXPlug(validation, saxSlot, userDataSlot)
        }
        context = fileName.withCString { xmlCreatePushParserCtxt(saxSlot.pointee, userDataSlot.pointee, nil, 0, $0) }
        xmlCtxtUseOptions(context, Self.parseOptions)
        if let context {
            // Errors find us through the context, whoever owns the SAX handler: the schema plug
            // replaces it and does not pass structured errors on.
            context.pointee._private = me
            context.pointee.sax.pointee.serror = saxStructuredError
        }
    }

    deinit {
        if let context {
            // The document tree is never built; free what the context may hold.
            xmlFreeDoc(context.pointee.myDoc)
            xmlFreeParserCtxt(context)
        }
        if let plug { xmlSchemaSAXUnplug(plug) }
        if let validation { xmlSchemaFreeValidCtxt(validation) }
        userDataSlot.deallocate()
        saxSlot.deallocate()
        sax.deallocate()
    }

    /// The parser's current line and column.
    var position: (line: Int, column: Int) {
        guard let context else { return (0, 0) }
        return (Int(xmlSAX2GetLineNumber(context)), Int(xmlSAX2GetColumnNumber(context)))
    }

    /// Parses the next chunk; `isFinal` ends the document. Returns the first failure.
    @discardableResult
    func feed(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool) -> ImportError? {
        guard failure == nil, let context else { return failure }
        let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
        let status = xmlParseChunk(context, base, Int32(bytes.count), isFinal ? 1 : 0)
        if failure == nil, status == Int32(XML_ERR_INVALID_ENCODING.rawValue) {
            // libxml2 halts on bytes its decoder refuses without a structured error.
            let (line, column) = position
            fail(
                handler.parserError(
                    message: "bytes that are not valid in the document's encoding (in UTF-16, a surrogate without its pair; in UTF-8, a byte sequence that is not UTF-8)",
                    isEncoding: true, line: line, column: column))
        }
        if isFinal, let pendingSchemaError { fail(pendingSchemaError) }
        if failure != nil { xmlStopParser(context) }
        return failure
    }

    /// Records the first failure and stops the events.
    ///
    /// - Important: Inside an element or text callback the parser is not halted: with the schema plug,
    ///   the validator's own callback for the same event runs after ours and reads the parser's input,
    ///   which halting frees. Events stop at once (`disableSAX`); ``feed(_:isFinal:)`` halts the parser
    ///   when `xmlParseChunk` returns.
    func fail(_ error: ImportError) {
        guard failure == nil else { return }
        failure = error
        isStopped = true
        context?.pointee.disableSAX = 1
    }

    /// Fails and halts the parser at once: for a DOCTYPE, so nothing of it is ever read further.
    func failAndHalt(_ error: ImportError) {
        fail(error)
        if let context { xmlStopParser(context) }
    }

    fileprivate func deliver(_ error: ImportError?) {
        if let error { fail(error) }
    }

    fileprivate var handlerForCallbacks: ExportStructure { handler }

    /// Distinct namespace URIs declared so far, by libxml2's dictionary address (each URI is kept
    /// there once).
    private var namespaceURIs: Set<UnsafeRawPointer> = []
    /// Namespace declarations on the open elements, and the depth and count of each element that has
    /// some, innermost last.
    private var declarationsInScope = 0
    private var scopes: [(depth: Int, count: Int)] = []
    /// The depth of the innermost open element with namespace declarations; -1 when none.
    @exclusivity(unchecked) fileprivate var innermostScope = -1

    /// An element is about to end: its namespace declarations go out of scope.
    fileprivate func endScope() {
        guard let last = scopes.popLast() else { return }
        declarationsInScope -= last.count
        innermostScope = scopes.last?.depth ?? -1
    }

    /// Checks the namespace declarations of a start tag (`namespaces` holds prefix and URI pairs)
    /// against the namespace limits, and counts their prefixes and URIs as names.
    fileprivate func declare(_ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>, count: Int, on element: UnsafePointer<xmlChar>) -> ImportError? {
        let limits = handler.limits
        // libxml2 looks each prefix up through every declaration in scope, innermost first.
        declarationsInScope += count
        scopes.append((depth: handler.depth + 1, count: count))
        innermostScope = handler.depth + 1
        if declarationsInScope > limits.maxNamespacesInScope {
            let (line, column) = position
            return ImportError(
                .limitExceeded,
                "<\(String(cString: element).prefix(64))> brings the namespace declarations in scope to \(declarationsInScope), over the limit of \(limits.maxNamespacesInScope) in scope at once (raise it with --max-namespaces-in-scope)",
                at: handler.location(line: line, column: column))
        }
        for index in 0..<count {
            if let prefix = namespaces[2 * index] { names.note(prefix) }
            guard let uri = namespaces[2 * index + 1], uri[0] != 0 else { continue }
            let key = UnsafeRawPointer(uri)
            guard !namespaceURIs.contains(key) else { continue }
            let (line, column) = position
            let name = String(cString: element).prefix(64)
            // One byte past the limit is enough to know; the limit may be any Int a caller chose.
            let (past, overflow) = max(limits.maxNamespaceBytes, 0).addingReportingOverflow(1)
            let length = strnlen(UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self), overflow ? Int.max : past)
            if length > limits.maxNamespaceBytes {
                return ImportError(
                    .limitExceeded,
                    "<\(name)> declares a namespace URI of more than \(limits.maxNamespaceBytes) bytes, over the namespace limit of \(limits.maxNamespaceBytes) bytes (raise it with --max-namespace-bytes)",
                    at: handler.location(line: line, column: column))
            }
            namespaceURIs.insert(key)
            names.note(uri)
            if namespaceURIs.count > limits.maxNamespaces {
                return ImportError(
                    .limitExceeded,
                    "<\(name)> declares namespace \(namespaceURIs.count), over the limit of \(limits.maxNamespaces) distinct namespace URIs in one document (raise it with --max-namespaces)",
                    at: handler.location(line: line, column: column))
            }
        }
        return nil
    }

    /// The error for a document past ``ExportLimits/maxNames``.
    fileprivate func tooManyNames(line: Int, column: Int) -> ImportError {
        let limit = handler.limits.maxNames
        return ImportError(
            .limitExceeded,
            "more than \(limit) distinct names (element and attribute names, namespace prefixes and URIs, processing-instruction targets), over the limit of \(limit) names in one document (raise it with --max-names)",
            at: handler.location(line: line, column: column))
    }

    /// The error for a document past ``ExportLimits/maxNameBytes``.
    fileprivate func tooManyNameBytes(line: Int, column: Int) -> ImportError {
        let limit = handler.limits.maxNameBytes
        return ImportError(
            .limitExceeded,
            "more than \(limit) bytes of distinct names (element and attribute names, namespace prefixes and URIs, processing-instruction targets, each counted once), over the name byte limit (raise it with --max-name-bytes)",
            at: handler.location(line: line, column: column))
    }
    fileprivate private(set) var isStopped = false
}

// MARK: - C callbacks

/// The parser behind a callback's context, without taking a reference: the stream keeps it alive.
private func parser(_ context: UnsafeMutableRawPointer?) -> SAXParser {
    unsafeBitCast(context!, to: SAXParser.self)
}

private func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

/// libxml2 writes `&` in attribute values as `&#38;` when entities are not replaced; the only way the
/// sequence can occur is that encoding, so undoing it everywhere is exact.
private func attributeValue(_ start: UnsafePointer<xmlChar>, _ end: UnsafePointer<xmlChar>) -> String {
    let bytes = UnsafeBufferPointer(start: start, count: end - start)
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    var decoded: [UInt8] = []
    decoded.reserveCapacity(bytes.count)
    var index = 0
    let entity = Array("&#38;".utf8)
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "&"), index + entity.count <= bytes.count, entity.indices.allSatisfy({ bytes[index + $0] == entity[$0] }) {
            decoded.append(UInt8(ascii: "&"))
            index += entity.count
        } else {
            decoded.append(bytes[index])
            index += 1
        }
    }
    return String(decoding: decoded, as: UTF8.self)
}

private let saxStartElement: startElementNsSAX2Func = { context, localName, _, uri, namespaceCount, namespaces, attributeCount, _, attributes in
    let parser = parser(context)
    guard !parser.isStopped, let localName else { return }
    if namespaceCount > 0, let namespaces, let error = parser.declare(namespaces, count: Int(namespaceCount), on: localName) {
        parser.fail(error)
        return
    }
    // Nearly every element is in one namespace: remember the last one instead of looking it up.
    if uri != parser.lastURI {
        parser.lastURI = uri
        parser.lastNamespace = uri.map { parser.names.string($0) }
        parser.lastIsOurs = uri.map { parser.names.isExportNamespace($0) } ?? false
    }
    let (name, role) = parser.names.name(localName, ours: parser.lastIsOurs)
    let structure = parser.handlerForCallbacks
    // Attributes go straight into the arena the element will live in.
    let arena = structure.arena(forElementNamed: name, role: role)
    var count = 0
    if let attributes, attributeCount > 0 {
        for index in 0..<Int(attributeCount) {
            let base = index * 5
            guard let name = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
            arena.appendAttribute(
                XMLNode.Attribute(
                    name: parser.names.string(name), namespace: attributes[base + 2].map { parser.names.string($0) },
                    value: attributeValue(start, end)))
            count += 1
        }
    }
    let (line, column) = parser.position
    if parser.names.distinct.count > structure.limits.maxNames {
        parser.fail(parser.tooManyNames(line: line, column: column))
        return
    }
    if parser.names.distinctBytes > structure.limits.maxNameBytes {
        parser.fail(parser.tooManyNameBytes(line: line, column: column))
        return
    }
    parser.deliver(
        structure.startElement(
            name: name, namespace: parser.lastNamespace, role: role, in: arena, attributeCount: count,
            namespaceDeclarations: Int(namespaceCount), line: line, column: column))
}

private let saxEndElement: endElementNsSAX2Func = { context, _, _, _ in
    let parser = parser(context)
    guard !parser.isStopped else { return }
    if parser.innermostScope == parser.handlerForCallbacks.depth { parser.endScope() }
    parser.deliver(parser.handlerForCallbacks.endElement())
    if let pending = parser.pendingSchemaError, parser.handlerForCallbacks.isBetweenUnits { parser.fail(pending) }
}

private let saxCharacters: charactersSAXFunc = { context, bytes, length in
    let parser = parser(context)
    guard !parser.isStopped, let bytes, length > 0 else { return }
    parser.deliver(parser.handlerForCallbacks.characters(UnsafeBufferPointer(start: bytes, count: Int(length))))
}

private let saxInstruction: processingInstructionSAXFunc = { context, target, _ in
    let parser = parser(context)
    guard !parser.isStopped, let target else { return }
    // Its target is a name in libxml2's dictionary like any other.
    parser.names.note(target)
    if parser.names.distinct.count > parser.handlerForCallbacks.limits.maxNames {
        let (line, column) = parser.position
        parser.fail(parser.tooManyNames(line: line, column: column))
    } else if parser.names.distinctBytes > parser.handlerForCallbacks.limits.maxNameBytes {
        let (line, column) = parser.position
        parser.fail(parser.tooManyNameBytes(line: line, column: column))
    }
}

private let saxInternalSubset: internalSubsetSAXFunc = { context, name, _, _ in
    let parser = parser(context)
    guard !parser.isStopped else { return }
    let (line, column) = parser.position
    parser.failAndHalt(parser.handlerForCallbacks.doctype(name: string(name) ?? "", line: line, column: column))
}

private let saxStructuredError: xmlStructuredErrorFunc = { _, error in
    guard let error, let context = error.pointee.ctxt?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return }
    let parser = parser(context)
    guard !parser.isStopped, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let text = string(error.pointee.message.map { UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self) })?
        .trimmingWhitespace() ?? "unreadable XML"
    let code = Int(error.pointee.code)
    // libxml2 files a namespace name that is not a valid URI (`urn:café`, `urn:a b`) as an error of
    // namespace well-formedness only and reads on; XML and the schema accept it, so does the reader
    // (its namespace limits still apply).
    if code == Int(XML_WAR_NS_URI.rawValue) { return }
    let line = Int(error.pointee.line)
    let column = Int(error.pointee.int2)
    if !parser.handlerForCallbacks.hasRoot, code == Int(XML_ERR_DOCUMENT_END.rawValue) || code == Int(XML_ERR_DOCUMENT_EMPTY.rawValue) {
        // libxml2 says "Extra content at the end of the document" or "Document is empty" for a file
        // with no element at all.
        parser.fail(parser.handlerForCallbacks.noRootElement(line: line, column: column))
        return
    }
    // libxml2 advises declaring another encoding, which this reader refuses.
    let message = text.replacing("Input is not proper UTF-8, indicate encoding !\nBytes:", with: "the bytes are not UTF-8:")
        .replacing("Input is not proper UTF-8, indicate encoding !", with: "the bytes are not UTF-8:")
    if message.contains("Huge input lookup") {
        // libxml2's own bound on one piece of markup held whole before it is parsed, in its words.
        let text = "a start tag, comment, CDATA section or processing instruction is longer than 10,000,000 bytes, libxml2's limit on one piece of markup (libxml2: Huge input lookup)"
        parser.fail(parser.handlerForCallbacks.parserError(message: text, isEncoding: false, line: line, column: column))
        return
    }
    if code == Int(XML_ERR_INVALID_CHAR.rawValue), !message.contains("CharRef"), let value = rawCharacter(message),
        (0xD800...0xDFFF).contains(value) || value > 0x10FFFF
    {
        // A surrogate or a value past U+10FFFF written as itself can only come from bytes that are not
        // valid in the document's encoding (a lone UTF-16 surrogate, UTF-8 ED A0 80 or F4 90 80 80).
        parser.fail(
            parser.handlerForCallbacks.parserError(
                message: "bytes that are not valid in the document's encoding (in UTF-16, a surrogate without its pair; in UTF-8, a byte sequence that is not UTF-8, such as an encoded surrogate or a value past U+10FFFF)",
                isEncoding: true, line: line, column: column))
        return
    }
    if code == Int(XML_ERR_INVALID_CHAR.rawValue), let forbidden = forbiddenCharacter(message) {
        // libxml2 files these under "invalid char" with encoding errors, but the bytes decode fine.
        parser.fail(parser.handlerForCallbacks.parserError(message: forbidden, isEncoding: false, line: line, column: column))
        return
    }
    let isEncoding = [
        Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
        Int(XML_ERR_INVALID_ENCODING.rawValue), Int(XML_I18N_CONV_FAILED.rawValue),
    ].contains(code) || message.contains("encoding") || message.contains("UTF-8")
    parser.fail(parser.handlerForCallbacks.parserError(message: message, isEncoding: isEncoding, line: line, column: column))
}

/// The character libxml2's "Char 0x... out of allowed range" or "invalid Char value ..." names.
private func rawCharacter(_ message: String) -> UInt32? {
    func number(after marker: String, hex: Bool) -> UInt32? {
        guard let range = message.firstRange(of: marker) else { return nil }
        let digits = message[range.upperBound...].prefix { hex ? $0.isHexDigit : $0.isNumber }
        return UInt32(digits, radix: hex ? 16 : 10)
    }
    return number(after: "Char value ", hex: false) ?? number(after: "Char 0x", hex: true)
}

/// What libxml2's message about a character XML does not allow (written as a character reference
/// such as `&#0;`, or as the character itself) says, in our words; nil for a real encoding error.
private func forbiddenCharacter(_ message: String) -> String? {
    // "xmlParseCharRef: invalid xmlChar value 0", "PCDATA invalid Char value 1",
    // "Char 0x0 out of allowed range", "invalid character in attribute value".
    let allowed = "XML allows only tab, line feed, carriage return and characters from U+0020 on, without U+FFFE, U+FFFF and lone surrogates"
    func scalar(after marker: String, hex: Bool) -> String? {
        guard let range = message.firstRange(of: marker) else { return nil }
        let digits = message[range.upperBound...].prefix { hex ? $0.isHexDigit : $0.isNumber }
        guard let value = UInt32(digits, radix: hex ? 16 : 10) else { return nil }
        let text = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
    if message.contains("CharRef") {
        let name = scalar(after: "value ", hex: false).map { " to \($0)" } ?? ""
        return "a character reference\(name) names a character XML forbids (\(allowed)); remove it"
    }
    if let name = scalar(after: "Char value ", hex: false) ?? scalar(after: "Char 0x", hex: true) {
        return "the character \(name) is one XML forbids (\(allowed)); remove it"
    }
    return nil
}

private let saxSchemaError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let parser = parser(context)
    guard !parser.isStopped, parser.pendingSchemaError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0) }?.trimmingWhitespace() ?? "schema violation"
    let line = Int(error.pointee.line) > 0 ? Int(error.pointee.line) : parser.position.line
    let schemaError = parser.handlerForCallbacks.schemaError(message: message, line: line, column: Int(error.pointee.int2))
    // Inside a unit it is held until the unit ends: the reader's own message for the same problem is
    // clearer and wins. Between units nothing else can come first, so it stops the read at once.
    if parser.handlerForCallbacks.isBetweenUnits {
        parser.fail(schemaError)
    } else {
        parser.pendingSchemaError = schemaError
    }
}

private let saxLocator: xmlSchemaValidityLocatorFunc = { context, file, line in
    // libxml2 reads `*file` whatever we return; it must never be left unset.
    file?.pointee = nil
    guard let context else { return -1 }
    line?.pointee = UInt(parser(context).position.line)
    return 0
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
