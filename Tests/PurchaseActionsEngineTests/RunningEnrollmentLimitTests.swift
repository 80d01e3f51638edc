import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Issue 10, work across simulated time: the work budget bounds one event, wake-up or run, but a
/// workflow that waits and then enrolls itself several times grows over time. Running enrollments
/// per contact (in one workflow and in all) and the work of one `advance(to:)` are bounded
/// (Docs/engine.md, "Running enrollments").
@Suite("Engine: running enrollments per contact and the work of one advance are bounded")
struct RunningEnrollmentLimitTests {
    static let start = "2025-01-01T00:00:00Z"

    /// Waits an hour, then enrolls the contact in itself three times: 3^N enrollments after N hours
    /// without a limit.
    static func tripling(_ id: String = "grow") -> Workflow {
        Fixture.workflow(
            id,
            steps: [
                Step(id: "hour", .wait(.delay(Delay(hours: 1), calendarDays: false, at: nil, from: .now))),
                Step(id: "e1", .enroll(workflowID: id)), Step(id: "e2", .enroll(workflowID: id)), Step(id: "e3", .enroll(workflowID: id)),
            ])
    }

    static func running(_ store: InMemoryEnrollmentStore, _ contact: String = "c-1") -> Int { store.runningCount(contactID: contact) }

    @Test("A workflow that waits an hour then enrolls itself three times stays at 100 running enrollments over 90 days")
    func triplingOverNinetyDays() throws {
        let store = InMemoryEnrollmentStore(keepsFinished: false)
        let engine = try Engine(workflows: [Self.tripling()], start: Fixture.at(Self.start), options: Engine.Options(keepsLog: false), ports: Engine.Ports(store: store))
        try engine.ingest(Fixture.event("ev", .tagAdded, at: Self.start) { $0.tag = "x" })
        var refusals = 0
        var most = 0
        for hour in 1...(90 * 24) {
            let records = engine.advance(to: Fixture.at(Self.start).adding(seconds: Int64(hour) * 3600))
            refusals += records.filter { $0.status == .notEntered && $0.message.contains("in grow, the most one contact may have in one workflow") }.count
            most = max(most, Self.running(store))
            #expect(engine.unreachedTarget == nil)
        }
        // Sampled between wake-ups: the one that enrolled has finished by then.
        #expect(most <= Engine.defaultRunningPerWorkflow && most >= Engine.defaultRunningPerWorkflow - 1)
        #expect(refusals > 0)
        #expect(store.all.count <= Engine.defaultRunningPerWorkflow)
    }

    @Test("Exactly 100 running enrollments in one workflow enter; the 101st is not-entered with the reason")
    func perWorkflowOnePast() throws {
        let hold = Fixture.workflow("hold", steps: [Step(id: "wait", .wait(.delay(Delay(days: 30), calendarDays: false, at: nil, from: .now)))])
        let store = InMemoryEnrollmentStore()
        let engine = try Engine(workflows: [hold], start: Fixture.at(Self.start), ports: Engine.Ports(store: store))
        for number in 1...Engine.defaultRunningPerWorkflow {
            let records = try engine.ingest(Fixture.event("ev-\(number)", .tagAdded, at: Self.start) { $0.tag = "x" })
            #expect(records.first?.status == .entered, "\(number)")
        }
        #expect(Self.running(store) == 100)
        let past = try engine.ingest(Fixture.event("ev-101", .tagAdded, at: Self.start) { $0.tag = "x" })
        #expect(past.map(\.status) == [.notEntered])
        #expect(past.first?.message == "hold: not entered: the contact has 100 running enrollments in hold, the most one contact may have in one workflow")
        #expect(Self.running(store) == 100)
        // Another contact is not affected, and one ending makes room again.
        let other = try engine.ingest(Fixture.event("ev-o", .tagAdded, at: Self.start, contact: "c-2") { $0.tag = "x" })
        #expect(other.first?.status == .entered)
        engine.advance(to: Fixture.at(Self.start).adding(seconds: 31 * 86_400))
        #expect(Self.running(store) == 0)
        let again = try engine.ingest(Fixture.event("ev-102", .tagAdded, at: "2025-03-01T00:00:00Z") { $0.tag = "x" })
        #expect(again.first?.status == .entered)
    }

    @Test("Exactly 1,000 running enrollments in all enter; the 1,001st is not-entered with the reason")
    func perContactOnePast() throws {
        // 11 workflows, each taking up to 100: the 1,001st enrollment is refused by the limit in all.
        let workflows = (0..<11).map { index in
            Fixture.workflow("hold-\(index)", steps: [Step(id: "wait", .wait(.delay(Delay(days: 30), calendarDays: false, at: nil, from: .now)))])
        }
        let store = InMemoryEnrollmentStore()
        let engine = try Engine(workflows: workflows, start: Fixture.at(Self.start), options: Engine.Options(keepsLog: false), ports: Engine.Ports(store: store))
        var number = 0
        while Self.running(store) < Engine.defaultRunningPerContact {
            number += 1
            try engine.ingest(Fixture.event("ev-\(number)", .tagAdded, at: Self.start) { $0.tag = "x" })
        }
        #expect(Self.running(store) == 1_000)
        let past = try engine.ingest(Fixture.event("ev-past", .tagAdded, at: Self.start) { $0.tag = "x" })
        let refusals = past.filter { $0.status == .notEntered }
        #expect(refusals.count == 11)
        #expect(refusals.allSatisfy { $0.message.hasSuffix("not entered: the contact has 1000 running enrollments, the most one contact may have") })
        #expect(Self.running(store) == 1_000)
    }

    @Test("A one-per-order workflow with thousands of orders for one contact keeps 100 running")
    func ordersPerContact() throws {
        let follow = Fixture.workflow(
            "follow", on: .orderSubmitted, steps: [Step(id: "wait", .wait(.delay(Delay(days: 7), calendarDays: false, at: nil, from: .now)))]
        ) { $0.onePerOrder = true }
        let store = InMemoryEnrollmentStore(keepsFinished: false)
        let engine = try Engine(workflows: [follow], start: Fixture.at(Self.start), options: Engine.Options(keepsLog: false), ports: Engine.Ports(store: store))
        var refused = 0
        for number in 1...2_000 {
            let records = try engine.ingest(
                Fixture.event("o-\(number)", .orderSubmitted, at: Self.start) { 
                    $0.order = Order(id: "order-\(number)", source: .cart, lines: [Order.Line(item: .product(id: "p", priceOption: nil))])
                })
            refused += records.filter { $0.status == .notEntered }.count
        }
        #expect(Self.running(store) == 100)
        #expect(refused == 1_900)
    }

    @Test("One advance does at most its budget of work: it stops at the last wake-up fired, says so, and the next advance goes on")
    func advanceBudget() throws {
        // 50 contacts each waiting an hour, 5 times in a row: 250 wake-ups.
        let steps = (1...5).map { Step(id: "w\($0)", .wait(.delay(Delay(hours: 1), calendarDays: false, at: nil, from: .now))) }
        let slow = Fixture.workflow("slow", steps: steps)
        let engine = try Engine(workflows: [slow], start: Fixture.at(Self.start), options: Engine.Options(keepsLog: false, advanceBudget: 100))
        for contact in 1...50 { try engine.ingest(Fixture.event("ev-\(contact)", .tagAdded, at: Self.start, contact: "c-\(contact)") { $0.tag = "x" }) }
        let target = Fixture.at("2025-01-02T00:00:00Z")
        var calls = 0
        var finished = 0
        repeat {
            calls += 1
            let records = engine.advance(to: target)
            finished += records.filter { $0.status == .finished }.count
            if engine.unreachedTarget != nil {
                let last = try #require(records.last)
                #expect(last.status == .skipped && last.cause == "advance" && last.message.contains("the most work one advance does (100 steps"))
                #expect(engine.now < target)
                // Each wake-up here is one step (the next wait) plus the wake-up: 50 fire, one hour's.
                #expect(records.filter { $0.status == .resumed }.count == 50)
            }
        } while engine.unreachedTarget != nil && calls < 100
        #expect(calls == 5)
        #expect(finished == 50)
        #expect(engine.now == target)
    }

    @Test("An event whose due wake-ups spend the advance budget does not run and is not seen; given again after advance, it runs")
    func ingestCatchUp() throws {
        let slow = Fixture.workflow("slow", steps: (1...5).map { Step(id: "w\($0)", .wait(.delay(Delay(hours: 1), calendarDays: false, at: nil, from: .now))) })
        let engine = try Engine(workflows: [slow], start: Fixture.at(Self.start), options: Engine.Options(advanceBudget: 100))
        for contact in 1...50 { try engine.ingest(Fixture.event("ev-\(contact)", .tagAdded, at: Self.start, contact: "c-\(contact)") { $0.tag = "x" }) }
        let late = Fixture.event("late", .tagAdded, at: "2025-01-02T00:00:00Z", contact: "c-x") { $0.tag = "x" }
        #expect(throws: EngineError.self) { try engine.ingest(late) }
        do {
            try engine.ingest(late)
        } catch {
            #expect(error.code == .advanceBudgetSpent)
        }
        while engine.unreachedTarget != nil { engine.advance(to: late.occurredAt) }
        let records = try engine.ingest(late)
        #expect(records.first?.status == .entered && records.first?.contactID == "c-x")
    }
}
