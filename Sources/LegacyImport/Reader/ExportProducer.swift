#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import PurchaseActions

/// Reads the input chunk by chunk into the parser, whose events the ``ExportStructure`` turns into
/// units; everything it owns is used from one thread at a time.
final class ExportProducer: @unchecked Sendable {
    // Sendable by hand: the stream either drives it on its own thread, or hands it to exactly one
    // producing thread and never touches it again until that thread has ended.
    enum Source {
        case file(UnsafeMutablePointer<FILE>)
        case bytes([UInt8], offset: Int)
    }

    /// The outcome of one step.
    enum Step {
        case more
        case done
        case failed(ImportError)
    }

    let file: String
    let limits: ExportLimits
    private let structure: ExportStructure
    private let parser: SAXParser
    private var source: Source
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    private(set) var bytesRead = 0
    private var tags: TagScanner

    init(file: String, source: Source, limits: ExportLimits, schema: ExportSchema?, arenas: ArenaPool,
         send: @escaping (StructureEvent) -> ImportError?) {
        self.file = file
        self.limits = limits
        self.source = source
        tags = TagScanner(limit: limits.maxAttributes)
        structure = ExportStructure(file: file, limits: limits, arenas: arenas, send: send)
        parser = SAXParser(fileName: file, handler: structure, schema: schema)
        structure.position = { [unowned parser] in parser.position }
    }

    deinit {
        if case .file(let handle) = source { fclose(handle) }
    }

    /// Feeds the parser one chunk, or ends the document.
    func step() -> Step {
        let count: Int
        switch source {
        case .file(let handle):
            count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count == 0, ferror(handle) != 0 {
                return .failed(ImportError(.io, "cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(file: file)))
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
        if bytesRead > limits.maxDocumentBytes {
            return .failed(
                ImportError(
                    .limitExceeded,
                    "document size exceeds the limit of \(limits.maxDocumentBytes) bytes (raise it with --max-document-bytes)",
                    at: SourceLocation(file: file, line: parser.position.line)))
        }
        let overLimit = buffer.withUnsafeBufferPointer { tags.scan(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        if let offset = overLimit {
            // The parser has read everything before this chunk: its line, plus the chunk's line
            // feeds up to the tag, is where the tag is.
            let feeds = buffer[0..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let line = max(parser.position.line, 1) + feeds
            return .failed(
                ImportError(
                    .limitExceeded,
                    "a start tag has more than \(limits.maxAttributes) attributes, over the limit of \(limits.maxAttributes) attributes (raise it with --max-attributes)",
                    at: SourceLocation(file: file, line: line)))
        }
        let isFinal = count == 0
        if isFinal, bytesRead == 0 {
            return .failed(
                ImportError(
                    .notWellFormed,
                    "not well-formed XML: the file is empty; an export starts with <export xmlns=\"urn:purchase-actions:export:v1\" version=\"1\">",
                    at: SourceLocation(file: file, line: 1)))
        }
        if let error = buffer.withUnsafeBufferPointer({ parser.feed(UnsafeBufferPointer(rebasing: $0[0..<count]), isFinal: isFinal) }) {
            return .failed(error)
        }
        guard isFinal else { return .more }
        guard structure.isComplete else {
            return .failed(
                ImportError(
                    .notWellFormed, "not well-formed XML: the document ends before </export>",
                    at: SourceLocation(file: file, line: parser.position.line)))
        }
        return .done
    }
}
