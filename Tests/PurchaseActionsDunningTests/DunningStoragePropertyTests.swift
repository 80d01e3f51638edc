import DunningTesting
import PropertyBased
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// The durable runtime keeps a process's state in tables and rebuilds the process from them after
/// a rolled back transaction or a restart. A run straight, and the same run whose changed invoices
/// and ledger keys go to a "store" of JSON texts after every step and which is rebuilt from that
/// store at random points (between charges in flight too), give the same entries, charges, final
/// invoices and ledger; and after every step the store holds exactly each invoice's state.
@Suite struct DunningStoragePropertyTests {
    typealias D = Dunning
    typealias Random = DunningBudgetPropertyTests.Random

    static let tagPool = ["t1", "t2", "t3"]

    struct Scenario {
        var policy: DunningPolicy
        var limits: ProcessLimits
        var events: [Event]
        var script: GatewayScript
    }

    /// A policy from `RandomPolicy` (stages, send windows, plans, declines, final actions, age
    /// limits), most often with a short schedule and small budgets so that much happens in 120
    /// days, and often with stages and actions on a small pool of tags the events carry too.
    static func scenario(seed: Int) -> Scenario {
        var random = Random(state: UInt64(bitPattern: Int64(seed)))
        var policies = RandomPolicy(seed: random.next())
        var policy = policies.policy()
        policy.plans = [:]
        let duration = { (random: inout Random) -> PolicyDuration in
            random.int(0...1) == 0 ? .hours(random.int(1...60)) : .days(random.int(1...4))
        }
        if random.int(0...3) > 0 {
            switch random.int(0...2) {
            case 0: policy.retries = .gaps((0..<random.int(1...8)).map { _ in duration(&random) })
            case 1: policy.retries = .within(attempts: random.int(2...10), window: .days(random.int(1...14)))
            default: policy.retries = .gaps((0..<random.int(5...12)).map { _ in .hours(random.int(1...6)) })
            }
            var budgets: [CardNetwork: NetworkBudget] = [:]
            for network in [CardNetwork.visa, .mastercard, .other] where random.int(0...4) > 0 {
                budgets[network] = NetworkBudget(attempts: random.int(1...5), window: duration(&random))
            }
            policy.budgets = BudgetSettings(networks: budgets, whenExceeded: random.int(0...1) == 0 ? .defer : .skip)
        }
        if random.int(0...2) > 0 { policy.maxInvoiceAgeMonths = random.int(0...2) == 0 ? random.int(0...1) : nil }
        if random.int(0...1) == 0 {
            // Stages and actions on the tags the events carry: the contact's tags are state the store must keep.
            let tagCondition = { (random: inout Random) -> StageCondition in
                let tag = random.pick(tagPool)
                switch random.int(0...3) {
                case 0: return .hasTag(tag)
                case 1: return .lacksTag(tag)
                case 2: return .all([.hasTag(tag), .attemptsFailed(atLeast: random.int(1...4))])
                default: return .any([.lacksTag(tag), .daysSinceFirstFailure(atLeast: random.int(1...5))])
                }
            }
            let tagAction = { (random: inout Random) -> DunningAction in
                switch random.int(0...3) {
                case 0: return .addTag(random.pick(tagPool))
                case 1: return .removeTag(random.pick(tagPool))
                case 2: return .email(template: "t-\(random.int(0...3))")
                default: return .sms(text: "pay \(random.int(0...9))")
                }
            }
            policy.stages = (0..<random.int(1...4)).map { index in
                DunningStage(id: "s\(index)", name: "Stage \(index)", when: tagCondition(&random), actions: (0..<random.int(0...3)).map { _ in tagAction(&random) })
            }
            policy.attempts = (1...random.int(1...4)).map { AttemptRule(attempt: $0, actions: (0..<random.int(0...2)).map { _ in tagAction(&random) }) }
            policy.recovered = (0..<random.int(0...2)).map { _ in tagAction(&random) }
        }
        var limits = ProcessLimits.standard
        if random.int(0...3) == 0 {
            limits = ProcessLimits(maxInvoices: random.int(1...8), maxAttempts: random.int(2...6), maxEntries: random.int(3...30), maxUnknownRepeats: random.int(0...3))
        }

        let cards = (0..<random.int(1...4)).map { "card-\($0)" }
        var networks: [String: CardNetwork] = [:]
        for card in cards { networks[card] = random.pick([.visa, .mastercard, .amex]) }
        let contacts = (0..<random.int(1...4)).map { "c-\($0)" }
        var events: [Event] = []
        let invoiceCount = random.int(1...10)
        for index in 0..<invoiceCount {
            let (code, advice) = random.pick(DunningBudgetPropertyTests.codes)
            let card: String? = random.int(0...5) == 0 ? nil : random.pick(cards)
            let tags = tagPool.filter { _ in random.int(0...2) == 0 }
            events.append(D.failed(
                "inv-\(index)", attempt: random.int(1...3), at: D.at(hours: random.int(0...96)), code: code, advice: advice, card: card,
                network: card.flatMap { networks[$0]?.rawValue }, contact: random.pick(contacts), index: random.int(0...9) == 0 ? 1 : 2,
                subscription: "sub-\(random.int(0...invoiceCount))", tags: tags))
        }
        for _ in 0..<random.int(0...5) {
            // The source reports an attempt of an invoice (a managed one: adopted or recorded).
            let (code, advice) = random.pick(DunningBudgetPropertyTests.codes)
            let card = random.pick(cards)
            events.append(D.failed(
                "inv-\(random.int(0...(invoiceCount - 1)))", attempt: random.int(1...8), at: D.at(hours: random.int(1...300)), code: code, advice: advice,
                card: card, network: networks[card]?.rawValue, contact: random.pick(contacts)))
        }
        for _ in 0..<random.int(0...4) {
            let card = random.pick(cards)
            events.append(D.cardUpdate(contact: random.pick(contacts), card: card, network: networks[card]?.rawValue, at: D.at(hours: random.int(0...300))))
        }
        for _ in 0..<random.int(0...3) {
            let invoice = "inv-\(random.int(0...(invoiceCount - 1)))"
            let time = D.at(hours: random.int(0...400))
            if random.int(0...1) == 0 {
                events.append(D.paid(invoice, at: time))
            } else {
                var event = Event(id: "recovered-\(invoice)", type: .autochargeRecovered, occurredAt: time, contact: ContactReference(id: random.pick(contacts)))
                event.autocharge = Autocharge(attempt: random.int(2...5), invoice: invoice)
                events.append(event)
            }
        }
        for _ in 0..<random.int(0...2) {
            events.append(D.cancelled(subscription: "sub-\(random.int(0...invoiceCount))", at: D.at(hours: random.int(0...400))))
        }
        var rules: [GatewayScript.Rule] = []
        for _ in 0..<random.int(0...5) {
            let answer: GatewayScript.Answer = random.pick([
                .approved, .declined(.init()), .declined(.init(code: "do_not_honor", adviceCode: "24")), .declined(.init(code: "stolen_card")),
                .unknown(then: .notFound), .unknown(then: .approved), .unknown(then: .unknown), .unknown(then: .declined(.init())),
            ])
            rules.append(GatewayScript.Rule(when: GatewayScript.Match(attempt: random.int(2...6), afterCardUpdate: random.int(0...2) == 0 ? true : nil), answer: answer))
        }
        let fallback: GatewayScript.Answer = random.pick([.declined(.init()), .declined(.init()), .unknown(then: .unknown), .approved])
        return Scenario(policy: policy, limits: limits, events: events, script: GatewayScript(rules: rules, defaultAnswer: fallback))
    }

    /// The tables of the durable runtime, as JSON texts.
    struct Store {
        var invoices: [String: String] = [:]
        var ledger: [String: String] = [:]

        /// Writes what changed, as the runtime does after each step.
        mutating func save(_ process: inout DunningProcess) {
            for invoice in process.takeChangedInvoices() { invoices[invoice.id] = invoice.storageJSON.compactText }
            for key in process.sharedLedger.takeChangedKeys() {
                ledger[key.storageText] = process.sharedLedger.entry(key)?.storageJSON.compactText
            }
        }

        /// A process rebuilt from the texts alone (the invoices in an order of their own).
        func restore(_ scenario: Scenario) throws -> DunningProcess {
            var invoices: [DunningInvoice] = []
            for text in self.invoices.values.sorted() { invoices.append(try DunningInvoice(storageJSON: try JSONValue.parse(text))) }
            var entries: [CardAttemptLedger.Entry] = []
            for (keyText, text) in ledger {
                let key = try #require(CardAttemptLedger.Key(storageText: keyText))
                entries.append(try CardAttemptLedger.Entry(key: key, storageJSON: try JSONValue.parse(text)))
            }
            return try DunningProcess(
                policy: scenario.policy, calendar: D.utc, limits: scenario.limits, restoring: invoices, ledger: CardAttemptLedger(restoring: entries))
        }

        /// The store holds every invoice exactly as the process has it (the contact's tags aside).
        func check(_ process: DunningProcess, seed: Int) throws {
            #expect(invoices.count == process.allInvoices.count, "seed \(seed)")
            for invoice in process.allInvoices {
                let text = try #require(invoices[invoice.id], "seed \(seed): \(invoice.id) is not stored")
                guard case .object(var stored) = try JSONValue.parse(text) else { throw DunningError("test", "not an object") }
                stored["contactTags"] = nil
                #expect(JSONValue.object(stored) == invoice.storageJSON, "seed \(seed): the stored \(invoice.id) is stale")
            }
        }
    }

    struct Outcome: Equatable {
        var entries: [DunningEntry] = []
        var charges: [D.Charge] = []
        var invoices: [DunningInvoice] = []
        var ledger = CardAttemptLedger()
        var nextDue: Instant?
    }

    /// `Dunning.drive`, with a store written after every step and, when `restores` is given, the
    /// process rebuilt from the store at random points. Returns what happened and how often it was rebuilt.
    static func run(_ scenario: Scenario, seed: Int, restores: UInt64?, until end: Instant = D.at(days: 120)) throws -> (Outcome, Int) {
        var process = DunningProcess(policy: scenario.policy, calendar: D.utc, limits: scenario.limits)
        var gateway = GatewaySimulator(script: scenario.script)
        var store = Store()
        var random = Random(state: restores ?? 0)
        var rebuilt = 0
        var outcome = Outcome()
        func step() throws {
            guard restores != nil else { return }
            store.save(&process)
            try store.check(process, seed: seed)
            if random.int(0...2) == 0 {
                process = try store.restore(scenario)
                rebuilt += 1
            }
        }
        var pending = scenario.events.sorted { $0.occurredAt < $1.occurredAt }[...]
        while true {
            let eventTime = pending.first.map(\.occurredAt).flatMap { $0 <= end ? $0 : nil }
            let dueTime = process.nextDue.flatMap { $0 <= end ? $0 : nil }
            if let eventTime, dueTime.map({ eventTime <= $0 }) ?? true {
                let event = pending.removeFirst()
                gateway.observe(event)
                outcome.entries += process.ingest(event)
                try step()
            } else if let dueTime {
                let requests = process.due(at: dueTime)
                outcome.entries += process.drainEntries()
                try step()  // the charges are in flight: a restart now must still take their outcomes
                for request in requests {
                    var result = gateway.charge(request)
                    if case .unknown = result {
                        switch gateway.status(idempotencyKey: request.idempotencyKey) {
                        case .approved(let charge): result = .approved(charge: charge)
                        case .declined(let code, let advice): result = .declined(code: code, adviceCode: advice)
                        case .notFound, .unknown: break
                        }
                    }
                    outcome.charges.append(D.Charge(at: dueTime, request: request, outcome: result))
                    outcome.entries += process.record(request, outcome: result, at: dueTime)
                    try step()
                }
            } else {
                break
            }
        }
        outcome.invoices = process.allInvoices
        outcome.ledger = process.sharedLedger
        outcome.nextDue = process.nextDue
        return (outcome, rebuilt)
    }

    static func check(seed: Int) throws {
        let scenario = scenario(seed: seed)
        let (straight, _) = try run(scenario, seed: seed, restores: nil)
        let (restored, rebuilt) = try run(scenario, seed: seed, restores: UInt64(bitPattern: Int64(seed)) ^ 0x5EED)
        #expect(rebuilt > 0 || straight.entries.isEmpty, "seed \(seed): never rebuilt")
        #expect(restored.entries.count == straight.entries.count, "seed \(seed)")
        if let index = zip(restored.entries, straight.entries).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("seed \(seed): entry \(index) differs:\n  restored \(restored.entries[index])\n  straight \(straight.entries[index])")
        }
        #expect(restored.charges == straight.charges, "seed \(seed)")
        #expect(restored.invoices == straight.invoices, "seed \(seed)")
        #expect(restored.ledger == straight.ledger, "seed \(seed)")
        #expect(restored.nextDue == straight.nextDue, "seed \(seed)")
    }

    @Test func aRunRestoredFromTheStoreAtRandomPointsGoesOnAsTheRunStraight() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int.max)) { seed in
            try Self.check(seed: seed)
        }
    }

    /// The same over fixed seeds, so every run checks these scenarios.
    @Test(arguments: 0..<60) func fixedSeeds(seed: Int) throws {
        try Self.check(seed: seed)
    }
}
