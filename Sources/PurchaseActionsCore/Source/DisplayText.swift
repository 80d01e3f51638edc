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
        guard mayNeedEscape(text), text.unicodeScalars.contains(where: needsEscape) else { return text }
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
        guard mayBeControl(text), text.unicodeScalars.contains(where: isControl) else { return text }
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
        guard mayBeControl(text), text.unicodeScalars.contains(where: isControl) else { return text }
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

    /// A quick look at the UTF-8 bytes: `false` when no byte can start a scalar ``needsEscape(_:)``
    /// names (below U+0020, `\`, DEL, and the lead bytes of U+0080–U+009F, U+061C, U+200E–U+206F and U+FEFF).
    private static func mayNeedEscape(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }
    }

    /// A quick look at the UTF-8 bytes: `false` when no byte can start a scalar ``isControl(_:)``
    /// names (the lead bytes ``mayNeedEscape(_:)`` looks for, without `\`): the report asks it of
    /// every finding's message.
    private static func mayBeControl(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }
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
