import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Several versions per workflow (Docs/engine.md, "Versions"): enrollments stay on the version they
/// started on; triggers, calls and enroll steps use the current one.
@Suite("Engine versions: enrollments keep their version across a publish")
struct EngineVersionTests {
    static let start = Fixture.at("2025-01-01T00:00:00Z")

    /// Version `number` of workflow `w`: waits a day, then tags `v<number>-done` (and `v<number>-more` from version 2).
    static func welcome(_ number: Int) -> Workflow {
        var steps = [
            Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))), Fixture.tag("done", "v\(number)-done"),
        ]
        if number > 1 { steps.insert(Fixture.tag("more", "v\(number)-more"), at: 0) }
        var workflow = Fixture.workflow("w", steps: steps, zone: "UTC")
        workflow.version = number
        return workflow
    }

    static func tagged(_ id: String, _ contact: String, at time: String) -> Event {
        Fixture.event(id, .tagAdded, at: time, contact: contact) { $0.tag = "go" }
    }

    /// A new store holding the enrollments of `store`, each written to JSON text and read back
    /// (enrollment ids continue after theirs).
    static func reloaded(_ store: InMemoryEnrollmentStore) throws -> InMemoryEnrollmentStore {
        let copy = InMemoryEnrollmentStore()
        for enrollment in store.all {
            copy.save(try Enrollment(json: JSONValue.parse(Array(enrollment.json.compactText.utf8))))
            _ = copy.newEnrollmentID()
        }
        return copy
    }

    @Test("A waiting enrollment resumes on version 1's steps while a new trigger enters version 2, both stored and reloaded through JSON")
    func pinned() throws {
        let contacts = InMemoryContactDirectory()
        let first = InMemoryEnrollmentStore()
        let old = try Engine(current: [PublishedWorkflow(Self.welcome(1))], start: Self.start, ports: Engine.Ports(contacts: contacts, store: first))
        try old.ingest(Self.tagged("e1", "c-1", at: "2025-01-01T00:00:00Z"))
        #expect(first.all.map(\.version) == [1])

        // Version 2 is published: a new engine over the reloaded store.
        let second = try Self.reloaded(first)
        let engine = try Engine(
            current: [PublishedWorkflow(Self.welcome(2))], earlier: [PublishedWorkflow(Self.welcome(1))], start: old.now,
            ports: Engine.Ports(contacts: contacts, store: second))
        let entered = try engine.ingest(Self.tagged("e2", "c-2", at: "2025-01-01T06:00:00Z"))
        #expect(entered.map(\.version) == [2, 2, 2])
        #expect(entered.map(\.stepID) == [nil, "more", "wait"])
        #expect(second.all.map(\.version) == [1, 2])
        #expect(second.all.map { $0.frames.map(\.version) } == [[1], [2]])

        // Stored and reloaded again, then a day passes for both.
        let third = try Self.reloaded(second)
        let later = try Engine(
            current: [PublishedWorkflow(Self.welcome(2))], earlier: [PublishedWorkflow(Self.welcome(1))], start: engine.now,
            ports: Engine.Ports(contacts: contacts, store: third))
        let woken = later.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        let done = woken.filter { $0.stepID == "done" }
        #expect(done.map(\.contactID) == ["c-1", "c-2"])
        #expect(done.map(\.version) == [1, 2])
        #expect(contacts.contact(id: "c-1")?.tags.contains("v1-done") == true)
        #expect(contacts.contact(id: "c-1")?.tags.contains("v2-done") == false)
        #expect(contacts.contact(id: "c-2")?.tags == ["v2-more", "v2-done"])
        #expect(woken.filter { $0.status == .finished }.map(\.version) == [1, 2])
        #expect(third.all.map(\.state) == [.finished, .finished])
    }

    @Test("A call from an earlier version runs the callee's current version, and the new frame records it")
    func callsRunCurrent() throws {
        func caller(_ number: Int) -> Workflow {
            var workflow = Fixture.workflow(
                "caller", steps: [
                    Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))), Step(id: "call", .call(workflowID: "callee")),
                ], zone: "UTC")
            workflow.version = number
            return workflow
        }
        func callee(_ number: Int) -> Workflow {
            var workflow = Fixture.workflow(
                "callee", on: .manual,
                steps: [Step(id: "hold", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))), Fixture.tag("t", "callee-v\(number)")],
                zone: "UTC")
            workflow.version = number
            return workflow
        }
        let contacts = InMemoryContactDirectory()
        let store = InMemoryEnrollmentStore()
        let old = try Engine(
            current: [PublishedWorkflow(caller(1)), PublishedWorkflow(callee(1))], start: Self.start, ports: Engine.Ports(contacts: contacts, store: store))
        try old.ingest(Self.tagged("e1", "c-1", at: "2025-01-01T00:00:00Z"))
        let reloaded = try Self.reloaded(store)
        let engine = try Engine(
            current: [PublishedWorkflow(caller(2)), PublishedWorkflow(callee(5))], earlier: [PublishedWorkflow(caller(1)), PublishedWorkflow(callee(1))],
            start: old.now, ports: Engine.Ports(contacts: contacts, store: reloaded))
        let records = engine.advance(to: Fixture.at("2025-01-02T12:00:00Z"))
        #expect(records.first { $0.stepID == "call" }?.version == 1)
        #expect(records.first { $0.stepID == "hold" }?.version == 5)
        let waiting = try #require(reloaded.all.first)
        #expect(waiting.version == 1)
        #expect(waiting.frames.map(\.workflowID) == ["caller", "callee"])
        #expect(waiting.frames.map(\.version) == [1, 5])
        // Through JSON once more, the nested frame keeps version 5.
        let again = try Self.reloaded(reloaded)
        let last = try Engine(
            current: [PublishedWorkflow(caller(2)), PublishedWorkflow(callee(5))], earlier: [PublishedWorkflow(caller(1)), PublishedWorkflow(callee(1))],
            start: engine.now, ports: Engine.Ports(contacts: contacts, store: again))
        let end = last.advance(to: Fixture.at("2025-01-04T00:00:00Z"))
        #expect(end.first { $0.stepID == "t" }?.version == 5)
        #expect(contacts.contact(id: "c-1")?.tags.contains("callee-v5") == true)
        #expect(end.last?.status == .finished && end.last?.version == 1)
    }

    @Test("Each version is given once: a version both current and earlier, or earlier twice, is refused")
    func versionGivenTwice() throws {
        for earlier in [[Self.welcome(1)], [Self.welcome(2), Self.welcome(2)]] {
            let error = #expect(throws: EngineError.self) {
                try Engine(current: [PublishedWorkflow(Self.welcome(1))], earlier: earlier.map { PublishedWorkflow($0) }, start: Self.start)
            }
            #expect(error?.code == .invalidWorkflow)
        }
        let engine = try Engine(current: [PublishedWorkflow(Self.welcome(3))], earlier: [PublishedWorkflow(Self.welcome(2)), PublishedWorkflow(Self.welcome(1))], start: Self.start)
        #expect(engine.earlierWorkflows.map(\.version) == [1, 2])
        #expect(engine.workflows.map(\.version) == [3])
    }

    @Test("Each version renders with the account profile it was published with")
    func ownAccount() throws {
        func noting(_ number: Int) -> Workflow {
            var workflow = Fixture.workflow(
                "w", steps: [
                    Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))),
                    Step(id: "note", .action(.updateField(field: "_Company", value: "{{company.name}}"))),
                ], zone: "UTC")
            workflow.version = number
            return workflow
        }
        let contacts = InMemoryContactDirectory()
        let store = InMemoryEnrollmentStore()
        let before = AccountProfile(company: ["name": "Old Co"])
        let after = AccountProfile(company: ["name": "New Co"])
        let old = try Engine(current: [PublishedWorkflow(noting(1), account: before)], start: Self.start, ports: Engine.Ports(contacts: contacts, store: store))
        try old.ingest(Self.tagged("e1", "c-1", at: "2025-01-01T00:00:00Z"))
        let engine = try Engine(
            current: [PublishedWorkflow(noting(2), account: after)], earlier: [PublishedWorkflow(noting(1), account: before)], start: old.now,
            ports: Engine.Ports(contacts: contacts, store: try Self.reloaded(store)))
        try engine.ingest(Self.tagged("e2", "c-2", at: "2025-01-01T01:00:00Z"))
        engine.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        #expect(contacts.contact(id: "c-1")?.fields["_Company"] == "Old Co")
        #expect(contacts.contact(id: "c-2")?.fields["_Company"] == "New Co")
    }
}
