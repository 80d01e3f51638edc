import Foundation
import PurchaseActionsCore

/// The kinds of event a history holds.
extension HistoryBuilder {
    static let anySource = ["cart", "order-form", "manual", "api", "create-order-action", "legacy-order-form"]

    /// `contact.created`, mostly for a new buyer, with a checkout order (often followed by its
    /// payment, decline or error) or without one.
    mutating func contactCreated(_ dice: inout Dice) -> HistoryEvent {
        let who = who(&dice, preferNew: true)
        var event = next(.contactCreated, who)
        if dice.chance(75) {
            let source = dice.chance(80) ? dice.pick(["cart", "order-form"]) : dice.pick(["manual", "api", "legacy-order-form"])
            event.order = order(source: source, item: dice.chance(70) ? .product : .subscriptionPlan, plan: dice.chance(20), &dice)
            lastOrder = (event.order!, who)
            if dice.chance(70) { queued = [dice.pick([.paymentSucceeded, .paymentSucceeded, .paymentSucceeded, .paymentFailed, .orderErrored])] }
        }
        return event
    }

    /// The payment, decline or error of the order a `contact.created` announced, by the same buyer.
    mutating func checkoutFollowUp(_ kind: HistoryEvent.Kind, _ order: HistoryEvent.OrderInfo, _ who: HistoryEvent.Who, _ dice: inout Dice) -> HistoryEvent {
        var contact = who
        contact.tags = []
        if contact.id != nil, dice.chance(50) { contact = HistoryEvent.Who(id: who.id) }
        var event = next(kind, contact)
        event.order = order
        switch kind {
        case .orderErrored: event.errorCode = "gateway_timeout"
        case .paymentFailed: event.payment = payment(index: 1, decline: true)
        default:
            event.order?.chargeMode = "card"
            event.payment = payment(index: 1)
            remember(event, who)
        }
        return event
    }

    /// A payment on one of the legacy paths, shaped as `PaymentPath.eventShape` says; the source of a
    /// later payment or renewal is wherever the order was placed.
    mutating func payment(_ path: PaymentPath, _ dice: inout Dice) -> HistoryEvent {
        var shape = path.eventShape
        if shape.item == .subscriptionPlan, planIDs.isEmpty { shape.item = .product }
        switch path {
        case .cartProduct, .cartPaymentPlanFirstPayment: shape.source = dice.pick(["cart", "order-form"])
        case .subscriptionRenewal, .paymentPlanLaterPayment: shape.source = dice.pick(Self.anySource)
        default: break
        }
        let renewal = shape.type == .subscriptionRenewed
        if renewal, planIDs.isEmpty { return laterPayment(&dice) }
        let who = who(&dice)
        var event = next(renewal ? .subscriptionRenewed : .paymentSucceeded, who)
        let order = order(source: shape.source, item: shape.item, plan: shape.hasPaymentPlan, chargeMode: shape.chargeMode, &dice)
        event.order = order
        event.payment = payment(index: shape.index == 1 ? 1 : 2 + dice.roll(3))
        if renewal {
            if case .plan? = order.lines.first {} else { event.order?.lines.insert(.plan(dice.pick(planIDs), quantity: 1), at: 0) }
            let subscription = subscription(of: event.order!)!
            (event.subscriptionID, event.subscriptionPlan) = (subscription.id, subscription.plan)
        }
        remember(event, who)
        return event
    }

    /// Keeps an order whose later payments may come: a payment plan, or a subscription bought.
    mutating func remember(_ event: HistoryEvent, _ who: HistoryEvent.Who) {
        guard let order = event.order, let index = event.payment?.index else { return }
        let person = personIndex(who)
        if let id = event.subscriptionID, let plan = event.subscriptionPlan {
            open.append(OpenOrder(order: order, person: person, nextIndex: index + 1, subscription: (id, plan)))
        } else if order.paymentPlan != nil {
            open.append(OpenOrder(order: order, person: person, nextIndex: index + 1))
        } else if index == 1, let subscription = subscription(of: order) {
            open.append(OpenOrder(order: order, person: person, nextIndex: 2, subscription: subscription))
        }
    }

    /// The next payment of a payment plan seen before (index 2, 3, ...), else a fresh later payment.
    mutating func laterPayment(_ dice: inout Dice) -> HistoryEvent {
        let plans = open.indices.filter { open[$0].subscription == nil }
        guard !plans.isEmpty else { return payment(.paymentPlanLaterPayment, &dice) }
        let index = dice.pick(plans)
        var event = next(.paymentSucceeded, buyer(open[index], &dice))
        event.order = open[index].order
        event.payment = payment(index: open[index].nextIndex)
        open[index].nextIndex += 1
        return event
    }

    /// A renewal of a subscription seen before, else a fresh renewal row.
    mutating func renewal(_ dice: inout Dice) -> HistoryEvent {
        let subscriptions = open.indices.filter { open[$0].subscription != nil }
        guard !subscriptions.isEmpty else {
            return payment(dice.pick([.subscriptionRenewal, .manualRecurringCardCharged, .manualRecurringRecorded]), &dice)
        }
        let index = dice.pick(subscriptions)
        var event = next(.subscriptionRenewed, buyer(open[index], &dice))
        event.order = open[index].order
        if event.order?.source == "manual", dice.chance(40) { event.order?.chargeMode = "recorded" }
        event.payment = payment(index: open[index].nextIndex)
        (event.subscriptionID, event.subscriptionPlan) = (open[index].subscription!.id, open[index].subscription!.plan)
        open[index].nextIndex += 1
        return event
    }

    /// A product order from a legacy order form: first payment, or a later one of a payment plan.
    mutating func legacyOrderForm(_ dice: inout Dice) -> HistoryEvent {
        let who = who(&dice)
        var event = next(.paymentSucceeded, who)
        let plan = dice.chance(30)
        event.order = order(source: "legacy-order-form", item: dice.chance(80) ? .product : .subscriptionPlan, plan: plan, &dice)
        event.payment = payment(index: plan && dice.chance(50) ? 2 : 1)
        remember(event, who)
        return event
    }

    /// A declined charge: mostly a first payment; else a later instalment, or a renewal (with its subscription).
    mutating func failed(_ dice: inout Dice) -> HistoryEvent {
        var event = next(.paymentFailed, who(&dice))
        let source = dice.pick(["cart", "cart", "order-form", "manual", "api", "legacy-order-form", "create-order-action"])
        let later = dice.chance(25)
        let renewal = later && !planIDs.isEmpty && dice.chance(50)
        event.order = order(source: source, item: renewal ? .subscriptionPlan : .product, plan: later && !renewal, &dice)
        event.payment = payment(index: later ? 2 + dice.roll(2) : 1, decline: true)
        if renewal, let subscription = subscription(of: event.order!) { (event.subscriptionID, event.subscriptionPlan) = subscription }
        return event
    }

    /// An order stopped by an error (not a decline).
    mutating func errored(_ dice: inout Dice) -> HistoryEvent {
        var event = next(.orderErrored, who(&dice))
        event.order = order(source: dice.pick(["cart", "cart", "order-form", "manual", "api", "legacy-order-form"]), &dice)
        event.errorCode = "gateway_timeout"
        return event
    }

    /// An automatic charge failed (attempt 1 to 3) or recovered (attempt 2 or 3): of a known plan or
    /// subscription, or a fresh order (first payments included: only attempt 1 of those may fire).
    mutating func autocharge(_ kind: HistoryEvent.Kind, _ dice: inout Dice) -> HistoryEvent {
        let attempt = kind == .autochargeFailed ? 1 + dice.roll(3) : 2 + dice.roll(2)
        var event: HistoryEvent
        var index: Int
        if !open.isEmpty, dice.chance(60) {
            let known = open[dice.roll(open.count)]
            event = next(kind, buyer(known, &dice))
            event.order = known.order
            event.order?.chargeMode = "card"
            index = known.nextIndex
            if let subscription = known.subscription { (event.subscriptionID, event.subscriptionPlan) = subscription }
        } else {
            event = next(kind, who(&dice))
            index = kind == .autochargeFailed && dice.chance(30) ? 1 : 2 + dice.roll(2)
            event.order = order(source: dice.pick(Self.anySource), item: dice.chance(50) ? .subscriptionPlan : .product, plan: dice.chance(40), &dice)
            if index >= 2, event.order?.paymentPlan == nil, let subscription = subscription(of: event.order!) {
                (event.subscriptionID, event.subscriptionPlan) = subscription
            }
        }
        event.order?.gateway = dice.pick(["stripe", "stripe", "paypal", "authorize-net"])
        event.payment = payment(index: index, decline: kind == .autochargeFailed)
        event.autochargeAttempt = attempt
        event.autochargeInvoice = event.payment?.invoice
        return event
    }

    /// A card expiring in a number of days the billing rules ask about, one either side, or others.
    mutating func cardExpiring(_ dice: inout Dice) -> HistoryEvent {
        var event = next(.cardExpiring, who(&dice))
        let days = dice.pick(expiringDays)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let expiry = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(clock + Int64(days) * 86_400)))
        event.cardID = "card-\(counter)"
        event.cardExpires = String(format: "%04d-%02d", expiry.year!, expiry.month!)
        event.cardDaysUntilExpiry = days
        return event
    }
}
