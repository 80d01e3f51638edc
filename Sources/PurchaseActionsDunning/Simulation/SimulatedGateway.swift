public import PurchaseActionsCore

/// A scripted payment gateway that runs synchronously, for `DunningSimulation` and tests: it
/// answers charges from a `GatewayScript`, remembers each idempotency key's result (a key charged
/// again gets its first result back and is counted as a replay, never charged twice), and counts
/// every call. `SimulatedGateway` is the same behind the `PaymentGateway` port.
///
/// It learns what the script's rules need from the events it ``observe(_:)``s: each invoice's
/// first decline (`payment.autocharge_failed`), card networks, and the cards that came from a
/// card update (`payment_method.updated`).
public struct GatewaySimulator: Hashable, Sendable {
    /// The script.
    public let script: GatewayScript
    /// Its rules indexed (the same answers, without trying every rule).
    let index: GatewayScript.RuleIndex

    struct KeyRecord: Hashable, Sendable {
        var calls = 0
        /// The result a look-up or a replay gives; `nil`: nothing charged (not found).
        var status: ChargeStatus?
        var approvals = 0
    }

    var firstDeclines: [String: GatewayScript.DeclineAnswer] = [:]
    var networks: [String: CardNetwork] = [:]
    var updatedCards: Set<String> = []
    var keys: [String: KeyRecord] = [:]

    /// Charge calls made.
    public private(set) var totalCalls = 0
    /// Calls with a key whose result was already known (approved or declined): the simulated
    /// gateway answered with that result and charged nothing. A dunning process never makes one.
    public private(set) var replays = 0

    /// A gateway answering from `script`.
    public init(script: GatewayScript = GatewayScript()) {
        self.script = script
        index = GatewayScript.RuleIndex(script)
    }

    /// Learns an invoice's first decline, a card's network, a card from a card update.
    public mutating func observe(_ event: Event) {
        if let card = event.card {
            networks[card.id] = card.network.flatMap(CardNetwork.init(rawValue:)) ?? .other
            if event.type == .paymentMethodUpdated { updatedCards.insert(card.id) }
        }
        if event.type == .autochargeFailed, let invoice = event.autocharge?.invoice ?? event.payment?.invoice, firstDeclines[invoice] == nil {
            firstDeclines[invoice] = GatewayScript.DeclineAnswer(
                code: event.payment?.declineCode.map(DeclineTable.lowercased), adviceCode: event.payment?.adviceCode)
        }
    }

    /// Charges: the first matching rule's answer (a key seen with a known result gets that result again, uncharged).
    public mutating func charge(_ request: ChargeRequest) -> ChargeOutcome {
        totalCalls += 1
        var record = keys[request.idempotencyKey] ?? KeyRecord()
        record.calls += 1
        defer { keys[request.idempotencyKey] = record }
        switch record.status {
        case .approved(let charge):
            replays += 1
            return .approved(charge: charge)
        case .declined(let code, let advice):
            replays += 1
            return .declined(code: code, adviceCode: advice)
        case .notFound, .unknown, nil: break
        }
        let charge = GatewayScript.Charge(
            request: request, network: request.card.flatMap { networks[$0] } ?? .other,
            firstDeclineCode: firstDeclines[request.invoice]?.code, afterCardUpdate: request.card.map(updatedCards.contains) ?? false)
        let chargeID = "sim-" + request.idempotencyKey
        switch index.answer(for: charge) {
        case .approved:
            record.status = .approved(charge: chargeID)
            record.approvals += 1
            return .approved(charge: chargeID)
        case .declined(let answer):
            let (code, advice) = decline(answer, invoice: request.invoice)
            record.status = .declined(code: code, adviceCode: advice)
            return .declined(code: code, adviceCode: advice)
        case .unknown(let lookup):
            switch lookup {
            case .approved:
                record.status = .approved(charge: chargeID)
                record.approvals += 1
            case .declined(let answer):
                let (code, advice) = decline(answer, invoice: request.invoice)
                record.status = .declined(code: code, adviceCode: advice)
            case .notFound: record.status = nil
            case .unknown: record.status = .unknown(reason: "the simulated gateway does not know")
            }
            return .unknown(reason: "simulated timeout")
        }
    }

    /// The decline to answer: the answer's code, else the invoice's first failure's, else `do_not_honor`.
    func decline(_ answer: GatewayScript.DeclineAnswer, invoice: String) -> (String, String?) {
        if let code = answer.code { return (code, answer.adviceCode) }
        let first = firstDeclines[invoice]
        return (first?.code ?? "do_not_honor", first?.code == nil ? nil : first?.adviceCode)
    }

    /// The status of a key: what its charge became, `notFound` when nothing was charged.
    public func status(idempotencyKey: String) -> ChargeStatus {
        keys[idempotencyKey]?.status ?? .notFound
    }

    /// Charge calls made with this key.
    public func calls(for idempotencyKey: String) -> Int { keys[idempotencyKey]?.calls ?? 0 }

    /// Charges that went through with this key: 0 or 1.
    public func approvedCharges(for idempotencyKey: String) -> Int { keys[idempotencyKey]?.approvals ?? 0 }

    /// Keys charged (approved) more than once: always empty.
    public var keysChargedTwice: [String] { keys.filter { $0.value.approvals > 1 }.map(\.key).sorted() }
}

/// `GatewaySimulator` behind the `PaymentGateway` port (an actor: calls may come from any task).
/// It counts charges per idempotency key; a key charged again returns its first result.
public actor SimulatedGateway: PaymentGateway {
    /// The simulator inside.
    public private(set) var simulator: GatewaySimulator

    /// A gateway answering from `script`.
    public init(script: GatewayScript = GatewayScript()) { simulator = GatewaySimulator(script: script) }

    /// Learns from an event (see `GatewaySimulator.observe(_:)`).
    public func observe(_ event: Event) { simulator.observe(event) }

    /// Charges (see `GatewaySimulator.charge(_:)`).
    public func charge(_ request: ChargeRequest) async -> ChargeOutcome { simulator.charge(request) }

    /// The status of a key.
    public func status(idempotencyKey: String) async -> ChargeStatus { simulator.status(idempotencyKey: idempotencyKey) }

    /// Charge calls made with this key.
    public func calls(for idempotencyKey: String) -> Int { simulator.calls(for: idempotencyKey) }

    /// Charges that went through with this key: 0 or 1.
    public func approvedCharges(for idempotencyKey: String) -> Int { simulator.approvedCharges(for: idempotencyKey) }
}
