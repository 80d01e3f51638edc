/// One comparison a condition made: the field, the operator, the expected value and the actual one.
///
/// The execution log keeps these as the *why* of every decision.
public struct Comparison: Hashable, Sendable {
    /// The condition's id, if it has one.
    public var id: String?
    /// The field compared.
    public var field: String
    /// The operator.
    public var op: ConditionOperator
    /// The value compared with.
    public var expected: ConditionValue?
    /// The field's value (`nil`: missing).
    public var actual: FieldValue?
    /// Whether the comparison held.
    public var held: Bool
}

extension Condition {
    /// Evaluates the condition and returns every comparison it made, in order, with the result.
    ///
    /// Groups are evaluated fully (no short-circuit), so the log shows every operand.
    public func explain(_ field: (String) -> FieldValue?) -> (held: Bool, comparisons: [Comparison]) {
        switch test {
        case .compare(let name, let op, let value):
            let actual = field(name)
            let held = Self.compare(actual, op, value)
            return (held, [Comparison(id: id, field: name, op: op, expected: value, actual: actual, held: held)])
        case .all(let conditions):
            let parts = conditions.map { $0.explain(field) }
            return (parts.allSatisfy(\.held), parts.flatMap(\.comparisons))
        case .any(let conditions):
            let parts = conditions.map { $0.explain(field) }
            return (parts.contains(where: \.held), parts.flatMap(\.comparisons))
        case .not(let condition):
            let part = condition.explain(field)
            return (!part.held, part.comparisons)
        }
    }
}

extension Condition {
    /// Evaluates the condition and returns, with the result, its tree as the log keeps it: each
    /// comparison as ``Comparison/json``, each group as `{"all" | "any" | "not": ..., "held", "id"}`.
    public func trace(_ field: (String) -> FieldValue?) -> (held: Bool, json: JSONValue) {
        switch test {
        case .compare:
            let result = explain(field)
            return (result.held, result.comparisons[0].json)
        case .all(let parts), .any(let parts):
            let traced = parts.map { $0.trace(field) }
            let isAll = if case .all = test { true } else { false }
            let held = isAll ? traced.allSatisfy(\.held) : traced.contains(where: \.held)
            return (held, .members([isAll ? "all" : "any": .array(traced.map(\.json)), "held": held.json, "id": id.json]))
        case .not(let part):
            let traced = part.trace(field)
            return (!traced.held, .members(["not": traced.json, "held": (!traced.held).json, "id": id.json]))
        }
    }
}

extension FieldValue: JSONRepresentable {
    /// A string, an integer or an array of strings.
    public var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .integer(let value): .integer(value)
        case .list(let items): items.json
        }
    }
}

extension Comparison: JSONRepresentable {
    /// `{"id", "field", "op", "expected", "actual", "held"}`; `actual` is `null` when the field is missing.
    public var json: JSONValue {
        .members([
            "id": id.json, "field": field.json, "op": op.rawValue.json, "expected": expected?.json, "actual": actual?.json ?? .null,
            "held": held.json,
        ])
    }
}
