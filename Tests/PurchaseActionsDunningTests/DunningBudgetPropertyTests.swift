import PropertyBased
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// Random schedules, declines, several invoices per card and card updates: the charges the process
/// makes never exceed any card's budget in any rolling window, and no key is charged twice.
@Suite struct DunningBudgetPropertyTests {
    typealias D = Dunning

    /// SplitMix64: a whole scenario from one seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    }

    static let codes: [(String, String?)] = [
        ("insufficient_funds", nil), ("do_not_honor", "24"), ("do_not_honor", "25"), ("do_not_honor", "26"), ("lost_card", nil),
        ("expired_card", nil), ("card_velocity_exceeded", nil), ("something_new", nil), ("do_not_honor", "03"), ("do_not_honor", "01"),
    ]

    struct Scenario {
        var policy: DunningPolicy
        var events: [Event]
        var script: GatewayScript
        var networks: [String: CardNetwork]
    }

    static func scenario(seed: Int) -> Scenario {
        var random = Random(state: UInt64(bitPattern: Int64(seed)))
        let duration = { (random: inout Random) -> PolicyDuration in
            random.int(0...1) == 0 ? .hours(random.int(1...60)) : .days(random.int(1...4))
        }
        var policy = D.policy()
        switch random.int(0...2) {
        case 0: policy.retries = .gaps((0..<random.int(1...8)).map { _ in duration(&random) })
        case 1: policy.retries = .within(attempts: random.int(2...10), window: .days(random.int(1...14)))
        default: policy.retries = .gaps((0..<random.int(5...12)).map { _ in .hours(random.int(1...6)) })
        }
        var budgets: [CardNetwork: NetworkBudget] = [:]
        for network in [CardNetwork.visa, .mastercard, .other] {
            budgets[network] = NetworkBudget(attempts: random.int(1...5), window: duration(&random))
        }
        policy.budgets = BudgetSettings(networks: budgets, whenExceeded: random.int(0...1) == 0 ? .defer : .skip)
        policy.cardUpdate = CardUpdateRule(retryImmediately: random.int(0...2) > 0, resetSchedule: random.int(0...1) == 0, resetStage: random.int(0...1) == 0)
        let cards = (0..<random.int(1...4)).map { "card-\($0)" }
        var networks: [String: CardNetwork] = [:]
        for card in cards { networks[card] = random.pick([.visa, .mastercard, .amex]) }
        var events: [Event] = []
        let contacts = (0..<random.int(1...4)).map { "c-\($0)" }
        for index in 0..<random.int(1...12) {
            let (code, advice) = random.pick(codes)
            let card: String? = random.int(0...5) == 0 ? nil : random.pick(cards)
            events.append(D.failed(
                "inv-\(index)", attempt: random.int(1...2), at: D.at(hours: random.int(0...96)), code: code, advice: advice, card: card,
                network: card.flatMap { networks[$0]?.rawValue }, contact: random.pick(contacts), subscription: "sub-\(index)"))
        }
        for _ in 0..<random.int(0...4) {
            let card = random.pick(cards)
            events.append(D.cardUpdate(contact: random.pick(contacts), card: card, network: networks[card]?.rawValue, at: D.at(hours: random.int(0...200))))
        }
        var rules: [GatewayScript.Rule] = []
        for _ in 0..<random.int(0...4) {
            let answer: GatewayScript.Answer = random.pick([
                .approved, .declined(.init()), .declined(.init(code: "do_not_honor", adviceCode: "24")), .declined(.init(code: "stolen_card")),
                .unknown(then: .notFound), .unknown(then: .approved), .unknown(then: .unknown),
            ])
            rules.append(GatewayScript.Rule(when: GatewayScript.Match(attempt: random.int(2...6), afterCardUpdate: random.int(0...2) == 0 ? true : nil), answer: answer))
        }
        return Scenario(policy: policy, events: events, script: GatewayScript(rules: rules), networks: networks)
    }

    @Test func chargesNeverExceedACardsBudgetInAnyWindowAndNoKeyIsChargedTwice() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            let scenario = Self.scenario(seed: seed)
            let run = D.run(scenario.policy, scenario.events, script: scenario.script, until: D.at(days: 120))
            // Group the charges by budget key (the card, or the invoice of a card without id).
            var byKey: [String: [(Instant, NetworkBudget)]] = [:]
            for charge in run.charges {
                let key = charge.request.card ?? "invoice:" + charge.request.invoice
                let network = charge.request.card.flatMap { scenario.networks[$0] } ?? .other
                let budget = scenario.policy.budgets.budget(for: network)!
                byKey[key, default: []].append((charge.at, budget))
            }
            for (key, charges) in byKey {
                for (index, (time, budget)) in charges.enumerated() {
                    let window = CardAttemptLedger.windowMilliseconds(budget)
                    let inWindow = charges[...index].filter { $0.0.millisecondsSinceEpoch > time.millisecondsSinceEpoch - window }.count
                    #expect(inWindow <= budget.attempts, "seed \(seed): \(key) has \(inWindow) charges in the \(budget.window) window ending \(time)")
                }
            }
            #expect(run.gateway.replays == 0, "seed \(seed)")
            #expect(run.gateway.keysChargedTwice.isEmpty, "seed \(seed)")
            // Every invoice ends or waits; none has a charge in flight.
            for invoice in run.process.allInvoices {
                #expect(invoice.status != .open || invoice.nextAttemptAt != nil || invoice.waitingSince != nil,
                        "seed \(seed): \(invoice.id) is open with nothing planned and not waiting in its card's line")
            }
        }
    }
}
