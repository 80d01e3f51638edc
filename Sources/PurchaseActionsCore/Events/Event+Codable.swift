// Codable through the canonical JSON of events format v1 (Docs/events.md, "From Swift: Codable").

extension Event: Codable {
    /// Decodes an event from any `Decoder` through ``init(json:)``, so every rule of
    /// Docs/events.md applies; an invalid event is `DecodingError.dataCorrupted` with the JSON path
    /// and the message (``JSONValue/decode(from:_:)``).
    ///
    /// ```swift
    /// let event = try JSONDecoder().decode(Event.self, from: Data(line.utf8))
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Event(json: json) }
    }

    /// Encodes the event's canonical JSON form (``json``) into any `Encoder`.
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(event)
    /// ```
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
