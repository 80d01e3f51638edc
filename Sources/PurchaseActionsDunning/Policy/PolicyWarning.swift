public import PurchaseActionsCore

/// Something `DunningPolicy.check()` found that is allowed but probably not meant: a stable code,
/// words for people, and where in the policy (Docs/dunning.md, "Checks").
public struct PolicyWarning: Hashable, Sendable, CustomStringConvertible {
    /// A stable code: `budget-exceeded-alone`, `attempts-after-age-limit`, `unreachable-stage`,
    /// `attempt-rule-never-runs`.
    public var code: String
    /// What was found and what to do about it.
    public var message: String
    /// Where in the policy.
    public var path: JSONPath

    /// Creates a warning.
    public init(_ code: String, _ message: String, path: JSONPath) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `$.path: message (code)`.
    public var description: String { "\(path): \(message) (\(code))" }

    /// `{"code", "message", "path"}` (the path in the notation of `JSONPath.description`).
    public var json: JSONValue { .members(["code": code.json, "message": message.json, "path": path.description.json]) }
}
