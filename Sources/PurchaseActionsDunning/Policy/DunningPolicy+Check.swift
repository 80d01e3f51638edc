public import PurchaseActionsCore

extension DunningPolicy {
    /// What is allowed but probably not meant, with JSON paths (Docs/dunning.md, "Checks"):
    /// `budget-exceeded-alone`, `attempts-after-age-limit`, `unreachable-stage`, `attempt-rule-never-runs`.
    public func check() -> [PolicyWarning] { [] }
}
