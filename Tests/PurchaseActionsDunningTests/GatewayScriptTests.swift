import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite struct GatewayScriptTests {
    typealias D = Dunning

    static func error(_ json: String) -> DunningError? {
        do {
            _ = try GatewayScript(json: JSONValue.parse(json))
            return nil
        } catch let error as DunningError {
            return error
        } catch {
            return DunningError("not-json", "\(error)")
        }
    }

    @Test func rulesMatchByEveryMember() throws {
        let script = try D.script(#"""
            {"format": 1, "rules": [
              {"when": {"invoice": "i-1", "attempt": 3}, "answer": {"outcome": "approved"}},
              {"when": {"card": "k-2", "network": "mastercard"}, "answer": {"outcome": "declined", "declineCode": "do_not_honor", "adviceCode": "25"}},
              {"when": {"amountAtLeast": 100, "amountAtMost": 200}, "answer": {"outcome": "unknown", "lookup": "approved"}},
              {"when": {"declineCode": "EXPIRED_CARD", "afterCardUpdate": true, "contact": "c-9"}, "answer": {"outcome": "approved"}}
            ], "default": {"outcome": "declined", "declineCode": "insufficient_funds"}}
            """#)
        func answer(invoice: String = "i-0", attempt: Int = 2, card: String? = "k-1", amount: Int = 50, network: CardNetwork = .visa,
                    first: String? = nil, updated: Bool = false, contact: String = "c-1") -> GatewayScript.Answer {
            let request = ChargeRequest(invoice: invoice, attempt: attempt, contact: contact, card: card, amount: amount, currency: "USD")
            return script.answer(for: GatewayScript.Charge(request: request, network: network, firstDeclineCode: first, afterCardUpdate: updated))
        }
        #expect(answer(invoice: "i-1", attempt: 3) == .approved)
        #expect(answer(invoice: "i-1", attempt: 2) == .declined(.init(code: "insufficient_funds")))
        #expect(answer(card: "k-2", network: .mastercard) == .declined(.init(code: "do_not_honor", adviceCode: "25")))
        #expect(answer(card: "k-2", network: .visa) == .declined(.init(code: "insufficient_funds")))
        #expect(answer(amount: 150) == .unknown(then: .approved))
        #expect(answer(amount: 201) == .declined(.init(code: "insufficient_funds")))
        #expect(answer(first: "expired_card", updated: true, contact: "c-9") == .approved)
        #expect(answer(first: "expired_card", updated: false, contact: "c-9") == .declined(.init(code: "insufficient_funds")))
        #expect(try GatewayScript(json: script.json) == script)
    }

    @Test func theDefaultDeclinesAsTheFirstFailure() {
        var gateway = GatewaySimulator()
        gateway.observe(D.failed("inv-1", code: "Do_Not_Honor", advice: "27"))
        let request = ChargeRequest(invoice: "inv-1", attempt: 2, contact: "c-1", card: "card-1", amount: 1, currency: "USD")
        #expect(gateway.charge(request) == .declined(code: "do_not_honor", adviceCode: "27"))
        // The same key again: its first result, counted as a replay, never a second charge.
        #expect(gateway.charge(request) == .declined(code: "do_not_honor", adviceCode: "27"))
        #expect(gateway.replays == 1)
        #expect(gateway.calls(for: request.idempotencyKey) == 2)
    }

    @Test func anApprovedKeyIsChargedOnce() async throws {
        let gateway = SimulatedGateway(script: try D.script(#"{"format": 1, "default": {"outcome": "approved"}}"#))
        let request = ChargeRequest(invoice: "inv-1", attempt: 2, contact: "c-1", card: "card-1", amount: 1, currency: "USD")
        #expect(await gateway.charge(request) == .approved(charge: "sim-inv-1/attempt-2"))
        #expect(await gateway.charge(request) == .approved(charge: "sim-inv-1/attempt-2"))
        #expect(await gateway.approvedCharges(for: request.idempotencyKey) == 1)
        #expect(await gateway.status(idempotencyKey: request.idempotencyKey) == .approved(charge: "sim-inv-1/attempt-2"))
        #expect(await gateway.status(idempotencyKey: "other") == .notFound)
    }

    @Test("Bad scripts are refused at their JSON path", arguments: [
        (#"{"format": 2}"#, "$.format"),
        (#"{"format": 1, "colour": 1}"#, "$.colour"),
        (#"{"format": 1, "rules": [{"when": {"colour": "red"}, "answer": {"outcome": "approved"}}]}"#, "$.rules[0].when.colour"),
        (#"{"format": 1, "rules": [{"when": {"attempt": 1}, "answer": {"outcome": "approved"}}]}"#, "$.rules[0].when.attempt"),
        (#"{"format": 1, "rules": [{"when": {"attempt": 1001}, "answer": {"outcome": "approved"}}]}"#, "$.rules[0].when.attempt"),
        (#"{"format": 1, "rules": [{"when": {"network": "diners"}, "answer": {"outcome": "approved"}}]}"#, "$.rules[0].when.network"),
        (#"{"format": 1, "rules": [{"when": {"card": "a b"}, "answer": {"outcome": "approved"}}]}"#, "$.rules[0].when.card"),
        (#"{"format": 1, "rules": [{"when": {}}]}"#, "$.rules[0]"),
        (#"{"format": 1, "default": {"outcome": "maybe"}}"#, "$.default.outcome"),
        (#"{"format": 1, "default": {"outcome": "declined", "adviceCode": "25"}}"#, "$.default.adviceCode"),
        (#"{"format": 1, "default": {"outcome": "declined", "declineCode": "x", "adviceCode": "00"}}"#, "$.default.adviceCode"),
        (#"{"format": 1, "default": {"outcome": "approved", "declineCode": "x"}}"#, "$.default.declineCode"),
        (#"{"format": 1, "default": {"outcome": "declined", "lookup": "approved"}}"#, "$.default.lookup"),
        (#"{"format": 1, "default": {"outcome": "unknown", "declineCode": "x"}}"#, "$.default.declineCode"),
        (#"{"format": 1, "default": {"outcome": "unknown", "lookup": "later"}}"#, "$.default.lookup"),
    ])
    func refused(json: String, path: String) {
        let error = Self.error(json)
        #expect(error?.code == "invalid-script")
        #expect(error?.path?.description == path)
    }
}
