/// A test on an event or a contact: a field compared with a value, or a group of conditions.
///
/// Triggers filter events with conditions, `if` branches and waits test them, and the execution log
/// names them by ``id``.
public struct Condition: Hashable, Sendable {
    /// What is tested.
    public indirect enum Test: Hashable, Sendable {
        /// A field (Docs/events.md, "Fields") compared with a value.
        case compare(field: String, op: ConditionOperator, value: ConditionValue?)
        /// Every condition holds (true when empty).
        case all([Condition])
        /// At least one condition holds (false when empty).
        case any([Condition])
        /// The condition does not hold.
        case not(Condition)
    }

    /// Stable id within the workflow, if given.
    public var id: String?
    /// What is tested.
    public var test: Test
    /// Where it came from.
    public var source: SourceTrace?

    /// Creates a condition.
    public init(id: String? = nil, _ test: Test, source: SourceTrace? = nil) {
        self.id = id
        self.test = test
        self.source = source
    }

    /// A comparison of a field with a value.
    public static func field(
        _ field: String, _ op: ConditionOperator, _ value: ConditionValue? = nil, id: String? = nil, source: SourceTrace? = nil
    ) -> Condition {
        Condition(id: id, .compare(field: field, op: op, value: value), source: source)
    }
}

/// How a field is compared. Text comparisons ignore case, as the legacy rules did.
public enum ConditionOperator: String, Hashable, Sendable, CaseIterable {
    /// Equal (text ignoring case, numbers exactly).
    case equals
    /// Not equal.
    case notEquals = "not-equals"
    /// Text holds the value, or a list holds the element.
    case contains
    /// Text does not hold the value, or a list lacks the element.
    case notContains = "not-contains"
    /// Text starts with the value.
    case startsWith = "starts-with"
    /// Text ends with the value.
    case endsWith = "ends-with"
    /// The field is missing or empty.
    case isEmpty = "is-empty"
    /// The field is present and not empty.
    case isNotEmpty = "is-not-empty"
    /// Numerically greater.
    case greaterThan = "greater-than"
    /// Numerically less.
    case lessThan = "less-than"
    /// Numerically greater or equal.
    case atLeast = "at-least"
    /// Numerically less or equal.
    case atMost = "at-most"
    /// A date (`YYYY-MM-DD`) before the value.
    case before
    /// A date after the value.
    case after
    /// The field equals one of a list of values.
    case `in`
    /// The field equals none of a list of values.
    case notIn = "not-in"

    /// Whether the operator compares with a value (all but the emptiness tests).
    public var takesValue: Bool { self != .isEmpty && self != .isNotEmpty }

    /// The workflow operator for a legacy rule's operator: the same name and meaning.
    public init(_ legacy: FieldOperator) {
        // Case by case, not through the raw text (which compared strings for every criterion).
        switch legacy {
        case .equals: self = .equals
        case .notEquals: self = .notEquals
        case .contains: self = .contains
        case .notContains: self = .notContains
        case .startsWith: self = .startsWith
        case .endsWith: self = .endsWith
        case .isEmpty: self = .isEmpty
        case .isNotEmpty: self = .isNotEmpty
        case .greaterThan: self = .greaterThan
        case .lessThan: self = .lessThan
        case .before: self = .before
        case .after: self = .after
        }
    }
}

/// The value a field is compared with.
public enum ConditionValue: Hashable, Sendable {
    /// Text (or a date, `YYYY-MM-DD`).
    case text(String)
    /// An integer (amounts in minor units, counts).
    case integer(Int)
    /// A list, for `in` and `not-in`.
    case list([String])
}
