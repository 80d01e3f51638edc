import PurchaseActionsCore
import PurchaseActionsDunning

/// Events and a driver for the dunning process tests: time is injected, nothing sleeps.
enum Dunning {
    /// 2026-01-01T00:00:00Z, a Thursday.
    static let t0 = Instant(millisecondsSinceEpoch: 1_767_225_600_000)
    static let utc = ZonedCalendar(rules: .utc)

    static func at(days: Int = 0, hours: Int = 0, minutes: Int = 0) -> Instant {
        t0.adding(seconds: Int64(days * 86_400 + hours * 3600 + minutes * 60))
    }

    static func failed(_ invoice: String, attempt: Int = 1, at time: Instant = t0, code: String = "insufficient_funds", advice: String? = nil,
                       card: String? = "card-1", network: String? = "visa", contact: String = "c-1", index: Int = 2,
                       subscription: String? = "sub-1", plan: String = "plan-monthly", amount: Int = 2900, tags: [String] = []) -> Event {
        var event = Event(id: "\(invoice)/failed-\(attempt)", type: .autochargeFailed, occurredAt: time, contact: ContactReference(id: contact, tags: tags))
        event.order = Order(id: "ord-\(invoice)", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: plan))])
        event.payment = Payment(index: index, amount: amount, currency: "USD", declineCode: code, invoice: invoice, adviceCode: advice)
        event.autocharge = Autocharge(attempt: attempt, invoice: invoice)
        if let subscription { event.subscription = SubscriptionReference(id: subscription, plan: plan) }
        if let card { event.card = Card(id: card, expires: "2030-01", network: network) }
        return event
    }

    static func cardUpdate(contact: String = "c-1", card: String, network: String? = "visa", at time: Instant) -> Event {
        var event = Event(id: "update-\(card)-\(time.millisecondsSinceEpoch)", type: .paymentMethodUpdated, occurredAt: time, contact: ContactReference(id: contact))
        event.card = Card(id: card, expires: "2031-01", network: network)
        return event
    }

    static func paid(_ invoice: String, at time: Instant, contact: String = "c-1") -> Event {
        var event = Event(id: "paid-\(invoice)", type: .paymentSucceeded, occurredAt: time, contact: ContactReference(id: contact))
        event.order = Order(id: "ord-\(invoice)", source: .manual, lines: [], chargeMode: .recorded)
        event.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: invoice)
        return event
    }

    static func cancelled(subscription: String, at time: Instant, contact: String = "c-1") -> Event {
        var event = Event(id: "cancel-\(subscription)", type: .subscriptionCancelled, occurredAt: time, contact: ContactReference(id: contact))
        event.subscription = SubscriptionReference(id: subscription, plan: "plan-monthly")
        return event
    }

    static func policy(_ edit: (inout DunningPolicy) -> Void = { _ in }) -> DunningPolicy {
        var policy = DunningPolicy(id: "test", name: "Test")
        edit(&policy)
        return policy
    }

    /// A charge the driver made.
    struct Charge: Equatable {
        var at: Instant
        var request: ChargeRequest
        var outcome: ChargeOutcome
    }

    /// Runs events and due attempts in time order (events first at one instant) until `end`,
    /// charging through `gateway` (one status look-up on unknown), and returns every entry and charge.
    static func drive(_ process: inout DunningProcess, events: [Event] = [], gateway: inout GatewaySimulator, until end: Instant)
        -> (entries: [DunningEntry], charges: [Charge])
    {
        var entries: [DunningEntry] = []
        var charges: [Charge] = []
        var pending = events.sorted { $0.occurredAt < $1.occurredAt }[...]
        while true {
            let eventTime = pending.first.map(\.occurredAt).flatMap { $0 <= end ? $0 : nil }
            let dueTime = process.nextDue.flatMap { $0 <= end ? $0 : nil }
            if let eventTime, dueTime.map({ eventTime <= $0 }) ?? true {
                let event = pending.removeFirst()
                gateway.observe(event)
                entries += process.ingest(event)
            } else if let dueTime {
                let requests = process.due(at: dueTime)
                entries += process.drainEntries()
                for request in requests {
                    var outcome = gateway.charge(request)
                    if case .unknown = outcome {
                        switch gateway.status(idempotencyKey: request.idempotencyKey) {
                        case .approved(let charge): outcome = .approved(charge: charge)
                        case .declined(let code, let advice): outcome = .declined(code: code, adviceCode: advice)
                        case .notFound, .unknown: break
                        }
                    }
                    charges.append(Charge(at: dueTime, request: request, outcome: outcome))
                    entries += process.record(request, outcome: outcome, at: dueTime)
                }
            } else {
                return (entries, charges)
            }
        }
    }

    /// Starts a process with one event and drives it.
    static func run(_ policy: DunningPolicy, _ events: [Event], script: GatewayScript = GatewayScript(), until end: Instant = at(days: 400),
                    limits: ProcessLimits = .standard, calendar: ZonedCalendar = utc)
        -> (process: DunningProcess, entries: [DunningEntry], charges: [Charge], gateway: GatewaySimulator)
    {
        var process = DunningProcess(policy: policy, calendar: calendar, limits: limits)
        var gateway = GatewaySimulator(script: script)
        let (entries, charges) = drive(&process, events: events, gateway: &gateway, until: end)
        return (process, entries, charges, gateway)
    }

    static func script(_ json: String) throws -> GatewayScript {
        try GatewayScript(json: JSONValue.parse(Array(json.utf8)))
    }
}
