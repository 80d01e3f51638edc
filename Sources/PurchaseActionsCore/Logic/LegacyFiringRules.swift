/// Which legacy automations a payment runs, by its path and the account's "run purchase actions on
/// all orders" setting.
///
/// The table is the old system's, as the shared docs give it for the setting on. With the setting
/// off, product-specific and global slots fire only on the cart and order-form first payments;
/// billing automation and purchase goals do not depend on the setting. Docs/mapping.md records it.
public struct LegacyFiring: Hashable, Sendable, Codable {
    /// Billing automation (the autocharge attempt) sees the payment.
    public var billingAutomation: Bool
    /// Product-specific purchase actions run (once per distinct product of the payment).
    public var productActions: Bool
    /// The global purchase slots run (Successful Purchase and, for a new buyer, Contact Creation).
    public var globalActions: Bool
    /// A campaign purchase goal is achieved.
    public var purchaseGoal: Bool

    /// Creates a row.
    public init(billingAutomation: Bool, productActions: Bool, globalActions: Bool, purchaseGoal: Bool) {
        self.billingAutomation = billingAutomation
        self.productActions = productActions
        self.globalActions = globalActions
        self.purchaseGoal = purchaseGoal
    }

    /// What a payment on `path` runs, with the account setting `allOrders`.
    public static func rule(for path: PaymentPath, allOrders: Bool) -> LegacyFiring {
        var row = table(path)
        if !allOrders, !path.isCartFirstPayment {
            row.productActions = false
            row.globalActions = false
        }
        return row
    }

    /// The table with "all orders" on.
    private static func table(_ path: PaymentPath) -> LegacyFiring {
        func row(_ billing: Bool, _ product: Bool, _ global: Bool, _ goal: Bool) -> LegacyFiring {
            LegacyFiring(billingAutomation: billing, productActions: product, globalActions: global, purchaseGoal: goal)
        }
        switch path {
        case .cartProduct, .cartSubscriptionFirstPayment, .cartPaymentPlanFirstPayment: return row(true, true, true, true)
        case .manualOrderCardCharged, .manualSubscriptionAutocharged, .createOrderAction, .apiChargedInvoice:
            return row(true, true, false, true)
        case .subscriptionRenewal, .manualRecurringCardCharged: return row(true, false, false, false)
        case .paymentPlanLaterPayment: return row(true, true, false, false)
        case .manualRecurringRecorded: return row(false, false, false, false)
        case .manualOrderNoCard, .manualSubscriptionNoCard: return row(false, true, false, false)
        }
    }
}
