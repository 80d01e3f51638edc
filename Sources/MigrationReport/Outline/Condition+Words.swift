import PurchaseActionsCore

/// Conditions in plain words: a rule on the contact ("the contact has tag *VIP*") or a trigger's
/// filter on the event.
extension ReportNames {
    func words(_ condition: Condition) -> Sentence {
        var phrases: [Phrase] = []
        phrases.reserveCapacity(8)
        appendWords(condition, to: &phrases)
        return Sentence(phrases)
    }

    /// ``words(_:)``'s phrases appended to `phrases`: one array for the whole condition, not one
    /// sentence per part joined (Benchmarks/README.md, "Import throughput").
    func appendWords(_ condition: Condition, to phrases: inout [Phrase]) {
        appendWords(test: condition.test, to: &phrases)
    }

    /// ``appendWords(_:to:)`` of a condition's test (taken alone: a part of a group is not copied
    /// whole, with its id and source, to be read).
    private func appendWords(test: Condition.Test, to phrases: inout [Phrase]) {
        switch test {
        case .compare(let field, let op, let value): appendWords(field: field, op, value, to: &phrases)
        case .all(let parts): appendGroup(parts, " and ", empty: "always", to: &phrases)
        case .any(let parts): appendGroup(parts, " or ", empty: "never", to: &phrases)
        case .not(let inner):
            if case .any(let parts) = inner.test {
                phrases.append(.words("none of ("))
                appendGroup(parts, "; ", empty: "nothing", to: &phrases)
            } else {
                phrases.append(.words("not ("))
                appendWords(test: inner.test, to: &phrases)
            }
            phrases.append(.words(")"))
        }
    }

    private func appendGroup(_ parts: [Condition], _ separator: String, empty: String, to phrases: inout [Phrase]) {
        guard !parts.isEmpty else { return phrases.append(.words(empty)) }
        // By index: each part read in place, not copied out of the array (Benchmarks/README.md,
        // "The report in one pass").
        for index in parts.indices {
            if index > 0 { phrases.append(.words(separator)) }
            if case .compare = parts[index].test {
                appendWords(test: parts[index].test, to: &phrases)
            } else {
                phrases.append(.words("("))
                appendWords(test: parts[index].test, to: &phrases)
                phrases.append(.words(")"))
            }
        }
    }

    private func appendWords(field: String, _ op: ConditionOperator, _ value: ConditionValue?, to phrases: inout [Phrase]) {
        if field == "contact.tags", case .text(let tag)? = value {
            if op == .contains { return phrases += [.words("the contact has tag "), tagPhrase(tag)] }
            if op == .notContains { return phrases += [.words("the contact lacks tag "), tagPhrase(tag)] }
        }
        if field.hasPrefix("contact.fields.") {
            phrases.append(.words("field "))
            phrases.append(.name(String(field.dropFirst("contact.fields.".count))))
        } else {
            phrases.append(.id(field))
        }
        phrases.append(.words(Self.spacedWords(op)))
        guard op.takesValue, let value else { return }
        switch value {
        case .text(let text):
            phrases.append(.words(" "))
            phrases.append(.quote(text))
        case .integer(let number): phrases.append(.words(" \(number)"))
        case .list(let items):
            phrases.append(.words(" "))
            for (index, item) in items.enumerated() {
                if index > 0 { phrases.append(.words(", ")) }
                phrases.append(.quote(item))
            }
        }
    }

    /// `" " + words(op)`, as literals (no string made per condition).
    static func spacedWords(_ op: ConditionOperator) -> String {
        switch op {
        case .equals: " is"
        case .notEquals: " is not"
        case .contains: " contains"
        case .notContains: " does not contain"
        case .startsWith: " starts with"
        case .endsWith: " ends with"
        case .isEmpty: " is empty"
        case .isNotEmpty: " is not empty"
        case .greaterThan: " is more than"
        case .lessThan: " is less than"
        case .atLeast: " is at least"
        case .atMost: " is at most"
        case .before: " is before"
        case .after: " is after"
        case .in: " is one of"
        case .notIn: " is none of"
        }
    }

    static func words(_ op: ConditionOperator) -> String {
        switch op {
        case .equals: "is"
        case .notEquals: "is not"
        case .contains: "contains"
        case .notContains: "does not contain"
        case .startsWith: "starts with"
        case .endsWith: "ends with"
        case .isEmpty: "is empty"
        case .isNotEmpty: "is not empty"
        case .greaterThan: "is more than"
        case .lessThan: "is less than"
        case .atLeast: "is at least"
        case .atMost: "is at most"
        case .before: "is before"
        case .after: "is after"
        case .in: "is one of"
        case .notIn: "is none of"
        }
    }
}
