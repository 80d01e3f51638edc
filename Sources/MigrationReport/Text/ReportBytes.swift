import PurchaseActionsCore

/// Writing report text straight into bytes: the per-workflow Markdown, HTML and Mermaid are built
/// in one `[UInt8]` each, with no intermediate `String` per element (Benchmarks/README.md, "Import
/// throughput"). Each writer gives exactly the bytes of the `String` code it replaced.
extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `text` (copied as one run of bytes: appending the `UTF8View` as a
    /// sequence costs more per call, and the report makes millions of these calls).
    @inline(__always)
    mutating func write(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil { append(contentsOf: text.utf8) }
    }

    /// Appends `number` in decimal, as `"\(number)"` writes it.
    mutating func write(decimal number: Int) {
        if number < 0 { append(UInt8(ascii: "-")) }
        // The magnitude, so Int.min is written too. Its digits are counted first, then written
        // from the last into the room appended for them: no slice reversed (it was copied).
        let magnitude = number.magnitude
        var digits = 1
        var power: UInt = 10
        while digits < 20, magnitude >= power {
            digits += 1
            // At most 10^19, below UInt.max: the multiplication cannot overflow.
            if digits < 20 { power &*= 10 }
        }
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        // Written through the array's own (checked) subscript, never through a pointer (review 10).
        let first = count - digits
        var rest = magnitude
        var index = count
        repeat {
            index -= 1
            self[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
        } while rest > 0
        assert(index == first, "ReportBytes.write(decimal:): the digits were miscounted")
    }

    /// Appends `count` spaces.
    @inline(__always)
    mutating func write(spaces count: Int) {
        if count > 0 { append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }
}

extension ReportText {
    /// ``markdown(_:)`` appended to `output`.
    static func markdown(_ text: String, into output: inout [UInt8]) {
        // Most text has nothing to escape: found in one scan of its bytes and copied whole.
        let special = markdownSpecialByte
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let first = bytes.first else { return true }
            if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") || (0x30...0x39).contains(first) { return false }
            for index in bytes.indices {
                let byte = bytes[index]
                if byte < 0x80 {
                    // A backslash is a special byte.
                    if byte < 0x20 || byte == 0x7F || special[Int(byte)] { return false }
                } else if Self.mayStartControl(byte), DisplayText.controlStarts(bytes, at: index) {
                    return false
                }
            }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        // Control characters and backslashes are rare: then the escaped text is made first.
        let shown = mayNeedDisplayEscape(text) ? DisplayText.escape(text) : text
        let bytes = shown.utf8
        guard let first = bytes.first else { return }
        let leading = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") || (0x30...0x39).contains(first)
        guard leading || bytes.contains(where: { special[Int($0)] }) else {
            output.write(shown)
            return
        }
        output.reserveCapacity(output.count + bytes.count + 8)
        var leadingDigits = true
        var isFirst = true
        for byte in bytes {
            let digit = (0x30...0x39).contains(byte)
            if special[Int(byte)] {
                output.append(UInt8(ascii: "\\"))
            } else if isFirst, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") {
                output.append(UInt8(ascii: "\\"))
            } else if !isFirst, leadingDigits, byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")") {
                output.append(UInt8(ascii: "\\"))
            }
            leadingDigits = leadingDigits && digit
            isFirst = false
            output.append(byte)
        }
    }

    /// ``html(_:)`` appended to `output`.
    static func html(_ text: String, into output: inout [UInt8]) {
        // Most text has nothing to escape: found in one scan of its bytes and copied whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for index in bytes.indices {
                switch bytes[index] {
                case 0x00..<0x20, 0x7F, UInt8(ascii: "\\"), UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): return false
                case let byte where Self.mayStartControl(byte): if DisplayText.controlStarts(bytes, at: index) { return false }
                default: continue
                }
            }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        htmlEntities(mayNeedDisplayEscape(text) ? DisplayText.escape(text) : text, into: &output)
    }

    /// `text` as `DisplayText.escape` shows it, appended to `output`: copied whole when it holds no
    /// control character and no backslash (exactly: `DisplayText.controlStarts`), the common case.
    static func shown(_ text: String, into output: inout [UInt8]) {
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for index in bytes.indices {
                let byte = bytes[index]
                if byte < 0x80 {
                    if byte < 0x20 || byte == 0x7F || byte == 0x5C { return false }
                } else if mayStartControl(byte), DisplayText.controlStarts(bytes, at: index) {
                    return false
                }
            }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        output.write(mayNeedDisplayEscape(text) ? DisplayText.escape(text) : text)
    }

    /// Whether a byte of 0x80 or more is the lead byte of a control character
    /// (`DisplayText.controlStarts` decides): `C2`, `D8`, `E2` or `EF`.
    @inline(__always)
    static func mayStartControl(_ byte: UInt8) -> Bool {
        byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF
    }

    /// `shown` (escaped for display already) with `&`, `<`, `>`, `"` and `'` written as character
    /// references, byte by byte (so one followed by a combining mark is written as a reference too).
    static func htmlEntities(_ shown: String, into output: inout [UInt8]) {
        for byte in shown.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.write("&amp;")
            case UInt8(ascii: "<"): output.write("&lt;")
            case UInt8(ascii: ">"): output.write("&gt;")
            case UInt8(ascii: "\""): output.write("&quot;")
            case UInt8(ascii: "'"): output.write("&#39;")
            default: output.append(byte)
            }
        }
    }

    /// `false` when no byte of `text` can start a scalar `DisplayText.escape` changes (below U+0020,
    /// `\`, DEL, and the lead bytes of U+0080–U+009F, U+061C, U+200E–U+206F and U+FEFF): then
    /// `DisplayText.escape(text) == text`, found without asking it.
    static func mayNeedDisplayEscape(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }
    }

    /// The bytes ``markdown(_:)`` always writes with a backslash.
    static let markdownSpecialByte: [Bool] = (0..<256).map { byte in
        Array("\\`*_[]<>|#!~&$".utf8).contains(UInt8(byte))
    }
}
