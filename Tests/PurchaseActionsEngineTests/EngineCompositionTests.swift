import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Log records and effects compose their message, why and details when read (Docs/engine.md,
/// "What a record says"): these tests hold them to saying what was true when the step ran.
@Suite("Engine: records and effects say what was true when the step ran, whenever they are read")
struct EngineCompositionTests {
    static let start = Fixture.at("2025-01-01T00:00:00Z")

    static func tagged(_ id: String, at time: String, firstName: String? = nil) -> Event {
        Fixture.event(id, .tagAdded, at: time) { event in
            event.tag = "x"
            // A valid event names its contact with all three or none (Event.validate).
            if let firstName {
                event.contact.firstName = firstName
                event.contact.lastName = "Lovelace"
                event.contact.email = "ada@example.com"
            }
        }
    }

    static func subject(_ effect: Effect?) -> String? {
        guard case .object(let details)? = effect?.details, case .string(let subject)? = details["subject"] else { return nil }
        return subject
    }

    static let greeting = EmailMessage(
        to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "Hi {{contact.FirstName}}", text: "Hello {{contact.FirstName}}")

    @Test("A rendered email read after the contact changed still greets the contact as they were")
    func renderedFromTheContactAsItWas() throws {
        let workflow = Fixture.workflow("w", steps: [Step(id: "mail", .action(.sendEmail(Self.greeting)))])
        let effects = RecordingEffectSink()
        let engine = try Engine(workflows: [workflow], start: Self.start, ports: Engine.Ports(effects: effects))
        let first = try engine.ingest(Self.tagged("e1", at: "2025-01-01T00:00:00Z", firstName: "Ada"))
        try engine.ingest(Self.tagged("e2", at: "2025-01-01T01:00:00Z", firstName: "Grace"))

        #expect(effects.effects.map { Self.subject($0) } == ["Hi Ada", "Hi Grace"])
        let mail = try #require(first.first { $0.stepID == "mail" })
        #expect(Self.subject(mail.effect) == "Hi Ada")
        #expect(mail.message == "mail: send email \"Hi Ada\" to ada@example.com")
        #expect(mail.effect?.idempotencyKey == "e-1/1/w:mail")
        #expect(Self.subject(mail.effect) == Self.subject(mail.effect), "read twice, the same")
    }

    @Test("Why a trigger fired shows the contact as the filters read it, not as later steps left it")
    func whyFromTheContactAsItWas() throws {
        let workflow = Fixture.workflow(
            "w", filters: [.field("contact.tags", .notContains, .text("done"))], steps: [Fixture.tag("finish", "done")])
        let engine = try Engine(workflows: [workflow], start: Self.start)
        let records = try engine.ingest(Self.tagged("e1", at: "2025-01-01T00:00:00Z"))

        let entered = try #require(records.first { $0.status == .entered })
        let why = try #require(entered.why?.compactText)
        #expect(why.contains("\"field\":\"contact.tags\""))
        #expect(why.contains("\"held\":true"))
        #expect(!why.contains("\"done\"]"), "the tag the workflow added afterwards is not in the actual value: \(why)")
        // The filter reads the contact as it is now on the next event, and keeps it out.
        #expect(try engine.ingest(Self.tagged("e2", at: "2025-01-01T01:00:00Z")).isEmpty)
    }

    @Test("A contact changed in the directory between two calls is read afresh")
    func directoryChangesBetweenCalls() throws {
        let workflow = Fixture.workflow("w", steps: [Step(id: "mail", .action(.sendEmail(Self.greeting)))])
        let contacts = InMemoryContactDirectory()
        let effects = RecordingEffectSink()
        let engine = try Engine(workflows: [workflow], start: Self.start, ports: Engine.Ports(contacts: contacts, effects: effects))
        try engine.ingest(Self.tagged("e1", at: "2025-01-01T00:00:00Z", firstName: "Ada"))
        var renamed = try #require(contacts.contact(id: "c-1"))
        renamed.fields["FirstName"] = "Barbara"
        contacts.save(renamed)
        try engine.ingest(Self.tagged("e2", at: "2025-01-01T01:00:00Z"))

        #expect(effects.effects.map { Self.subject($0) } == ["Hi Ada", "Hi Barbara"])
        #expect(contacts.contact(id: "c-1")?.fields["FirstName"] == "Barbara", "the engine wrote nothing stale back")
    }

    @Test("A record composed when read equals one built from what it says, and its setters replace what it says")
    func recordsCompareByWhatTheySay() throws {
        let workflow = Fixture.workflow("w", steps: [Fixture.tag("a", "t"), Step(id: "mail", .action(.sendEmail(Self.greeting)))])
        let engine = try Engine(workflows: [workflow], start: Self.start)
        let records = try engine.ingest(Self.tagged("e1", at: "2025-01-01T00:00:00Z", firstName: "Ada"))
        #expect(records.map(\.status) == [.entered, .completed, .completed, .finished])

        for record in records {
            let rebuilt = LogRecord(
                at: record.at, cause: record.cause, workflowID: record.workflowID, version: record.version, enrollmentID: record.enrollmentID,
                contactID: record.contactID, stepID: record.stepID, status: record.status,
                effect: record.effect.map {
                    Effect(kind: $0.kind, details: $0.details, isExternal: $0.isExternal, idempotencyKey: $0.idempotencyKey, deliverAt: $0.deliverAt)
                }, why: record.why, message: record.message)
            #expect(rebuilt == record)
            #expect(rebuilt.json == record.json)
        }
        #expect(records.map(\.message) == ["w: c-1 entered", "a: add tag t", "mail: send email \"Hi Ada\" to ada@example.com", "w: c-1 finished"])

        var changed = records[0]
        changed.message = "edited"
        changed.why = .members(["edited": true.json])
        #expect(changed.message == "edited")
        #expect(changed.why == .members(["edited": true.json]))
        #expect(changed != records[0])
        #expect(records[0].message == "w: c-1 entered", "the original is untouched")

        var effect = try #require(records[2].effect)
        effect.idempotencyKey = "mine"
        #expect(effect.idempotencyKey == "mine")
        #expect(Self.subject(effect) == "Hi Ada", "the details stay when the key is replaced")
    }
}
