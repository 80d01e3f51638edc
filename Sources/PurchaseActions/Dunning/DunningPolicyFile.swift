import PurchaseActionsCore
public import PurchaseActionsDunning

/// Reads and writes dunning policy files (Docs/dunning.md): YAML or JSON, the same tree.
///
/// ```swift
/// let policy = try DunningPolicyFile.load(path: "Fixtures/dunning/policies/saas.yaml")
/// for warning in policy.check() { print(warning) }
/// let yaml = DunningPolicyFile.yamlText(policy)
/// ```
public enum DunningPolicyFile: Sendable {
    /// The largest policy file: 32 MiB (33,554,432 bytes). A policy of 10,000 plans (the most),
    /// each with the longest schedule (100 attempts of 10,000 days) and the longest ids, as
    /// `import-actions` may write one, is about 18.4 MB.
    public static let maxBytes = 33_554_432

    /// Reads a policy file: JSON when its first character that is not a space or line break is `{`,
    /// else YAML. YAML anchors and aliases, tags, merge keys (`<<`), duplicate keys, a second document
    /// and nesting deeper than 64 are refused; so are files over ``maxBytes`` and text that is not UTF-8.
    ///
    /// Errors are ``LoadError``s: `missing` / `wrong-kind` / `io` for the file, `invalid` for what is
    /// in it (`invalid-policy`) and `limit-exceeded` past a limit, each with the line and column and,
    /// for content, the JSON path: `policy.yaml:7:5: error: $.retries.gaps[1]: a gap of 0d: ...`.
    public static func load(path: String, limits: DunningLimits = .standard) throws(LoadError) -> DunningPolicy {
        try FileAccess.requireFile(path, "a dunning policy (YAML or JSON)")
        let bytes = try FileAccess.contents(
            of: path, "a dunning policy (YAML or JSON)", maxBytes: maxBytes,
            tooLarge: "the file is larger than 32 MiB (33,554,432 bytes), the most a policy file may be (Docs/dunning.md, \"Limits\")")
        return try policy(bytes, file: path, limits: limits)
    }

    /// Reads a policy from the bytes of a file, as ``load(path:limits:)`` does; `file` names it in errors.
    public static func policy(_ bytes: [UInt8], file: String, limits: DunningLimits = .standard) throws(LoadError) -> DunningPolicy {
        guard bytes.count <= maxBytes else {
            throw LoadError(.limitExceeded, "the policy is larger than 32 MiB (33,554,432 bytes), the most a policy file may be (Docs/dunning.md, \"Limits\")", file: file)
        }
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if String(validating: bytes, as: UTF8.self) == nil {
            let offset = firstInvalidUTF8(bytes)
            let place = PolicyYAMLReader.position(ofByte: offset, in: bytes)
            throw LoadError(.invalid, "the file is not UTF-8 text: save it as UTF-8", file: file, line: place.line, column: place.column)
        }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{") { return try jsonPolicy(bytes, file: file, limits: limits) }
        return try yamlPolicy(bytes, file: file, limits: limits)
    }

    private static func jsonPolicy(_ bytes: [UInt8], file: String, limits: DunningLimits) throws(LoadError) -> DunningPolicy {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw LoadError(error, file: file, line: error.line, column: error.column)
        }
        do {
            return try DunningPolicy(json: json, limits: limits)
        } catch {
            let place = error.path.flatMap { JSONValue.position(of: $0, in: bytes) }
            throw loadError(error, file: file, line: place?.line, column: place?.column)
        }
    }

    private static func yamlPolicy(_ bytes: [UInt8], file: String, limits: DunningLimits) throws(LoadError) -> DunningPolicy {
        var reader = PolicyYAMLReader()
        let json: JSONValue
        do {
            json = try reader.read(bytes)
        } catch {
            throw LoadError(error.limit ? .limitExceeded : .invalid, error.message, file: file, line: error.line, column: error.column, jsonPath: error.path)
        }
        do {
            return try DunningPolicy(json: json, limits: limits)
        } catch {
            var place: (line: Int, column: Int)?
            if var path = error.path {
                // The value at the path, or the nearest enclosing one that is in the file.
                while place == nil {
                    var finder = PolicyYAMLReader(target: path)
                    _ = try? finder.read(bytes)
                    place = finder.found
                    guard place == nil, !path.components.isEmpty else { break }
                    path.components.removeLast()
                }
            }
            throw loadError(error, file: file, line: place?.line, column: place?.column)
        }
    }

    private static func loadError(_ error: DunningError, file: String, line: Int?, column: Int?) -> LoadError {
        LoadError(error.code == "limit-exceeded" ? .limitExceeded : .invalid, error.message, file: file, line: line, column: column, jsonPath: error.path)
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }

    /// The policy as YAML: a comment line, then the members in the order of Docs/dunning.md, every
    /// member written (defaults too). The same policy always gives the same bytes, and
    /// ``policy(_:file:limits:)`` reads them back as the same policy.
    public static func yamlText(_ policy: DunningPolicy) -> String { PolicyYAMLWriter.text(policy.json) }

    /// The policy's canonical JSON text (keys sorted, two-space indentation, a final newline): the
    /// same policy always gives the same bytes.
    public static func jsonText(_ policy: DunningPolicy) -> String { policy.json.canonicalText }
}
