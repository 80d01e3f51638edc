import PropertyBased
import PurchaseActionsDunning
import Testing

/// A gateway that answers from a script and writes every call, and every `isPaid` read, to one
/// shared log in the order they happened.
private actor CountingGateway: PaymentGateway {
    private var chargeAnswers: [ChargeOutcome]
    private var statusAnswers: [ChargeStatus]
    private(set) var log: [String] = []
    private(set) var chargesPerKey: [String: Int] = [:]
    private(set) var statusKeys: [String] = []

    init(charge: [ChargeOutcome], status: [ChargeStatus] = []) {
        self.chargeAnswers = charge
        self.statusAnswers = status
    }

    func charge(_ request: ChargeRequest) async -> ChargeOutcome {
        log.append("charge \(request.idempotencyKey)")
        chargesPerKey[request.idempotencyKey, default: 0] += 1
        return chargeAnswers.isEmpty ? .unknown(reason: "script ran out") : chargeAnswers.removeFirst()
    }

    func status(idempotencyKey: String) async -> ChargeStatus {
        log.append("status \(idempotencyKey)")
        statusKeys.append(idempotencyKey)
        return statusAnswers.isEmpty ? .unknown(reason: "still unknown") : statusAnswers.removeFirst()
    }

    func note(_ line: String) { log.append(line) }
    var charges: Int { chargesPerKey.values.reduce(0, +) }
}

private let request = ChargeRequest(invoice: "inv-7", attempt: 2, contact: "c-1", card: "card-1", amount: 1999, currency: "USD")

@Suite("SafeCharger")
struct SafeChargerTests {
    @Test("a paid invoice is not charged and no look-up is made")
    func paidIsSkipped() async {
        let gateway = CountingGateway(charge: [.approved(charge: "ch_1")])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { await gateway.note("isPaid"); return true })
        #expect(result.resolution == .alreadyPaid)
        #expect(result.outcome == nil)
        #expect(!result.charged && result.lookups == 0)
        #expect(result.name == "already-paid")
        #expect(await gateway.log == ["isPaid"])
    }

    @Test("the invoice is read again just before the charge, which carries the request's key")
    func paidCheckComesFirst() async {
        let gateway = CountingGateway(charge: [.approved(charge: "ch_1")])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { await gateway.note("isPaid"); return false })
        #expect(await gateway.log == ["isPaid", "charge inv-7/attempt-2"])
        #expect(result.resolution == .approved(charge: "ch_1"))
        #expect(result.outcome == .approved(charge: "ch_1"))
        #expect(result.charged && result.lookups == 0)
        #expect(result.request == request)
    }

    @Test("a decline is passed on with its advice code; no look-up")
    func declined() async {
        let gateway = CountingGateway(charge: [.declined(code: "do_not_honor", adviceCode: "25")])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        #expect(result.resolution == .declined(code: "do_not_honor", adviceCode: "25"))
        #expect(result.outcome == .declined(code: "do_not_honor", adviceCode: "25"))
        #expect(result.lookups == 0)
        #expect(await gateway.log == ["charge inv-7/attempt-2"])
    }

    @Test("an unknown outcome resolved by a status look-up: one charge, one look-up with the same key")
    func unknownThenApproved() async {
        let gateway = CountingGateway(charge: [.unknown(reason: "timeout")], status: [.approved(charge: "ch_9")])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        #expect(result.resolution == .approved(charge: "ch_9"))
        #expect(result.lookups == 1)
        #expect(await gateway.log == ["charge inv-7/attempt-2", "status inv-7/attempt-2"])
        #expect(result.detail.contains("timeout"))
    }

    @Test("an outcome that stays unknown never causes a second charge: exactly the allowed look-ups, spaced by the pause")
    func unknownStaysUnknown() async {
        let gateway = CountingGateway(
            charge: [.unknown(reason: "timeout"), .approved(charge: "ch_second")],
            status: [.unknown(reason: "u1"), .unknown(reason: "u2"), .unknown(reason: "u3"), .approved(charge: "ch_late")])
        let pauses = PauseLog()
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false }, pauseBeforeLookup: { await pauses.add($0) })
        #expect(result.resolution == .unknown(reason: "u3"))
        #expect(result.outcome == .unknown(reason: "u3"))
        #expect(result.lookups == 3)
        #expect(await gateway.chargesPerKey == ["inv-7/attempt-2": 1])
        #expect(await gateway.statusKeys == Array(repeating: "inv-7/attempt-2", count: 3))
        #expect(await pauses.calls == [1, 2, 3])
    }

    @Test("look-ups stop at the first clear answer", arguments: [
        ([ChargeStatus.unknown(reason: "a"), .declined(code: "insufficient_funds", adviceCode: nil)], ChargeAttemptResult.Resolution.declined(code: "insufficient_funds", adviceCode: nil), 2),
        ([.notFound, .approved(charge: "ch_x")], .notFound, 1),
        ([.unknown(reason: "a"), .unknown(reason: "b"), .approved(charge: "ch_3")], .approved(charge: "ch_3"), 3),
    ])
    func stopsAtClearAnswer(statuses: [ChargeStatus], expected: ChargeAttemptResult.Resolution, lookups: Int) async {
        let gateway = CountingGateway(charge: [.unknown(reason: "dropped")], status: statuses)
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        #expect(result.resolution == expected)
        #expect(result.lookups == lookups)
        #expect(await gateway.charges == 1)
    }

    @Test("not found is recorded as unknown, so the same key is tried again later")
    func notFoundOutcome() async {
        let gateway = CountingGateway(charge: [.unknown(reason: "dropped")], status: [.notFound])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        #expect(result.name == "not-found")
        guard case .unknown(let reason) = result.outcome else {
            Issue.record("expected an unknown outcome, got \(String(describing: result.outcome))")
            return
        }
        #expect(reason.contains("inv-7/attempt-2"))
    }

    @Test("the number of look-ups is clamped to 0…maximumLookups", arguments: [(-5, 0), (0, 0), (1, 1), (10, 10), (11, 10), (Int.max, 10)])
    func lookupBound(asked: Int, made: Int) async {
        let gateway = CountingGateway(charge: [.unknown(reason: "timeout")])
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false }, lookups: asked)
        #expect(SafeCharger.maximumLookups == 10)
        #expect(result.lookups == made)
        #expect(await gateway.statusKeys.count == made)
        #expect(await gateway.charges == 1)
        if made == 0 { #expect(result.resolution == .unknown(reason: "timeout")) }
    }

    @Test("whatever the gateway answers, one call charges at most once and looks up at most the allowed number of times")
    func neverChargesTwice() async {
        let statuses = Gen.int(in: 0...3).array(of: 0...15)
        await propertyCheck(count: 200, input: zip(Gen.int(in: 0...2), statuses, Gen.int(in: -2...14), Gen.bool)) { first, codes, lookups, paid in
            let chargeAnswer: ChargeOutcome = [.approved(charge: "ch"), .declined(code: "d", adviceCode: nil), .unknown(reason: "t")][first]
            let statusAnswers: [ChargeStatus] = codes.map { [.approved(charge: "ch"), .declined(code: "d", adviceCode: "02"), .notFound, .unknown(reason: "u")][$0] }
            let gateway = CountingGateway(charge: [chargeAnswer, chargeAnswer], status: statusAnswers)
            let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { paid }, lookups: lookups)
            let charges = await gateway.charges
            let keys = await gateway.statusKeys
            #expect(charges == (paid ? 0 : 1))
            #expect(result.charged == !paid)
            #expect(keys.count == result.lookups)
            #expect(result.lookups <= min(max(lookups, 0), SafeCharger.maximumLookups))
            #expect(keys.allSatisfy { $0 == request.idempotencyKey })
            if paid || first != 2 { #expect(result.lookups == 0) }
            // A clear answer ends the look-ups: every look-up but the last answered unknown.
            #expect(statusAnswers.prefix(max(result.lookups - 1, 0)).allSatisfy { if case .unknown = $0 { true } else { false } })
        }
    }
}

private actor PauseLog {
    private(set) var calls: [Int] = []
    func add(_ lookup: Int) { calls.append(lookup) }
}
