import PurchaseActionsCore
import Testing

@Suite("Legacy firing rules: the 13 payment paths")
struct LegacyFiringTests {
    /// The shared docs' table ("all orders" = yes), copied row by row: billing / product / global / goal.
    static let documented: [(PaymentPath, String)] = [
        (.cartProduct, "YYYY"),
        (.cartSubscriptionFirstPayment, "YYYY"),
        (.manualOrderCardCharged, "YYNY"),
        (.manualSubscriptionAutocharged, "YYNY"),
        (.createOrderAction, "YYNY"),
        (.subscriptionRenewal, "YNNN"),
        (.cartPaymentPlanFirstPayment, "YYYY"),
        (.paymentPlanLaterPayment, "YYNN"),
        (.manualRecurringCardCharged, "YNNN"),
        (.manualRecurringRecorded, "NNNN"),
        (.manualOrderNoCard, "NYNN"),
        (.manualSubscriptionNoCard, "NYNN"),
        (.apiChargedInvoice, "YYNY"),
    ]

    static func letters(_ firing: LegacyFiring) -> String {
        [firing.billingAutomation, firing.productActions, firing.globalActions, firing.purchaseGoal].map { $0 ? "Y" : "N" }.joined()
    }

    @Test("The table covers every path once")
    func coversEveryPath() {
        #expect(Self.documented.map(\.0) == PaymentPath.allCases)
    }

    @Test("With all orders on, every path fires as the documented table says", arguments: documented.map(\.0))
    func allOrdersOn(path: PaymentPath) throws {
        let expected = try #require(Self.documented.first { $0.0 == path }?.1)
        #expect(Self.letters(LegacyFiring.rule(for: path, allOrders: true)) == expected)
    }

    @Test("With all orders off, only cart and order-form first payments run purchase actions", arguments: PaymentPath.allCases)
    func allOrdersOff(path: PaymentPath) {
        let on = LegacyFiring.rule(for: path, allOrders: true)
        let off = LegacyFiring.rule(for: path, allOrders: false)
        let firstCartPayment = [PaymentPath.cartProduct, .cartSubscriptionFirstPayment, .cartPaymentPlanFirstPayment].contains(path)
        #expect(off.productActions == (firstCartPayment && on.productActions))
        #expect(off.globalActions == (firstCartPayment && on.globalActions))
        #expect(off.billingAutomation == on.billingAutomation, "billing automation does not depend on the setting")
        #expect(off.purchaseGoal == on.purchaseGoal, "purchase goals do not depend on the setting")
    }

    @Test("Renewals fire neither product nor global actions; the global slot only on first payments")
    func documentedSentences() {
        for allOrders in [true, false] {
            let renewal = LegacyFiring.rule(for: .subscriptionRenewal, allOrders: allOrders)
            #expect(!renewal.productActions && !renewal.globalActions && renewal.billingAutomation)
            for path in PaymentPath.allCases where LegacyFiring.rule(for: path, allOrders: allOrders).globalActions {
                #expect(path.isCartFirstPayment)
            }
        }
        #expect(LegacyFiring.rule(for: .paymentPlanLaterPayment, allOrders: true).productActions, "every pay-plan payment runs product actions")
    }
}
