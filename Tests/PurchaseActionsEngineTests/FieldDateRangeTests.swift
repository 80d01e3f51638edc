import Foundation
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// A contact field dated in the year 0000 is not a date (Docs/time.md, "Range"; Docs/engine.md,
/// "Time limits"): a field wait does not wait and the enrollment goes on, as for `2025-02-29`; a
/// filter `before` / `after` on it does not hold. And the engine's decoders refuse a leap second,
/// saying so.
@Suite("Engine: a field dated 0000 is not a date; a leap second is refused and said so")
struct FieldDateRangeTests {
    static func run(offsetDays: Int, value: String) throws -> [LogRecord] {
        let wait = Wait.untilField(field: "contact.fields._D", offsetDays: offsetDays, at: nil)
        let workflow = Fixture.workflow("w", steps: [Step(id: "hold", .wait(wait)), Fixture.tag("after", "t")], zone: "UTC")
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-03-01T10:00:00Z"))
        return try engine.ingest(
            Fixture.event("e1", .tagAdded, at: "2025-03-01T10:00:00Z") {
                $0.tag = "x"
                $0.contact.fields = ["_D": value]
            })
    }

    @Test("A field wait on 0000-01-01 (or its neighbours) does not wait and goes on", arguments: [0, 400, 36500, -36500])
    func yearZeroFieldWait(offsetDays: Int) throws {
        for value in ["0000-01-01", "0000-02-29", "0000-12-31T09:00:00Z", "2025-02-29", "99999-01-01", "2025-03-05x", "2025-03-05/06"] {
            let records = try Self.run(offsetDays: offsetDays, value: value)
            let hold = try #require(records.first { $0.stepID == "hold" }, "\(value) \(offsetDays): \(records.map(\.message))")
            #expect(hold.status == .skipped, "\(value) \(offsetDays): \(hold.message)")
            #expect(hold.message == "hold: contact.fields._D is empty or not a date; no wait", "\(value) \(offsetDays)")
            #expect(!records.contains { $0.status == .error }, "\(value) \(offsetDays): \(records.map(\.message))")
            #expect(records.contains { $0.stepID == "after" && $0.status == .completed }, "\(value) \(offsetDays): \(records.map(\.message))")
        }
    }

    @Test("0001-01-01 is a date: plus 400 or 36,500 days it is a moment passed (no error); 9999-12-31 waits", arguments: [400, 36500])
    func yearOneFieldWait(offsetDays: Int) throws {
        let passed = try Self.run(offsetDays: offsetDays, value: "0001-01-01")
        #expect(passed.first { $0.stepID == "hold" }?.message == "hold: nothing to wait for (the moment has passed)", "\(passed.map(\.message))")
        #expect(!passed.contains { $0.status == .error })
        let waits = try Self.run(offsetDays: 0, value: "9999-12-31")
        #expect(waits.last?.status == .waiting, "\(waits.map(\.message))")
    }

    @Test("A field wait reads a date as filters do: alone, or followed by a time after T or a space", arguments: ["2025-03-05", "2025-03-05T09:00:00Z", "2025-03-05 09:00"])
    func fieldDateForms(value: String) throws {
        let records = try Self.run(offsetDays: 0, value: value)
        #expect(records.last?.status == .waiting, "\(value): \(records.map(\.message))")
        #expect(records.last?.message.contains("2025-03-05T10:00:00") == true, "\(value): \(records.map(\.message))")
        let date = try #require(ZonedCalendar.parseFieldDate(value))
        #expect(date == (2025, 3, 5))
    }

    @Test("A trigger filter before / after on a field dated 0000 does not hold: no enrollment")
    func yearZeroFilter() throws {
        for (op, bound) in [(ConditionOperator.before, "2025-01-01"), (.after, "0001-01-01")] {
            let workflow = Fixture.workflow("w", filters: [.field("contact.fields._D", op, .text(bound))], steps: [Fixture.tag("after", "t")], zone: "UTC")
            let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-03-01T10:00:00Z"))
            let records = try engine.ingest(
                Fixture.event("e1", .tagAdded, at: "2025-03-01T10:00:00Z") {
                    $0.tag = "x"
                    $0.contact.fields = ["_D": "0000-01-01"]
                })
            #expect(!records.contains { $0.stepID == "after" }, "\(op): \(records.map(\.message))")
        }
    }

    @Test("LogRecord and Contact decoding refuse :60 at the member's path, saying leap seconds are not accepted")
    func leapSecondInRecords() throws {
        let record = try #require(try Self.run(offsetDays: 0, value: "2025-03-05").first)
        let text = record.json.compactText
        let leap = text.replacing(#""at":"2025-03-01T10:00:00Z""#, with: #""at":"2016-12-31T23:59:60Z""#)
        #expect(leap != text)
        let error = try #require(throws: JSONError.self) { try LogRecord(json: JSONValue.parse(Array(leap.utf8))) }
        #expect(error.path.description == "$.at")
        #expect(error.message.contains("a leap second (:60) is not accepted; write :59.999"), "\(error.message)")

        let contact = Contact(id: "c-1", fields: [:], createdAt: Fixture.at("2025-03-01T10:00:00Z"))
        let contactText = contact.json.compactText
        let leapContact = contactText.replacing("2025-03-01T10:00:00Z", with: "2016-12-31T23:59:60Z")
        #expect(leapContact != contactText)
        let contactError = try #require(throws: JSONError.self) { try Contact(json: JSONValue.parse(Array(leapContact.utf8))) }
        #expect(contactError.path.description == "$.createdAt")
        #expect(contactError.message.contains("a leap second (:60) is not accepted"), "\(contactError.message)")
    }
}
