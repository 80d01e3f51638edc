internal import CLibXML2

/// Receives the parser's events. Returning an error stops the parse.
protocol SAXEventHandler: AnyObject {
    func startElement(
        name: String, namespace: String?, isOurs: Bool, attributes: [XMLNode.Attribute], line: Int, column: Int
    ) -> ImportError?
    func endElement() -> ImportError?
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> ImportError?
    func doctype(name: String, line: Int, column: Int) -> ImportError
    func parserError(message: String, isEncoding: Bool, line: Int, column: Int) -> ImportError
    func schemaError(message: String, line: Int, column: Int) -> ImportError
}

/// libxml2's SAX2 push parser, set up for untrusted input.
///
/// - Important: Options are `XML_PARSE_NONET | XML_PARSE_BIG_LINES`, never `NOENT`, `DTDLOAD`,
///   `DTDVALID`, `XINCLUDE` or `HUGE`; the first DOCTYPE stops the parse, so no entity or DTD is ever
///   processed.
final class SAXParser {
    /// The export namespace.
    static let exportNamespace = "urn:purchase-actions:export:v1"
    static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)

    private unowned let handler: any SAXEventHandler
    private var context: xmlParserCtxtPtr?
    private var sax = xmlSAXHandler()
    private var validation: xmlSchemaValidCtxtPtr?
    private var plug: xmlSchemaSAXPlugPtr?
    private(set) var failure: ImportError?
    private let fileName: String

    init(fileName: String, handler: any SAXEventHandler, schema: ExportSchema?) {
        self.fileName = fileName
        self.handler = handler
        LibXML2.prepareThread()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = saxStartElement
        sax.endElementNs = saxEndElement
        sax.characters = saxCharacters
        sax.cdataBlock = saxCharacters
        sax.internalSubset = saxInternalSubset
        sax.serror = saxStructuredError
        let me = Unmanaged.passUnretained(self).toOpaque()
        var saxPointer: xmlSAXHandlerPtr? = withUnsafeMutablePointer(to: &sax) { $0 }
        var userData: UnsafeMutableRawPointer? = me
        if let schema {
            validation = xmlSchemaNewValidCtxt(schema.pointer)
            xmlSchemaSetValidStructuredErrors(validation, saxSchemaError, me)
            xmlSchemaValidateSetLocator(validation, saxLocator, me)
            plug = xmlSchemaSAXPlug(validation, &saxPointer, &userData)
        }
        context = fileName.withCString { xmlCreatePushParserCtxt(saxPointer, userData, nil, 0, $0) }
        xmlCtxtUseOptions(context, Self.parseOptions)
    }

    deinit {
        if let plug { xmlSchemaSAXUnplug(plug) }
        if let validation { xmlSchemaFreeValidCtxt(validation) }
        if let context {
            // The document tree is never built; free what the context may hold.
            xmlFreeDoc(context.pointee.myDoc)
            xmlFreeParserCtxt(context)
        }
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
        _ = xmlParseChunk(context, base, Int32(bytes.count), isFinal ? 1 : 0)
        return failure
    }

    /// Records the first failure and stops the parser.
    func fail(_ error: ImportError) {
        guard failure == nil else { return }
        failure = error
        if let context { xmlStopParser(context) }
    }

    fileprivate func deliver(_ error: ImportError?) {
        if let error { fail(error) }
    }

    fileprivate var handlerForCallbacks: any SAXEventHandler { handler }
    fileprivate var isStopped: Bool { failure != nil }
}

/// Process-wide libxml2 set-up.
enum LibXML2 {
    /// Initialises libxml2 once and silences its default printing to stderr on this thread:
    /// every message reaches us through structured error callbacks instead.
    static func prepareThread() {
        xmlInitParser()
        purchaseactions_silence_generic_errors()
        xmlSetStructuredErrorFunc(nil, nil)
    }
}

// MARK: - C callbacks

private func parser(_ context: UnsafeMutableRawPointer?) -> SAXParser {
    Unmanaged<SAXParser>.fromOpaque(context!).takeUnretainedValue()
}

private func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

/// libxml2 writes `&` in attribute values as `&#38;` when entities are not replaced; the only way the
/// sequence can occur is that encoding, so undoing it everywhere is exact.
private func attributeValue(_ start: UnsafePointer<xmlChar>, _ end: UnsafePointer<xmlChar>) -> String {
    let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
    guard value.utf8.contains(UInt8(ascii: "&")) else { return value }
    return value.replacing("&#38;", with: "&")
}

private let saxStartElement: startElementNsSAX2Func = { context, localName, _, uri, _, _, attributeCount, _, attributes in
    let parser = parser(context)
    guard !parser.isStopped, let localName else { return }
    let namespace = string(uri)
    let isOurs = namespace == SAXParser.exportNamespace
    var list: [XMLNode.Attribute] = []
    if let attributes, attributeCount > 0 {
        list.reserveCapacity(Int(attributeCount))
        for index in 0..<Int(attributeCount) {
            let base = index * 5
            guard let name = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
            list.append(XMLNode.Attribute(name: String(cString: name), namespace: string(attributes[base + 2]), value: attributeValue(start, end)))
        }
    }
    let (line, column) = parser.position
    parser.deliver(
        parser.handlerForCallbacks.startElement(
            name: String(cString: localName), namespace: namespace, isOurs: isOurs, attributes: list, line: line, column: column))
}

private let saxEndElement: endElementNsSAX2Func = { context, _, _, _ in
    let parser = parser(context)
    guard !parser.isStopped else { return }
    parser.deliver(parser.handlerForCallbacks.endElement())
}

private let saxCharacters: charactersSAXFunc = { context, bytes, length in
    let parser = parser(context)
    guard !parser.isStopped, let bytes, length > 0 else { return }
    parser.deliver(parser.handlerForCallbacks.characters(UnsafeBufferPointer(start: bytes, count: Int(length))))
}

private let saxInternalSubset: internalSubsetSAXFunc = { context, name, _, _ in
    let parser = parser(context)
    guard !parser.isStopped else { return }
    let (line, column) = parser.position
    parser.fail(parser.handlerForCallbacks.doctype(name: string(name) ?? "", line: line, column: column))
}

private let saxStructuredError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let parser = parser(context)
    guard !parser.isStopped, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = string(error.pointee.message.map { UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self) })?
        .trimmingWhitespace() ?? "unreadable XML"
    let code = Int(error.pointee.code)
    let isEncoding = [
        Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
        Int(XML_ERR_INVALID_ENCODING.rawValue), Int(XML_I18N_CONV_FAILED.rawValue),
    ].contains(code) || message.contains("encoding") || message.contains("UTF-8")
    let line = Int(error.pointee.line)
    let column = Int(error.pointee.int2)
    parser.fail(parser.handlerForCallbacks.parserError(message: message, isEncoding: isEncoding, line: line, column: column))
}

private let saxSchemaError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let parser = parser(context)
    guard !parser.isStopped, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0) }?.trimmingWhitespace() ?? "schema violation"
    let line = Int(error.pointee.line) > 0 ? Int(error.pointee.line) : parser.position.line
    parser.fail(parser.handlerForCallbacks.schemaError(message: message, line: line, column: Int(error.pointee.int2)))
}

private let saxLocator: xmlSchemaValidityLocatorFunc = { context, _, line in
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
