import Foundation
import PurchaseActionsCore
import Testing

@Suite("Events: the members dunning reads (card.network, payment.adviceCode, card on failed payments)")
struct EventDunningMembersTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A renewal's automatic charge declined, with `card` and `payment` members given as JSON text.
    static func autochargeFailed(card: String? = nil, payment: String = #"{"index":6,"amount":{"minor":2900,"currency":"AUD"},"declineCode":"expired_card","invoice":"inv-1"}"#)
        -> String
    {
        let cardMember = card.map { #","card":\#($0)"# } ?? ""
        return #"{"id":"inv-1/attempt-1","type":"payment.autocharge_failed","occurredAt":"2025-05-10T02:00:00+10:00","contact":{"id":"c-1"},"order":{"id":"o-1","source":"cart","lines":[{"subscriptionPlan":"plan-monthly"}],"chargeMode":"card","gateway":"stripe"},"payment":\#(payment),"subscription":{"id":"s-1","plan":"plan-monthly"},"autocharge":{"attempt":1,"invoice":"inv-1"}\#(cardMember)}"#
    }

    static func error(_ text: String) -> JSONError? {
        do {
            _ = try Event.load(Array(text.utf8))
            return nil
        } catch { return error }
    }

    @Test("Every network decodes into card.network and is written back; any other text is an error at $.card.network", arguments: Card.networks)
    func networks(network: String) throws {
        let event = try Event.load(Array(Self.autochargeFailed(card: #"{"id":"k-1","expires":"2029-08","network":"\#(network)"}"#).utf8))
        #expect(event.card?.network == network)
        #expect(event.json.compactText.contains(#""network":"\#(network)""#))
        try event.validate()
        for wrong in [network.uppercased(), network + " ", "jcb", ""] {
            let refused = Self.error(Self.autochargeFailed(card: #"{"id":"k-1","expires":"2029-08","network":"\#(wrong)"}"#))
            #expect(refused?.path.description == "$.card.network", "\(wrong)")
        }
        #expect(Self.error(Self.autochargeFailed(card: #"{"id":"k-1","expires":"2029-08","network":4}"#))?.code == .wrongType)
    }

    @Test("card is optional on payment.failed and both payment.autocharge_* types, and still unknown on a renewal or a tag")
    func cardWhereAllowed() throws {
        let without = try Event.load(Array(Self.autochargeFailed().utf8))
        #expect(without.card == nil)
        let with = try Event.load(Array(Self.autochargeFailed(card: #"{"id":"k-1","expires":"2029-08"}"#).utf8))
        #expect(with.card == Card(id: "k-1", expires: "2029-08"))
        for type in [EventType.paymentFailed, .autochargeFailed, .autochargeRecovered] {
            var event = with
            event.type = type
            if type == .autochargeRecovered { event.payment?.declineCode = nil }
            if type == .paymentFailed { event.autocharge = nil }
            try event.validate()
            #expect(try Event(json: event.json) == event, "\(type) round-trips with its card")
        }
        var renewal = with
        renewal.type = .subscriptionRenewed
        renewal.payment?.declineCode = nil
        renewal.autocharge = nil
        #expect(throws: JSONError.self) { try renewal.validate() }
        #expect((try? Event(json: renewal.json)) == nil)
        do {
            try renewal.validate()
        } catch {
            #expect(error.path.description == "$.card")
        }
    }

    @Test("adviceCode: two digits 01 to 99 on a declined payment; anything else at $.payment.adviceCode")
    func adviceCodes() throws {
        func payment(_ advice: String) -> String {
            #"{"index":6,"amount":{"minor":2900,"currency":"AUD"},"declineCode":"do_not_honor","adviceCode":\#(advice),"invoice":"inv-1"}"#
        }
        for good in ["01", "02", "24", "30", "99"] {
            let event = try Event.load(Array(Self.autochargeFailed(payment: payment(#""\#(good)""#)).utf8))
            #expect(event.payment?.adviceCode == good)
            try event.validate()
            #expect(try Event(json: event.json) == event)
        }
        for bad in [#""00""#, #""1""#, #""100""#, #""2a""#, #"" 1""#, #""١٢""#, "24", "null"] {
            let refused = Self.error(Self.autochargeFailed(payment: payment(bad)))
            #expect(refused?.path.description == "$.payment.adviceCode", "\(bad)")
        }
        // Built in code: validate() holds it to the same rule.
        var event = try Event.load(Array(Self.autochargeFailed().utf8))
        event.payment?.adviceCode = "7"
        #expect(throws: JSONError.self) { try event.validate() }
    }

    @Test("adviceCode only where declineCode is allowed: refused on every succeeding payment type, decoded or built")
    func adviceCodeOnlyOnDeclines() throws {
        let recovered = #"{"id":"inv-1/attempt-2","type":"payment.autocharge_recovered","occurredAt":"2025-05-11T08:30:04+10:00","contact":{"id":"c-1"},"order":{"id":"o-1","source":"cart","lines":[{"subscriptionPlan":"plan-monthly"}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":6,"amount":{"minor":2900,"currency":"AUD"},"adviceCode":"24","invoice":"inv-1"},"autocharge":{"attempt":2,"invoice":"inv-1"}}"#
        let refused = Self.error(recovered)
        #expect(refused?.path.description == "$.payment.adviceCode")
        #expect(refused?.code == .unknownMember)
        var event = try Event.load(Array(recovered.replacing(#""adviceCode":"24","#, with: "").utf8))
        try event.validate()
        for type in [EventType.autochargeRecovered, .paymentSucceeded, .subscriptionRenewed] {
            event.type = type
            if type != .autochargeRecovered { event.autocharge = nil }
            if type == .paymentSucceeded { event.order?.paymentPlan = "pp-1" }
            if type == .subscriptionRenewed { event.subscription = SubscriptionReference(id: "s-1", plan: "plan-monthly") }
            try event.validate()
            var advised = event
            advised.payment?.adviceCode = "24"
            do {
                try advised.validate()
                Issue.record("\(type) with an advice code was accepted")
            } catch {
                #expect(error.path.description == "$.payment.adviceCode", "\(type)")
            }
        }
    }

    @Test("Card and Payment built in code keep their old initialisers; the new members default to nil")
    func initialisers() {
        #expect(Card(id: "k", expires: "2029-08").network == nil)
        #expect(Payment(index: 1, amount: 1, currency: "USD").adviceCode == nil)
        #expect(Card(id: "k", expires: "2029-08", network: "visa").json.compactText == #"{"expires":"2029-08","id":"k","network":"visa"}"#)
        #expect(
            Payment(index: 2, amount: 5, currency: "USD", declineCode: "do_not_honor", adviceCode: "24").json.compactText
                == #"{"adviceCode":"24","amount":{"currency":"USD","minor":5},"declineCode":"do_not_honor","index":2}"#)
    }

    @Test("Fixtures/events/dunning.jsonl: every line decodes and validates; the story uses every new member")
    func dunningFixture() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/events/dunning.jsonl"), encoding: .utf8)
        let events = try text.split(separator: "\n").map { line throws in try Event.load(Array(line.utf8)) }
        for event in events { try event.validate() }
        #expect(events.contains { $0.type == .autochargeFailed && $0.card?.network == "mastercard" && $0.payment?.adviceCode == "01" })
        #expect(events.contains { $0.type == .paymentFailed && $0.card != nil })
        #expect(events.contains { $0.type == .autochargeRecovered && $0.card != nil })
        #expect(events.contains { $0.type == .paymentMethodUpdated && $0.card?.network == "visa" })
        #expect(events.contains { $0.type == .subscriptionRenewed && $0.payment?.invoice == "sw-inv-9312" && $0.order?.chargeMode == .recorded })
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.occurredAt <= $1.occurredAt }, "in time order, as an events file must be")
    }
}
