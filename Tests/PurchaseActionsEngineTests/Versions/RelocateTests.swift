import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// `Engine.relocate(_:from:to:)`: moving an enrollment to another version by step id
/// (`migrate-enrollments`, Docs/engine.md, "Moving enrollments").
@Suite("Relocate: enrollments move between versions by step id")
struct RelocateTests {
    static let start = Fixture.at("2025-01-01T00:00:00Z")
    static let day = Wait.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now)

    static func version(_ number: Int, _ steps: [Step]) -> Workflow {
        var workflow = Fixture.workflow("w", steps: steps, zone: "UTC")
        workflow.version = number
        return workflow
    }

    /// a, wait `pause`, call `callee`, wait `open` (email opened, or 2 days: tag `late`), tag `end`.
    static let v1 = version(1, [
        Fixture.tag("a", "a"), Step(id: "pause", .wait(day)), Step(id: "call", .call(workflowID: "callee")),
        Step(id: "open", .wait(.untilEvent(.emailOpened, filters: [], timeout: Delay(days: 2), onTimeout: [Fixture.tag("late", "late")]))),
        Fixture.tag("end", "end"),
    ])
    /// Reordered, `call` removed, `open` filtered with a longer timeout branch.
    static let v2 = version(2, [
        Fixture.tag("first", "first"), Fixture.tag("a", "a"),
        Step(id: "open", .wait(.untilEvent(.emailOpened, filters: [.field("email.message", .equals, .text("m2"))], timeout: Delay(days: 2), onTimeout: [
            Fixture.tag("late", "late"), Fixture.tag("later", "later"),
        ]))),
        Step(id: "pause", .wait(day)), Fixture.tag("end", "end-v2"),
    ])
    static let callee = Fixture.workflow("callee", on: .manual, steps: [Step(id: "hold", .wait(day))], zone: "UTC")

    /// The enrollment of `c-1` in v1 after `events`, with the engine and store.
    static func waiting(until time: String? = nil) throws -> (Enrollment, InMemoryContactDirectory) {
        let contacts = InMemoryContactDirectory()
        let store = InMemoryEnrollmentStore()
        let engine = try Engine(workflows: [v1, callee], start: start, ports: Engine.Ports(contacts: contacts, store: store))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "go" })
        if let time { engine.advance(to: Fixture.at(time)) }
        return (try #require(store.all.first), contacts)
    }

    @Test("Waiting at a delay: moves past the same step in the new version, and runs on there")
    func delayMoves() throws {
        let (enrollment, contacts) = try Self.waiting()
        #expect(enrollment.frames.map(\.position) == [2])
        let moved = try Engine.relocate(enrollment, from: Self.v1, to: Self.v2)
        #expect(moved.version == 2)
        #expect(moved.frames == [Enrollment.Frame(workflowID: "w", version: 2, position: 7)])
        #expect(moved.state == enrollment.state)
        let store = InMemoryEnrollmentStore()
        store.save(try Enrollment(json: moved.json))
        _ = store.newEnrollmentID()
        let engine = try Engine(
            current: [PublishedWorkflow(Self.v2), PublishedWorkflow(Self.callee)], earlier: [PublishedWorkflow(Self.v1)], start: Self.start,
            ports: Engine.Ports(contacts: contacts, store: store))
        let records = engine.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        #expect(records.map(\.stepID) == ["pause", "end", nil])
        #expect(records.map(\.version) == [2, 2, 2])
        #expect(contacts.contact(id: "c-1")?.tags.contains("end-v2") == true)
    }

    @Test("Waiting for an event: the new wait's filters and timeout target")
    func eventWaitMoves() throws {
        var (enrollment, _) = try Self.waiting()
        // Put it at `open` of v1 (instructions: a 0, pause 1, call 2, open 3, jump 4, late 5, end 6).
        enrollment.frames = [Enrollment.Frame(workflowID: "w", version: 1, position: 4)]
        enrollment.state = .waiting(.event(.emailOpened, []), wakeAt: Fixture.at("2025-01-05T00:00:00Z"), timeout: 5)
        let moved = try Engine.relocate(enrollment, from: Self.v1, to: Self.v2)
        #expect(moved.frames.map(\.position) == [3])
        guard case .waiting(.event(let type, let filters), let wakeAt, let timeout) = moved.state else {
            Issue.record("not waiting: \(moved.state)")
            return
        }
        #expect(type == .emailOpened)
        #expect(filters == [.field("email.message", .equals, .text("m2"))])
        #expect(wakeAt == Fixture.at("2025-01-05T00:00:00Z"))
        // v2: first 0, a 1, open 2, jump 3, late 4, later 5, pause 6, end 7: the timeout goes to 4.
        #expect(timeout == 4)
        let engine = try Engine(workflows: [Self.v2, Self.callee], start: Self.start)
        #expect(throws: Never.self) { try engine.check(moved) }
    }

    @Test("On a call: nested frames stay as they are; a removed call is step-removed")
    func onCall() throws {
        let (enrollment, _) = try Self.waiting(until: "2025-01-02T00:00:00Z")
        #expect(enrollment.frames.map(\.workflowID) == ["w", "callee"])
        let error = #expect(throws: EngineError.self) { try Engine.relocate(enrollment, from: Self.v1, to: Self.v2) }
        #expect(error?.code == .stepRemoved)
        #expect(error?.message.contains("step 'call'") == true)
        var kept = Self.v2
        kept.steps.insert(Step(id: "call", .call(workflowID: "callee")), at: 0)
        let moved = try Engine.relocate(enrollment, from: Self.v1, to: kept)
        #expect(moved.frames.map(\.position) == [1, enrollment.frames[1].position])
        #expect(moved.frames[1] == enrollment.frames[1])
        #expect(moved.frames.map(\.version) == [2, enrollment.frames[1].version])
    }

    @Test("A waiting step that is no longer a wait is step-removed; so is a step id gone")
    func noLongerAWait() throws {
        let (enrollment, _) = try Self.waiting()
        var changed = Self.v2
        changed.steps[3] = Fixture.tag("pause", "x")
        let error = #expect(throws: EngineError.self) { try Engine.relocate(enrollment, from: Self.v1, to: changed) }
        #expect(error?.code == .stepRemoved)
        changed.steps.remove(at: 3)
        #expect(throws: EngineError.self) { try Engine.relocate(enrollment, from: Self.v1, to: changed) }
    }

    @Test("Not started stays at 0; at the end goes to the end; ended ones only change version")
    func edges() throws {
        var (enrollment, _) = try Self.waiting()
        enrollment.state = .active
        enrollment.frames = [Enrollment.Frame(workflowID: "w", position: 0)]
        #expect(try Engine.relocate(enrollment, from: Self.v1, to: Self.v2).frames.map(\.position) == [0])
        enrollment.frames = [Enrollment.Frame(workflowID: "w", position: 7)]
        let count = try Engine.relocate(enrollment, from: Self.v1, to: Self.v2).frames[0].position
        #expect(count == 8)
        enrollment.state = .finished
        enrollment.frames = []
        let ended = try Engine.relocate(enrollment, from: Self.v1, to: Self.v2)
        #expect(ended.version == 2 && ended.frames.isEmpty)
    }

    @Test("Not on the old version: invalid-enrollment", arguments: [0, 1, 2, 3, 4])
    func notOnOld(index: Int) throws {
        var (enrollment, _) = try Self.waiting()
        var from = Self.v1
        switch index {
        case 0: enrollment.version = 5
        case 1: from.id = "other"
        case 2: enrollment.frames = [Enrollment.Frame(workflowID: "w", position: 99)]
        case 3: enrollment.frames = [Enrollment.Frame(workflowID: "w", position: -1)]
        default: enrollment.frames = [Enrollment.Frame(workflowID: "w", version: 3, position: 2)]
        }
        let error = #expect(throws: EngineError.self) { try Engine.relocate(enrollment, from: from, to: Self.v2) }
        #expect(error?.code == .invalidEnrollment)
    }
}
