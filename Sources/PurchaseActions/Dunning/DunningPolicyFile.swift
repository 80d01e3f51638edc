public import PurchaseActionsCore
public import PurchaseActionsDunning

/// Reads and writes dunning policy files (Docs/dunning.md): YAML or JSON, the same tree.
public enum DunningPolicyFile {
    /// The largest policy file read: 1 MiB.
    public static let maxBytes = 1_048_576

    /// Reads a policy file: JSON when its first non-blank character is `{`, else YAML (anchors,
    /// aliases, tags and merge keys refused). Errors name the file, line and column and the JSON path.
    public static func load(path: String, limits: DunningLimits = .standard) throws(LoadError) -> DunningPolicy {
        throw LoadError(.invalid, "not yet implemented", file: path)
    }

    /// The policy as YAML: a comment header, then the members in the order of Docs/dunning.md.
    /// The same policy always gives the same bytes.
    public static func yamlText(_ policy: DunningPolicy) -> String { "" }

    /// The policy's canonical JSON text (keys sorted, two-space indentation, a final newline).
    public static func jsonText(_ policy: DunningPolicy) -> String { policy.json.canonicalText }
}
