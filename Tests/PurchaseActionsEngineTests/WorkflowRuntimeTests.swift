import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// The engine actor: many tasks, one engine.
struct WorkflowRuntimeTests {
    static let start = "2025-01-01T00:00:00Z"

    /// A workflow on `tag.added` that tags the contact and sends an SMS (an external effect).
    static func workflows() -> [Workflow] {
        [Fixture.workflow("w", steps: [Fixture.tag("s", "seen"), Step(id: "sms", .action(.sendSMS(from: nil, message: "Hi {{contact.Id}}")))])]
    }

    /// Event `n`, about contact `c-n`, `n` milliseconds after the start.
    static func event(_ number: Int) -> Event {
        var event = Fixture.event("e-\(number)", .tagAdded, at: Self.start, contact: "c-\(number)") { $0.tag = "x" }
        event.occurredAt = Instant(millisecondsSinceEpoch: Fixture.at(Self.start).millisecondsSinceEpoch + Int64(number))
        return event
    }

    @Test("200 tasks ingesting events about distinct contacts, out of time order: each runs exactly once, late ones at the clock")
    func manyTasks() async throws {
        let runtime = try WorkflowRuntime(workflows: Self.workflows(), start: Fixture.at(Self.start))
        let count = 200
        let returned = try await withThrowingTaskGroup(of: [LogRecord].self) { group in
            // Added in reverse time order, so most arrive after a later event moved the clock.
            for number in (0..<count).reversed() { group.addTask { try await runtime.ingest(Self.event(number)) } }
            var all: [[LogRecord]] = []
            for try await records in group { all.append(records) }
            return all
        }
        #expect(returned.count == count)
        let log = await runtime.log
        for number in 0..<count {
            let about = log.filter { $0.contactID == "c-\(number)" }
            #expect(about.filter { $0.status == .entered }.count == 1, "c-\(number) entered once")
            #expect(about.filter { $0.status == .finished }.count == 1)
            #expect(log.filter { $0.cause == "e-\(number)" && $0.status == .late }.count <= 1)
            #expect(await runtime.contact(id: "c-\(number)")?.tags == ["seen"])
        }
        // The log is the calls' records, whole and in the order the calls ran.
        #expect(returned.flatMap { $0 }.count == log.count)
        var byCause: [String: [LogRecord]] = [:]
        for record in log { byCause[record.cause, default: []].append(record) }
        for records in returned { #expect(byCause[records[0].cause] == records) }
        #expect(zip(log, log.dropFirst()).allSatisfy { $0.at <= $1.at }, "the clock never goes back")
        #expect(await runtime.now == Self.event(count - 1).occurredAt)
        let effects = await runtime.takeEffects()
        #expect(effects.filter(\.isExternal).count == count)
        #expect(Set(effects.compactMap(\.idempotencyKey)).count == count)
        #expect(await runtime.takeEffects().isEmpty, "taken effects leave the outbox")
    }

    @Test("A batch runs in order and returns every record; a failing event stops it there, naming its index")
    func batch() async throws {
        let runtime = try WorkflowRuntime(workflows: Self.workflows(), start: Fixture.at(Self.start))
        let records = try await runtime.ingest([Self.event(1), Self.event(2)])
        #expect(records.filter { $0.status == .entered }.map(\.contactID) == ["c-1", "c-2"])
        var broken = Self.event(4)
        broken.tag = nil
        let error = await #expect(throws: EngineError.self) { try await runtime.ingest([Self.event(3), broken, Self.event(5)]) }
        #expect(error?.batchIndex == 1)
        #expect(error?.code == .invalidEvent)
        #expect(error?.message.hasPrefix("event 1 of the batch: ") == true)
        let log = await runtime.log
        #expect(log.contains { $0.contactID == "c-3" }, "the events before it stay recorded")
        #expect(!log.contains { $0.contactID == "c-5" }, "the events after it did not run")
        #expect(await runtime.enrollments(contactID: "c-3").isEmpty, "its enrollment finished")
    }

    @Test("advance, run, runActionSet, enrollments and contact lookup through the actor")
    func calls() async throws {
        let wait = Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now)))
        var manual = Fixture.workflow("action-set.as-1", steps: [Fixture.tag("m", "manual")])
        manual.triggers = [Trigger(id: "manual", event: .manual)]
        let runtime = try WorkflowRuntime(workflows: [Fixture.workflow("w", steps: [wait, Fixture.tag("s", "t")]), manual], start: Fixture.at(Self.start))
        let event = Event(
            id: "e1", type: .tagAdded, occurredAt: Fixture.at(Self.start), contact: ContactReference(firstName: "Ann", lastName: "Lee", email: "ann@example.com"))
        var tagged = event
        tagged.tag = "x"
        try await runtime.ingest(tagged)
        let ann = try #require(await runtime.contact(matching: ContactMatch(firstName: "Ann", lastName: "Lee", email: "ann@example.com")))
        #expect(await runtime.enrollments(contactID: ann.id).map(\.workflowID) == ["w"])
        let woke = await runtime.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        #expect(woke.contains { $0.status == .finished })
        #expect(await runtime.enrollments(contactID: ann.id).isEmpty)
        #expect(try await runtime.runActionSet("as-1", contactID: ann.id).map(\.action) == ["add-tag"])
        #expect(try await runtime.run(workflowID: "action-set.as-1", contactID: ann.id).contains { $0.status == .finished })
        let refused = await #expect(throws: EngineError.self) { try await runtime.runActionSet("action-set.as-1", contactID: ann.id) }
        #expect(refused?.code == .unknownActionSet)
        #expect(await runtime.contact(id: ann.id)?.tags == ["t", "manual"])
    }

    @Test("The runtime runs late events at the clock by default, and with options that leave lateEvents nil; .refuse refuses")
    func lateDefault() async throws {
        let runtime = try WorkflowRuntime(workflows: Self.workflows(), start: Fixture.at(Self.start))
        try await runtime.ingest(Self.event(10))
        let late = try await runtime.ingest(Self.event(5)).first
        #expect(late?.status == .late)
        #expect(late?.contactID != nil && late?.contactID == Self.event(5).contact.id, "the late record names the event's contact")
        let unnamed = try WorkflowRuntime(workflows: Self.workflows(), start: Fixture.at(Self.start), options: Engine.Options())
        try await unnamed.ingest(Self.event(10))
        #expect(try await unnamed.ingest(Self.event(5)).first?.status == .late)
        let strict = try WorkflowRuntime(workflows: Self.workflows(), start: Fixture.at(Self.start), options: Engine.Options(lateEvents: .refuse))
        try await strict.ingest(Self.event(10))
        let error = await #expect(throws: EngineError.self) { try await strict.ingest(Self.event(5)) }
        #expect(error?.code == .eventInThePast)
    }
}
