internal import CLibXML2

/// The export format's XML Schema (Docs/export-format.xsd), compiled once and shared.
///
/// The schema text is built into the library (`ExportSchema+Text.swift`, made from the Docs file by
/// `Tools/embed-schema.sh`; a test keeps both equal), so validation never reads a file or the network.
final class ExportSchema: @unchecked Sendable {
    // A compiled xmlSchema is read-only during validation and safe to share between threads.
    let pointer: xmlSchemaPtr

    private init?(text: String) {
        LibXML2.prepareThread()
        let compiled: xmlSchemaPtr? = text.utf8CString.withUnsafeBufferPointer { buffer in
            let context = xmlSchemaNewMemParserCtxt(buffer.baseAddress, Int32(buffer.count - 1))
            defer { xmlSchemaFreeParserCtxt(context) }
            return xmlSchemaParse(context)
        }
        guard let compiled else { return nil }
        pointer = compiled
    }

    /// The compiled schema of export format v1.
    static let shared: ExportSchema = {
        guard let schema = ExportSchema(text: exportSchemaText) else {
            fatalError("The built-in export schema does not compile; run Tools/embed-schema.sh and the tests.")
        }
        return schema
    }()
}
