import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Issue 10, memory the step budget does not bound: a field doubled by each of 30 steps (2^30
/// characters from a 4 KB workflow), a template merging a long value hundreds of times, and a
/// contact grown by thousands of `update-field` or `add-tag` steps. Rendered values, a contact's
/// fields and tags, and a workflow's steps have documented maxima (Docs/engine.md, "Rendered text
/// and contact size"; Docs/workflow-format.md, "Limits"), each tested one past.
@Suite("Engine: rendered values, contact fields and tags, and workflow steps are bounded")
struct RenderedValueLimitTests {
    static let start = "2025-01-01T00:00:00Z"

    static func field(_ id: String, _ field: String, _ value: String) -> Step { Step(id: id, .action(.updateField(field: field, value: value))) }

    /// Runs the workflow for a new contact `c-1` (created with the given fields) on a `tag.added`.
    static func run(_ steps: [Step], fields: [String: String] = [:]) throws -> (records: [LogRecord], contact: Contact) {
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-1", fields: fields, createdAt: Fixture.at(start)))
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: steps, zone: "UTC")], start: Fixture.at(start), ports: Engine.Ports(contacts: directory))
        let records = try engine.ingest(Fixture.event("ev", .tagAdded, at: start) { $0.tag = "x" })
        return (records, try #require(directory.contact(id: "c-1")))
    }

    @Test("A field doubled by 29 steps stops at the step past 10,000 characters: an error naming workflow, step and limit, the field unchanged")
    func doubling() throws {
        let steps = [Self.field("s0", "_A", "ab")] + (1...29).map { Self.field("s\($0)", "_A", "{{contact._A}}{{contact._A}}") }
        let (records, contact) = try Self.run(steps)
        // s12 writes 8,192 characters; s13 would write 16,384.
        #expect(contact.fields["_A"]?.count == 8_192)
        let errors = records.filter { $0.status == .error }
        #expect(errors.map(\.stepID) == (13...29).map { "s\($0)" })
        #expect(errors.first?.workflowID == "w")
        #expect(
            errors.first?.message
                == "s13: the value for _A would be longer than 10000 characters, the most a field may hold (Docs/engine.md, \"Rendered text and contact size\"); w goes on without it")
        #expect(records.last?.status == .finished)
    }

    @Test("A field value of exactly 10,000 characters is written; 10,001 is an error and the contact keeps its value")
    func fieldValueOnePast() throws {
        let long = String(repeating: "é", count: 10_000)
        let ok = try Self.run([Self.field("s", "_A", "{{contact._B}}")], fields: ["_B": long])
        #expect(ok.contact.fields["_A"] == long)
        #expect(!ok.records.contains { $0.status == .error })
        let past = try Self.run([Self.field("s", "_A", "{{contact._B}}x")], fields: ["_B": long, "_A": "old"])
        #expect(past.contact.fields["_A"] == "old")
        #expect(past.records.filter { $0.status == .error }.map(\.stepID) == ["s"])
        // A literal value is bounded too.
        let literal = try Self.run([Self.field("s", "_A", String(repeating: "x", count: 10_001))])
        #expect(literal.contact.fields["_A"] == nil)
        #expect(literal.records.contains { $0.status == .error && $0.message.contains("longer than 10000 characters") })
    }

    @Test("A subject merging a 10,000-byte value 104 times is sent; 105 times (past 1 MiB) is an error and nothing is sent")
    func renderedTextOnePast() throws {
        let value = String(repeating: "v", count: 10_000)
        func send(_ tags: Int) throws -> (records: [LogRecord], effects: Int) {
            let directory = InMemoryContactDirectory()
            directory.save(Contact(id: "c-1", fields: ["_V": value], createdAt: Fixture.at(Self.start)))
            let effects = RecordingEffectSink()
            let message = EmailMessage(to: .address("a@example.com"), from: Sender(name: "Shop", address: "shop@example.com"), subject: "s", text: String(repeating: "{{contact._V}}", count: tags))
            let engine = try Engine(workflows: [Fixture.workflow("w", steps: [Step(id: "mail", .action(.sendEmail(message)))], zone: "UTC")], start: Fixture.at(Self.start), ports: Engine.Ports(contacts: directory, effects: effects))
            let records = try engine.ingest(Fixture.event("ev", .tagAdded, at: Self.start) { $0.tag = "x" })
            return (records, effects.effects.count)
        }
        let fits = try send(104)
        #expect(fits.effects == 1)
        guard case .object(let details)? = fits.records.first(where: { $0.stepID == "mail" })?.effect?.details, case .string(let text)? = details["text"] else {
            Issue.record("no text")
            return
        }
        #expect(text.utf8.count == 1_040_000)
        let past = try send(105)
        #expect(past.effects == 0)
        #expect(past.records.filter { $0.status == .error }.first?.message.contains("longer than 1048576 bytes, the most a rendered text may have") == true)
    }

    @Test("A template merging a 40,000-byte value 2,000 times (80 MB) is refused without being built; so is a field merging it")
    func renderStopsEarly() throws {
        let value = String(repeating: "😀", count: 10_000)
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-1", fields: ["_V": value], createdAt: Fixture.at(Self.start)))
        let effects = RecordingEffectSink()
        let message = EmailMessage(to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "s", html: String(repeating: "{{contact._V}}", count: 2_000))
        let steps = [Step(id: "mail", .action(.sendEmail(message))), Self.field("big", "_W", String(repeating: "{{contact._V}}", count: 2_000))]
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: steps, zone: "UTC")], start: Fixture.at(Self.start), ports: Engine.Ports(contacts: directory, effects: effects))
        let records = try engine.ingest(Fixture.event("ev", .tagAdded, at: Self.start) { $0.tag = "x" })
        #expect(effects.effects.isEmpty)
        #expect(records.filter { $0.status == .error }.map(\.stepID) == ["mail", "big"])
        #expect(directory.contact(id: "c-1")?.fields["_W"] == nil)
    }

    @Test("A template of 1,024 tags in 65,536 bytes (2^26) renders; one byte more is an error before any rendering")
    func tagBytesOnePast() throws {
        func run(padding: Int) throws -> [LogRecord] {
            let template = String(repeating: "{{contact.A}}", count: 1_024) + String(repeating: "x", count: padding)
            return try Self.run([Step(id: "sms", .action(.sendSMS(from: nil, message: template)))], fields: ["A": "a"]).records
        }
        let exact = 65_536 - 13 * 1_024
        #expect(try run(padding: exact).filter { $0.status == .error }.isEmpty)
        let past = try run(padding: exact + 1).filter { $0.status == .error }
        #expect(past.map(\.stepID) == ["sms"])
        #expect(past.first?.message.contains("more tags times bytes than 67108864") == true)
    }

    @Test("A contact holds at most 1,000 tags: the 1,001st add-tag is an error, the others stay")
    func tagsOnePast() throws {
        let (records, contact) = try Self.run((0...1_000).map { Fixture.tag("t\($0)", "tag-\($0)") })
        #expect(contact.tags.count == 1_000)
        #expect(records.filter { $0.status == .error }.map(\.stepID) == ["t1000"])
        #expect(records.first { $0.status == .error }?.message.contains("already holds 1000 tags") == true)
    }

    @Test("A contact holds at most 1,000 fields: one more is an error; changing a field it holds is not")
    func fieldsOnePast() throws {
        let existing = Dictionary(uniqueKeysWithValues: (0..<999).map { ("_F\($0)", "v") })
        let (records, contact) = try Self.run(
            [Self.field("one", "_New", "v"), Self.field("past", "_Past", "v"), Self.field("change", "_F0", "w")], fields: existing)
        #expect(contact.fields.count == 1_000)
        #expect(contact.fields["_Past"] == nil)
        #expect(contact.fields["_F0"] == "w")
        #expect(records.filter { $0.status == .error }.map(\.stepID) == ["past"])
    }

    /// A workflow file with `count` steps after a branch holding `nested` more.
    static func workflowJSON(steps count: Int, nested: Int = 0) -> String {
        var steps = (0..<count).map { #"{"id":"s\#($0)","type":"action","action":{"type":"add-tag","tag":"t"}}"# }
        if nested > 0 {
            let inner = (0..<nested).map { #"{"id":"n\#($0)","type":"action","action":{"type":"add-tag","tag":"t"}}"# }
            steps.insert(#"{"id":"b","type":"if","branches":[{"name":"x","when":{"field":"contact.tags","op":"contains","value":"t"},"steps":[\#(inner.joined(separator: ","))]}],"otherwise":[]}"#, at: 0)
        }
        return #"{"formatVersion":1,"id":"w","name":"n","version":1,"status":"published","priority":1,"triggers":[{"id":"t","event":"tag.added","filters":[]}],"steps":[\#(steps.joined(separator: ","))],"settings":{"allowReentry":true,"onePerOrder":false,"stopOnResponse":false,"timezone":"account","accountTimezone":"UTC"}}"#
    }

    @Test("A workflow holds at most 2,000 steps, nested ones included: one past is refused at its JSON path")
    func stepsOnePast() throws {
        #expect(throws: Never.self) { try Workflow.load(Array(Self.workflowJSON(steps: 2_000).utf8)) }
        do {
            _ = try Workflow.load(Array(Self.workflowJSON(steps: 2_001).utf8))
            Issue.record("2,001 steps were accepted")
        } catch {
            #expect(String(describing: error).contains("$.steps[2000]"))
            #expect(String(describing: error).contains("more than 2000 steps"))
        }
        do {
            // The branch and 1,000 inside it, then 1,000 more: the last is the 2,001st.
            _ = try Workflow.load(Array(Self.workflowJSON(steps: 1_000, nested: 1_000).utf8))
            Issue.record("2,001 steps with nested ones were accepted")
        } catch {
            #expect(String(describing: error).contains("$.steps[1000]"))
        }
    }
}
