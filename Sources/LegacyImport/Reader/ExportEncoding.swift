/// The encodings an export may be in, found from its first bytes before anything is parsed.
///
/// Only UTF-8 and UTF-16 (either byte order, with or without a byte-order mark) are read: the
/// ``TagScanner`` counts attributes in their code units before libxml2 sees a tag, which it could not
/// do in an encoding it does not know. Everything else (UTF-32, UCS-4, EBCDIC, ISO-8859-x, any other
/// `encoding=` in the XML declaration, or a declaration that contradicts the byte-order mark) is
/// refused at once, naming what was found and how to convert it.
enum ExportEncoding: Equatable {
    case utf8
    case utf16LE
    case utf16BE

    /// Bytes per code unit.
    var unitWidth: Int { self == .utf8 ? 1 : 2 }

    /// The name used in messages and in `iconv`.
    var name: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        }
    }

    /// The encoding of a document from its first bytes (the first chunk read, which holds the whole
    /// XML declaration unless the document is malformed), or why it is refused.
    ///
    /// Follows Appendix F of the XML specification: the byte-order mark if there is one, else the
    /// pattern of `<?xml`, then the declaration's `encoding=`, which must agree.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ExportEncoding, Refusal> {
        func starts(_ prefix: [UInt8]) -> Bool {
            bytes.count >= prefix.count && prefix.indices.allSatisfy { bytes[$0] == prefix[$0] }
        }
        // Four-byte patterns first: a UTF-32LE byte-order mark starts like UTF-16LE's.
        if starts([0x00, 0x00, 0xFE, 0xFF]) { return .failure(.unsupported("UTF-32BE (byte-order mark 00 00 FE FF)", iconv: "UTF-32BE")) }
        if starts([0xFF, 0xFE, 0x00, 0x00]) { return .failure(.unsupported("UTF-32LE (byte-order mark FF FE 00 00)", iconv: "UTF-32LE")) }
        if starts([0x00, 0x00, 0x00, 0x3C]) { return .failure(.unsupported("UTF-32BE (UCS-4, the bytes 00 00 00 3C for '<')", iconv: "UTF-32BE")) }
        if starts([0x3C, 0x00, 0x00, 0x00]) { return .failure(.unsupported("UTF-32LE (UCS-4, the bytes 3C 00 00 00 for '<')", iconv: "UTF-32LE")) }
        if starts([0x00, 0x00, 0x3C, 0x00]) || starts([0x00, 0x3C, 0x00, 0x00]) {
            return .failure(.unsupported("UCS-4 in an unusual byte order (2143 or 3412)", iconv: "UCS-4"))
        }
        if starts([0x4C, 0x6F, 0xA7, 0x94]) { return .failure(.unsupported("EBCDIC (the bytes 4C 6F A7 94 for '<?xm')", iconv: "EBCDIC-US")) }
        // Byte-order marks of other encodings, which would otherwise read as UTF-8 that is not XML.
        if starts([0x2B, 0x2F, 0x76]), bytes.count > 3, [0x38, 0x39, 0x2B, 0x2F].contains(bytes[3]) {
            return .failure(.unsupported("UTF-7 (byte-order mark 2B 2F 76)", iconv: "UTF-7"))
        }
        if starts([0x84, 0x31, 0x95, 0x33]) { return .failure(.unsupported("GB18030 (byte-order mark 84 31 95 33)", iconv: "GB18030")) }
        if starts([0xDD, 0x73, 0x66, 0x73]) { return .failure(.unknown("the file starts with DD 73 66 73, the byte-order mark of UTF-EBCDIC, which is not read; save it as UTF-8")) }
        if starts([0x4C]), bytes.count > 1, bytes[1] >= 0x80 {
            return .failure(.unsupported("EBCDIC (the byte 4C for '<' followed by the non-ASCII byte \(hex(bytes[1])), with no XML declaration)", iconv: "EBCDIC-US"))
        }
        let found: ExportEncoding
        let start: Int
        let marked: Bool
        if starts([0xEF, 0xBB, 0xBF]) {
            (found, start, marked) = (.utf8, 3, true)
        } else if starts([0xFE, 0xFF]) {
            (found, start, marked) = (.utf16BE, 2, true)
        } else if starts([0xFF, 0xFE]) {
            (found, start, marked) = (.utf16LE, 2, true)
        } else if starts([0x00, 0x3C, 0x00, 0x3F]) {
            (found, start, marked) = (.utf16BE, 0, false)
        } else if starts([0x3C, 0x00, 0x3F, 0x00]) {
            (found, start, marked) = (.utf16LE, 0, false)
        } else {
            if bytes.prefix(4).contains(0) {
                return .failure(
                    .unknown(
                        "the file starts with NUL bytes: it looks like UTF-16 or UTF-32 without a byte-order mark or an XML declaration; save it as UTF-8, or as UTF-16 with a byte-order mark"
                    ))
            }
            (found, start, marked) = (.utf8, 0, false)
        }
        if let refusal = notMarkup(bytes, from: start, in: found, marked: marked) { return .failure(refusal) }
        guard let declared = declaredEncoding(bytes, from: start, in: found) else { return .success(found) }
        switch declared {
        case .failure(let refusal): return .failure(refusal)
        case .success(let name):
            guard let name else { return .success(found) }
            if name.allSatisfy({ $0 == " " }) {
                return .failure(.unknown("the encoding declaration is empty (encoding=\"\(name)\"); write encoding=\"\(found == .utf8 ? "UTF-8" : "UTF-16")\" or leave it out"))
            }
            let upper = name.uppercased()
            let agrees =
                switch found {
                case .utf8: upper == "UTF-8"
                case .utf16LE: upper == "UTF-16" || upper == "UTF-16LE"
                case .utf16BE: upper == "UTF-16" || upper == "UTF-16BE"
                }
            if agrees { return .success(found) }
            let shown = String(name.prefix(40))
            if ["UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE"].contains(upper) {
                let evidence = marked ? "its byte-order mark says \(found.name)" : "its bytes are \(found.name)"
                return .failure(
                    .contradiction(
                        "the XML declaration says encoding=\"\(shown)\" but \(evidence); correct the declaration to encoding=\"\(found == .utf8 ? "UTF-8" : "UTF-16")\""
                    ))
            }
            return .failure(.unsupported("\(shown) (declared in the XML declaration)", iconv: shown))
        }
    }

    /// Two hexadecimal digits.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    /// Why the document is not XML at all, when its first character after white space is not `<`:
    /// text, JSON, or a byte-order mark followed by something else; nil when it may be XML.
    private static func notMarkup(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, in encoding: ExportEncoding, marked: Bool) -> Refusal? {
        var offset = start
        let width = encoding.unitWidth
        while offset + width <= bytes.count {
            let unit: UInt16 =
                switch encoding {
                case .utf8: UInt16(bytes[offset])
                case .utf16LE: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
                case .utf16BE: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
                }
            if unit == 0x20 || unit == 0x09 || unit == 0x0A || unit == 0x0D {
                offset += width
                continue
            }
            if unit == 0x3C { return nil }
            let shown = bytes[offset..<min(bytes.count, offset + 8)].map(hex).joined(separator: " ")
            let mark = marked ? " after the byte-order mark of \(encoding.name)" : ""
            return .notXML(
                "not an XML export: no root element <export>: the file\(mark) starts with the bytes \(shown), where an XML document starts with '<' (an XML declaration or <export ...>); is it an export, saved as UTF-8 or UTF-16?"
            )
        }
        return nil
    }

    /// The value of `encoding=` in the XML declaration at `start`; nil when there is no declaration,
    /// `.success(nil)` when it declares no encoding.
    private static func declaredEncoding(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, in encoding: ExportEncoding
    ) -> Result<String?, Refusal>? {
        // The declaration is ASCII: read code units, and stop at anything that is not.
        let width = encoding.unitWidth
        func unit(_ index: Int) -> UInt8? {
            let offset = start + index * width
            guard offset + width <= bytes.count else { return nil }
            switch encoding {
            case .utf8: return bytes[offset]
            case .utf16LE: return bytes[offset + 1] == 0 ? bytes[offset] : 0xFF
            case .utf16BE: return bytes[offset] == 0 ? bytes[offset + 1] : 0xFF
            }
        }
        let opening = Array("<?xml".utf8)
        guard opening.indices.allSatisfy({ unit($0) == opening[$0] }) else { return nil }
        guard let after = unit(5), [0x20, 0x09, 0x0A, 0x0D].contains(after) else { return nil }  // a PI such as <?xml-stylesheet
        // Gather the declaration up to `?>`, at most 1,024 units (a declaration is a few dozen).
        var text: [UInt8] = []
        var index = 5
        while true {
            guard let byte = unit(index), index < 1024 else {
                return .failure(.unknown("the XML declaration (<?xml ...) does not end with ?> within its first 1,024 characters, or the file ends inside it"))
            }
            if byte == 0x3F, unit(index + 1) == 0x3E { break }
            text.append(byte)
            index += 1
        }
        // `encoding` as a pseudo-attribute name, not inside another one's quoted value.
        let name = Array("encoding".utf8)
        var inside: UInt8?
        var found: Int?
        for index in text.indices {
            let byte = text[index]
            if let open = inside {
                if byte == open { inside = nil }
            } else if byte == 0x22 || byte == 0x27 {
                inside = byte
            } else if byte == name[0], text[index...].starts(with: name) {
                found = index + name.count
                break
            }
        }
        guard let found else { return .success(nil) }
        var position = found
        func skipSpace() { while position < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[position]) { position += 1 } }
        skipSpace()
        guard position < text.count, text[position] == 0x3D else { return .success(nil) }  // '=': libxml2 reports the syntax error
        position += 1
        skipSpace()
        guard position < text.count, text[position] == 0x22 || text[position] == 0x27 else { return .success(nil) }
        let quote = text[position]
        guard let end = text[(position + 1)...].firstIndex(of: quote) else { return .success(nil) }
        let value = text[(position + 1)..<end].map { $0 < 0x20 || $0 > 0x7E ? UInt8(ascii: "?") : $0 }
        return .success(String(decoding: value, as: UTF8.self))
    }

    /// Why a document's encoding is refused.
    enum Refusal: Error, Equatable {
        /// A known encoding other than UTF-8 and UTF-16; `iconv` is its name for `iconv -f`.
        case unsupported(String, iconv: String)
        /// The declaration names UTF-8 or UTF-16 but the bytes are the other.
        case contradiction(String)
        /// Something that is not an encoding this reader can name.
        case unknown(String)
        /// Not XML at all: the first character is not `<`.
        case notXML(String)

        /// The message for people.
        var message: String {
            switch self {
            case .unsupported(let found, let iconv):
                "the export is in \(found); exports are read in UTF-8 or UTF-16 only: convert it to UTF-8, for example with iconv -f \(iconv) -t UTF-8, and declare encoding=\"UTF-8\""
            case .contradiction(let text): "unsupported encoding: \(text)"
            case .unknown(let text): "unsupported encoding: \(text)"
            case .notXML(let text): text
            }
        }
    }
}
