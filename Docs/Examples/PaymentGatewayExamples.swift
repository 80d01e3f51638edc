// The samples of Docs/payment-gateway.md and of the `///` comments of HTTPPaymentGateway and
// SafeCharger, compiled (DocSamplesTests checks they are here). They are not run: they would post
// to example.com; Tests/PurchaseActionsDeliveryTests runs the gateway against a loopback server.
import PurchaseActionsDelivery
import PurchaseActions

/// Where the examples read whether an invoice is paid.
protocol PaidInvoices: Sendable {
    func isPaid(_ invoice: String) async -> Bool
}

enum PaymentGatewayExamples {
    static func doc() async throws {
        let gateway = try HTTPPaymentGateway(url: "https://billing.example.com/charges",
                                             timeout: .seconds(30),
                                             headers: [("Authorization", "Bearer s3cret")])
        let request = ChargeRequest(invoice: "inv-7", attempt: 2, contact: "c-1", card: "card_1", amount: 1999, currency: "USD")
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        print(result.name, result.detail)   // approved charged: ch_1
        try await gateway.shutdown()        // once done: closes the connections
    }

    static func docComment(_ request: ChargeRequest) async throws -> ChargeAttemptResult {
        let gateway = try HTTPPaymentGateway(url: "https://billing.example.com/charges",
                                             timeout: .seconds(30),
                                             headers: [("Authorization", "Bearer s3cret")])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        try await gateway.shutdown()
        return result
    }

    static func safeCharger(_ request: ChargeRequest, gateway: some PaymentGateway, invoices: some PaidInvoices) async {
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { await invoices.isPaid(request.invoice) })
        switch result.outcome {
        case nil: print("paid another way: nothing charged")
        case let outcome?: print(result.name, outcome)   // record it: DunningProcess.record(_:outcome:at:)
        }
    }
}
