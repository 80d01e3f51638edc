/// Small text helpers: control characters never reach a header, a reason or a message raw.
enum Text {
    /// Whether the scalar is a control character (Unicode general category Cc: C0, DEL, C1).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Whether the text has a control character.
    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }

    /// The text with each control character written as `\u{XX}`.
    static func escapingControls(_ text: String) -> String {
        guard hasControl(text) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                output += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The text cut to at most `limit` characters (an ellipsis added when cut), controls escaped.
    static func excerpt(_ text: String, limit: Int) -> String {
        let escaped = escapingControls(text)
        guard escaped.count > limit else { return escaped }
        return String(escaped.prefix(limit)) + "…"
    }

    /// Whether the name is an HTTP token (RFC 9110 `tchar`s, at least one).
    static func isToken(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
