import PropertyBased
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// `Enrollment.json` / `Enrollment(json:at:)`: what a durable store keeps of a run reads back equal,
/// every member, every state (Docs/engine.md, "Enrollments as JSON").
@Suite("Enrollment JSON: every member and every state round trips")
struct EnrollmentJSONTests {
    /// Reads an enrollment back from its compact text, as a store would.
    static func roundTrip(_ enrollment: Enrollment) throws -> Enrollment {
        try Enrollment(json: JSONValue.parse(Array(enrollment.json.compactText.utf8)))
    }

    /// An enrollment the engine made (a waiting one, with its event and order), to vary.
    static func made() throws -> Enrollment {
        let store = InMemoryEnrollmentStore()
        let workflow = Fixture.workflow(
            "w", on: .orderSubmitted,
            steps: [Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))), Fixture.tag("t", "done")], zone: "UTC"
        ) { $0.onePerOrder = true }
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-01-01T00:00:00Z"), ports: Engine.Ports(store: store))
        var order = Fixture.event("e-order", .orderSubmitted, at: "2025-01-01T10:00:00+02:00")
        order.order = Order(id: "o-1", source: .cart, lines: [.init(item: .product(id: "p-1", priceOption: nil))])
        try engine.ingest(order)
        return try #require(store.all.first)
    }

    static let condition = Condition.field("contact.tags", .contains, .text("vip"), id: "c1")
    static let states: [Enrollment.State] = [
        .active, .finished, .exited,
        .waiting(.time, wakeAt: Fixture.at("2025-01-02T00:00:00Z"), timeout: nil),
        .waiting(.window, wakeAt: Fixture.at("2025-01-02T09:00:00Z"), timeout: nil),
        .waiting(.event(.emailOpened, [Condition.field("email.message", .equals, .text("m"))]), wakeAt: Fixture.at("9999-12-31T23:59:59.999Z"), timeout: 7),
        .waiting(.event(.tagAdded, []), wakeAt: nil, timeout: nil),
        .waiting(.condition(condition), wakeAt: Fixture.at("0001-01-01T00:00:00Z"), timeout: 0),
        .waiting(
            .condition(Condition(.any([condition, Condition(.not(.field("payment.amount", .greaterThan, .integer(-5)))), .field("order.products", .in, .list(["a", "b"]))]))),
            wakeAt: nil, timeout: 3),
    ]

    @Test("Every state kind, with and without event, order, versions and nested frames", arguments: 0..<states.count)
    func everyState(index: Int) throws {
        let base = try Self.made()
        #expect(base.event != nil && base.orderID == "o-1" && base.holdsOrder)
        var variants = [base]
        var bare = base
        bare.event = nil
        bare.orderID = nil
        bare.holdsOrder = false
        bare.chain = 16
        bare.performed = 123
        bare.frames = [
            Enrollment.Frame(workflowID: "w", version: 3, position: 1), Enrollment.Frame(workflowID: "called", position: 0),
            Enrollment.Frame(workflowID: "x\u{7}y", version: -2, position: -1),
        ]
        variants.append(bare)
        var ended = base
        ended.frames = []
        variants.append(ended)
        for var enrollment in variants {
            enrollment.state = Self.states[index]
            let back = try Self.roundTrip(enrollment)
            #expect(back == enrollment)
            #expect(back.event == enrollment.event)
            #expect(back.frames.map(\.version) == enrollment.frames.map(\.version))
            #expect(back.json == enrollment.json)
            #expect(back.wakeAt == enrollment.wakeAt)
        }
    }

    @Test("Frames the engine makes carry their program's version; the JSON keeps it")
    func engineFramesCarryVersion() throws {
        let enrollment = try Self.made()
        #expect(enrollment.frames.map(\.version) == [1])
        #expect(enrollment.json.compactText.contains(#""frames":[{"position":1,"version":1,"workflowID":"w"}]"#))
        #expect(enrollment.wakeAt == Fixture.at("2025-01-02T08:00:00Z"))
    }

    @Test("wakeAt is the waiting state's, nil otherwise")
    func wakeAt() throws {
        var enrollment = try Self.made()
        for state in Self.states {
            enrollment.state = state
            if case .waiting(_, let at, _) = state { #expect(enrollment.wakeAt == at) } else { #expect(enrollment.wakeAt == nil) }
        }
    }

    @Test("The id of the event a checkout makes for its new buyer (its id + /contact.created) reads back")
    func longEventID() throws {
        var enrollment = try Self.made()
        var event = try #require(enrollment.event)
        event.id = String(repeating: "a", count: 200) + "/contact.created"
        enrollment.event = event
        #expect(try Self.roundTrip(enrollment) == enrollment)
        event.id += "x"
        enrollment.event = event
        #expect(throws: JSONError.self) { try Self.roundTrip(enrollment) }
    }

    @Test("Malformed JSON is refused with the JSON path", arguments: [
        (#"{"frames":[],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"kind":"active"},"version":1,"workflowID":"w"}"#, "$", "missing-member"),
        (#"{"chain":-1,"contactID":"c","frames":[],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"kind":"active"},"version":1,"workflowID":"w"}"#, "$.chain", "invalid-value"),
        (#"{"chain":0,"contactID":"c","frames":[{"position":"1","workflowID":"w"}],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"kind":"active"},"version":1,"workflowID":"w"}"#, "$.frames[0].position", "wrong-type"),
        (#"{"chain":0,"contactID":"c","frames":[],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"kind":"sleeping"},"version":1,"workflowID":"w"}"#, "$.state.kind", "invalid-value"),
        (#"{"chain":0,"contactID":"c","frames":[],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"for":"condition","condition":{"field":"x","op":"nope"},"kind":"waiting"},"version":1,"workflowID":"w"}"#, "$.state.condition.op", "invalid-value"),
        (#"{"chain":0,"contactID":"c","event":{"id":"x","type":"tag.added"},"frames":[],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"kind":"active"},"version":1,"workflowID":"w"}"#, "$.event", "missing-member"),
        (#"{"chain":0,"contactID":"c","frames":[],"holdsOrder":false,"id":"e-1","performed":0,"startedAt":"2025-01-01T00:00:00Z","state":{"kind":"active"},"version":1,"workflowID":"w","extra":1}"#, "$.extra", "unknown-member"),
    ])
    func malformed(text: String, path: String, code: String) throws {
        let error = #expect(throws: JSONError.self) { try Enrollment(json: JSONValue.parse(Array(text.utf8))) }
        #expect(error?.path.description == path, "\(String(describing: error))")
        #expect(error?.code.rawValue == code)
    }

    @Test("Property: every enrollment random workflows leave in the store round trips")
    func randomWorkflowsRoundTrip() async {
        let input = Gen.int(in: 0...1_000_000).array(of: 0...120)
        await propertyCheck(count: 60, input: input) { values in
            guard let (engine, enrollments) = Self.leftByRandomWorkflows(values) else { return }
            for enrollment in enrollments {
                let back = try? Self.roundTrip(enrollment)
                #expect(back == enrollment, "\(enrollment.json.compactText)")
                #expect(back?.json == enrollment.json)
                // And the engine accepts what it made (ended ones have no frame left, or stand where they ended).
                if enrollment.isRunning { #expect(throws: Never.self) { try engine.check(enrollment) } }
            }
        }
    }

    /// The engine random workflows (`RandomWorkflowPropertyTests`) make from `values`, and every
    /// enrollment a tag and an email opened an hour later leave in its store; `nil` (an issue
    /// recorded) when the engine refuses the workflows.
    static func leftByRandomWorkflows(_ values: [Int]) -> (Engine, [Enrollment])? {
        var choices = RandomWorkflowPropertyTests.Choices(values: values)
        let workflows = RandomWorkflowPropertyTests.workflows(&choices)
        let store = InMemoryEnrollmentStore()
        let start = Fixture.at("2025-03-01T10:00:00Z")
        guard let engine = try? Engine(workflows: workflows, start: start, options: Engine.Options(workBudget: 300, advanceBudget: RandomWorkflowPropertyTests.advanceBudget), ports: Engine.Ports(store: store)) else {
            Issue.record("the engine refused the workflows")
            return nil
        }
        var event = Event(id: "e1", type: .tagAdded, occurredAt: start, contact: ContactReference(id: "c-1"))
        event.tag = "t1"
        event.contact.fields = ["_Date": "2025-03-02"]
        _ = try? engine.ingest(event)
        var opened = Event(id: "e2", type: .emailOpened, occurredAt: start.adding(seconds: 3600), contact: ContactReference(id: "c-1"))
        opened.email = EmailReference(message: "m")
        _ = try? engine.ingest(opened)
        return (engine, store.all)
    }
}
