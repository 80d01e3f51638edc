import Foundation
import PurchaseActionsCore
import Testing

/// Review of issue 11: encoding refuses what decoding refuses (an event validate() refuses, a
/// workflow the decoder refuses); key strategies are caught where cheap; ContactMatch decoded is
/// normalised; an order line's price option defaults to nil.
@Suite("Codable: encoding refuses what decoding refuses; key strategies; ContactMatch; defaults")
struct EncodingChecksTests {
    static let instant = Instant.parseRFC3339("2025-01-14T10:03:25Z")!.instant

    static func tagAdded(offset: Int = 0) -> Event {
        var event = Event(id: "e-1", type: .tagAdded, occurredAt: instant, offsetSeconds: offset, contact: ContactReference(id: "c-1"))
        event.tag = "tag-vip"
        return event
    }

    /// The EncodingError's context, or nil when encoding succeeded.
    static func encodingError(_ value: some Encodable) -> EncodingError.Context? {
        do {
            _ = try JSONEncoder().encode(value)
            return nil
        } catch EncodingError.invalidValue(_, let context) {
            return context
        } catch {
            Issue.record("not an EncodingError: \(error)")
            return nil
        }
    }

    struct Outbox: Encodable { var events: [Event] }

    @Test("An event with a 30-second offset is not encoded: EncodingError at its JSON path, with the message")
    func thirtySeconds() throws {
        let event = Self.tagAdded(offset: 30)
        let context = try #require(Self.encodingError(Outbox(events: [Self.tagAdded(), event])))
        #expect(JSONPath(codingPath: context.codingPath).description == "$.events[1].occurredAt")
        let underlying = try #require(context.underlyingError as? JSONError)
        #expect(underlying.path.description == "$.occurredAt")
        #expect(context.debugDescription == "$.events[1].occurredAt: \(underlying.message)")
        // Its canonical line is the same instant in UTC, never another instant.
        #expect(event.json.compactText.contains(#""occurredAt":"2025-01-14T10:03:25Z""#))
        #expect(try Event.load(Array(event.json.compactText.utf8)).occurredAt == event.occurredAt)
        #expect(Self.encodingError(Self.tagAdded(offset: 60)) == nil)
    }

    @Test("Every member validate() refuses is refused by encode(to:) at the same path", arguments: [
        ("payment.succeeded without order", "$"), ("a tag that is no catalogue id", "$.tag"), ("a far offset", "$.occurredAt"),
        ("offset Int.min", "$.occurredAt"), ("an instant in the year 10000", "$.occurredAt"),
    ])
    func refusals(what: String, path: String) throws {
        var event = Self.tagAdded()
        switch what {
        case "payment.succeeded without order": event.type = .paymentSucceeded; event.tag = nil
        case "a tag that is no catalogue id": event.tag = "no spaces please"
        case "a far offset": event.offsetSeconds = 86_400
        case "offset Int.min": event.offsetSeconds = .min
        default: event.occurredAt = Instant.supported.upperBound.adding(seconds: 1)
        }
        #expect(throws: JSONError.self) { try event.validate() }
        let context = try #require(Self.encodingError(event), "\(what)")
        #expect(JSONPath(codingPath: context.codingPath).description == path)
        _ = event.json.compactText  // never traps
    }

    @Test("A workflow the decoder would refuse is not encoded")
    func workflow() throws {
        let workflow = try Workflow.load(Array(WorkflowLimitsTests.workflow().utf8))
        #expect(Self.encodingError(workflow) == nil)
        var broken = workflow
        broken.id = ""
        let context = try #require(Self.encodingError([broken]))
        #expect(JSONPath(codingPath: context.codingPath).description.hasPrefix("$[0]"))
        #expect(context.underlyingError is JSONError)
    }

    @Test("A document written with .convertToSnakeCase is refused with a message naming the key strategy")
    func snakeCase() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode([Self.tagAdded()])
        #expect(String(decoding: data, as: UTF8.self).contains("occurred_at"))
        do {
            _ = try JSONDecoder().decode([Event].self, from: data)
            Issue.record("decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("key strategy"), "\(context.debugDescription)")
            #expect(context.debugDescription.contains("default key strategies"))
        }
        // An unknown member in snake case says so too; one that is not says nothing of it.
        let unknown = #"{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c","first_name":"A"},"tag":"t"}"#
        do {
            _ = try JSONDecoder().decode(Event.self, from: Data(unknown.utf8))
            Issue.record("decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.hasPrefix("$.contact.first_name: ") && context.debugDescription.contains("key strategy"))
        }
        let plain = unknown.replacing("first_name", with: "nickname")
        do {
            _ = try JSONDecoder().decode(Event.self, from: Data(plain.utf8))
            Issue.record("decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(!context.debugDescription.contains("key strategy"))
        }
        // The text reader (no coder) gives the same plain message.
        #expect((try? Event.load(Array(unknown.utf8))) == nil)
    }

    @Test("ContactMatch decoded by JSONDecoder is normalised, so it finds the contact")
    func contactMatch() throws {
        let key = ContactMatch(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com")
        let stored = #"{"firstName":"  DANA ","lastName":"Whitfield\t","email":"Dana@Example.com"}"#
        let decoded = try JSONDecoder().decode(ContactMatch.self, from: Data(stored.utf8))
        #expect(decoded == key)
        #expect([key: "c-1"][decoded] == "c-1")
        #expect(try JSONDecoder().decode(ContactMatch.self, from: JSONEncoder().encode(key)) == key)
    }

    @Test("ContactMatch decoding refuses a member it does not have, naming it escaped")
    func contactMatchUnknownMember() throws {
        let stored = #"{"firstName":"A","lastName":"B","email":"a@x.example","evil\n":1}"#
        do {
            _ = try JSONDecoder().decode(ContactMatch.self, from: Data(stored.utf8))
            Issue.record("accepted")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains(#"'evil\n' is not a member of a contact match"#), "\(context.debugDescription)")
        }
    }

    @Test("An order line's price option defaults to nil")
    func priceOptionDefault() {
        let line = Order.Line(item: .product(id: "p"))
        #expect(line.item == .product(id: "p", priceOption: nil))
        #expect(line.json.compactText == #"{"product":"p","quantity":1}"#)
    }
}
