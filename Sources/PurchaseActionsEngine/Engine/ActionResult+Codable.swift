// An action result's JSON form and Codable (Docs/engine.md, "Contacts and action results as JSON"):
// what an app answers a legacy runActionSequence caller with.

public import PurchaseActionsCore

extension ActionResult: JSONRepresentable {
    /// `{"action", "message", "isError"}`.
    ///
    /// ```swift
    /// let line = result.json.compactText   // {"action":"add-tag","isError":false,"message":"as-course-access.tag: add tag tag-student"}
    /// ```
    public var json: JSONValue { .members(["action": action.json, "message": message.json, "isError": isError.json]) }

    /// Decodes a result from its JSON form (``json``); every error names the JSON path.
    ///
    /// ```swift
    /// let result = try ActionResult(json: JSONValue.parse(#"{"action":"legacy","message":"m","isError":false}"#))
    /// ```
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let action = try object.string("action")
        let message = try object.string("message")
        let isError = try object.bool("isError")
        try object.finish()
        self.init(action: action, message: message, isError: isError)
    }
}

extension ActionResult: Codable {
    /// Decodes a result from any `Decoder` through its JSON form (``init(json:at:)``).
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `isError` as `is_error`, and the value does not decode, or comes back
    /// changed).
    ///
    /// ```swift
    /// let results = try JSONDecoder().decode([ActionResult].self, from: data)
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try ActionResult(json: json) }
    }

    /// Encodes the result's JSON form (``json``) into any `Encoder`, after reading it back
    /// with ``init(json:at:)``: what the decoder would refuse (a time outside the years 0001 to
    /// 9999, a limit passed) is `EncodingError.invalidValue` with the JSON path, and nothing is
    /// written.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `isError` as `is_error`, and the value does not decode, or comes back
    /// changed).
    ///
    /// ```swift
    /// let body = try JSONEncoder().encode(try engine.runActionSet("as-vip", contactID: id))
    /// ```
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.encode(self, json: json, to: encoder) { json throws(JSONError) in _ = try ActionResult(json: json) }
    }
}
