import PurchaseActionsCore

/// Conditions in plain words: a rule on the contact ("the contact has tag *VIP*") or a trigger's
/// filter on the event.
extension ReportNames {
    func words(_ condition: Condition) -> Sentence {
        switch condition.test {
        case .compare(let field, let op, let value): return words(field: field, op, value)
        case .all(let parts): return group(parts, " and ", empty: "always")
        case .any(let parts): return group(parts, " or ", empty: "never")
        case .not(let inner):
            if case .any(let parts) = inner.test { return "none of (" + group(parts, "; ", empty: "nothing") + ")" }
            return "not (" + words(inner) + ")"
        }
    }

    private func group(_ parts: [Condition], _ separator: String, empty: String) -> Sentence {
        guard !parts.isEmpty else { return Sentence(stringLiteral: empty) }
        // One comparison is its own words (what the loop below gives, without its copies).
        if parts.count == 1, case .compare = parts[0].test { return words(parts[0]) }
        var sentence = Sentence()
        for (index, part) in parts.enumerated() {
            if index > 0 { sentence += Sentence(stringLiteral: separator) }
            let inner = words(part)
            if case .compare = part.test { sentence += inner } else { sentence += "(" + inner + ")" }
        }
        return sentence
    }

    private func words(field: String, _ op: ConditionOperator, _ value: ConditionValue?) -> Sentence {
        if field == "contact.tags", case .text(let tag)? = value {
            if op == .contains { return Sentence([.words("the contact has tag "), tagPhrase(tag)]) }
            if op == .notContains { return Sentence([.words("the contact lacks tag "), tagPhrase(tag)]) }
        }
        var subject: Sentence
        if field.hasPrefix("contact.fields.") {
            subject = Sentence([.words("field "), .name(String(field.dropFirst("contact.fields.".count)))])
        } else {
            subject = Sentence([.id(field)])
        }
        subject += Sentence(stringLiteral: " " + Self.words(op))
        guard op.takesValue, let value else { return subject }
        switch value {
        case .text(let text): return subject + Sentence([.words(" "), .quote(text)])
        case .integer(let number): return subject + Sentence(stringLiteral: " \(number)")
        case .list(let items):
            var sentence = subject + " "
            for (index, item) in items.enumerated() {
                if index > 0 { sentence += ", " }
                sentence += Sentence([.quote(item)])
            }
            return sentence
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
