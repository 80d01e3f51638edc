import PropertyBased
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// The indexed gateway script (`GatewayScript.RuleIndex`, issue 14): the same answer as trying the
/// rules in order, first match wins, on random scripts and charges.
@Suite struct GatewayRuleIndexTests {
    typealias Random = DunningBudgetPropertyTests.Random

    static let invoices = ["inv-1", "inv-2", "inv-3"]
    static let contacts = ["c-1", "c-2"]
    static let cards = ["card-1", "card-2", "card-3"]
    static let codes = ["insufficient_funds", "do_not_honor", "lost_card"]
    static let networks: [CardNetwork] = [.visa, .mastercard, .amex, .other]

    /// A rule asking about a few members at random, over small domains so that rules overlap.
    static func match(_ random: inout Random) -> GatewayScript.Match {
        var match = GatewayScript.Match()
        func maybe() -> Bool { random.int(0...3) == 0 }
        if maybe() { match.invoice = random.pick(invoices) }
        if maybe() { match.contact = random.pick(contacts) }
        if maybe() { match.card = random.pick(cards) }
        if maybe() { match.network = random.pick(networks) }
        if maybe() { match.attempt = random.int(2...5) }
        if random.int(0...2) == 0 { match.amountAtLeast = random.int(0...100) }
        if random.int(0...2) == 0 { match.amountAtMost = random.int(0...100) }
        if maybe() { match.declineCode = random.pick(codes) }
        if maybe() { match.afterCardUpdate = random.int(0...1) == 0 }
        return match
    }

    static func charge(_ random: inout Random) -> GatewayScript.Charge {
        let request = ChargeRequest(
            invoice: random.pick(invoices), attempt: random.int(2...5), contact: random.pick(contacts), card: random.int(0...4) == 0 ? nil : random.pick(cards),
            amount: random.int(-5...105), currency: "USD")
        return GatewayScript.Charge(
            request: request, network: random.pick(networks), firstDeclineCode: random.int(0...4) == 0 ? nil : random.pick(codes),
            afterCardUpdate: random.int(0...1) == 0)
    }

    /// The first matching rule, tried in order: the definition.
    static func linear(_ script: GatewayScript, _ charge: GatewayScript.Charge) -> Int? {
        script.rules.firstIndex { $0.when.matches(charge) }
    }

    @Test func theIndexAnswersAsTheRulesInOrderOnRandomScripts() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var random = Random(state: UInt64(seed))
            var rules: [GatewayScript.Rule] = []
            for number in 0..<random.int(0...60) {
                rules.append(GatewayScript.Rule(when: Self.match(&random), answer: .declined(.init(code: "rule-\(number)"))))
            }
            let script = GatewayScript(rules: rules, defaultAnswer: .approved)
            let index = GatewayScript.RuleIndex(script)
            for _ in 0..<200 {
                let charge = Self.charge(&random)
                let expected = Self.linear(script, charge)
                #expect(index.firstMatch(for: charge) == expected, "seed \(seed): \(charge)")
                #expect(index.answer(for: charge) == script.answer(for: charge), "seed \(seed)")
            }
        }
    }

    @Test func amountRangesFirstMatchWinsAcrossTablesAndKeys() {
        let charge = { (amount: Int, card: String?, updated: Bool) in
            GatewayScript.Charge(
                request: ChargeRequest(invoice: "inv-1", attempt: 2, contact: "c-1", card: card, amount: amount, currency: "USD"), network: .visa,
                firstDeclineCode: nil, afterCardUpdate: updated)
        }
        let script = GatewayScript(rules: [
            .init(when: .init(amountAtLeast: 50, amountAtMost: 10), answer: .approved),  // empty: never matches
            .init(when: .init(amountAtLeast: 100, amountAtMost: 200, afterCardUpdate: true), answer: .approved),  // 1
            .init(when: .init(card: "card-9"), answer: .approved),  // 2
            .init(when: .init(amountAtMost: 150), answer: .approved),  // 3
            .init(when: .init(amountAtLeast: 150), answer: .approved),  // 4
            .init(when: .init(card: "card-1", amountAtLeast: 0), answer: .approved),  // 5
        ])
        let index = GatewayScript.RuleIndex(script)
        #expect(index.firstMatch(for: charge(120, "card-1", true)) == 1)
        #expect(index.firstMatch(for: charge(120, "card-9", false)) == 2)
        #expect(index.firstMatch(for: charge(120, "card-1", false)) == 3)
        #expect(index.firstMatch(for: charge(151, nil, false)) == 4)
        #expect(index.firstMatch(for: charge(Int.min, nil, false)) == 3)
        #expect(index.firstMatch(for: charge(Int.max, nil, true)) == 4)
        #expect(index.firstMatch(for: charge(-1, "card-1", false)) == 3)
        let none = GatewayScript.RuleIndex(GatewayScript(rules: [.init(when: .init(card: "card-9"), answer: .approved)], defaultAnswer: .unknown(then: .notFound)))
        #expect(none.firstMatch(for: charge(5, "card-1", false)) == nil)
        #expect(none.answer(for: charge(5, "card-1", false)) == .unknown(then: .notFound))
    }

    @Test func theSimulatorAnswersFromTheIndexAsBefore() throws {
        // 10,000 rules by card: the last card's rule is the 10,000th; every other charge falls to the default.
        var rules = (0..<9_999).map { GatewayScript.Rule(when: .init(card: "card-x\($0)"), answer: .declined(.init(code: "do_not_honor"))) }
        rules.append(.init(when: .init(card: "card-1", attempt: 2), answer: .approved))
        var gateway = GatewaySimulator(script: GatewayScript(rules: rules))
        let outcome = gateway.charge(ChargeRequest(invoice: "inv-1", attempt: 2, contact: "c-1", card: "card-1", amount: 100, currency: "USD"))
        #expect(outcome == .approved(charge: "sim-inv-1/attempt-2"))
        let other = gateway.charge(ChargeRequest(invoice: "inv-2", attempt: 3, contact: "c-1", card: "card-1", amount: 100, currency: "USD"))
        #expect(other == .declined(code: "do_not_honor", adviceCode: nil))
    }
}
