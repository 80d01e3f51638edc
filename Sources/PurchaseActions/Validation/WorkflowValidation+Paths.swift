#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the files `validate` is given live, and whether their bytes are text at all.
extension WorkflowValidation {
    /// The migration folder (ending in `/`) whose `workflows/` folder `folder` is, when it has
    /// `templates/` or `account.json` beside it (``MigrationFolder/parent(ofWorkflowsFolder:)``:
    /// by the path as written, else by its real path).
    static func migration(ofWorkflowsFolder folder: String) -> String? { MigrationFolder.parent(ofWorkflowsFolder: folder) }

    /// Where `bytes` stop being UTF-8 text: the first byte that does not begin or continue a valid
    /// UTF-8 character (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF), its
    /// 0-based offset and its 1-based line and column (in bytes, as JSON errors count them); `nil`
    /// when all of it is UTF-8.
    static func firstNonUTF8(_ bytes: [UInt8]) -> (offset: Int, byte: UInt8, line: Int, column: Int)? {
        var offset = 0
        // ASCII runs are skipped a byte at a time without the decoder.
        while offset < bytes.count, bytes[offset] < 0x80 { offset += 1 }
        guard offset < bytes.count else { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[offset...].makeIterator()
        decoding: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: break decoding
            }
        }
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (offset, bytes[offset], line, offset - lineStart + 1)
    }

    /// The problem's message for bytes that are not UTF-8 text.
    static func notUTF8Message(_ found: (offset: Int, byte: UInt8, line: Int, column: Int), what: String) -> String {
        let hex = String(found.byte, radix: 16, uppercase: true)
        return "the file is not UTF-8 text: byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(found.offset) does not begin or continue a UTF-8 character; \(what) is JSON in UTF-8 (a file saved in another encoding must be converted, for example with iconv -t UTF-8)"
    }
}
