import PurchaseActionsCore
import Testing

/// Review 1 of issue 10: `occurredAt` with a fraction of 4 to 9 digits (it trapped), a UTC instant
/// outside 0001–9999 after the offset (it ran), and the wording of a number with a fraction.
@Suite("Events: occurredAt fractions and range, number wording")
struct EventTimeTests {
    static let payment =
        #"{"id":"e","type":"payment.succeeded","occurredAt":"2025-01-14T10:09:51-07:00","contact":{"id":"c"},"order":{"id":"o","source":"order-form","lines":[{"product":"p","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":2700,"currency":"USD"}}}"#

    static func event(occurredAt: String) -> String { Self.payment.replacing("2025-01-14T10:09:51-07:00", with: occurredAt) }

    static func error(_ text: String) -> JSONError? {
        do {
            _ = try Event.load(Array(text.utf8))
            return nil
        } catch { return error }
    }

    @Test("A fraction of 1 to 9 digits is read to the millisecond", arguments: [(".1", 100), (".1234", 123), (".123456789", 123), (".98", 980)])
    func fractions(fraction: String, millis: Int64) throws {
        let event = try Event.load(Array(Self.event(occurredAt: "2025-01-01T00:00:00\(fraction)Z").utf8))
        #expect(event.occurredAt.millisecondsSinceEpoch == 1_735_689_600_000 + millis)
    }

    @Test("occurredAt whose UTC instant is outside 0001–9999 is refused at $.occurredAt; at the edges it is accepted", arguments: [
        ("9999-12-31T23:59:59-14:00", false), ("0001-01-01T00:00:00+14:00", false), ("0000-12-31T23:59:59Z", false),
        ("9999-12-31T23:59:59Z", true), ("0001-01-01T00:00:00Z", true), ("9999-12-31T09:59:59-14:00", true), ("0000-12-31T23:00:00-01:00", false),
    ])
    func range(occurredAt: String, accepted: Bool) {
        let error = Self.error(Self.event(occurredAt: occurredAt))
        #expect((error == nil) == accepted, "\(occurredAt): \(String(describing: error))")
        if let error {
            #expect(error.path.description == "$.occurredAt")
            #expect(error.message.contains("0001 to 9999"))
        }
    }

    @Test("A fraction or exponent: a count must be a whole number; an amount is in minor units")
    func wording() throws {
        let index = try #require(Self.error(Self.payment.replacing(#""index":1"#, with: #""index":1E2"#)))
        #expect(index.code == .notAnInteger && index.path.description == "$.payment.index")
        #expect(index.message.hasPrefix("must be a whole number") && !index.message.contains("minor units"), "\(index.message)")
        let amount = try #require(Self.error(Self.payment.replacing(#""minor":2700"#, with: #""minor":27.5"#)))
        #expect(amount.path.description == "$.payment.amount.minor" && amount.message.contains("minor units"))
    }
}
