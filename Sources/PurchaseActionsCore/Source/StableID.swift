/// The rules for ids in an export: 1 to 64 characters from `A-Z a-z 0-9 . _ -`, starting with a letter or digit.
///
/// Every generated output (workflow ids, step ids, report entries) derives its ids from these, never from
/// positions, so re-ordering an export changes nothing downstream.
public enum StableID: Sendable {
    /// The longest id allowed.
    public static let maximumLength = 64

    /// Whether `text` is a valid id.
    public static func isValid(_ text: String) -> Bool {
        // The rule below with no extra bytes, read from contiguous storage: events check their
        // catalogue ids with it on every ingest (Event.validate).
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, bytes.count <= maximumLength, isAlphanumeric(first) else { return false }
            for byte in bytes where !(isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")) {
                return false
            }
            return true
        }
    }

    /// Whether `text` is an id of up to `maximumLength` bytes that may also hold `:` after its first
    /// character (generated ids use it, which export ids never hold). Read from contiguous storage,
    /// with no set of extra bytes to build: every compiled step's id is checked with it.
    static func isValid(_ text: String, maximumLength: Int, allowingColon: Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, bytes.count <= maximumLength, isAlphanumeric(first) else { return false }
            for byte in bytes
            where !(isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || (allowingColon && byte == UInt8(ascii: ":")))
            {
                return false
            }
            return true
        }
    }

    /// A 64-bit FNV-1a digest of an id, stable across runs and machines.
    ///
    /// For indexing ids compactly where the input is trusted; it is never written to an output. (The
    /// export reader keys its index per process instead, so crafted collisions are impossible.)
    public static func digest(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
