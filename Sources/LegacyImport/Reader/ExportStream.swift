#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
public import PurchaseActions

/// Reads an export one item at a time: `while let item = try stream.next() { ... }`.
///
/// Only the catalogue and an index of ids stay in memory; each sequence, action set, slot and rule is
/// handed out as soon as it is read and then forgotten.
///
/// - Important: The stream is not `Sendable`; read it from one task. The items it hands out are.
public final class ExportStream {
    private enum Source {
        case file(UnsafeMutablePointer<FILE>)
        case bytes([UInt8], offset: Int)
    }

    private let assembler: ExportAssembler
    private let parser: SAXParser
    private var source: Source
    private var buffer: [UInt8]
    private var bytesRead = 0
    private var finished = false
    private var failure: ImportError?

    init(file: String, limits: ExportLimits, validatesSchema: Bool, bytes: [UInt8]?) throws(ImportError) {
        assembler = ExportAssembler(file: file, limits: limits)
        if let bytes {
            source = .bytes(bytes, offset: 0)
        } else {
            guard let handle = fopen(file, "rb") else {
                let code = errno
                let location = SourceLocation(file: file)
                if code == ENOENT {
                    throw ImportError(.missingInput, "no such file: check the path (an export is an .xml file)", at: location)
                }
                throw ImportError(.io, "cannot open the file: \(String(cString: strerror(code)))", at: location)
            }
            source = .file(handle)
        }
        buffer = [UInt8](repeating: 0, count: 256 * 1024)
        parser = SAXParser(fileName: file, handler: assembler, schema: validatesSchema ? ExportSchema.shared : nil)
        assembler.position = { [unowned parser] in parser.position }
    }

    deinit {
        if case .file(let handle) = source { fclose(handle) }
    }

    /// Warnings found so far: unknown elements kept as opaque actions, unknown attributes.
    ///
    /// At most 1,000 are kept; past that, a last warning says how many more there were.
    public var warnings: [ImportWarning] {
        guard assembler.uncountedWarnings > 0 else { return assembler.warnings }
        return assembler.warnings + [
            ImportWarning(
                "\(assembler.uncountedWarnings) more warnings like these were not listed", at: SourceLocation(file: assembler.file))
        ]
    }

    /// The catalogue read so far (complete once the `.catalogue` item was handed out).
    public var catalogue: Catalogue { assembler.catalogue }

    /// The next item, or `nil` after the last one; throws the first problem found, with its location.
    public func next() throws(ImportError) -> ExportItem? {
        while true {
            if let failure { throw failure }
            if let item = assembler.takeReady() { return item }
            if finished { return nil }
            if let error = readChunk() {
                failure = error
                throw error
            }
        }
    }

    /// Feeds the parser one chunk, or ends the document.
    private func readChunk() -> ImportError? {
        let count: Int
        switch source {
        case .file(let handle):
            count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count == 0, ferror(handle) != 0 {
                return ImportError(.io, "cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(file: assembler.file))
            }
        case .bytes(let bytes, let offset):
            count = min(buffer.count, bytes.count - offset)
            buffer.withUnsafeMutableBufferPointer { target in
                bytes.withUnsafeBufferPointer { origin in
                    target.baseAddress!.update(from: origin.baseAddress! + offset, count: count)
                }
            }
            source = .bytes(bytes, offset: offset + count)
        }
        bytesRead += count
        if bytesRead > assembler.limits.maxDocumentBytes {
            return ImportError(
                .limitExceeded,
                "document size exceeds the limit of \(assembler.limits.maxDocumentBytes) bytes (raise it with --max-document-bytes)",
                at: SourceLocation(file: assembler.file, line: parser.position.line))
        }
        let isFinal = count == 0
        if isFinal, bytesRead == 0 {
            return ImportError(
                .notWellFormed, "not well-formed XML: the file is empty; an export starts with <export xmlns=\"urn:purchase-actions:export:v1\" version=\"1\">",
                at: SourceLocation(file: assembler.file, line: 1))
        }
        if let error = buffer.withUnsafeBufferPointer({ parser.feed(UnsafeBufferPointer(rebasing: $0[0..<count]), isFinal: isFinal) }) {
            return error
        }
        if isFinal {
            finished = true
            guard assembler.isComplete else {
                return ImportError(
                    .notWellFormed, "not well-formed XML: the document ends before </export>",
                    at: SourceLocation(file: assembler.file, line: parser.position.line))
            }
        }
        return nil
    }
}
