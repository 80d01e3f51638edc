// Codable for JSONValue, the bridge every format's Codable goes through: a value's canonical
// JSONValue is written into the Encoder's containers, and a JSONValue read from a Decoder is
// handed to the format's own decoder, so every check and limit of the format applies. The
// standard library's Codable only: no Foundation here.

extension JSONPath.Component: CodingKey {
    /// The member's name, or `Index n` for an array element (as Foundation's coders name them).
    public var stringValue: String {
        switch self {
        case .member(let name): name
        case .index(let index): "Index \(index)"
        }
    }

    /// The element's index, or `nil` for a member.
    public var intValue: Int? {
        switch self {
        case .member: nil
        case .index(let index): index
        }
    }

    /// A member: `.member("order")`.
    public init(stringValue: String) { self = .member(stringValue) }

    /// An array element: `.index(2)`.
    public init(intValue: Int) { self = .index(intValue) }
}

extension JSONPath {
    /// The path a coder's `codingPath` describes: keys with an integer value are array elements.
    ///
    /// ```swift
    /// let path = JSONPath(codingPath: decodingError.context.codingPath).description   // "$.order.lines[0]"
    /// ```
    public init(codingPath: [any CodingKey]) {
        self.init(components: codingPath.map { key in key.intValue.map(Component.index) ?? .member(key.stringValue) })
    }

    /// The path with `other`'s components appended: `$.events[3]` + `$.order` is `$.events[3].order`.
    public func appending(_ other: JSONPath) -> JSONPath { JSONPath(components: components + other.components) }
}

extension JSONValue: Codable {
    /// Reads any JSON value from a decoder, at most ``maximumDepth`` arrays and objects deep
    /// (counted from this value), so a hostile document cannot exhaust the stack.
    ///
    /// Numbers must be integers that fit in 64 bits, as in `parse(_:)`: another number is
    /// `DecodingError.dataCorrupted`. What the decoder does not tell (how a number was written, a
    /// member name given twice) cannot be checked here: Foundation's `JSONDecoder` reads `1.0` and
    /// `1e2` as the integers 1 and 100 and keeps the first of two equal member names, where
    /// `parse(_:)` refuses both. Use the coders' default key strategies: a key strategy renames
    /// object members, which hold data (`.convertFromSnakeCase` reads `first_name` as `firstName`).
    ///
    /// ```swift
    /// let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a":[1,true,null]}"#.utf8))
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try Self.read(from: decoder, depth: 0, root: decoder.codingPath.count)
    }

    /// Writes the value into the encoder's containers: objects as keyed containers (keys in sorted
    /// order), arrays as unkeyed ones, integers as `Int`. A value nested deeper than
    /// ``maximumDepth`` throws `EncodingError.invalidValue` rather than recurse without bound. Use
    /// the coders' default key strategies: `.convertToSnakeCase` writes a member `FirstName` as
    /// `first_name`.
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(JSONValue.object(["a": .integer(1)]))   // {"a":1}
    /// ```
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .array(let values):
            var container = encoder.unkeyedContainer()
            try Self.write(values, into: &container, depth: 1)
        case .object(let members):
            var container = encoder.container(keyedBy: JSONPath.Component.self)
            try Self.write(members, into: &container, depth: 1)
        default:
            var container = encoder.singleValueContainer()
            try Self.writeScalar(self, into: &container)
        }
    }

    // MARK: Decoding

    /// One value at `depth` arrays and objects below the value being decoded; `root` is the length
    /// of the coding path where that value starts (errors name paths from there, as the formats do).
    private static func read(from decoder: any Decoder, depth: Int, root: Int) throws -> JSONValue {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { return .null }
            if let value = try? single.decode(Bool.self) { return .bool(value) }
            if let value = try? single.decode(Int.self) { return .integer(value) }
            if let value = try? single.decode(String.self) { return .string(value) }
        }
        if let object = try? decoder.container(keyedBy: JSONPath.Component.self) {
            try checkDepth(depth + 1, decoder, root: root)
            var members: [String: JSONValue] = [:]
            for key in object.allKeys {
                members[key.stringValue] = try read(from: object.superDecoder(forKey: key), depth: depth + 1, root: root)
            }
            return .object(members)
        }
        if var array = try? decoder.unkeyedContainer() {
            try checkDepth(depth + 1, decoder, root: root)
            var values: [JSONValue] = []
            if let count = array.count { values.reserveCapacity(min(count, 4096)) }
            while !array.isAtEnd {
                values.append(try read(from: array.superDecoder(), depth: depth + 1, root: root))
            }
            return .array(values)
        }
        let path = JSONPath(codingPath: Array(decoder.codingPath.dropFirst(root)))
        if let single = try? decoder.singleValueContainer(), let number = try? single.decode(Double.self) {
            let whole = number.isFinite && number == number.rounded(.towardZero)
            let message = whole ? "the number does not fit in 64 bits" : JSONParser.wholeNumberMessage(path)
            throw JSONError(.notAnInteger, message, at: path).decodingError(codingPath: decoder.codingPath, root: root)
        }
        throw JSONError(.wrongType, "expected a JSON value (null, true or false, an integer, a string, an array or an object)", at: path)
            .decodingError(codingPath: decoder.codingPath, root: root)
    }

    private static func checkDepth(_ depth: Int, _ decoder: any Decoder, root: Int) throws {
        guard depth <= maximumDepth else {
            let path = JSONPath(codingPath: Array(decoder.codingPath.dropFirst(root)))
            throw JSONError(.limit, JSONParser.depthMessage, at: path).decodingError(codingPath: decoder.codingPath, root: root)
        }
    }

    // MARK: Encoding

    private static func writeScalar(_ value: JSONValue, into container: inout any SingleValueEncodingContainer) throws {
        switch value {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array, .object: preconditionFailure("containers are written by write(_:into:depth:)")
        }
    }

    private static func tooDeep(_ value: JSONValue, _ codingPath: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(
            value,
            EncodingError.Context(
                codingPath: codingPath,
                debugDescription: "\(JSONPath(codingPath: codingPath)): \(JSONParser.depthMessage)"))
    }

    private static func write(_ values: [JSONValue], into container: inout any UnkeyedEncodingContainer, depth: Int) throws {
        guard depth <= maximumDepth else { throw tooDeep(.array(values), container.codingPath) }
        for value in values {
            switch value {
            case .array(let nested):
                var inner = container.nestedUnkeyedContainer()
                try write(nested, into: &inner, depth: depth + 1)
            case .object(let nested):
                var inner = container.nestedContainer(keyedBy: JSONPath.Component.self)
                try write(nested, into: &inner, depth: depth + 1)
            case .null: try container.encodeNil()
            case .bool(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            }
        }
    }

    private static func write(
        _ members: [String: JSONValue], into container: inout KeyedEncodingContainer<JSONPath.Component>, depth: Int
    ) throws {
        guard depth <= maximumDepth else { throw tooDeep(.object(members), container.codingPath) }
        for (name, value) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let key = JSONPath.Component.member(name)
            switch value {
            case .array(let nested):
                var inner = container.nestedUnkeyedContainer(forKey: key)
                try write(nested, into: &inner, depth: depth + 1)
            case .object(let nested):
                var inner = container.nestedContainer(keyedBy: JSONPath.Component.self, forKey: key)
                try write(nested, into: &inner, depth: depth + 1)
            case .null: try container.encodeNil(forKey: key)
            case .bool(let value): try container.encode(value, forKey: key)
            case .integer(let value): try container.encode(value, forKey: key)
            case .string(let value): try container.encode(value, forKey: key)
            }
        }
    }
}

extension JSONValue {
    /// Decodes a value of one of the formats from a `Decoder`: reads a ``JSONValue`` (at most
    /// ``maximumDepth`` deep), then runs the format's decoder `body` on it, so every check and limit
    /// of the format applies. A ``JSONError`` becomes `DecodingError.dataCorrupted` whose coding
    /// path is the offending member's, whose description is that path from the document's root
    /// and the message, and whose underlying error is the ``JSONError`` (its path counted from
    /// the value decoded). A missing or unknown member next to a name that looks snake-cased
    /// (`occurred_at`) has ``JSONError/keyStrategyHint`` in its message: the coders must use their
    /// default key strategies.
    ///
    /// ```swift
    /// public init(from decoder: any Decoder) throws { self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Event(json: json) } }
    /// ```
    public static func decode<Value>(from decoder: any Decoder, _ body: (JSONValue) throws(JSONError) -> Value) throws -> Value {
        let json = try JSONValue(from: decoder)
        do throws(JSONError) {
            return try body(json)
        } catch {
            throw error.withKeyStrategyHint(in: json).decodingError(codingPath: decoder.codingPath, root: decoder.codingPath.count)
        }
    }

    /// Encodes a value of one of the formats into an `Encoder`: first `check`, the format's rules
    /// (what its decoder would refuse), then its JSON form `json`. A ``JSONError`` from `check`
    /// becomes `EncodingError.invalidValue` whose coding path is the offending member's, whose
    /// description is that path from the document's root and the message, and whose underlying
    /// error is the ``JSONError``: nothing is written that would not decode. The coder's key
    /// strategy must be the default one, as for ``decode(from:_:)``: members hold data.
    public static func encode(
        _ value: Any, json: JSONValue, to encoder: any Encoder, checkedBy check: (JSONValue) throws(JSONError) -> Void
    ) throws {
        do throws(JSONError) {
            try check(json)
        } catch {
            throw error.encodingError(value, codingPath: encoder.codingPath)
        }
        try json.encode(to: encoder)
    }

    /// The value at `path` below this one (`$.a[2].b`: member `a`, its third element, member `b`),
    /// or `nil` when the path leads nowhere.
    public func value(at path: JSONPath) -> JSONValue? {
        var value = self
        for component in path.components {
            switch (component, value) {
            case (.member(let name), .object(let members)):
                guard let next = members[name] else { return nil }
                value = next
            case (.index(let index), .array(let values)):
                guard values.indices.contains(index) else { return nil }
                value = values[index]
            default: return nil
            }
        }
        return value
    }
}

extension JSONError {
    /// The sentence added to a missing or unknown member's message when a member name looks renamed
    /// by a coder's key strategy (`first_name` where the formats write `firstName`).
    public static let keyStrategyHint =
        "member names look renamed by a coder's key strategy (such as .convertToSnakeCase): use the default key strategies, since the coder must not rename members (they hold data)"

    /// Whether a member name looks like a key strategy's snake_case form: an underscore between a
    /// lower-case letter or digit and a letter (`occurred_at`; not `_ShirtSize`).
    static func looksSnakeCased(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        for index in scalars.indices.dropFirst().dropLast() where scalars[index] == "_" {
            let before = scalars[index - 1]
            let after = scalars[index + 1]
            if ("a"..."z").contains(before) || ("0"..."9").contains(before), ("a"..."z").contains(after) || ("A"..."Z").contains(after) { return true }
        }
        return false
    }

    /// The error with ``keyStrategyHint`` added when it is a missing member next to a member whose
    /// name looks snake-cased, or an unknown member whose own name does: a cheap check, for
    /// documents a coder with a key strategy wrote.
    func withKeyStrategyHint(in json: JSONValue) -> JSONError {
        let names: [String]
        switch code {
        case .missingMember:
            guard case .object(let members)? = json.value(at: path) else { return self }
            names = Array(members.keys)
        case .unknownMember:
            guard case .member(let name)? = path.components.last else { return self }
            names = [name]
        default: return self
        }
        guard names.contains(where: Self.looksSnakeCased) else { return self }
        var hinted = self
        hinted.message += " (\(Self.keyStrategyHint))"
        return hinted
    }

    /// The error as `EncodingError.invalidValue`, for `value` written at `codingPath`: the context's
    /// coding path is the full path to the offending member.
    func encodingError(_ value: Any, codingPath: [any CodingKey]) -> EncodingError {
        let full = codingPath + path.components.map { $0 as any CodingKey }
        return EncodingError.invalidValue(
            value, EncodingError.Context(codingPath: full, debugDescription: "\(JSONPath(codingPath: full)): \(message)", underlyingError: self))
    }
}

extension JSONError {
    /// The error as `DecodingError.dataCorrupted`, for a value that started at `codingPath[..<root]`:
    /// the context's coding path is the full path to the offending member.
    func decodingError(codingPath: [any CodingKey], root: Int) -> DecodingError {
        let full = Array(codingPath.prefix(root)) + path.components.map { $0 as any CodingKey }
        return DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: full, debugDescription: "\(JSONPath(codingPath: full)): \(message)", underlyingError: self))
    }
}
