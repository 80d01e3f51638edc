/// A JSON value, as workflow and event files hold it.
///
/// Objects keep no key order: ``canonicalText`` writes keys sorted, so the same value always gives
/// the same bytes. Keys are Swift strings, so two keys that are canonically equivalent Unicode
/// (`é` and `e` + U+0301) are one key; the formats' keys are ASCII names. Numbers are integers: every number in the formats is a count, a minor-unit amount
/// or an index.
public enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case integer(Int)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])
}

/// A value that has a JSON form in one of the documented formats.
public protocol JSONRepresentable {
    /// The value's JSON form.
    var json: JSONValue { get }
}

extension JSONValue {
    /// An object from key/value pairs, leaving out the pairs whose value is `nil`.
    ///
    /// Optional members are omitted rather than written as `null`, as the JSON Schemas expect.
    public static func members(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            if let value { object[key] = value }
        }
        return .object(object)
    }

    /// The value, merged with more members (an object only; other values are returned as they are).
    public func adding(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        guard case .object(var object) = self else { return self }
        for (key, value) in pairs {
            if let value { object[key] = value }
        }
        return .object(object)
    }
}

extension String: JSONRepresentable {
    /// The string as a JSON string.
    public var json: JSONValue { .string(self) }
}

extension Int: JSONRepresentable {
    /// The integer as a JSON number.
    public var json: JSONValue { .integer(self) }
}

extension Bool: JSONRepresentable {
    /// The Boolean as a JSON Boolean.
    public var json: JSONValue { .bool(self) }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
    /// The elements as a JSON array, in order.
    public var json: JSONValue { .array(map { $0.json }) }  // a closure: a generic key path is instantiated at every call
}

extension Optional where Wrapped: JSONRepresentable {
    /// The wrapped value's JSON form, or `nil` (so ``JSONValue/members(_:)`` leaves it out).
    public var json: JSONValue? { map { $0.json } }  // a closure: a generic key path is instantiated at every call
}
