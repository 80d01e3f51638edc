// A contact's JSON form and Codable (Docs/engine.md, "Contacts and action results as JSON"): what an
// app keeps of the engine's contacts.

public import PurchaseActionsCore

extension Contact: JSONRepresentable {
    /// `{"id", "fields", "tags", "timezone", "ownerID", "createdAt"}`: `fields` an object of text,
    /// `tags` in the order they were added, `timezone` and `ownerID` left out when absent,
    /// `createdAt` in UTC.
    ///
    /// ```swift
    /// let line = contact.json.compactText   // {"createdAt":"2025-01-14T17:03:25Z","fields":{"FirstName":"Dana"},"id":"c-1","tags":["tag-vip"]}
    /// ```
    public var json: JSONValue {
        .members([
            "id": id.json, "fields": .object(fields.mapValues(\.json)), "tags": tags.json, "timezone": timezone.json,
            "ownerID": ownerID.json, "createdAt": createdAt.description.json,
        ])
    }

    /// Decodes a contact from its JSON form (``json``); every error names the JSON path. A contact
    /// holds at most `WorkflowLimits.contactFields` (1,000) fields, each value at most
    /// `WorkflowLimits.fieldValueCharacters` (10,000) characters, and `WorkflowLimits.contactTags`
    /// (1,000) tags, as the engine keeps them.
    ///
    /// ```swift
    /// let contact = try Contact(json: JSONValue.parse(#"{"id":"c-1","fields":{},"tags":[],"createdAt":"2025-01-01T00:00:00Z"}"#))
    /// ```
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let id = try object.string("id")
        var reader = try JSONObjectReader(object.required("fields"), at: path.member("fields"))
        guard reader.members.count <= WorkflowLimits.contactFields else {
            throw JSONError(.limit, "a contact holds at most \(WorkflowLimits.contactFields) fields (found \(reader.members.count))", at: path.member("fields"))
        }
        var fields: [String: String] = [:]
        for name in reader.members.keys.sorted() {
            let value = try reader.string(name)
            guard value.unicodeScalars.count <= WorkflowLimits.fieldValueCharacters else {
                throw JSONError(
                    .limit, "a field value is at most \(WorkflowLimits.fieldValueCharacters) characters (found \(value.unicodeScalars.count))",
                    at: path.member("fields").member(name))
            }
            fields[name] = value
        }
        let tags = try object.array("tags") { value, path throws(JSONError) in try value.string(at: path) }
        guard tags.count <= WorkflowLimits.contactTags else {
            throw JSONError(.limit, "a contact holds at most \(WorkflowLimits.contactTags) tags (found \(tags.count))", at: path.member("tags"))
        }
        let timezone = try object.optionalString("timezone")
        let ownerID = try object.optionalString("ownerID")
        let createdAt = try Instant.decodeRFC3339(object.string("createdAt"), at: path.member("createdAt"))
        try object.finish()
        self.init(id: id, fields: fields, tags: tags, timezone: timezone, ownerID: ownerID, createdAt: createdAt)
    }
}

extension Contact: Codable {
    /// Decodes a contact from any `Decoder` through its JSON form (``init(json:at:)``); an invalid
    /// one is `DecodingError.dataCorrupted` with the JSON path and the message.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `createdAt` and fields such as `FirstName` as `created_at` and
    /// `first_name`, and the value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let contacts = try JSONDecoder().decode([Contact].self, from: saved)
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Contact(json: json) }
    }

    /// Encodes the contact's JSON form (``json``) into any `Encoder`, after reading it back
    /// with ``init(json:at:)``: what the decoder would refuse (a time outside the years 0001 to
    /// 9999, a limit passed) is `EncodingError.invalidValue` with the JSON path, and nothing is
    /// written.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `createdAt` and fields such as `FirstName` as `created_at` and
    /// `first_name`, and the value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let saved = try JSONEncoder().encode(directory.all)
    /// ```
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.encode(self, json: json, to: encoder) { json throws(JSONError) in _ = try Contact(json: json) }
    }
}
