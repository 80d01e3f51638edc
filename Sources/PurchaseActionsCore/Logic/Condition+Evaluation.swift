/// The value of an event or contact field, as conditions read it.
public enum FieldValue: Hashable, Sendable {
    /// Text (dates are `YYYY-MM-DD` text).
    case text(String)
    /// An integer.
    case integer(Int)
    /// A list, such as `order.products` or `contact.tags`.
    case list([String])
}

extension Condition {
    /// Whether the condition holds, reading fields through `field` (`nil`: the field is missing).
    ///
    /// Text comparisons ignore case, as the legacy rules did; list membership (`contains` on a list)
    /// compares ids exactly. A missing field fails every comparison except `is-empty`, `not-equals`,
    /// `not-contains` and `not-in`, which hold (Docs/workflow-format.md, "Conditions").
    public func holds(_ field: (String) -> FieldValue?) -> Bool {
        switch test {
        case .all(let conditions): conditions.allSatisfy { $0.holds(field) }
        case .any(let conditions): conditions.contains { $0.holds(field) }
        case .not(let condition): !condition.holds(field)
        case .compare(let name, let op, let value): Self.compare(field(name), op, value)
        }
    }

    static func compare(_ actual: FieldValue?, _ op: ConditionOperator, _ expected: ConditionValue?) -> Bool {
        guard let actual, !actual.isEmpty else {
            return [.isEmpty, .notEquals, .notContains, .notIn].contains(op)
        }
        switch op {
        case .isEmpty: return false
        case .isNotEmpty: return true
        case .equals: return equals(actual, expected)
        case .notEquals: return !equals(actual, expected)
        case .contains: return contains(actual, expected)
        case .notContains: return !contains(actual, expected)
        case .startsWith: return text(actual, expected) { $0.hasPrefix($1) }
        case .endsWith: return text(actual, expected) { $0.hasSuffix($1) }
        case .greaterThan: return number(actual, expected) { $0 > $1 }
        case .lessThan: return number(actual, expected) { $0 < $1 }
        case .atLeast: return number(actual, expected) { $0 >= $1 }
        case .atMost: return number(actual, expected) { $0 <= $1 }
        case .before: return date(actual, expected) { $0 < $1 }
        case .after: return date(actual, expected) { $0 > $1 }
        case .in: return isIn(actual, expected)
        case .notIn: return !isIn(actual, expected)
        }
    }

    private static func equals(_ actual: FieldValue, _ expected: ConditionValue?) -> Bool {
        switch (actual, expected) {
        case (.integer(let left), .integer(let right)?): left == right
        case (.integer(let left), .text(let right)?): Int(right) == left
        case (.text(let left), .integer(let right)?): Int(left) == right
        case (.text(let left), .text(let right)?): left.lowercased() == right.lowercased()
        case (.list(let left), .text(let right)?): left == [right]
        default: false
        }
    }

    private static func contains(_ actual: FieldValue, _ expected: ConditionValue?) -> Bool {
        switch (actual, expected) {
        case (.list(let items), .text(let item)?): items.contains(item)
        case (.text(let text), .text(let part)?): text.lowercased().contains(part.lowercased())
        default: false
        }
    }

    private static func text(_ actual: FieldValue, _ expected: ConditionValue?, _ test: (String, String) -> Bool) -> Bool {
        guard case .text(let text) = actual, case .text(let part)? = expected else { return false }
        return test(text.lowercased(), part.lowercased())
    }

    private static func number(_ actual: FieldValue, _ expected: ConditionValue?, _ test: (Double, Double) -> Bool) -> Bool {
        // Two integers compare exactly (Double loses precision past 2^53): by their sign of difference.
        if case .integer(let left) = actual, case .integer(let right)? = expected {
            return test(left < right ? -1 : left == right ? 0 : 1, 0)
        }
        guard let left = actual.number, let right = expected.flatMap({ FieldValue($0).number }) else { return false }
        return test(left, right)
    }

    private static func date(_ actual: FieldValue, _ expected: ConditionValue?, _ test: (String, String) -> Bool) -> Bool {
        guard case .text(let text) = actual, case .text(let bound)? = expected, let left = calendarDate(text), let right = calendarDate(bound) else {
            return false
        }
        return test(left, right)
    }

    /// The `YYYY-MM-DD` a text starts with, if it is a real date followed by nothing or a time
    /// (`T` or a space); `nil` otherwise.
    static func calendarDate(_ text: String) -> String? {
        // The one reading of a field's date (waits use it too): `ZonedCalendar.parseFieldDate`.
        guard let (year, month, day) = ZonedCalendar.parseFieldDate(text), CivilDateTime(year: year, month: month, day: day).isValidDate else { return nil }
        return String(text.prefix(10))
    }

    private static func isIn(_ actual: FieldValue, _ expected: ConditionValue?) -> Bool {
        guard case .list(let options)? = expected else { return false }
        let wanted = Set(options.map { $0.lowercased() })
        switch actual {
        case .text(let text): return wanted.contains(text.lowercased())
        case .integer(let value): return wanted.contains(String(value))
        case .list(let items): return items.contains { wanted.contains($0.lowercased()) }
        }
    }
}

extension FieldValue {
    init(_ value: ConditionValue) {
        switch value {
        case .text(let text): self = .text(text)
        case .integer(let number): self = .integer(number)
        case .list(let items): self = .list(items)
        }
    }

    var isEmpty: Bool {
        switch self {
        case .text(let text): text.isEmpty
        case .integer: false
        case .list(let items): items.isEmpty
        }
    }

    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .text(let text): Self.decimal(text.trimmingPrefixAndSuffixSpaces)
        case .list: nil
        }
    }
}

extension FieldValue {
    /// A decimal number as a contact field writes one: `-12`, `3.50`; not `1e3`, `.5`, `5.`, `inf` or `0x10`.
    static func decimal(_ text: Substring) -> Double? {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : text
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return nil
        }
        return Double(text)
    }
}

extension String {
    fileprivate var trimmingPrefixAndSuffixSpaces: Substring {
        let trimmed = drop { $0 == " " }
        return trimmed.dropLast(trimmed.reversed().prefix { $0 == " " }.count)
    }
}
