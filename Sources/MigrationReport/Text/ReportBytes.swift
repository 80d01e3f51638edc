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
        // The magnitude, so Int.min is written too; the digits come last first.
        var rest = number.magnitude
        let start = count
        repeat {
            append(UInt8(truncatingIfNeeded: rest % 10) &+ 0x30)
            rest /= 10
        } while rest > 0
        self[start...].reverse()
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
        // Control characters and backslashes are rare: then the escaped text is made first.
        let shown = mayNeedDisplayEscape(text) ? DisplayText.escape(text) : text
        let bytes = shown.utf8
        guard let first = bytes.first else { return }
        let leading = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") || (0x30...0x39).contains(first)
        let special = markdownSpecialByte
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
        htmlEntities(mayNeedDisplayEscape(text) ? DisplayText.escape(text) : text, into: &output)
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
