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
