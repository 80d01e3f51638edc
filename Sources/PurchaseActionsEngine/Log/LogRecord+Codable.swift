// Reading a log record back from its JSON form (Docs/engine.md, "The execution log"), and Codable
// through that form.

public import PurchaseActionsCore

extension LogRecord {
    /// Decodes a record from its JSON form (``json``, one line of `simulate --json`); every error
    /// names the JSON path. `at` and `effect.deliverAt` may have any offset (they are written in
    /// UTC); the effect is external when it has a `key`, as every effect the engine records is.
    ///
    /// ```swift
    /// let record = try LogRecord(json: JSONValue.parse(line))
    /// ```
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let at = try Instant.decodeRFC3339(object.string("at"), at: path.member("at"))
        let cause = try object.string("cause")
        let workflowID = try object.optionalString("workflow")
        let version = try object.optionalInteger("version")
        let enrollmentID = try object.optionalString("enrollment")
        let contactID = try object.optionalString("contact")
        let stepID = try object.optionalString("step")
        let statusName = try object.choice("status", Status.allNames)
        let effect = try object.optional("effect").map { value throws(JSONError) in
            var reader = try JSONObjectReader(value, at: path.member("effect"))
            let effect = try Effect(reading: &reader, isExternal: nil)
            try reader.finish()
            return effect
        }
        let why = object.optional("why")
        let message = try object.string("message")
        try object.finish()
        self.init(
            at: at, cause: cause, workflowID: workflowID, version: version, enrollmentID: enrollmentID, contactID: contactID, stepID: stepID,
            status: Status(rawValue: statusName)!, effect: effect, why: why, message: message)
    }
}

extension LogRecord.Status {
    /// Every status's name, in the order they are declared (a new status is read back without
    /// another list to keep in step).
    static let allNames = allCases.map(\.rawValue)
}

extension LogRecord: Codable {
    /// Decodes a record from any `Decoder` through its JSON form (``init(json:at:)``); an invalid
    /// one is `DecodingError.dataCorrupted` with the JSON path and the message.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes the members of `why` and of effect details, such as `occurredAt`,
    /// as `occurred_at`, and the value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let log = try JSONDecoder().decode([LogRecord].self, from: stored)
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try LogRecord(json: json) }
    }

    /// Encodes the record's JSON form (``json``) into any `Encoder`, after reading it back
    /// with ``init(json:at:)``: what the decoder would refuse (a time outside the years 0001 to
    /// 9999, a limit passed) is `EncodingError.invalidValue` with the JSON path, and nothing is
    /// written.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes the members of `why` and of effect details, such as `occurredAt`,
    /// as `occurred_at`, and the value does not decode, or comes back changed).
    ///
    /// ```swift
    /// let stored = try JSONEncoder().encode(engine.log)
    /// ```
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.encode(self, json: json, to: encoder) { json throws(JSONError) in _ = try LogRecord(json: json) }
    }
}
