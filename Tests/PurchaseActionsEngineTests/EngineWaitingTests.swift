import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// `Engine.waiting` and `Engine.nextWakeUp`: what still waits when a run ends (simulate's warning,
/// Docs/cli.md, "`--until`"; an app's next timer).
@Suite("Engine: waiting enrollments and the next wake-up")
struct EngineWaitingTests {
    static func engine(_ store: InMemoryEnrollmentStore = InMemoryEnrollmentStore()) throws -> Engine {
        let hold = Fixture.workflow(
            "hold", steps: [
                Step(id: "wait", .wait(.delay(Delay(days: 3), calendarDays: false, at: nil, from: .now))),
                Step(id: "tag", .action(.addTag(tagID: "tag-done"))),
            ], zone: "UTC")
        let quick = Fixture.workflow("quick", steps: [Step(id: "tag", .action(.addTag(tagID: "tag-quick")))], zone: "UTC")
        return try Engine(workflows: [hold, quick], start: Fixture.at("2025-01-01T00:00:00Z"), ports: Engine.Ports(store: store))
    }

    static func tag(_ id: String, _ contact: String, at time: String) -> Event {
        Fixture.event(id, .tagAdded, at: time, contact: contact) { $0.tag = "tag-x" }
    }

    @Test("Nothing waits: count 0, no wake-up")
    func empty() throws {
        let engine = try Self.engine()
        #expect(engine.waiting == Engine.Waiting(count: 0, nextWakeUp: nil))
        #expect(engine.nextWakeUp == nil)
    }

    @Test("Waiting enrollments are counted, finished ones are not; the next wake-up is the earliest")
    func counts() throws {
        for store in [InMemoryEnrollmentStore(), InMemoryEnrollmentStore(keepsFinished: false)] {
            let engine = try Self.engine(store)
            try engine.ingest(Self.tag("e1", "c-1", at: "2025-01-01T00:00:00Z"))
            try engine.ingest(Self.tag("e2", "c-2", at: "2025-01-02T00:00:00Z"))
            // "quick" finished twice; "hold" waits twice.
            #expect(engine.waiting == Engine.Waiting(count: 2, nextWakeUp: Fixture.at("2025-01-04T00:00:00Z")))
            #expect(store.waitingCount == 2)
            engine.advance(to: Fixture.at("2025-01-04T00:00:00Z"))
            #expect(engine.waiting == Engine.Waiting(count: 1, nextWakeUp: Fixture.at("2025-01-05T00:00:00Z")))
            engine.advance(to: Fixture.at("2025-02-01T00:00:00Z"))
            #expect(engine.waiting == Engine.Waiting(count: 0, nextWakeUp: nil))
        }
    }

    @Test("The actor answers the same")
    func runtime() async throws {
        let hold = Fixture.workflow(
            "hold", steps: [Step(id: "wait", .wait(.delay(Delay(hours: 5), calendarDays: false, at: nil, from: .now)))], zone: "UTC")
        let runtime = try WorkflowRuntime(workflows: [hold], start: Fixture.at("2025-01-01T00:00:00Z"))
        try await runtime.ingest(Self.tag("e1", "c-1", at: "2025-01-01T01:00:00Z"))
        #expect(await runtime.waiting == Engine.Waiting(count: 1, nextWakeUp: Fixture.at("2025-01-01T06:00:00Z")))
        #expect(await runtime.nextWakeUp == Fixture.at("2025-01-01T06:00:00Z"))
        _ = await runtime.advance(to: Fixture.at("2025-01-01T06:00:00Z"))
        #expect(await runtime.waiting.count == 0)
    }
}
