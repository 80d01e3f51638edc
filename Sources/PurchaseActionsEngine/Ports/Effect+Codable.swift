// An effect's JSON form and Codable (Docs/engine.md, "The execution log"): what an outbox stores.

public import PurchaseActionsCore

extension Effect: JSONRepresentable {
    /// `{"kind", "details", "external", "key", "deliverAt"}`: the members an effect has in a log
    /// record (``LogRecord/json``) and `external`, which a record leaves to `key` (only external
    /// effects have one). `key` and `deliverAt` are left out when absent; `deliverAt` is UTC.
    ///
    /// ```swift
    /// let text = effect.json.compactText   // {"details":{"tag":"tag-vip"},"external":false,"kind":"add-tag"}
    /// ```
    public var json: JSONValue {
        .members([
            "kind": kind.json, "details": details, "external": isExternal.json, "key": idempotencyKey.json,
            "deliverAt": deliverAt?.description.json,
        ])
    }

    /// Decodes an effect from its JSON form (``json``); every error names the JSON path.
    ///
    /// ```swift
    /// let effect = try Effect(json: JSONValue.parse(#"{"kind":"add-tag","details":{"tag":"t"},"external":false}"#))
    /// ```
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let external = try object.bool("external")
        try self.init(reading: &object, isExternal: external)
        try object.finish()
    }

    /// Reads `kind`, `details`, `key` and `deliverAt` (the members a log record's effect has).
    init(reading object: inout JSONObjectReader, isExternal: Bool?) throws(JSONError) {
        let kind = try object.string("kind")
        let details = try object.required("details")
        let key = try object.optionalString("key")
        let deliverAt = try object.optionalString("deliverAt").map { text throws(JSONError) in
            try Instant.decodeRFC3339(text, at: object.path.member("deliverAt"))
        }
        self.init(kind: kind, details: details, isExternal: isExternal ?? (key != nil), idempotencyKey: key, deliverAt: deliverAt)
    }
}

extension Instant {
    /// An RFC 3339 date-time with an offset, or an error at `path`.
    static func decodeRFC3339(_ text: String, at path: JSONPath) throws(JSONError) -> Instant {
        guard let (instant, _) = Instant.parseRFC3339(text) else {
            throw JSONError(.invalidValue, Instant.rfc3339Refusal(text, example: "2025-01-14T17:03:27Z") ?? "not a date-time", at: path)
        }
        return instant
    }
}

extension Effect: Codable {
    /// Decodes an effect from any `Decoder` through its JSON form (``init(json:at:)``); an invalid
    /// one is `DecodingError.dataCorrupted` with the JSON path and the message.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `deliverAt` and the members of `details` as `deliver_at`, and the
    /// value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let effects = try JSONDecoder().decode([Effect].self, from: outboxData)
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Effect(json: json) }
    }

    /// Encodes the effect's JSON form (``json``) into any `Encoder`, after reading it back
    /// with ``init(json:at:)``: what the decoder would refuse (a time outside the years 0001 to
    /// 9999, a limit passed) is `EncodingError.invalidValue` with the JSON path, and nothing is
    /// written.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `deliverAt` and the members of `details` as `deliver_at`, and the
    /// value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(engine.log.compactMap(\.effect))
    /// ```
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.encode(self, json: json, to: encoder) { json throws(JSONError) in _ = try Effect(json: json) }
    }
}
