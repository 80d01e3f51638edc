/// The lines where the values at many JSON paths start in one document, found in one pass over its
/// bytes (``JSONValue/position(of:in:)`` reads the whole document once per path, so a file with a
/// thousand problems would be read a thousand times).
///
/// Meant for documents that have parsed (JSON within ``JSONValue/maximumDepth``); on anything else it
/// stops where it cannot go on, and the paths not reached have no line. Recursion is bounded by
/// ``JSONValue/maximumDepth``.
struct JSONLineIndex {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var targets: Set<JSONPath>
    private let depths: Set<Int>
    private var path: [JSONPath.Component] = []
    private(set) var lines: [JSONPath: Int] = [:]

    /// The line of each of `paths` found in `bytes` (1-based); a path with no value there is left out.
    static func lines(of paths: Set<JSONPath>, in bytes: [UInt8]) -> [JSONPath: Int] {
        guard !paths.isEmpty else { return [:] }
        var index = JSONLineIndex(bytes: bytes, targets: paths)
        index.skipSpace()
        _ = index.value(depth: 0)
        return index.lines
    }

    private init(bytes: [UInt8], targets: Set<JSONPath>) {
        self.bytes = bytes
        self.targets = targets
        self.depths = Set(targets.map(\.components.count))
    }

    private var done: Bool { targets.isEmpty || index >= bytes.count }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            default: return
            }
            index += 1
        }
    }

    /// Reads the value at `index`, noting its line when its path is a target; false to stop.
    private mutating func value(depth: Int) -> Bool {
        guard !done, depth <= JSONValue.maximumDepth else { return false }
        if depths.contains(path.count) {
            let here = JSONPath(components: path)
            if targets.remove(here) != nil { lines[here] = line }
            if targets.isEmpty { return false }
        }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return true
            }
            while index < bytes.count {
                skipSpace()
                guard let key = string() else { return false }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipSpace()
                path.append(.member(key))
                let going = value(depth: depth + 1)
                path.removeLast()
                guard going else { return false }
                skipSpace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { return false }
                index += 1
                return true
            }
            return false
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return true
            }
            var position = 0
            while index < bytes.count {
                skipSpace()
                path.append(.index(position))
                let going = value(depth: depth + 1)
                path.removeLast()
                guard going else { return false }
                position += 1
                skipSpace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { return false }
                index += 1
                return true
            }
            return false
        case UInt8(ascii: "\""):
            return skipString()
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"),
                    UInt8(ascii: "\r"):
                    return index > start
                default: index += 1
                }
            }
            return index > start
        }
    }

    /// Passes over a string (JSON strings hold no raw line break).
    private mutating func skipString() -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return false
    }

    /// Reads a member name, decoding its escapes as the parser does.
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            if !raw.isEmpty {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                flush()
                return String(scalars)
            }
            guard byte == UInt8(ascii: "\\") else {
                raw.append(byte)
                index += 1
                continue
            }
            flush()
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard let high = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(high), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    scalars.append(scalar)
                } else {
                    scalars.append(Unicode.Scalar(high) ?? "\u{FFFD}")
                }
            default: scalars.append(Unicode.Scalar(escape))
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * 16 + digit
        }
        index += 4
        return value
    }
}
