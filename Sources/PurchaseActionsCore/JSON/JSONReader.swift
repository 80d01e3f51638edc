/// Reads one JSON object member by member, for decoding a format: each read says where it failed,
/// and ``finish()`` refuses members nobody read, so an unknown member is always an error.
///
/// ```swift
/// var object = try JSONObjectReader(value, at: .root)
/// let id = try object.string("id")
/// let quantity = try object.optionalInteger("quantity") ?? 1
/// try object.finish()
/// ```
public struct JSONObjectReader: Sendable {
    /// The object's members.
    public let members: [String: JSONValue]
    /// Where the object is.
    public let path: JSONPath
    private var read: Set<String> = []

    /// Starts reading `value`, which must be an object.
    public init(_ value: JSONValue, at path: JSONPath) throws(JSONError) {
        guard case .object(let members) = value else { throw JSONError(.wrongType, "expected an object, found \(value.kindName)", at: path) }
        self.members = members
        self.path = path
    }

    /// Whether the member is present.
    public func has(_ name: String) -> Bool { members[name] != nil }

    /// A member that may be missing, marked read; `nil` if missing.
    public mutating func optional(_ name: String) -> JSONValue? {
        read.insert(name)
        return members[name]
    }

    /// A member that must be present.
    public mutating func required(_ name: String) throws(JSONError) -> JSONValue {
        guard let value = optional(name) else { throw JSONError(.missingMember, "the member '\(name)' is required here", at: path) }
        return value
    }

    /// A required string member.
    public mutating func string(_ name: String) throws(JSONError) -> String { try required(name).string(at: path.member(name)) }
    /// An optional string member.
    public mutating func optionalString(_ name: String) throws(JSONError) -> String? { try optional(name)?.string(at: path.member(name)) }
    /// A required integer member.
    public mutating func integer(_ name: String) throws(JSONError) -> Int { try required(name).integer(at: path.member(name)) }
    /// An optional integer member.
    public mutating func optionalInteger(_ name: String) throws(JSONError) -> Int? { try optional(name)?.integer(at: path.member(name)) }
    /// A required Boolean member.
    public mutating func bool(_ name: String) throws(JSONError) -> Bool { try required(name).bool(at: path.member(name)) }
    /// An optional Boolean member.
    public mutating func optionalBool(_ name: String) throws(JSONError) -> Bool? { try optional(name)?.bool(at: path.member(name)) }

    /// A required array member, each element decoded by `element` with its path.
    public mutating func array<T>(_ name: String, _ element: (JSONValue, JSONPath) throws(JSONError) -> T) throws(JSONError) -> [T] {
        try required(name).array(at: path.member(name), element)
    }

    /// An optional array member.
    public mutating func optionalArray<T>(_ name: String, _ element: (JSONValue, JSONPath) throws(JSONError) -> T) throws(JSONError) -> [T]? {
        guard let value = optional(name) else { return nil }
        return try value.array(at: path.member(name), element)
    }

    /// A required string member that must be one of `allowed`.
    public mutating func choice(_ name: String, _ allowed: [String]) throws(JSONError) -> String {
        let value = try string(name)
        guard allowed.contains(value) else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(value))' is not one of \(allowed.joined(separator: ", "))", at: path.member(name))
        }
        return value
    }

    /// Fails on the first member (in sorted order) that was never read.
    public func finish() throws(JSONError) {
        if let unknown = members.keys.filter({ !read.contains($0) }).sorted().first {
            throw JSONError(.unknownMember, "unknown member '\(unknown)'", at: path.member(unknown))
        }
    }
}

/// A value decoded from the members of one JSON object, refusing members it does not read.
public protocol JSONObjectDecodable {
    /// Reads the value's members from `object`; ``init(json:at:)`` then refuses any left unread.
    init(reading object: inout JSONObjectReader) throws(JSONError)
}

extension JSONObjectDecodable {
    /// Decodes the value from the object at `path`, refusing unknown members.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        try self.init(reading: &object)
        try object.finish()
    }
}

extension JSONValue {
    /// `object`, `array`, `string`, `integer`, `true or false` or `null`, for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .integer: "an integer"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The string, or an error at `path`.
    public func string(at path: JSONPath) throws(JSONError) -> String {
        guard case .string(let text) = self else { throw JSONError(.wrongType, "expected a string, found \(kindName)", at: path) }
        return text
    }

    /// The integer, or an error at `path`.
    public func integer(at path: JSONPath) throws(JSONError) -> Int {
        guard case .integer(let value) = self else { throw JSONError(.wrongType, "expected an integer, found \(kindName)", at: path) }
        return value
    }

    /// The Boolean, or an error at `path`.
    public func bool(at path: JSONPath) throws(JSONError) -> Bool {
        guard case .bool(let value) = self else { throw JSONError(.wrongType, "expected true or false, found \(kindName)", at: path) }
        return value
    }

    /// The array's elements decoded by `element`, or an error at `path`.
    public func array<T>(at path: JSONPath, _ element: (JSONValue, JSONPath) throws(JSONError) -> T) throws(JSONError) -> [T] {
        guard case .array(let values) = self else { throw JSONError(.wrongType, "expected an array, found \(kindName)", at: path) }
        var result: [T] = []
        result.reserveCapacity(values.count)
        for (index, value) in values.enumerated() { result.append(try element(value, path.index(index))) }
        return result
    }
}
