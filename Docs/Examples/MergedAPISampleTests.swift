import Foundation
import PurchaseActions
import Testing

/// Runs the samples of MergedAPISamples.swift, EventsCodableExample.swift, WorkflowCodableExample.swift
/// and EngineCatalogueExample.swift on the bundled course-creator account, and checks what their
/// comments claim.
@Suite("Docs: the engine, Codable and catalogue samples run and say what they claim")
struct MergedAPISampleTests {
    static let root = EngineExampleTests.root.path
    static var document: ExportDocument { get throws { try ExportReader().read(file: root + "/Fixtures/exports/course-creator.xml") } }
    static var events: [Event] { get throws { try EventsFile.read(root + "/Fixtures/events/course-creator.jsonl") } }
    /// The course creator's engine after its first event (Dana Whitfield's first purchase).
    static func engineAfterFirstEvent() throws -> Engine {
        let first = try events[0]
        let engine = try Engine(Automation(migrating: document.account), start: first.occurredAt)
        try engine.ingest(first)
        return engine
    }

    @Test("engine.md, Making an engine: the three engines; the quiet one keeps no log")
    func makingAnEngine() throws {
        let document = try Self.document
        let workflows = LegacyCompiler.compile(document.account).workflows
        let first = try Self.events[0]
        let engines = try makingAnEngineSample(document: document, workflows: workflows, start: first.occurredAt)
        #expect(engines.map(\.workflows.count) == Array(repeating: workflows.count, count: 3))
        try engines[0].ingest(first)
        try engines[2].ingest(first)
        try engines[2].ingest(Self.events[1])
        #expect(engines[0].log.count > engines[2].log.count)
    }

    @Test("engine.md, The engine actor: events from many tasks enter their buyers; effects to deliver are external")
    func engineActor() async throws {
        let events = Array(try Self.events.prefix(3))
        var delivered: [Effect] = []
        let why = try await engineActorSample(
            document: Self.document, start: events[0].occurredAt, events: events,
            now: events[0].occurredAt.adding(seconds: 30 * 86_400)) { delivered.append($0) }
        #expect(why.contains("slot.successful-purchase: ff-c-1 entered"))
        #expect(!delivered.isEmpty && delivered.allSatisfy { $0.isExternal && $0.idempotencyKey != nil })
    }

    @Test("engine.md, Finding a contact: the legacy match finds the buyer the event named, and by id the same contact")
    func findingAContact() throws {
        let (dana, same) = findingAContactSample(engine: try Self.engineAfterFirstEvent())
        #expect(dana?.id == "ff-c-1")
        #expect(same == dana)
    }

    @Test("engine.md, Events built in code: the bare payment is refused with the error its comment gives")
    func eventsBuiltInCode() throws {
        let engine = try Self.engineAfterFirstEvent()
        let seen = engine.log.count
        #expect {
            try eventsBuiltInCodeSample(engine: engine, now: engine.now)
        } throws: { error in
            guard let error = error as? EngineError else { return false }
            return error.code.rawValue == "invalid-event" && error.jsonPath?.description == "$"
                && error.message == "event 'e1' is not a valid payment.succeeded event: $: a payment.succeeded event requires 'order'"
        }
        #expect(engine.log.count == seen)
    }

    @Test("engine.md, The execution log: the outbox of external effects reads back the same")
    func outbox() throws {
        let engine = try Self.engineAfterFirstEvent()
        let effects = try outboxSample(engine: engine)
        let external = engine.log.compactMap(\.effect).filter(\.isExternal)
        #expect(!effects.isEmpty)
        #expect(effects.map(\.json.compactText) == external.map(\.json.compactText))
    }

    @Test("Instant+Date: Date(instant) is the event's time to the millisecond")
    func dateOfInstant() throws {
        let event = try Self.events[0]
        #expect(!dateOfInstantSample(event: event).isEmpty)
        #expect(Instant(Date(event.occurredAt)) == event.occurredAt)
    }

    @Test("ActionResult+Codable: the JSON form its comment shows, read back, decoded and encoded")
    func actionResults() throws {
        let engine = try Self.engineAfterFirstEvent()
        let results = try engine.runActionSet("as-vip", contactID: "ff-c-1")
        let data = try JSONEncoder().encode(results)
        let sample = try actionResultSamples(result: results[0], data: data, engine: Self.engineAfterFirstEvent(), id: "ff-c-1")
        #expect(sample.line == #"{"action":"add-tag","isError":false,"message":"as-course-access.tag: add tag tag-student"}"#)
        #expect(sample.read.action == "legacy" && sample.read.message == "m" && !sample.read.isError)
        #expect(sample.decoded == results)
        #expect(try JSONDecoder().decode([ActionResult].self, from: sample.body) == results)
    }

    @Test("Contact+Codable: the JSON form its comment shows, read back, and a directory saved and reloaded")
    func contacts() throws {
        let createdAt = Instant.parseRFC3339("2025-01-14T17:03:25Z")!.instant
        let contact = Contact(id: "c-1", fields: ["FirstName": "Dana"], tags: ["tag-vip"], createdAt: createdAt)
        let directory = InMemoryContactDirectory()
        directory.save(contact)
        let sample = try contactSamples(contact: contact, directory: directory)
        #expect(sample.line == #"{"createdAt":"2025-01-14T17:03:25Z","fields":{"FirstName":"Dana"},"id":"c-1","tags":["tag-vip"]}"#)
        #expect(sample.read == Contact(id: "c-1", createdAt: Instant.parseRFC3339("2025-01-01T00:00:00Z")!.instant))
        #expect(sample.reloaded == [contact])
    }

    @Test("WorkflowRuntime's sample: events from many tasks; the effects delivered are taken from the outbox")
    func workflowRuntime() async throws {
        let events = Array(try Self.events.prefix(3))
        var delivered: [Effect] = []
        let runtime = try await workflowRuntimeDocSample(account: Self.document.account, start: events[0].occurredAt, events: events) { delivered.append($0) }
        #expect(!delivered.isEmpty)
        #expect(await runtime.takeEffects().isEmpty)
        #expect(await runtime.contact(id: "ff-c-1") != nil)
    }

    @Test("events.md, From Swift: an event built in code reads back; PendingEvents decode")
    func eventsCodable() throws {
        let line = tagAdded(contactID: "c-1", tag: "vip", at: Date(timeIntervalSince1970: 1_736_874_205))
        let event = try Event.load(line.dropLast())
        #expect(event.id == "tag/c-1/vip" && event.tag == "vip" && event.occurredAt.description == "2025-01-14T17:03:25Z")
        let data = try JSONEncoder().encode(PendingEvents(events: [event] + Self.events))
        #expect(try pendingEvents(data).map(\.canonicalLine) == ([event] + Self.events).map(\.canonicalLine))
    }

    @Test("workflow-format.md, From Swift: a Library of workflows reloads the same; an invalid one names its path")
    func workflowCodable() throws {
        let workflows = LegacyCompiler.compile(try Self.document.account).workflows
        let data = try JSONEncoder().encode(Library(name: "course creator", workflows: workflows))
        #expect(try reload(data).map(\.canonicalData) == workflows.map(\.canonicalData))
        #expect(throws: DecodingError.self) { try reload(Data(#"{"name":"x","workflows":[{"id":"w"}]}"#.utf8)) }
    }

    @Test("PurchaseActionsEngine.md: the buyer found by the legacy match gets as-vip run; many tasks give effects")
    func engineCatalogue() async throws {
        let account = try Self.document.account
        let events = try Self.events
        let results = try runMigration(account, firstEvent: events[0])
        #expect(!results.isEmpty && results.allSatisfy { !$0.isError })
        let effects = try await ingestAll(account: account, start: events[0].occurredAt, events: Array(events.prefix(3)))
        #expect(effects.contains { $0.kind == "send-email" })
    }
}
