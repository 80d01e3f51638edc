import PurchaseActionsCore
import Testing

/// Review 1 of issue 10: wait dates with long fractions or outside 0001–9999 after the offset,
/// the JSON nesting limit, lines on every workflow error, number wording, header fields.
@Suite("Workflow input: dates, nesting, error places, wording")
struct WorkflowInputTests {
    static func load(_ text: String) throws(JSONError) -> Workflow { try Workflow.load(Array(text.utf8)) }

    static func error(_ text: String) -> JSONError? {
        do {
            _ = try load(text)
            return nil
        } catch { return error }
    }

    static func dateWait(_ date: String) -> String {
        WorkflowLimitsTests.workflow(steps: WorkflowLimitsTests.wait(#"{"until": "date", "date": "\#(date)"}"#))
    }

    @Test("A wait date with a fraction of 4 to 9 digits loads (it used to trap)", arguments: [".1234", ".12345", ".123456789"])
    func longFractionDate(fraction: String) throws {
        let workflow = try Self.load(Self.dateWait("2025-06-01T00:00:00\(fraction)Z"))
        #expect(workflow.steps.count == 1)
    }

    @Test("A wait date whose UTC instant leaves 0001–9999 is refused at its path, with its line", arguments: [
        "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "0000-06-01T00:00:00Z",
    ])
    func dateOutOfRange(date: String) throws {
        let error = try #require(Self.error(Self.dateWait(date)))
        #expect(error.path.description == "$.steps[0].wait.date")
        #expect(error.message.contains("0001 to 9999"))
        #expect(error.line == 1)
    }

    /// A workflow with `count` nested `if` steps (each four JSON levels: steps, step, branches, branch).
    static func nestedIfs(_ count: Int) -> String {
        var steps = "[]"
        for index in 0..<count {
            steps = #"[{"id": "i\#(index)", "type": "if", "branches": [{"name": "b", "when": {"all": []}, "steps": \#(steps)}], "otherwise": []}]"#
        }
        return WorkflowLimitsTests.workflow(steps: steps)
    }

    @Test("60 nested ifs load (about 15 used to be refused); the nesting limit is 256 levels, refused one past it at that member")
    func nesting() throws {
        #expect(JSONValue.maximumDepth == 256)
        _ = try Self.load(Self.nestedIfs(60))
        let fine = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(throws: Never.self) { try JSONValue.parse(fine) }
        let past = #"{"a": {"b": "# + String(repeating: "[", count: 255) + String(repeating: "]", count: 255) + "}}"
        let error = try #require(throws: JSONError.self) { try JSONValue.parse(past) }
        #expect(error.code == .limit)
        #expect(error.path.description == "$.a.b" + String(repeating: "[0]", count: 254))
        #expect(error.message.contains("256"))
        let tooManyIfs = try #require(Self.error(Self.nestedIfs(64)))
        #expect(tooManyIfs.code == .limit && tooManyIfs.path.components.count > 200, "\(tooManyIfs)")
    }

    @Test("A value out of range has the line of the value, as a syntax error does")
    func rangeErrorsHaveLines() throws {
        let text = WorkflowLimitsTests.workflow(version: 2_147_483_648, steps: WorkflowLimitsTests.wait(#"{"until": "delay", "delay": {"days": 1}, "calendarDays": false, "from": "now"}"#))
            .replacing(#", "version""#, with: ",\n\"version\"").replacing(#", "steps""#, with: ",\n\n\"steps\"")
        let version = try #require(Self.error(text))
        #expect(version.path.description == "$.version" && version.line == 2)
        let days = try #require(Self.error(text.replacing("2147483648", with: "1").replacing(#"{"days": 1}"#, with: "{\n\"days\": 36501}")))
        #expect(days.path.description == "$.steps[0].wait.delay.days" && days.line == 5, "\(days)")
        #expect(days.column == nil, "the line only: the message keeps its path form")
        let missing = try #require(Self.error(text.replacing("2147483648", with: "1").replacing(#""from": "now""#, with: #""at": "08:00""#)))
        #expect(missing.line == 4, "a missing member: the line of the object that lacks it (\(missing))")
        #expect(JSONValue.position(of: .root.member("a").index(1).member("b"), in: Array("{\n  \"a\": [1,\n    {\"b\": 2}]}".utf8))! == (3, 11))
        #expect(JSONValue.position(of: .root.member("c"), in: Array("{}".utf8)) == nil)
    }

    @Test("A fraction or exponent in a count says it must be a whole number; in an amount, minor units", arguments: [
        #""days": 1e300"#, #""days": -0.0"#, #""days": 1E2"#,
    ])
    func wholeNumberWording(member: String) throws {
        let text = WorkflowLimitsTests.workflow(steps: WorkflowLimitsTests.wait(#"{"until": "delay", "delay": {\#(member)}, "calendarDays": false, "from": "now"}"#))
        let error = try #require(Self.error(text))
        #expect(error.code == .notAnInteger)
        #expect(error.message.hasPrefix("must be a whole number"))
        #expect(!error.message.contains("minor units"))
        let condition = WorkflowLimitsTests.workflow(
            triggers: #"[{"id": "t", "event": "payment.succeeded", "filters": [{"field": "payment.amount", "op": "atLeast", "value": 19.99}]}]"#)
        #expect(Self.error(condition)?.message.contains("minor units") == true)
    }

    @Test("Header fields refuse what the export reader refuses, at their path", arguments: [
        (#"{"type": "send-sms", "from": "Shop\r\nX: y", "message": "m"}"#, "$.steps[0].action.from"),
        (#"{"type": "send-sms", "from": "Shop\u0085X", "message": "m"}"#, "$.steps[0].action.from"),
        (#"{"type": "send-email", "to": {"type": "contact"}, "subject": "a\u2028b", "text": "t", "from": {"name": "N", "address": "a@b.c"}}"#, "$.steps[0].action.subject"),
        (#"{"type": "send-email", "to": {"type": "contact"}, "subject": "s", "text": "t", "from": {"name": "N\u0085", "address": "a@b.c"}}"#, "$.steps[0].action.from.name"),
        (#"{"type": "send-email", "to": {"type": "contact"}, "subject": "s", "text": "t", "from": {"name": "N", "address": "a\u202e@b.c"}}"#, "$.steps[0].action.from.address"),
        (#"{"type": "send-email", "to": {"type": "contact"}, "subject": "s", "text": "t", "replyTo": "a@b\u2066.c"}"#, "$.steps[0].action.replyTo"),
        (#"{"type": "send-email", "to": {"type": "address", "address": "a\u0090@b.c"}, "subject": "s", "text": "t"}"#, "$.steps[0].action.to.address"),
        (#"{"type": "notify", "to": {"type": "owner"}, "subject": "a\u2029b", "fields": []}"#, "$.steps[0].action.subject"),
    ])
    func headerFields(action: String, path: String) throws {
        let error = try #require(Self.error(WorkflowLimitsTests.workflow(steps: WorkflowLimitsTests.action(action))))
        #expect(error.path.description == path, "\(error)")
        #expect(error.code == .invalidValue)
        #expect(error.line == 1)
    }

    @Test("Tabs and escapes stay allowed in names and SMS senders (shown escaped), as in the export")
    func headerFieldsAllowed() throws {
        _ = try Self.load(WorkflowLimitsTests.workflow(steps: WorkflowLimitsTests.action(#"{"type": "send-sms", "from": "Shop\tCo \u00e9", "message": "m"}"#)))
    }
}
