// Codable through the canonical JSON of workflow format v1 (Docs/workflow-format.md, "From Swift:
// Codable").

extension Workflow: Codable {
    /// Decodes a workflow from any `Decoder` through ``init(json:)``, so every check of
    /// Docs/workflow-format.md applies (the schema's and those beyond it); an invalid workflow is
    /// `DecodingError.dataCorrupted` with the JSON path and the message (``JSONValue/decode(from:_:)``).
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `formatVersion` as `format_version`, and the value does not decode, or
    /// comes back changed).
    ///
    /// ```swift
    /// let workflow = try JSONDecoder().decode(Workflow.self, from: data)
    /// ```
    public init(from decoder: any Decoder) throws {
        self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Workflow(json: json) }
    }

    /// Encodes the workflow's canonical JSON form (``json``) into any `Encoder`, after reading that
    /// form back with ``init(json:)``: a workflow built in code that the decoder would refuse is
    /// `EncodingError.invalidValue` with the JSON path and the message, and nothing is written.
    /// Use the coders' default key strategies: the coder must not rename members, since they hold data
    /// (`.convertToSnakeCase` writes `formatVersion` as `format_version`, and the value does not decode, or
    /// comes back changed).
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(workflow)
    /// ```
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.encode(self, json: json, to: encoder) { json throws(JSONError) in _ = try Workflow(json: json) }
    }
}
