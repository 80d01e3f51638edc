import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// A stored enrollment whose place does not exist in the engine (Docs/engine.md, "Invalid
/// enrollments"): `Engine.check` says why, and the engine that meets it writes an `error` record and
/// ends it `exited` — never a read out of bounds (before, a position past the end or below 0 was
/// read through an unchecked pointer).
@Suite("Invalid enrollments: checked, reported and ended, never read out of bounds")
struct InvalidEnrollmentTests {
    static let start = Fixture.at("2025-01-01T00:00:00Z")

    /// `w`: tag `a`, wait a day, tag `b` (instructions 0, 1, 2: a waiting enrollment is at 2).
    static let workflow = Fixture.workflow(
        "w", steps: [Fixture.tag("a", "a"), Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))), Fixture.tag("b", "b")],
        zone: "UTC")
    static let other = Fixture.workflow("other", on: .manual, steps: [Fixture.tag("o", "o")], zone: "UTC")

    /// Makes a waiting enrollment, changes it as `change` says, saves it back, and wakes it.
    static func wake(_ change: (inout Enrollment) -> Void) throws -> (records: [LogRecord], stored: Enrollment?, error: EngineError?) {
        let store = InMemoryEnrollmentStore()
        let engine = try Engine(workflows: [workflow, other], start: start, ports: Engine.Ports(store: store))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "go" })
        var enrollment = try #require(store.all.first)
        #expect(enrollment.frames.map(\.position) == [2])
        #expect(throws: Never.self) { try engine.check(enrollment) }
        change(&enrollment)
        store.save(enrollment)
        var found: EngineError?
        do { try engine.check(enrollment) } catch { found = error }
        let records = engine.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        return (records, store.enrollment(id: enrollment.id), found)
    }

    static let cases: [(String, @Sendable (inout Enrollment) -> Void, String)] = [
        ("unknown workflow", { $0.workflowID = "nope"; $0.frames = [Enrollment.Frame(workflowID: "nope", position: 2)] }, "workflow 'nope' version 1 is not in this engine"),
        ("unknown version", { $0.version = 7; $0.frames = [Enrollment.Frame(workflowID: "w", version: 7, position: 2)] }, "workflow 'w' version 7 is not in this engine"),
        ("frame in an unknown version", { $0.frames = [Enrollment.Frame(workflowID: "w", version: 2, position: 2)] }, "frame 0: workflow 'w' version 2 is not in this engine"),
        ("negative position", { $0.frames = [Enrollment.Frame(workflowID: "w", position: -1)] }, "frame 0: position -1 is outside workflow 'w' version 1 (0 to 3)"),
        ("position far below 0", { $0.frames = [Enrollment.Frame(workflowID: "w", position: Int.min)] }, "is outside workflow 'w'"),
        ("position past the end", { $0.frames = [Enrollment.Frame(workflowID: "w", position: 4)] }, "frame 0: position 4 is outside workflow 'w' version 1 (0 to 3)"),
        ("position far past the end", { $0.frames = [Enrollment.Frame(workflowID: "w", position: Int.max)] }, "is outside workflow 'w'"),
        ("waiting at 0", { $0.frames = [Enrollment.Frame(workflowID: "w", position: 0)] }, "it is waiting, but position 0 of workflow 'w' version 1 is not just past a wait"),
        ("waiting past an action", { $0.frames = [Enrollment.Frame(workflowID: "w", position: 1)] }, "position 1 of workflow 'w' version 1 is not just past a wait"),
        ("waiting at the end", { $0.frames = [Enrollment.Frame(workflowID: "w", position: 3)] }, "position 3 of workflow 'w' version 1 is not just past a wait"),
        ("timeout outside", { $0.state = .waiting(.time, wakeAt: $0.wakeAt, timeout: 9) }, "its timeout goes to position 9"),
        ("no frame", { $0.frames = [] }, "it is running but has no frame"),
        ("too many frames", { $0.frames = Array(repeating: Enrollment.Frame(workflowID: "w", position: 2), count: 18) }, "it has 18 frames"),
        ("nested frame in an unknown workflow", { $0.frames.append(Enrollment.Frame(workflowID: "gone", position: 0)) }, "frame 1: workflow 'gone' any version is not in this engine"),
        ("first frame in another workflow", { $0.frames = [Enrollment.Frame(workflowID: "other", position: 1)] }, "frame 0 is in workflow 'other' version 1, not the enrollment's 'w' version 1"),
    ]

    @Test("Each invalid place: check throws invalid-enrollment; a wake-up writes an error record and ends it exited", arguments: 0..<cases.count)
    func invalid(index: Int) throws {
        let (label, change, reason) = Self.cases[index]
        let (records, stored, error) = try Self.wake(change)
        #expect(error?.code == .invalidEnrollment, "\(label)")
        #expect(error?.message.contains(reason) == true, "\(label): \(error?.message ?? "no error")")
        #expect(records.map(\.status) == [.error, .exited], "\(label): \(records.map(\.message))")
        #expect(records.first?.message.contains("enrollment e-1 cannot run: ") == true)
        #expect(records.first?.message.contains(reason) == true, "\(label): \(records.first?.message ?? "")")
        #expect(records.first?.enrollmentID == "e-1")
        #expect(stored?.state == .exited)
        #expect(!records.contains { $0.stepID == "b" })
    }

    @Test("An event resuming an invalid waiting enrollment ends it the same way")
    func resumedByEvent() throws {
        let waiting = Fixture.workflow(
            "w", steps: [Step(id: "open", .wait(.untilEvent(.emailOpened, filters: [], timeout: Delay(days: 3), onTimeout: []))), Fixture.tag("b", "b")],
            zone: "UTC")
        let store = InMemoryEnrollmentStore()
        let engine = try Engine(workflows: [waiting], start: Self.start, ports: Engine.Ports(store: store))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "go" })
        var enrollment = try #require(store.all.first)
        enrollment.frames = [Enrollment.Frame(workflowID: "w", position: 57)]
        store.save(enrollment)
        let records = try engine.ingest(Fixture.event("e2", .emailOpened, at: "2025-01-01T01:00:00Z") { $0.email = EmailReference(message: "m") })
        #expect(records.map(\.status) == [.error, .exited])
        #expect(store.enrollment(id: enrollment.id)?.state == .exited)
        // Ended, it is not met again.
        #expect(engine.advance(to: Fixture.at("2025-02-01T00:00:00Z")).isEmpty)
    }

    @Test("A valid stored enrollment made by hand (frame by id, version nil) runs on")
    func validByHand() throws {
        let (records, stored, error) = try Self.wake { $0.frames = [Enrollment.Frame(workflowID: "w", position: 2)] }
        #expect(error == nil)
        #expect(records.map(\.stepID) == ["wait", "b", nil])
        #expect(stored?.state == .finished)
    }

    @Test("An ended enrollment with no frame passes the check")
    func endedPasses() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Engine(workflows: [Self.other], start: Self.start, ports: Engine.Ports(store: store))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "go" })
        try engine.run(workflowID: "other", contactID: "c-1")
        let finished = try #require(store.all.first)
        #expect(finished.state == .finished && finished.frames.isEmpty)
        #expect(throws: Never.self) { try engine.check(finished) }
    }
}
