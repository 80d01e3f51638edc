/// How a payment on one legacy path arrives as an event (Docs/events.md, "Legacy payment paths").
public struct PaymentEventShape: Hashable, Sendable {
    /// What the order's line buys.
    public enum Item: String, Hashable, Sendable {
        /// A product.
        case product
        /// A subscription plan.
        case subscriptionPlan
    }
    /// `payment.succeeded` or `subscription.renewed`.
    public var type: EventType
    /// `order.source`.
    public var source: String
    /// `payment.index`: 1 for the first payment, 2 for a later one.
    public var index: Int
    /// `order.chargeMode`: `card`, `recorded` or `no-card`.
    public var chargeMode: String
    /// What the line buys.
    public var item: Item
    /// Whether the order has a payment plan.
    public var hasPaymentPlan: Bool

    /// Creates a shape.
    public init(type: EventType, source: String, index: Int, chargeMode: String, item: Item, hasPaymentPlan: Bool) {
        self.type = type
        self.source = source
        self.index = index
        self.chargeMode = chargeMode
        self.item = item
        self.hasPaymentPlan = hasPaymentPlan
    }
}

extension PaymentPath {
    /// The event a payment on this path arrives as.
    public var eventShape: PaymentEventShape {
        func shape(
            _ source: String, _ index: Int = 1, _ charge: String = "card", _ item: PaymentEventShape.Item = .product,
            plan: Bool = false, renewal: Bool = false
        ) -> PaymentEventShape {
            PaymentEventShape(type: renewal ? .subscriptionRenewed : .paymentSucceeded, source: source, index: index, chargeMode: charge, item: item, hasPaymentPlan: plan)
        }
        switch self {
        case .cartProduct: return shape("cart")
        case .cartSubscriptionFirstPayment: return shape("order-form", 1, "card", .subscriptionPlan)
        case .manualOrderCardCharged: return shape("manual")
        case .manualSubscriptionAutocharged: return shape("manual", 1, "card", .subscriptionPlan)
        case .createOrderAction: return shape("create-order-action")
        case .subscriptionRenewal: return shape("cart", 2, "card", .subscriptionPlan, renewal: true)
        case .cartPaymentPlanFirstPayment: return shape("cart", 1, "card", .product, plan: true)
        case .paymentPlanLaterPayment: return shape("cart", 2, "card", .product, plan: true)
        case .manualRecurringCardCharged: return shape("manual", 2, "card", .subscriptionPlan, renewal: true)
        case .manualRecurringRecorded: return shape("manual", 2, "recorded", .subscriptionPlan, renewal: true)
        case .manualOrderNoCard: return shape("manual", 1, "no-card")
        case .manualSubscriptionNoCard: return shape("manual", 1, "no-card", .subscriptionPlan)
        case .apiChargedInvoice: return shape("api")
        }
    }
}
