import Foundation
import PurchaseActionsCore
import Testing

/// Dates in the years 0001 to 9999 only, and no leap second (Docs/time.md, "Range"): the year 0000
/// in a contact field or a filter, and `:60` in a date-time, found by a reviewer.
@Suite("Dates: the year 0000 is not a date, a leap second is refused and said so")
struct DateRangeRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("parseDate: 0000-01-01 is not a date, like 2025-02-29 and 99999-01-01; 0001-01-01 and 9999-12-31 are")
    func parseDateYears() {
        for text in ["0000-01-01", "0000-02-29", "0000-12-31", "2025-02-29", "99999-01-01"] {
            #expect(ZonedCalendar.parseDate(text) == nil, "\(text)")
        }
        #expect(ZonedCalendar.parseDate("0001-01-01")! == (1, 1, 1))
        #expect(ZonedCalendar.parseDate("9999-12-31")! == (9999, 12, 31))
    }

    @Test("A field dated in the year 0000 is not a date for before / after: neither holds", arguments: [ConditionOperator.before, .after])
    func filterOnYearZeroField(op: ConditionOperator) {
        let field: (String) -> FieldValue? = { $0 == "contact.fields._D" ? .text("0000-01-01") : nil }
        let bound = op == .before ? "2025-01-01" : "0001-01-01"
        #expect(!Condition.field("contact.fields._D", op, .text(bound)).holds(field))
        // The neighbour in range does compare.
        let inRange: (String) -> FieldValue? = { $0 == "contact.fields._D" ? .text(op == .before ? "0001-01-01" : "2025-01-02") : nil }
        #expect(Condition.field("contact.fields._D", op, .text(op == .before ? "2025-01-01" : "2025-01-01")).holds(inRange))
    }

    static func workflow(filterOp op: String, value: String) -> String {
        #"{"formatVersion": 1, "id": "w", "name": "W", "priority": 10, "settings": {"accountTimezone": "UTC", "allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account"}, "status": "published", "#
            + #""steps": [{"id": "a", "type": "action", "action": {"type": "add-tag", "tag": "t"}}], "#
            + #""triggers": [{"id": "t", "event": "tag.added", "filters": [{"field": "contact.fields._D", "op": "\#(op)", "value": "\#(value)"}]}], "version": 1}"#
    }

    @Test("A filter date in the year 0000 is refused at its path; 0001-01-01 and 9999-12-31 load", arguments: ["before", "after"])
    func filterDateYearZero(op: String) throws {
        for value in ["0000-01-01", "0000-02-29", "0000-12-31"] {
            let error = try #require(throws: JSONError.self) { try Workflow.load(Array(Self.workflow(filterOp: op, value: value).utf8)) }
            #expect(error.path.description == "$.triggers[0].filters[0].value", "\(error)")
            #expect(error.message.contains("years 0001 to 9999"), "\(error.message)")
        }
        for value in ["0001-01-01", "9999-12-31"] {
            #expect(throws: Never.self) { try Workflow.load(Array(Self.workflow(filterOp: op, value: value).utf8)) }
        }
    }

    @Test("A leap second is refused with a message that says so; its neighbours keep theirs")
    func leapSecondMessage() {
        let leap = Instant.rfc3339Refusal("2016-12-31T23:59:60Z", example: "x")
        #expect(leap == "'2016-12-31T23:59:60Z': a leap second (:60) is not accepted; write :59.999")
        #expect(Instant.rfc3339Refusal("2016-12-31T23:59:60.5+01:00", example: "x")?.contains("leap second (:60) is not accepted") == true)
        #expect(Instant.rfc3339Refusal("2016-12-31T23:59:59Z", example: "x") == nil)
        // Not a leap second: :61, :60 on a bad date, a year 0000 date-time: the general message.
        for text in ["2016-12-31T23:59:61Z", "2016-02-30T23:59:60Z", "0000-12-31T23:59:60Z", "2016-12-31T23:59:60"] {
            let message = Instant.rfc3339Refusal(text, example: "2025-01-14T17:03:27Z")
            #expect(message?.contains("is not an RFC 3339 date-time") == true, "\(text): \(message ?? "nil")")
            #expect(message?.contains("leap") == false, "\(text)")
        }
    }

    @Test("Event.load and Workflow.load refuse :60 at the member's path, saying leap seconds are not accepted")
    func leapSecondDecoders() throws {
        let event = #"{"id":"e","type":"tag.added","occurredAt":"2016-12-31T23:59:60Z","contact":{"id":"c"},"tag":"t"}"#
        let eventError = try #require(throws: JSONError.self) { try Event.load(Array(event.utf8)) }
        #expect(eventError.path.description == "$.occurredAt")
        #expect(eventError.message.contains("a leap second (:60) is not accepted; write :59.999"), "\(eventError.message)")
        #expect(throws: Never.self) { try Event.load(Array(event.replacing(":60Z", with: ":59.999Z").utf8)) }

        let wait = Self.workflow(filterOp: "before", value: "2025-01-01").replacing(
            #"{"id": "a", "type": "action", "action": {"type": "add-tag", "tag": "t"}}"#,
            with: #"{"id": "h", "type": "wait", "wait": {"until": "date", "date": "2016-12-31T23:59:60+11:00"}}"#)
        let waitError = try #require(throws: JSONError.self) { try Workflow.load(Array(wait.utf8)) }
        #expect(waitError.path.description == "$.steps[0].wait.date")
        #expect(waitError.message.contains("a leap second (:60) is not accepted"), "\(waitError.message)")
        #expect(throws: Never.self) { try Workflow.load(Array(wait.replacing(":60+11:00", with: ":59.999+11:00").utf8)) }
    }

    /// The pattern of a `$defs` entry of a schema, as an ICU regular expression (no format checker:
    /// the pattern alone must refuse what the decoder refuses).
    static func pattern(_ schema: String, _ def: String) throws -> NSRegularExpression {
        let data = try Data(contentsOf: root.appendingPathComponent(schema))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(object["$defs"] as? [String: Any])
        let entry = try #require(defs[def] as? [String: Any])
        return try NSRegularExpression(pattern: try #require(entry["pattern"] as? String))
    }

    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test("The schemas' date-time patterns refuse :60 and the year 0000, as the decoder does, and accept :59")
    func schemaDateTimePatterns() throws {
        for (schema, def) in [("Docs/events.schema.json", "timestamp"), ("Docs/workflow-format.schema.json", "dateTime")] {
            let regex = try Self.pattern(schema, def)
            for text in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5+01:00", "0000-06-01T00:00:00Z", "2025-06-01T00:00:00Z\n"] {
                #expect(!Self.matches(regex, text), "\(schema) \(def) accepts \(text)")
                #expect(Instant.parseRFC3339(text) == nil, "the decoder reads \(text)")
            }
            for text in ["2016-12-31T23:59:59Z", "2016-12-31T23:59:59.999+11:00", "0001-01-01T00:00:00Z"] {
                #expect(Self.matches(regex, text), "\(schema) \(def) refuses \(text)")
                #expect(Instant.parseRFC3339(text) != nil, "the decoder refuses \(text)")
            }
        }
    }

    @Test("The workflow schema's date pattern refuses the year 0000, as the decoder does")
    func schemaDatePattern() throws {
        let regex = try Self.pattern("Docs/workflow-format.schema.json", "date")
        for text in ["0000-01-01", "0000-12-31", "2025-01-01\n"] { #expect(!Self.matches(regex, text), "\(text)") }
        for text in ["0001-01-01", "9999-12-31"] { #expect(Self.matches(regex, text), "\(text)") }
    }
}
