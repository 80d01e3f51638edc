import PurchaseActionsCore
import Testing

/// Issue 10: no JSON error message (the reader's `choice`, unknown members, event and workflow
/// decoding) carries a raw control character from the input; values are quoted escaped.
@Suite("JSON errors quote input values escaped")
struct JSONMessageEscapingTests {
    /// ESC, LF and U+202E (right-to-left override), as JSON escapes.
    static let hostile = #"x\u001b[31m\nerror: forged\u202e"#

    static func hasRawControl(_ text: String) -> Bool { text.unicodeScalars.contains(where: DisplayText.isControl) }

    static func error(_ body: () throws(JSONError) -> Void) -> JSONError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("choice quotes the value with DisplayText.escape")
    func choice() throws {
        let value = try JSONValue.parse(Array(#"{"kind": "\#(Self.hostile)"}"#.utf8))
        let error = try #require(Self.error { () throws(JSONError) in
            var object = try JSONObjectReader(value, at: .root)
            _ = try object.choice("kind", ["a", "b"])
        })
        #expect(error.message == #"'x\u{1B}[31m\nerror: forged\u{202E}' is not one of a, b"#)
        #expect(!Self.hasRawControl(error.description))
    }

    @Test("An unknown member's name is escaped in the message and in the JSON path")
    func unknownMember() throws {
        let value = try JSONValue.parse(Array(#"{"\#(Self.hostile)": 1}"#.utf8))
        let error = try #require(Self.error { () throws(JSONError) in
            let object = try JSONObjectReader(value, at: .root)
            try object.finish()
        })
        #expect(!Self.hasRawControl(error.description))
        #expect(error.path.description == #"$['x\u{1B}[31m\nerror: forged\u{202E}']"#)
    }

    static let lines = [
        // An unknown event type.
        #"{"id":"e","type":"\#(hostile)","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"}}"#,
        // A member not of this event type.
        #"{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"tag":"t","\#(hostile)":1}"#,
        // A bad email and a bad timezone.
        #"{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c","email":"\#(hostile)"},"tag":"t"}"#,
        #"{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c","timezone":"\#(hostile)"},"tag":"t"}"#,
        // A contact field name.
        #"{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c","fields":{"\#(hostile)":"v"}},"tag":"t"}"#,
        // A catalogue id.
        #"{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"tag":"\#(hostile)"}"#,
    ]

    @Test("Event decoding errors carry no raw control character", arguments: lines.indices)
    func events(_ index: Int) throws {
        let error = try #require(Self.error { () throws(JSONError) in _ = try Event.load(Array(Self.lines[index].utf8)) })
        #expect(!Self.hasRawControl(error.description), "\(error.description)")
        #expect(!Self.hasRawControl(error.message))
    }

    @Test("Workflow decoding errors carry no raw control character (an enum value, a day, a date)")
    func workflows() throws {
        let base = #"{"formatVersion":1,"id":"w","name":"w","priority":1,"status":"STATUS","settings":{"accountTimezone":"UTC","allowReentry":true,"onePerOrder":false,"stopOnResponse":false,"timezone":"account"},"triggers":[],"steps":[]}"#
        for replaced in [base.replacing("STATUS", with: Self.hostile), base.replacing(#""timezone":"account""#, with: #""timezone":"\#(Self.hostile)""#).replacing("STATUS", with: "published")] {
            let error = try #require(Self.error { () throws(JSONError) in _ = try Workflow.load(Array(replaced.utf8)) })
            #expect(!Self.hasRawControl(error.description), "\(error.description)")
        }
    }

    @Test("A message given raw to JSONError, or set later, is escaped whole")
    func guardInError() {
        var error = JSONError(.invalidValue, "bad \u{1B}[2J value\n")
        #expect(error.message == #"bad \u{1B}[2J value\n"#)
        error.message = "again\u{202E}"
        #expect(error.message == #"again\u{202E}"#)
        #expect(JSONError(.invalidValue, #"already \u{1B} escaped"#).message == #"already \u{1B} escaped"#)
    }
}
