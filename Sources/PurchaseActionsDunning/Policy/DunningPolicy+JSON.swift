public import PurchaseActionsCore

extension DunningPolicy: JSONRepresentable {
    /// Reads a policy's JSON form (Docs/dunning.md; YAML is the same tree), refusing unknown members
    /// at their JSON path. Errors: `invalid-policy` (the message says what to write instead) and
    /// `limit-exceeded` (past one of `limits`).
    public init(json: JSONValue, at path: JSONPath = .root, limits: DunningLimits = .standard) throws(DunningError) {
        throw DunningError("invalid-policy", "not yet implemented", path: path)
    }

    /// The canonical JSON form: every member written (defaults too, `maxInvoiceAgeMonths` as `null`
    /// when there is no limit), optional ones (`version`, `timezone`, `sendWindow`) only when set.
    /// `DunningPolicy(json: policy.json) == policy` for every policy within the limits.
    public var json: JSONValue { .null }
}
