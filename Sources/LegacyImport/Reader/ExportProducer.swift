#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import PurchaseActionsCore

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

    /// Where ``bytesRead`` is shared with the stream's reader (for a progress bar).
    private let progress: ByteProgress

    init(file: String, source: Source, limits: ExportLimits, schema: ExportSchema?, arenas: ArenaPool, progress: ByteProgress,
         send: @escaping (StructureEvent) -> ImportError?) {
        self.file = file
        self.progress = progress
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
                return .failed(ImportError(.io, "cannot read the file: \(String(cString: strerror(errno)))", at: FileLocation(file: file)))
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
        if bytesRead == 0, count > 0 {
            let detected = buffer.withUnsafeBufferPointer { ExportEncoding.detect(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            switch detected {
            case .success(let encoding): tags = TagScanner(limit: limits.maxAttributes, encoding: encoding)
            case .failure(let refusal):
                let code: ImportError.Code = if case .notXML = refusal { .notWellFormed } else { .encoding }
                return .failed(ImportError(code, refusal.message, at: FileLocation(file: file, line: 1, column: 1)))
            }
        }
        let chunkStart = bytesRead
        bytesRead += count
        progress.set(bytesRead)
        // Only the bytes within the document limit are scanned and parsed, so an error before the
        // limit comes first and the limit's error is located where it was passed.
        var usable = count
        if bytesRead > limits.maxDocumentBytes { usable = limits.maxDocumentBytes > chunkStart ? limits.maxDocumentBytes - chunkStart : 0 }
        let overLimit = buffer.withUnsafeBufferPointer { tags.scan(UnsafeBufferPointer(rebasing: $0[0..<usable])) }
        if overLimit != nil {
            return .failed(attributeLimitError(chunkStart: chunkStart, count: usable))
        }
        if usable < count {
            if usable > 0, let error = buffer.withUnsafeBufferPointer({ parser.feed(UnsafeBufferPointer(rebasing: $0[0..<usable]), isFinal: false) }) {
                return .failed(error)
            }
            let position = parser.position
            return .failed(
                ImportError(
                    .limitExceeded,
                    "document size exceeds the limit of \(limits.maxDocumentBytes) bytes: byte \(max(limits.maxDocumentBytes, 0) + 1) is past it (raise it with --max-document-bytes)",
                    at: structure.location(line: max(position.line, 1), column: position.column > 0 ? position.column : nil)))
        }
        let isFinal = count == 0
        if isFinal, bytesRead == 0 {
            return .failed(
                ImportError(
                    .notWellFormed,
                    "not well-formed XML: the file is empty; an export starts with <export xmlns=\"urn:purchase-actions:export:v1\" version=\"1\">",
                    at: FileLocation(file: file, line: 1)))
        }
        if isFinal, tags.isInsideStartTag, parser.failure == nil {
            // libxml2 would hand the cut-off tag to the structure as if it were whole, and the
            // message would be about an unexpected element; it waits at the tag's '<'.
            let position = parser.position
            return .failed(
                ImportError(
                    .notWellFormed, "not well-formed XML: the document ends inside a start tag, before its '>'; the file looks cut off",
                    at: structure.location(line: max(position.line, 1), column: position.column > 0 ? position.column : nil)))
        }
        if let error = buffer.withUnsafeBufferPointer({ parser.feed(UnsafeBufferPointer(rebasing: $0[0..<count]), isFinal: isFinal) }) {
            return .failed(error)
        }
        guard isFinal else { return .more }
        guard structure.isComplete else {
            return .failed(
                ImportError(
                    .notWellFormed, "not well-formed XML: the document ends before </export>",
                    at: structure.location(line: parser.position.line, column: parser.position.column > 0 ? parser.position.column : nil)))
        }
        return .done
    }

    /// The error for a start tag with too many attributes, located at its `<`: the bytes before the
    /// tag are parsed first (an error in them comes first), so the parser's position and open
    /// elements are where the tag starts.
    private func attributeLimitError(chunkStart: Int, count: Int) -> ImportError {
        let width = tags.encoding.unitWidth
        let start = tags.tagStart - chunkStart
        var name: String?
        if start >= 0 {
            if let error = buffer.withUnsafeBufferPointer({ parser.feed(UnsafeBufferPointer(rebasing: $0[0..<(start + width)]), isFinal: false) }) {
                return error
            }
            name = tagName(at: start + width, end: count)
        }
        let position = parser.position
        let tag = name.map { "<\($0)>" } ?? "a start tag"
        return ImportError(
            .limitExceeded,
            "\(tag) has more than \(limits.maxAttributes) attributes, over the limit of \(limits.maxAttributes) attributes (raise it with --max-attributes)",
            at: structure.location(line: max(position.line, 1), column: position.column > 0 ? position.column : nil))
    }

    /// The element name starting at `offset` in the buffer, if it is there whole, before `end`, and short.
    private func tagName(at offset: Int, end: Int) -> String? {
        var units: [UInt16] = []
        var index = offset
        let width = tags.encoding.unitWidth
        while index + width <= end, units.count <= 64 {
            let unit: UInt16 =
                switch tags.encoding {
                case .utf8: UInt16(buffer[index])
                case .utf16LE: UInt16(buffer[index]) | UInt16(buffer[index + 1]) << 8
                case .utf16BE: UInt16(buffer[index]) << 8 | UInt16(buffer[index + 1])
                }
            // Names end at white space, '/', '>' or '='.
            if unit <= 0x20 || unit == 0x2F || unit == 0x3E || unit == 0x3D { break }
            units.append(unit)
            index += width
        }
        guard !units.isEmpty, units.count <= 64 else { return nil }
        let name = tags.encoding == .utf8 ? String(decoding: units.map { UInt8($0) }, as: UTF8.self) : String(decoding: units, as: UTF16.self)
        // Control characters (C0, DEL, C1) never reach a message.
        let shown = String(String.UnicodeScalarView(name.unicodeScalars.prefix { !($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }))
        return shown.isEmpty ? nil : shown
    }
}
