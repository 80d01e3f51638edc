extension JSONValue {
    /// The canonical text: two-space indentation, keys sorted by code point, only the characters
    /// JSON requires escaped, and a final newline.
    ///
    /// It is byte for byte what Python's `json.dumps(value, indent=2, sort_keys=True,
    /// ensure_ascii=False)` writes (plus the newline), so files can be checked by an independent tool.
    public var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// ``canonicalText`` as UTF-8 bytes, the form files are written in.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        write(to: &output, indent: 0)
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// The value on one line with no spaces, keys sorted: the form of a JSON Lines record.
    public var compactText: String {
        var output: [UInt8] = []
        writeCompact(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``compactText``'s UTF-8 bytes to `output` (`package`: the engine's log writer puts a
    /// record's `why` straight into the record's bytes).
    package func appendCompactText(to output: inout [UInt8]) { writeCompact(to: &output) }

    private func writeCompact(to output: inout [UInt8]) {
        switch self {
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.writeCompact(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { Self.precedes($0.key, $1.key) }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.writeCompact(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        default: write(to: &output, indent: 0)
        }
    }

    /// Appends the canonical text without its final newline, every line after the first indented
    /// by `indent` more spaces (`package`: the migration report writes its fragments at an indent).
    package func write(to output: inout [UInt8], indent: Int) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { return output.append(contentsOf: "[]".utf8) }
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                Self.newline(&output, indent: indent + 2, comma: index > 0)
                value.write(to: &output, indent: indent + 2)
            }
            Self.newline(&output, indent: indent, comma: false)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return output.append(contentsOf: "{}".utf8) }
            output.append(UInt8(ascii: "{"))
            let sorted = members.sorted { Self.precedes($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                Self.newline(&output, indent: indent + 2, comma: index > 0)
                Self.writeString(member.key, to: &output)
                output.append(contentsOf: ": ".utf8)
                member.value.write(to: &output, indent: indent + 2)
            }
            Self.newline(&output, indent: indent, comma: false)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ output: inout [UInt8], indent: Int, comma: Bool) {
        if comma { output.append(UInt8(ascii: ",")) }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    /// Whether `a` sorts before `b` by code point: UTF-8 bytes compared in order (the same order),
    /// on the strings' contiguous storage.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let count = min(x.count, y.count)
                var index = 0
                while index < count {
                    if x[index] != y[index] { return x[index] < y[index] }
                    index += 1
                }
                return x.count < y.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string to a `JSONBytes`: the bytes `writeString(_:to:)`
    /// appends to an array. Text with nothing to escape (nearly all) is copied whole after one scan.
    package static func writeString(_ text: String, to output: inout JSONBytes) {
        var text = text
        text.withUTF8 { bytes in
            output.reserve(bytes.count + 2)
            output.appendReserved(UInt8(ascii: "\""))
            let count = bytes.count
            // Text of eight bytes or more with nothing to escape (nearly all): checked a word at a
            // time, the last word overlapping the one before, and copied whole.
            if count >= 8, let base = bytes.baseAddress, !mayNeedEscape(UnsafeRawBufferPointer(bytes)) {
                output.append(UnsafeBufferPointer(start: base, count: count))
                output.append(UInt8(ascii: "\""))
                return
            }
            var start = 0
            var index = 0
            while index < count {
                // Eight bytes at a time past those that need no escape (most text).
                if index + 8 <= count, let base = bytes.baseAddress,
                    !mayNeedEscape(UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self))
                {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                if start < index { output.append(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                index += 1
                start = index
                switch byte {
                case UInt8(ascii: "\""): output.append("\\\"")
                case UInt8(ascii: "\\"): output.append("\\\\")
                case UInt8(ascii: "\n"): output.append("\\n")
                case UInt8(ascii: "\r"): output.append("\\r")
                case UInt8(ascii: "\t"): output.append("\\t")
                case 0x08: output.append("\\b")
                case 0x0C: output.append("\\f")
                default:
                    output.append("\\u00")
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                }
            }
            if start < count { output.append(UnsafeBufferPointer(rebasing: bytes[start...])) }
            output.append(UInt8(ascii: "\""))
        }
    }

    /// Whether one of `bytes` (eight or more) may need an escape: a word at a time, the last word
    /// overlapping the one before it. Never false when one does.
    @inline(__always)
    static func mayNeedEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        assert(count >= 8, "JSONValue.mayNeedEscape: fewer than eight bytes")
        var offset = 0
        while offset + 8 <= count {
            if mayNeedEscape(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        return offset < count && mayNeedEscape(bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }

    /// Whether one of the eight bytes of `word` may need an escape: is below 0x20, `"` or `\`.
    /// Never false when one does (the bytes are then looked at one by one).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below n (n <= 128) leaves its high bit set in (x - n * ones) & ~x; a zero byte in
        // x ^ (c * ones) is a byte equal to c.
        let control = (word &- 0x20 &* ones) & ~word
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs != 0
    }

    /// Appends `text` as a JSON string, escaped as the canonical form escapes it (`package`: the
    /// engine's direct log text writes strings through it too).
    package static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        writeStringContents(text, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `text` escaped as ``writeString(_:to:)`` escapes it, without the quotes: the
    /// escapes are byte by byte, so the contents of a string written in pieces are those of the
    /// whole (`package`: the engine writes a log message from its parts straight into the record).
    package static func writeStringContents(_ text: String, to output: inout [UInt8]) {
        var text = text
        // Native strings are contiguous UTF-8: runs of bytes that need no escape are copied whole
        // (most text has none, checked a word at a time), the rest one byte at a time.
        text.withUTF8 { bytes in
            let count = bytes.count
            if count >= 8, !mayNeedEscape(UnsafeRawBufferPointer(bytes)) {
                output.append(contentsOf: bytes)
                return
            }
            var start = 0
            for index in 0..<count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                start = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): output.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): output.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    output.append(contentsOf: "u00".utf8)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                }
            }
            if start < count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
    }
}
