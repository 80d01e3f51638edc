/// Text made safe to show a person: control characters and invisible direction overrides written
/// as escapes, so that no input can start a new line, move the cursor, colour a terminal or reorder
/// what is shown (Docs/cli.md, "Control characters in output").
///
/// Every human-readable line the command-line tools print goes through ``escape(_:)``: errors,
/// warnings, notes, summaries and the `simulate` report. The escapes are those of a Swift string
/// literal:
///
/// | input | shown as |
/// |---|---|
/// | `\` | `\\` |
/// | line feed, carriage return, tab, NUL | `\n`, `\r`, `\t`, `\0` |
/// | other C0 controls (U+0001–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F) | `\u{1B}` (hexadecimal, upper-case) |
/// | line and paragraph separators (U+2028, U+2029), bidi marks and overrides (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), U+FEFF | `\u{202E}` |
///
/// Everything else, including any other non-ASCII text, is kept as it is. Escaping only adds
/// backslashes, so two different texts always show differently: `a\nb` (four characters) is shown
/// as `a\\nb`, a line feed between `a` and `b` as `a\nb`.
///
/// ```swift
/// let line = DisplayText.escape("id\nerror: forged")   // "id\\nerror: forged", one line
/// let code = DisplayText.escape("\u{1B}[31mred")        // "\\u{1B}[31mred"
/// ```
public enum DisplayText: Sendable {
    /// `text` with every backslash, control character and direction override escaped (see
    /// ``DisplayText``); `text` itself when there is nothing to escape.
    public static func escape(_ text: String) -> String {
        guard holdsControl(text, orBackslash: true) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) { append(scalar, to: &result) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// Appends the escape of `scalar`, one ``needsEscape(_:)`` names.
    private static func append(_ scalar: Unicode.Scalar, to result: inout String) {
        switch scalar {
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\0": result += "\\0"
        default: result += "\\u{" + hexadecimal(scalar.value) + "}"
        }
    }

    /// `text` with every control character and direction override escaped as ``escape(_:)`` writes
    /// them, but backslashes left as they are: for whole lines whose quoted input values were
    /// already escaped with ``escape(_:)`` (a message of the library's errors), so those are not
    /// escaped twice, while anything raw that is left still cannot reach a terminal.
    public static func escapeControls(_ text: String) -> String {
        guard holdsControl(text, orBackslash: false) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isControl(scalar) { append(scalar, to: &result) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// JSON text with every scalar ``isControl(_:)`` names that JSON leaves raw (DEL, C1 controls,
    /// separators, bidi marks and overrides, U+FEFF) written as `\uXXXX`: the same JSON value, safe
    /// to print or to append to a file someone reads with `tail`. C0 controls are already escaped
    /// in JSON strings and never occur outside them.
    public static func escapeJSONText(_ text: String) -> String {
        guard holdsControl(text, orBackslash: false) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 12)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// ``escape(_:)`` of at most the first `maxScalars` scalars of `text`, with `…` after it when
    /// there was more: for quoting an input value inside a message.
    public static func escape(_ text: String, maxScalars: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > max(maxScalars, 0) else { return escape(text) }
        var prefix = ""
        prefix.unicodeScalars.append(contentsOf: scalars.prefix(max(maxScalars, 0)))
        return escape(prefix) + "…"
    }

    /// Whether `scalar` is shown as an escape: a backslash, a C0 or C1 control, DEL, a line or
    /// paragraph separator, a bidi mark or override, or U+FEFF.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || scalar == "\\"
    }

    /// Whether `scalar` may not reach a terminal raw: a C0 or C1 control, DEL, a line or paragraph
    /// separator, a bidi mark or override (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
    /// or U+FEFF.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// Whether `text` holds a scalar ``isControl(_:)`` names, or, with `orBackslash`, a `\`
    /// (``needsEscape(_:)``): exactly, from its UTF-8 bytes (the `UnsafeBufferPointer` overload),
    /// without decoding its scalars: text with `…`, quotes or dashes, which the report's is full
    /// of, is not decoded to be found clean (Benchmarks/README.md, "Import throughput").
    static func holdsControl(_ text: String, orBackslash: Bool) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ holdsControl($0, orBackslash: orBackslash) }) { return found }
        return text.unicodeScalars.contains { isControl($0) || (orBackslash && $0 == "\\") }
    }

    /// Whether the UTF-8 `bytes` (valid UTF-8) hold a scalar ``isControl(_:)`` names, or, with
    /// `orBackslash`, a `\`, byte by byte (``controlStarts(_:at:)``).
    static func holdsControl(_ bytes: UnsafeBufferPointer<UInt8>, orBackslash: Bool) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= 0x20, byte < 0x7F {
                if orBackslash, byte == 0x5C { return true }
                continue
            }
            if controlStarts(bytes, at: index) { return true }
        }
        return false
    }

    /// Whether the UTF-8 text `bytes` (valid UTF-8) has at `index` the start of a scalar
    /// ``isControl(_:)`` names, from its bytes alone: an ASCII control or DEL is one byte; U+0080–U+009F
    /// is `C2 80`–`C2 9F`; U+061C `D8 9C`; U+200E and U+200F `E2 80 8E`/`8F`; U+2028–U+202E
    /// `E2 80 A8`–`AE`; U+2066–U+2069 `E2 81 A6`–`A9`; U+FEFF `EF BB BF`. A continuation byte
    /// (`80`–`BF`) is never one of those lead bytes, so looking at every byte finds only scalars
    /// that start there. Exact, so text with `…`, quotes or dashes (lead byte `E2` too) is never
    /// decoded to be checked again scalar by scalar (the report's Markdown fence uses it too).
    package static func controlStarts(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x20 || byte == 0x7F { return true }
        func at(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }
        switch byte {
        case 0xC2: return (0x80...0x9F).contains(at(1))
        case 0xD8: return at(1) == 0x9C
        case 0xE2:
            let second = at(1)
            let third = at(2)
            if second == 0x80 { return third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third) }
            return second == 0x81 && (0xA6...0xA9).contains(third)
        case 0xEF: return at(1) == 0xBB && at(2) == 0xBF
        default: return false
        }
    }

    private static func hexadecimal(_ value: UInt32) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var text = ""
        var rest = value
        repeat {
            text.unicodeScalars.insert(digits[Int(rest & 0xF)], at: text.unicodeScalars.startIndex)
            rest >>= 4
        } while rest > 0
        return text.count == 1 ? "0" + text : text
    }
}
