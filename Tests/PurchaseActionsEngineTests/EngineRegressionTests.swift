import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// The engine behaviours a review found wrong, each on a small workflow (Docs/engine.md).
@Suite("Engine: steps and rules found wrong in review, now right")
struct EngineRegressionTests {
    static let start = Fixture.at("2025-01-01T00:00:00Z")
    static func tagged(_ id: String, at time: String = "2025-01-01T00:00:00Z", contact: String = "c-1", tag: String = "x") -> Event {
        Fixture.event(id, .tagAdded, at: time, contact: contact) { $0.tag = tag }
    }

    @Test("exit ends the enrollment, so a workflow without re-entry can be entered again")
    func exitEnds() throws {
        let workflow = Fixture.workflow("w", steps: [Fixture.tag("a", "t"), Step(id: "stop", .exit)]) { $0.allowReentry = false }
        let engine = try Engine(workflows: [workflow], start: Self.start)
        try engine.ingest(Self.tagged("e1"))
        let second = try engine.ingest(Self.tagged("e2", at: "2025-01-01T01:00:00Z"))
        #expect(second.map(\.status) == [.entered, .completed, .exited])
    }

    @Test("An enrollment removed by another during one event does not run on")
    func unenrolledStaysEnded() throws {
        let waitOpen = { (id: String) in Step(id: id, .wait(.untilEvent(.emailOpened, filters: [], timeout: Delay(days: 1), onTimeout: []))) }
        let first = Fixture.workflow("a", steps: [waitOpen("a-wait"), Step(id: "a-drop", .unenroll(workflowID: "b"))])
        let second = Fixture.workflow("b", steps: [waitOpen("b-wait"), Fixture.tag("b-done", "b-done")])
        let engine = try Engine(workflows: [first, second], start: Self.start)
        try engine.ingest(Self.tagged("e1"))
        try engine.ingest(Fixture.event("e2", .emailOpened, at: "2025-01-01T01:00:00Z") { $0.email = EmailReference(message: "m") })
        #expect(!engine.log.contains { $0.stepID == "b-done" })
    }

    @Test("Every trigger of a workflow is tested, not only the first found")
    func everyTrigger() throws {
        var workflow = Fixture.workflow("w", on: .paymentSucceeded, steps: [Fixture.tag("a", "t")])
        workflow.triggers = [
            Trigger(id: "t1", event: .paymentSucceeded, filters: [.field("order.products", .contains, .text("p1")), .field("order.source", .equals, .text("manual"))]),
            Trigger(id: "t2", event: .paymentSucceeded, filters: [.field("order.products", .contains, .text("p2"))]),
        ]
        let engine = try Engine(workflows: [workflow], start: Self.start)
        var payment = Fixture.event("e1", .paymentSucceeded, at: "2025-01-01T00:00:00Z")
        payment.order = Order(id: "o1", source: .cart, lines: [.init(item: .product(id: "p1", priceOption: nil)), .init(item: .product(id: "p2", priceOption: nil))])
        payment.payment = Payment(index: 1, amount: 100, currency: "USD")
        let records = try engine.ingest(payment)
        #expect(records.first?.status == .entered)
        #expect(records.first?.why.map { $0.compactText.contains("\"trigger\":\"t2\"") } == true)
    }

    @Test("A workflow two of whose triggers fire is entered once, also behind more than 64 other candidates")
    func enteredOnceAmongMany() throws {
        var workflows = (1...70).map { Fixture.workflow("w" + ($0 < 10 ? "0" : "") + String($0), steps: [Fixture.tag("a\($0)", "t")]) }
        workflows[69].triggers = [Trigger(id: "t1", event: .tagAdded, filters: []), Trigger(id: "t2", event: .tagAdded, filters: [])]
        workflows[0].triggers = workflows[69].triggers
        let engine = try Engine(workflows: workflows, start: Self.start)
        let records = try engine.ingest(Self.tagged("e1"))
        let entered = records.filter { $0.status == .entered }.compactMap(\.workflowID)
        #expect(entered.count == 70)
        #expect(Set(entered).count == 70)
    }

    @Test("The in-memory store numbers enrollments e-1, e-2, ... however many digits")
    func enrollmentIDs() {
        let store = InMemoryEnrollmentStore()
        let ids = (1...12_345).map { _ in store.newEnrollmentID() }
        #expect(ids.prefix(3) == ["e-1", "e-2", "e-3"])
        #expect(ids[9] == "e-10")
        #expect(ids.last == "e-12345")
        #expect(Set(ids).count == ids.count)
    }

    @Test("One-per-order holds each workflow's order apart: another one-per-order workflow still enters")
    func onePerOrderPerWorkflow() throws {
        let first = Fixture.workflow("first", on: .paymentSucceeded, steps: [Fixture.tag("a", "t")]) { $0.onePerOrder = true }
        let second = Fixture.workflow("second", on: .paymentSucceeded, steps: [Fixture.tag("b", "t")]) { $0.onePerOrder = true }
        let engine = try Engine(workflows: [first, second], start: Self.start, ports: Engine.Ports(store: InMemoryEnrollmentStore(keepsFinished: false)))
        var payment = Fixture.event("p1", .paymentSucceeded, at: "2025-01-01T00:00:00Z")
        payment.order = Order(id: "o1", source: .cart, lines: [.init(item: .product(id: "p", priceOption: nil))])
        payment.payment = Payment(index: 1, amount: 100, currency: "USD")
        #expect(try engine.ingest(payment).filter { $0.status == .entered }.count == 2)
        payment.id = "p2"
        #expect(try engine.ingest(payment).map(\.status) == [.notEntered, .notEntered])
    }

    @Test("A product on two lines of one order runs its workflow once (once per distinct product per payment)")
    func productOnTwoLines() throws {
        let workflow = Fixture.workflow(
            "w", on: .paymentSucceeded, filters: [.field("order.products", .contains, .text("p1"))], steps: [Fixture.tag("a", "t")])
        let engine = try Engine(workflows: [workflow], start: Self.start)
        var payment = Fixture.event("e1", .paymentSucceeded, at: "2025-01-01T00:00:00Z")
        payment.order = Order(
            id: "o1", source: .cart,
            lines: [.init(item: .product(id: "p1", priceOption: "small")), .init(item: .product(id: "p2", priceOption: nil)), .init(item: .product(id: "p1", priceOption: "large"))])
        payment.payment = Payment(index: 1, amount: 100, currency: "USD")
        let records = try engine.ingest(payment)
        #expect(records.filter { $0.status == .entered }.count == 1)
        #expect(records.filter { $0.stepID == "a" }.count == 1)
    }

    @Test("A workflow that enrolls itself stops at the chain limit instead of looping")
    func selfEnroll() throws {
        let workflow = Fixture.workflow("w", steps: [Fixture.tag("a", "t"), Step(id: "again", .enroll(workflowID: "w"))])
        let engine = try Engine(workflows: [workflow], start: Self.start)
        let records = try engine.ingest(Self.tagged("e1"))
        #expect(records.filter { $0.status == .entered }.count == Engine.callDepthLimit + 1)
        #expect(records.filter { $0.status == .error }.count == 1)
    }

    @Test("One event achieving two goals ahead jumps to the later one")
    func laterGoalWins() throws {
        let wait = Step(id: "wait", .wait(.delay(Delay(days: 3), calendarDays: false, at: nil, from: .now)))
        let steps = [
            wait, Step(id: "g1", .goal(Goal(name: "g1", event: .emailClicked))), Fixture.tag("mid", "mid"),
            Step(id: "g2", .goal(Goal(name: "g2", event: .emailClicked))), Fixture.tag("end", "end"),
        ]
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: steps)], start: Self.start)
        try engine.ingest(Self.tagged("e1"))
        try engine.ingest(Fixture.event("e2", .emailClicked, at: "2025-01-01T01:00:00Z") { $0.email = EmailReference(message: "m") })
        #expect(!engine.log.contains { $0.stepID == "mid" })
        #expect(engine.log.contains { $0.stepID == "g2" && $0.status == .goal })
    }

    @Test("A condition that holds by the timeout goes on instead of timing out")
    func conditionAtTimeout() throws {
        let wait = Step(
            id: "wait-vip",
            .wait(.untilCondition(.field("contact.tags", .contains, .text("vip")), timeout: Delay(days: 1), onTimeout: [Fixture.tag("late", "late")])))
        let waiting = Fixture.workflow("a", steps: [wait, Fixture.tag("done", "done")])
        let giver = Fixture.workflow("b", on: .emailOpened, steps: [Fixture.tag("give", "vip")])
        let engine = try Engine(workflows: [waiting, giver], start: Self.start)
        try engine.ingest(Self.tagged("e1"))
        try engine.ingest(Fixture.event("e2", .emailOpened, at: "2025-01-01T06:00:00Z") { $0.email = EmailReference(message: "m") })
        engine.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        #expect(!engine.log.contains { $0.stepID == "late" })
        #expect(engine.log.contains { $0.stepID == "done" })
    }

    @Test("A draft workflow is not run by call or enroll")
    func drafts() throws {
        var draft = Fixture.workflow("draft", steps: [Fixture.tag("d", "from-draft")])
        draft.status = .draft
        let caller = Fixture.workflow("w", steps: [Step(id: "c", .call(workflowID: "draft")), Step(id: "e", .enroll(workflowID: "draft"))])
        let engine = try Engine(workflows: [draft, caller], start: Self.start)
        let records = try engine.ingest(Self.tagged("e1"))
        #expect(!records.contains { $0.stepID == "d" })
        #expect(records.filter { $0.status == .error }.count == 2)
    }

    @Test("A re-delivered older event is a duplicate, not an error")
    func redelivered() throws {
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: [Fixture.tag("a", "t")])], start: Self.start)
        try engine.ingest(Self.tagged("e1"))
        try engine.ingest(Self.tagged("e2", at: "2025-01-02T00:00:00Z"))
        #expect(try engine.ingest(Self.tagged("e1")).map(\.status) == [.duplicate])
    }

    @Test("A called workflow's waits read its own timezone setting")
    func calleeTimezone() throws {
        let wait = Step(id: "morning", .wait(.delay(Delay(days: 1), calendarDays: true, at: "08:30", from: .now)))
        var callee = Fixture.workflow("x", steps: [wait, Fixture.tag("x-done", "t")], zone: "Pacific/Auckland")
        callee.triggers = [Trigger(id: "m", event: .manual)]
        let caller = Fixture.workflow("w", steps: [Step(id: "c", .call(workflowID: "x"))], zone: "UTC")
        let engine = try Engine(workflows: [callee, caller], start: Fixture.at("2025-07-01T00:00:00Z"))
        try engine.ingest(Self.tagged("e1", at: "2025-07-01T00:00:00Z"))
        let records = engine.advance(to: Fixture.at("2025-07-05T00:00:00Z"))
        #expect(records.first { $0.stepID == "x-done" }?.at == Fixture.at("2025-07-02T08:30:00+12:00"))
    }

    @Test("A store that lets finished enrollments go still enforces one enrollment per order and re-entry")
    func forgetfulStore() throws {
        let wait = Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now)))
        let perOrder = Fixture.workflow("per-order", on: .paymentSucceeded, steps: [Fixture.tag("a", "t")]) { $0.onePerOrder = true }
        let closed = Fixture.workflow("closed", steps: [wait, Fixture.tag("b", "t")]) { $0.allowReentry = false }
        let store = InMemoryEnrollmentStore(keepsFinished: false)
        let engine = try Engine(workflows: [perOrder, closed], start: Self.start, ports: Engine.Ports(store: store))
        func payment(_ id: String, _ time: String) -> Event {
            var event = Fixture.event(id, .paymentSucceeded, at: time)
            event.order = Order(id: "o1", source: .cart, lines: [.init(item: .product(id: "p", priceOption: nil))])
            event.payment = Payment(index: 1, amount: 100, currency: "USD")
            return event
        }
        try engine.ingest(payment("p1", "2025-01-01T00:00:00Z"))
        #expect(try engine.ingest(payment("p2", "2025-01-01T00:10:00Z")).map(\.status) == [.notEntered])
        try engine.ingest(Self.tagged("e1", at: "2025-01-01T01:00:00Z"))
        #expect(try engine.ingest(Self.tagged("e2", at: "2025-01-01T02:00:00Z")).map(\.status) == [.notEntered])
        engine.advance(to: Fixture.at("2025-01-03T00:00:00Z"))
        #expect(store.all.isEmpty, "finished enrollments are gone")
        #expect(try engine.ingest(Self.tagged("e3", at: "2025-01-03T01:00:00Z")).first?.status == .entered)
    }
}
