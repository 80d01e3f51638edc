extension JSONValue {
    /// The most nested arrays and objects a document may have: 256. A workflow's `if` takes four
    /// levels (`steps`, the step, `branches`, the branch), so about 60 nested `if`s fit; an event
    /// needs 4. The readers recurse once per level (a few hundred bytes of stack each), so 256 levels
    /// fit well within a 512 KiB thread stack (Docs/workflow-format.md and Docs/events.md, "Limits").
    public static let maximumDepth = 256

    /// Parses one JSON document (RFC 8259) from UTF-8 bytes.
    ///
    /// Numbers must be integers that fit in 64 bits (the formats hold no others); a member name may
    /// not appear twice in one object; nesting is limited to ``maximumDepth``. Errors give the line
    /// and column.
    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0, path: .root)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// Parses one JSON document from a string.
    public static func parse(_ text: String) throws(JSONError) -> JSONValue { try parse(Array(text.utf8)) }

    /// The 1-based line and column (in bytes) where the value at `path` starts in a document, or
    /// `nil` when the document is not JSON or has no value there. For errors found after parsing
    /// (a value out of range, an unknown member), which know the path but not the place.
    public static func position(of path: JSONPath, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        var parser = JSONParser(bytes: bytes)
        parser.target = path
        parser.skipSpace()
        _ = try? parser.value(depth: 0, path: .root)
        guard let found = parser.found else { return nil }
        parser.index = found
        let error = parser.error("")
        return (error.line ?? 1, error.column ?? 1)
    }
}

/// A recursive-descent JSON parser over bytes.
struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    /// With ``JSONValue/position(of:in:)``: the path looked for, and where its value starts.
    var target: JSONPath?
    var found: Int?

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ message: String, _ code: JSONError.Code = .syntax, path: JSONPath = .root) -> JSONError {
        var line = 1
        var lineStart = 0
        for position in 0..<min(index, bytes.count) where bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        return JSONError(code, message, at: path, line: line, column: index - lineStart + 1)
    }

    /// The nesting limit's message (at the path of the array or object one level too deep).
    static let depthMessage =
        "nested more than \(JSONValue.maximumDepth) arrays and objects deep, the most allowed (Docs/workflow-format.md and Docs/events.md, \"Limits\")"

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let utf8 = Array(literal.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else {
            throw error("expected a JSON value")
        }
        index += utf8.count
        return value
    }

    mutating func value(depth: Int, path: JSONPath) throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input: expected a JSON value") }
        if let target, found == nil, target.components.count == path.components.count, target == path { found = index }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1, path: path)
        case UInt8(ascii: "["): return try array(depth: depth + 1, path: path)
        case UInt8(ascii: "\""): return .string(try string(path: path))
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(path: path)
        default: throw error("expected a JSON value")
        }
    }

    mutating func object(depth: Int, path: JSONPath) throws(JSONError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw error(Self.depthMessage, .limit, path: path) }
        index += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let nameStart = index
            let name = try string()
            guard members[name] == nil else {
                index = nameStart
                throw error("member '\(name)' appears twice in one object")
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after the member name") }
            index += 1
            skipSpace()
            members[name] = try value(depth: depth, path: path.member(name))
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of input: expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    mutating func array(depth: Int, path: JSONPath) throws(JSONError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw error(Self.depthMessage, .limit, path: path) }
        index += 1
        var values: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(values)
        }
        while true {
            skipSpace()
            values.append(try value(depth: depth, path: path.index(values.count)))
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of input: expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(values)
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    mutating func number(path: JSONPath) throws(JSONError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw error("expected a digit") }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1]) {
            throw error("a number may not start with 0")
        }
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            index = start
            throw error(Self.wholeNumberMessage(path), .notAnInteger, path: path)
        }
        guard let value = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            index = start
            throw error("the number does not fit in 64 bits", .notAnInteger, path: path)
        }
        return .integer(value)
    }

    /// What a number with a fraction or exponent is told: every number of the formats is a whole
    /// number; amounts (an event's `amount.minor`, a condition's `value`) are in minor units.
    static func wholeNumberMessage(_ path: JSONPath) -> String {
        let amount = path.components.last.map { $0 == .member("minor") || $0 == .member("value") } ?? false
        return amount
            ? "must be a whole number, with no fraction or exponent: amounts are in minor units (1999 for 19.99)"
            : "must be a whole number, with no fraction or exponent"
    }

    mutating func string(path: JSONPath = .root) throws(JSONError) -> String {
        index += 1
        var output: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: output, as: UTF8.self) else { throw error("the string is not valid UTF-8", path: path) }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    do {
                        output.append(contentsOf: try unicodeEscape())
                    } catch {
                        throw JSONError(error.code, error.message, at: path, line: error.line, column: error.column)
                    }
                default:
                    index -= 2
                    throw error("unknown escape in a string", path: path)
                }
            case 0..<0x20:
                throw error("a control character must be escaped in a string", path: path)
            default:
                output.append(byte)
                index += 1
            }
        }
    }

    mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func unicodeEscape() throws(JSONError) -> [UInt8] {
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("a lone UTF-16 surrogate in a \\u escape")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone UTF-16 surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("a lone UTF-16 surrogate in a \\u escape")
        }
        return Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
    }
}
