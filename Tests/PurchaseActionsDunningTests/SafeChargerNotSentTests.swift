import PurchaseActionsDunning
import Testing

/// A gateway that says every charge was not sent, counting the calls.
private actor UnreachableGateway: PaymentGateway {
    private(set) var charges = 0
    private(set) var lookups = 0

    func charge(_ request: ChargeRequest) async -> ChargeOutcome {
        charges += 1
        return .unknown(reason: "connection refused")
    }

    func status(idempotencyKey: String) async -> ChargeStatus {
        lookups += 1
        return .unknown(reason: "connection refused")
    }

    func attemptCharge(_ request: ChargeRequest) async -> ChargeCall {
        charges += 1
        return .notSent(reason: "connection refused")
    }
}

/// A gateway that only answers `charge`: the port's default `attemptCharge` wraps it.
private struct PlainGateway: PaymentGateway {
    func charge(_ request: ChargeRequest) async -> ChargeOutcome { .declined(code: "do_not_honor", adviceCode: nil) }
    func status(idempotencyKey: String) async -> ChargeStatus { .notFound }
}

private let request = ChargeRequest(invoice: "inv-3", attempt: 2, contact: "c-1", card: nil, amount: 500, currency: "EUR")

@Suite("SafeCharger: a charge not sent")
struct SafeChargerNotSentTests {
    @Test("not sent: one call, no look-up, nothing to record, the result says so")
    func notSent() async {
        let gateway = UnreachableGateway()
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false }, lookups: 3)
        #expect(result.resolution == .notSent(reason: "connection refused"))
        #expect(result.isNotSent)
        #expect(result.outcome == nil)
        #expect(!result.charged && result.lookups == 0)
        #expect(result.name == "not-sent")
        #expect(result.detail == "not sent: connection refused; nothing was charged, the same key is sent again later")
        #expect(await gateway.charges == 1)
        #expect(await gateway.lookups == 0)
    }

    @Test("a paid invoice is not sent to the gateway at all")
    func paidFirst() async {
        let gateway = UnreachableGateway()
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { true })
        #expect(result.resolution == .alreadyPaid)
        #expect(await gateway.charges == 0)
    }

    @Test("a gateway that cannot tell: attemptCharge is charge's outcome, sent")
    func defaultIsSent() async {
        #expect(await PlainGateway().attemptCharge(request) == .sent(.declined(code: "do_not_honor", adviceCode: nil)))
        let result = await SafeCharger.charge(request, gateway: PlainGateway(), isPaid: { false })
        #expect(result.resolution == .declined(code: "do_not_honor", adviceCode: nil))
        #expect(!result.isNotSent)
    }
}
