// Codable through the canonical JSON of events format v1 (Docs/events.md, "From Swift: Codable").

extension Event: Codable {
    /// Decodes an event from any `Decoder` through ``init(json:)``, so every rule of
    /// Docs/events.md applies; an invalid event is `DecodingError.dataCorrupted` with the JSON path
    /// and the message (``JSONValue/decode(from:_:)``).
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `occurredAt` as `occurred_at`, and the value does not decode, or comes
    /// back changed).
    ///
    /// ```swift
    /// let event = try JSONDecoder().decode(Event.self, from: Data(line.utf8))
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Event(json: json) }
    }

    /// Encodes the event's canonical JSON form (``json``) into any `Encoder`, after ``validate()``:
    /// an event it refuses (one the decoder would refuse, or one whose time the canonical form
    /// cannot write, such as an offset of 30 seconds) is `EncodingError.invalidValue` with the JSON
    /// path and the message, and nothing is written.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `occurredAt` and contact fields such as `FirstName` as `occurred_at`
    /// and `first_name`, and the value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(event)
    /// ```
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.encode(self, json: json, to: encoder) { _ throws(JSONError) in try validate() }
    }
}
