import PurchaseActionsCore

/// Which of the old system's payment paths a `payment.succeeded` trigger fires on, in plain words
/// (Docs/mapping.md, "Which automations a payment runs"): found by checking the trigger's filters
/// against the event each path arrives as (``PaymentPath/eventShape``), so the words say exactly
/// what the workflow does, renewals included.
extension ReportNames {
    /// A way a payment arrives, for people: a row of the legacy table, or an order from a legacy
    /// order form (outside the table).
    struct PaymentWay: Hashable, Sendable {
        /// The table's row, or nil for a legacy order form.
        var path: PaymentPath?
        /// What the report calls it.
        var words: String
        var shape: PaymentEventShape
    }

    /// Every way a payment arrives, in the table's order, then legacy order forms (a product, a
    /// subscription's first payment).
    static let paymentWays: [PaymentWay] =
        PaymentPath.allCases.map { PaymentWay(path: $0, words: words($0), shape: $0.eventShape) } + [
            PaymentWay(
                path: nil, words: "an order from a legacy order form",
                shape: PaymentEventShape(type: .paymentSucceeded, source: "legacy-order-form", index: 1, chargeMode: "card", item: .product, hasPaymentPlan: false)),
            PaymentWay(
                path: nil, words: "a subscription bought on a legacy order form",
                shape: PaymentEventShape(
                    type: .paymentSucceeded, source: "legacy-order-form", index: 1, chargeMode: "card", item: .subscriptionPlan, hasPaymentPlan: false)),
        ]

    /// A payment path in a business owner's words.
    static func words(_ path: PaymentPath) -> String {
        switch path {
        case .cartProduct: "a purchase in the cart or on an order form"
        case .cartSubscriptionFirstPayment: "the first payment of a subscription bought in the cart or on an order form"
        case .manualOrderCardCharged: "a manual order charged to a card"
        case .manualSubscriptionAutocharged: "the first charge of a subscription added by hand"
        case .createOrderAction: "an order made by a “create order” action"
        case .subscriptionRenewal: "a subscription renewal"
        case .cartPaymentPlanFirstPayment: "the first payment of a payment plan bought in the cart or on an order form"
        case .paymentPlanLaterPayment: "every later instalment of a payment plan"
        case .manualRecurringCardCharged: "a recurring payment charged by hand"
        case .manualRecurringRecorded: "a recurring payment recorded by hand"
        case .manualOrderNoCard: "a manual order paid in cash or by cheque"
        case .manualSubscriptionNoCard: "a subscription added by hand and paid without a card"
        case .apiChargedInvoice: "an invoice charged through the API"
        }
    }

    /// The ways a payment arrives on which the trigger fires, and those on which it does not, for a
    /// payment of what the trigger names (ways of buying something it does not name are left out:
    /// a slot for a product without subscription plans says nothing about subscriptions).
    static func paymentWays(_ trigger: Trigger) -> (runs: [PaymentWay], never: [PaymentWay]) {
        var products: [String] = []
        var plans: [String] = []
        for filter in trigger.filters { collectItems(filter, products: &products, plans: &plans) }
        let anything = products.isEmpty && plans.isEmpty
        var runs: [PaymentWay] = []
        var never: [PaymentWay] = []
        for way in paymentWays {
            let shape = way.shape
            let bought = shape.item == .product ? products : plans
            guard anything || !bought.isEmpty else { continue }
            let fields: (String) -> FieldValue? = { name in
                switch name {
                case "order.source": .text(shape.source)
                case "order.chargeMode": .text(shape.chargeMode)
                case "order.products": .list(shape.item == .product ? products : [])
                case "order.subscriptionPlans": .list(shape.item == .subscriptionPlan ? plans : [])
                case "order.paymentPlan": shape.hasPaymentPlan ? .text("payment-plan") : nil
                case "payment.index": .integer(shape.index)
                case "payment.kind": .text(shape.type == .subscriptionRenewed ? "renewal" : shape.index == 1 ? "first" : "installment")
                default: nil
                }
            }
            let fires = shape.type == trigger.event && trigger.filters.allSatisfy { $0.holds(fields) }
            if fires { runs.append(way) } else { never.append(way) }
        }
        return (runs, never)
    }

    private static func collectItems(_ condition: Condition, products: inout [String], plans: inout [String]) {
        switch condition.test {
        case .compare("order.products", .contains, .text(let id)?): products.append(id)
        case .compare("order.subscriptionPlans", .contains, .text(let id)?): plans.append(id)
        case .any(let parts), .all(let parts): for part in parts { collectItems(part, products: &products, plans: &plans) }
        default: break
        }
    }

    /// ": it runs for …; never for …", naming the old system's payment paths.
    static func paymentWayWords(_ trigger: Trigger) -> Sentence {
        let (runs, never) = paymentWays(trigger)
        func list(_ ways: [PaymentWay], _ last: String) -> String {
            let words = ways.map(\.words)
            guard words.count > 1 else { return words.first ?? "" }
            return words.dropLast().joined(separator: ", ") + last + words.last!
        }
        var text = ""
        if !runs.isEmpty { text += " (it runs for " + list(runs, " and ") }
        if !never.isEmpty { text += (runs.isEmpty ? " (it never runs: not for " : "; never for ") + list(never, " or ") }
        return text.isEmpty ? "" : Sentence(stringLiteral: text + ")")
    }
}
