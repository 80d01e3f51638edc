/// The ways a payment reaches a legacy account: the rows of the table in which the old system
/// decided what ran (shared docs, "Which automations run for which payment path").
public enum PaymentPath: String, Hashable, Sendable, Codable, CaseIterable {
    /// A product bought on an order form or in the shopping cart.
    case cartProduct = "cart-product"
    /// The first payment of a subscription bought on an order form or in the cart.
    case cartSubscriptionFirstPayment = "cart-subscription-first-payment"
    /// A manual order whose card is charged at once.
    case manualOrderCardCharged = "manual-order-card-charged"
    /// A manual subscription charged automatically (the invoice button, or on schedule).
    case manualSubscriptionAutocharged = "manual-subscription-autocharged"
    /// An order made by a legacy "create order" action (a product, or a subscription's first payment).
    case createOrderAction = "create-order-action"
    /// A recurring payment of a subscription after its first.
    case subscriptionRenewal = "subscription-renewal"
    /// The first payment of a payment plan bought in the cart.
    case cartPaymentPlanFirstPayment = "cart-payment-plan-first-payment"
    /// A later payment of a payment plan, or its payoff.
    case paymentPlanLaterPayment = "payment-plan-later-payment"
    /// A manual recurring payment whose card is charged at once.
    case manualRecurringCardCharged = "manual-recurring-card-charged"
    /// A manual recurring payment recorded by hand.
    case manualRecurringRecorded = "manual-recurring-recorded"
    /// A manual order paid without a card (cash, check).
    case manualOrderNoCard = "manual-order-no-card"
    /// A manual subscription paid without a card.
    case manualSubscriptionNoCard = "manual-subscription-no-card"
    /// An invoice charged through the API (`InvoiceService.chargeInvoice`).
    case apiChargedInvoice = "api-charged-invoice"

    /// Whether the path is an order placed on an order form or in the cart, paying its first payment:
    /// the default scope of purchase actions.
    public var isCartFirstPayment: Bool {
        self == .cartProduct || self == .cartSubscriptionFirstPayment || self == .cartPaymentPlanFirstPayment
    }
}
