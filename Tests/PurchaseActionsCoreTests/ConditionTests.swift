import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("Conditions: evaluation")
struct ConditionTests {
    static let wordList = ["Cart", "cart", "manual", "", "42", "2026-03-01"]
    static let words = Gen.int(in: 0...5).map { wordList[$0] }
    /// A kind (0 missing, 1 text, 2 integer, 3 list) and the parts to build each from.
    static let parts = zip(Gen.int(in: 0...3), words, Gen.int(in: -3...50), words.array(of: 0...3))
    static let actuals = parts.map { kind, word, number, list -> FieldValue? in
        [nil, FieldValue.text(word), .integer(number), .list(list)][kind]
    }
    static let values = parts.map { kind, word, number, list -> ConditionValue in
        [ConditionValue.text(word), .text(word), .integer(number), .list(list)][kind]
    }
    static let operators = Gen.int(in: 0...(ConditionOperator.allCases.count - 1)).map { ConditionOperator.allCases[$0] }

    static func condition(_ op: ConditionOperator, _ value: ConditionValue) -> Condition {
        .field("f", op, op.takesValue ? value : nil)
    }

    @Test("Each operator and its negation disagree on every input, a missing field included")
    func negationsDisagree() async {
        let pairs: [(ConditionOperator, ConditionOperator)] = [(.equals, .notEquals), (.contains, .notContains), (.in, .notIn), (.isEmpty, .isNotEmpty)]
        await propertyCheck(count: 500, input: Self.actuals, Self.values) { actual, value in
            for (op, negation) in pairs {
                let holds = Self.condition(op, value).holds { _ in actual }
                let negated = Self.condition(negation, value).holds { _ in actual }
                #expect(holds != negated, "\(op) / \(negation) on \(String(describing: actual)) with \(value)")
            }
        }
    }

    @Test("not inverts, all of one is the one, any of none is false")
    func groups() async {
        await propertyCheck(count: 300, input: Self.actuals, Self.values, Self.operators) { actual, value, op in
            let leaf = Self.condition(op, value)
            let holds = leaf.holds { _ in actual }
            #expect(Condition(.not(leaf)).holds { _ in actual } == !holds)
            #expect(Condition(.all([leaf])).holds { _ in actual } == holds)
            #expect(Condition(.any([leaf])).holds { _ in actual } == holds)
            #expect(!Condition(.any([])).holds { _ in actual })
            #expect(Condition(.all([])).holds { _ in actual })
        }
    }

    @Test("Text comparisons ignore case; list membership is exact")
    func caseRules() {
        let field: (String) -> FieldValue? = { $0 == "name" ? .text("Siobhán Murphy") : $0 == "tags" ? .list(["tag-VIP"]) : nil }
        #expect(Condition.field("name", .equals, .text("siobhán murphy")).holds(field))
        #expect(Condition.field("name", .startsWith, .text("SIOB")).holds(field))
        #expect(Condition.field("name", .endsWith, .text("murphy")).holds(field))
        #expect(Condition.field("name", .contains, .text("Á")).holds(field))
        #expect(Condition.field("tags", .contains, .text("tag-VIP")).holds(field))
        #expect(!Condition.field("tags", .contains, .text("tag-vip")).holds(field))
    }

    @Test("Numbers and dates compare by value")
    func numbersAndDates() {
        let field: (String) -> FieldValue? = { name in
            switch name {
            case "amount": .integer(4900)
            case "text-number": .text("10")
            case "date": .text("2026-03-01")
            default: nil
            }
        }
        #expect(Condition.field("amount", .greaterThan, .integer(4899)).holds(field))
        #expect(!Condition.field("amount", .greaterThan, .integer(4900)).holds(field))
        #expect(Condition.field("amount", .atLeast, .integer(4900)).holds(field))
        #expect(Condition.field("amount", .atMost, .integer(4900)).holds(field))
        #expect(Condition.field("text-number", .lessThan, .text("9.5")) .holds(field) == false, "10 is not less than 9.5: compared as numbers, not text")
        #expect(Condition.field("amount", .equals, .text("4900")).holds(field))
        #expect(Condition.field("date", .before, .text("2026-03-02")).holds(field))
        #expect(Condition.field("date", .after, .text("2026-02-28")).holds(field))
        #expect(!Condition.field("missing", .lessThan, .integer(1)).holds(field), "a missing field compares false")
    }
}
