import Foundation
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Driving one enrollment (Docs/engine.md, "Driving one enrollment"): `start`, `signal`, `move` and
/// `exit`, the internal event type `dunning.attempt_due`, `payment.adviceCode`, and the internal
/// `retry-charge` of `dunning.` workflows (issue 14, item 7).
@Suite("Engine: driving one enrollment (start, signal, move, exit)")
struct EngineSignalsTests {
    static let start = "2025-03-01T00:00:00Z"

    static func waitFor(_ id: String, _ type: EventType, days: Int, onTimeout: [Step] = []) -> Step {
        Step(id: id, .wait(.untilEvent(type, filters: [], timeout: Delay(days: days), onTimeout: onTimeout)))
    }

    static func schedule(_ id: String = "dunning.p") -> Workflow {
        Workflow(
            id: id, name: "Dunning: p", priority: 10, triggers: [],
            steps: [
                waitFor("attempt-2-due", .dunningAttemptDue, days: 10, onTimeout: [Fixture.tag("timed-out", "tag-timed-out")]),
                Step(id: "attempt-2", .action(.retryCharge)),
                waitFor("attempt-2-outcome", .autochargeFailed, days: 10),
                Step(id: "attempt-2-decline", .call(workflowID: "\(id).decline")),
                waitFor("final-due", .dunningAttemptDue, days: 10),
                Step(id: "final", .exit),
                Step(id: "recovered", .goal(Goal(name: "payment recovered", event: .autochargeRecovered))),
            ],
            settings: WorkflowSettings(allowReentry: true, accountTimezone: "UTC"))
    }

    static func decline(_ id: String = "dunning.p.decline") -> Workflow {
        Workflow(
            id: id, name: "decline", priority: 10, triggers: [],
            steps: [
                Step(
                    id: "decline-class",
                    .branch(
                        [
                            Branch(
                                name: "hard", when: .field("payment.declineCode", .equals, .text("lost_card")),
                                steps: [waitFor("hard-wait-for-card", .paymentMethodUpdated, days: 2)]),
                            Branch(name: "advice", when: .field("payment.adviceCode", .equals, .text("03")), steps: [Fixture.tag("advice", "tag-advice-03")]),
                        ], otherwise: [Fixture.tag("soft", "tag-soft")]))
            ],
            settings: WorkflowSettings(accountTimezone: "UTC"))
    }

    /// An engine over the schedule and its decline workflow (plus `extra`), with contacts c-1, c-2.
    static func engine(_ extra: [Workflow] = [], effects: RecordingEffectSink = RecordingEffectSink(), store: InMemoryEnrollmentStore = InMemoryEnrollmentStore())
        throws -> Engine
    {
        let contacts = InMemoryContactDirectory()
        for id in ["c-1", "c-2"] { contacts.save(Contact(id: id, createdAt: Fixture.at(start))) }
        return try Engine(
            workflows: [schedule(), decline()] + extra, start: Fixture.at(start), ports: Engine.Ports(contacts: contacts, effects: effects, store: store))
    }

    static func failure(_ id: String, at time: String = start, decline: String = "insufficient_funds", advice: String? = nil) -> Event {
        Fixture.event(id, .autochargeFailed, at: time) {
            $0.order = Order(id: "o-1", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: "plan-1"))], gateway: "stripe")
            $0.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: decline, invoice: "inv-1", adviceCode: advice)
            $0.autocharge = Autocharge(attempt: 1, invoice: "inv-1")
        }
    }

    static func due(_ id: String, at time: String = start) -> Event {
        Fixture.event(id, .dunningAttemptDue, at: time) { $0.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: "inv-1") }
    }

    /// Where an enrollment waits: its top frame's workflow and the wait step, by the store.
    static func place(_ engine: Engine, _ store: InMemoryEnrollmentStore, _ id: String) -> String? {
        guard let enrollment = store.enrollment(id: id), case .waiting = enrollment.state, let frame = enrollment.frames.last else { return nil }
        let workflow = engine.workflows.first { $0.id == frame.workflowID }!
        return "\(frame.workflowID):\(StepLocator(workflow).stepID(atPosition: frame.position) ?? "?")"
    }

    @Test("start enrolls by workflow id with the event given, runs to the first wait; records' cause is the event's id")
    func startWaits() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let first = Self.failure("f-1")
        let (id, records) = try engine.start(workflowID: "dunning.p", contactID: "c-1", event: first)
        let enrollmentID = try #require(id)
        #expect(records.map(\.status) == [.entered, .waiting])
        #expect(records.allSatisfy { $0.cause == "f-1" })
        #expect(Self.place(engine, store, enrollmentID) == "dunning.p:attempt-2-due")
        #expect(store.enrollment(id: enrollmentID)?.event == first)
        #expect(throws: EngineError.self) { try engine.start(workflowID: "nope", contactID: "c-1", event: first) }
        #expect(throws: EngineError.self) { try engine.start(workflowID: "dunning.p", contactID: "c-9", event: first) }
    }

    @Test("start of a workflow that keeps the contact out: nil id, a not-entered record")
    func startNotEntered() throws {
        var once = Self.schedule("dunning.once")
        once.settings.allowReentry = false
        var onceDecline = Self.decline("dunning.once.decline")
        onceDecline.id = "dunning.once.decline"
        let engine = try Self.engine([once, onceDecline])
        #expect(try engine.start(workflowID: "dunning.once", contactID: "c-1", event: Self.failure("f-1")).enrollmentID != nil)
        let (id, records) = try engine.start(workflowID: "dunning.once", contactID: "c-1", event: Self.failure("f-2"))
        #expect(id == nil)
        #expect(records.map(\.status) == [.notEntered])
    }

    @Test("A signal resumes only the enrollment named: two of one contact in one workflow, one signalled")
    func signalResumesOne() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let one = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let two = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-2")).enrollmentID)
        let records = engine.signal(Self.due("due-2"), enrollmentID: two)
        #expect(records.allSatisfy { $0.enrollmentID == two && $0.cause == "due-2" })
        #expect(records.map(\.status) == [.resumed, .completed, .waiting])
        #expect(Self.place(engine, store, one) == "dunning.p:attempt-2-due")
        #expect(Self.place(engine, store, two) == "dunning.p:attempt-2-outcome")
        // An internal signal leaves the enrollment's event as it was (it always reads back as an
        // events-format event); any other signal's event becomes the enrollment's.
        #expect(store.enrollment(id: two)?.event?.id == "f-2")
        #expect(store.enrollment(id: one)?.event?.id == "f-1")
        _ = engine.signal(Self.failure("declined-2", decline: "do_not_honor"), enrollmentID: two)
        #expect(store.enrollment(id: two)?.event?.id == "declined-2")
    }

    @Test("An event the engine ingests moves no dunning. enrollment: neither its wait nor its goal; a signal does")
    func ingestLeavesSignalOnlyAlone() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        _ = engine.signal(Self.due("due-1"), enrollmentID: id)
        #expect(Self.place(engine, store, id) == "dunning.p:attempt-2-outcome")
        // A failure about the contact (maybe another invoice) does not resume the outcome wait...
        try engine.ingest(Self.failure("other-failure", at: "2025-03-01T01:00:00Z"))
        #expect(Self.place(engine, store, id) == "dunning.p:attempt-2-outcome")
        // ... and a recovery does not reach the goal.
        let recovered = Fixture.event("other-recovered", .autochargeRecovered, at: "2025-03-01T02:00:00Z") {
            $0.order = Order(id: "o-1", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: "plan-1"))], chargeMode: .card, gateway: "stripe")
            $0.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: "inv-9")
            $0.autocharge = Autocharge(attempt: 2, invoice: "inv-9")
        }
        try engine.ingest(recovered)
        #expect(store.enrollment(id: id)?.isRunning == true)
        _ = engine.signal(Self.failure("declined-2", at: "2025-03-01T03:00:00Z", decline: "do_not_honor"), enrollmentID: id)
        #expect(Self.place(engine, store, id) == "dunning.p:final-due")
    }

    @Test("A signal of a type the enrollment does not wait for: one skipped record, nothing moves")
    func signalWrongType() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let before = store.enrollment(id: id)
        let updated = Fixture.event("card-1", .paymentMethodUpdated, at: Self.start) { $0.card = Card(id: "card", expires: "2030-01") }
        let records = engine.signal(updated, enrollmentID: id)
        #expect(records.count == 1)
        #expect(records.first?.status == .skipped)
        #expect(records.first?.message.contains("attempt-2-due") == true)
        #expect(store.enrollment(id: id) == before)
        #expect(store.enrollment(id: id)?.event?.id == "f-1")
        // Unknown and ended enrollments: one skipped record each.
        #expect(engine.signal(Self.due("d"), enrollmentID: "e-404").map(\.status) == [.skipped])
        _ = engine.exit(enrollmentID: id, reason: "paid")
        let ended = engine.signal(Self.due("d2"), enrollmentID: id)
        #expect(ended.map(\.status) == [.skipped])
        #expect(ended.first?.message.contains("ended") == true)
    }

    @Test("A signal reaches the goal: skips to it and the enrollment finishes")
    func signalGoal() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let recovered = Fixture.event("r-1", .autochargeRecovered, at: Self.start) {
            $0.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: "inv-1")
            $0.autocharge = Autocharge(attempt: 2, invoice: "inv-1")
        }
        let records = engine.signal(recovered, enrollmentID: id)
        #expect(records.map(\.status) == [.goal, .finished])
        #expect(records.first?.stepID == "recovered")
        #expect(store.enrollment(id: id)?.state == .finished)
        #expect(store.enrollment(id: id)?.event?.id == "r-1")
    }

    @Test("The resumed enrollment's branches test the signal's event: payment.declineCode and payment.adviceCode")
    func branchTestsSignal() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        var ids: [String] = []
        for (decline, advice) in [("lost_card", nil), ("do_not_honor", "03"), ("do_not_honor", nil)] as [(String, String?)] {
            // The enrollment starts with a soft failure: only the signal's event says otherwise.
            let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-\(ids.count)")).enrollmentID)
            _ = engine.signal(Self.due("due-\(ids.count)"), enrollmentID: id)
            let records = engine.signal(Self.failure("o-\(ids.count)", decline: decline, advice: advice), enrollmentID: id)
            let branch = records.first { $0.stepID == "decline-class" }
            #expect(branch?.workflowID == "dunning.p.decline")
            ids.append(id)
            #expect(store.enrollment(id: id)?.event?.payment?.adviceCode == advice)
        }
        #expect(Self.place(engine, store, ids[0]) == "dunning.p.decline:hard-wait-for-card")
        #expect(Self.place(engine, store, ids[1]) == "dunning.p:final-due")
        #expect(Self.place(engine, store, ids[2]) == "dunning.p:final-due")
        let records = engine.log.filter { $0.stepID == "advice" || $0.stepID == "soft" }
        #expect(records.map(\.enrollmentID) == [ids[1], ids[2]])
        #expect(records.map(\.stepID) == ["advice", "soft"])
    }

    @Test("move from inside a called workflow's wait to a top-level step: frames reset, the old timeout never fires")
    func moveFromCall() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        _ = engine.signal(Self.due("due-1"), enrollmentID: id)
        _ = engine.signal(Self.failure("o-1", decline: "lost_card"), enrollmentID: id)
        #expect(Self.place(engine, store, id) == "dunning.p.decline:hard-wait-for-card")
        // Its wait for a card times out on 2025-03-03; move it on 2025-03-02.
        engine.advance(to: Fixture.at("2025-03-02T00:00:00Z"))
        let records = try engine.move(enrollmentID: id, toStep: "final-due", reason: "card updated")
        #expect(records.map(\.status) == [.resumed, .waiting])
        #expect(records.first?.message == "moved to final-due: card updated")
        #expect(records.allSatisfy { $0.cause == "move:\(id)" })
        #expect(store.enrollment(id: id)?.frames.count == 1)
        #expect(Self.place(engine, store, id) == "dunning.p:final-due")
        #expect(store.enrollment(id: id)?.event?.id == "o-1")
        #expect(engine.nextWakeUp == Fixture.at("2025-03-12T00:00:00Z"))
        #expect(engine.advance(to: Fixture.at("2025-03-04T00:00:00Z")).isEmpty)
        #expect(Self.place(engine, store, id) == "dunning.p:final-due")
        // Moving to a step that runs on: attempt-2 charges, then waits for the outcome.
        let again = try engine.move(enrollmentID: id, toStep: "attempt-2", reason: "retry now")
        #expect(again.map(\.status) == [.resumed, .completed, .waiting])
        #expect(Self.place(engine, store, id) == "dunning.p:attempt-2-outcome")
    }

    @Test("move refuses an unknown enrollment, an unknown step, a nested step and an ended enrollment: invalid-enrollment, nothing recorded")
    func moveRefused() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let logged = engine.log.count
        for (enrollment, step) in [("e-404", "final"), (id, "nope"), (id, "timed-out"), (id, "decline-class")] {
            let error = #expect(throws: EngineError.self) { try engine.move(enrollmentID: enrollment, toStep: step, reason: "r") }
            #expect(error?.code == .invalidEnrollment)
        }
        #expect(engine.log.count == logged)
        #expect(Self.place(engine, store, id) == "dunning.p:attempt-2-due")
        _ = engine.exit(enrollmentID: id, reason: "done")
        let error = #expect(throws: EngineError.self) { try engine.move(enrollmentID: id, toStep: "final", reason: "r") }
        #expect(error?.code == .invalidEnrollment)
    }

    @Test("exit ends a waiting enrollment with its reason; its timeout never fires; not running: no record")
    func exitEnds() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let records = engine.exit(enrollmentID: id, reason: "paid elsewhere")
        #expect(records.map(\.status) == [.exited])
        #expect(records.first?.message == "attempt-2-due: exited: paid elsewhere")
        #expect(records.first?.stepID == "attempt-2-due")
        #expect(store.enrollment(id: id)?.state == .exited)
        #expect(engine.nextWakeUp == nil)
        #expect(engine.advance(to: Fixture.at("2025-04-01T00:00:00Z")).isEmpty)
        #expect(engine.exit(enrollmentID: id, reason: "again").isEmpty)
        #expect(engine.exit(enrollmentID: "e-404", reason: "none").isEmpty)
    }

    @Test("Without a signal the wait times out as any event wait does")
    func timeoutStillWorks() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let records = engine.advance(to: Fixture.at("2025-03-11T00:00:00Z"))
        #expect(records.contains { $0.stepID == "timed-out" && $0.enrollmentID == id })
    }

    @Test("An internal event type ingested is refused (invalid-event) and resumes nothing: it is not an event of the events format")
    func ingestInternalRefused() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let error = #expect(throws: EngineError.self) { try engine.ingest(Self.due("due-x", at: "2025-03-01T01:00:00Z")) }
        #expect(error?.code == .invalidEvent)
        #expect(Self.place(engine, store, id) == "dunning.p:attempt-2-due")
    }

    @Test("retry-charge in a dunning. workflow (and one it calls) is internal: no outbox row, the record shows the invoice; elsewhere external")
    func retryChargeInternal() throws {
        let effects = RecordingEffectSink()
        let caller = Workflow(
            id: "dunning.q", name: "q", priority: 10, triggers: [], steps: [Step(id: "call", .call(workflowID: "dunning.q.charge"))],
            settings: WorkflowSettings(accountTimezone: "UTC"))
        let called = Workflow(
            id: "dunning.q.charge", name: "q", priority: 10, triggers: [], steps: [Step(id: "charge", .action(.retryCharge))],
            settings: WorkflowSettings(accountTimezone: "UTC"))
        let ordinary = Fixture.workflow("retry", on: .autochargeFailed, steps: [Step(id: "charge", .action(.retryCharge))], zone: "UTC")
        let engine = try Self.engine([caller, called, ordinary], effects: effects)
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: Self.failure("f-1")).enrollmentID)
        let records = engine.signal(Self.due("due-1"), enrollmentID: id)
        let charge = try #require(records.first { $0.stepID == "attempt-2" })
        #expect(charge.effect?.kind == "retry-charge")
        #expect(charge.effect?.isExternal == false)
        #expect(charge.effect?.idempotencyKey == nil)
        #expect(charge.effect?.details == .object(["invoice": .string("inv-1")]))
        let inCall = try engine.start(workflowID: "dunning.q", contactID: "c-1", event: Self.failure("f-2")).records.first { $0.stepID == "charge" }
        #expect(inCall?.effect?.isExternal == false)
        #expect(inCall?.workflowID == "dunning.q.charge")
        #expect(effects.effects.allSatisfy { !$0.isExternal })
        let triggered = try engine.ingest(Self.failure("f-3", at: "2025-03-01T00:00:01Z"))
        let external = try #require(triggered.first { $0.workflowID == "retry" && $0.stepID == "charge" })
        #expect(external.effect?.isExternal == true)
        #expect(external.effect?.idempotencyKey != nil)
        #expect(effects.effects.filter(\.isExternal).count == 1)
    }

    @Test("Internal event types: a trigger on one is refused; a wait for one only in a dunning. workflow (decoder and engine)")
    func internalTypeChecks() throws {
        #expect(EventType.internalTypes == [.dunningAttemptDue])
        #expect(!EventType.all.contains(.dunningAttemptDue))
        let trigger = Fixture.workflow("dunning.t", on: .dunningAttemptDue, steps: [Fixture.tag("a", "tag-a")], zone: "UTC")
        let engineError = #expect(throws: EngineError.self) { try Engine(workflows: [trigger], start: Fixture.at(Self.start)) }
        #expect(engineError?.code == .invalidWorkflow)
        #expect(engineError?.message.contains("internal") == true)
        #expect(engineError?.jsonPath?.description == "$.triggers[0].event")
        let decodeError = #expect(throws: JSONError.self) { try Workflow(json: trigger.json) }
        #expect(decodeError?.message.contains("internal event type") == true)
        #expect(decodeError?.path.description == "$.triggers[0].event")

        let waits = Fixture.workflow("waits", steps: [Self.waitFor("w", .dunningAttemptDue, days: 1)], zone: "UTC")
        let waitError = #expect(throws: EngineError.self) { try Engine(workflows: [waits], start: Fixture.at(Self.start)) }
        #expect(waitError?.message.contains("dunning.") == true)
        let waitDecode = #expect(throws: JSONError.self) { try Workflow(json: waits.json) }
        #expect(waitDecode?.path.description == "$.steps[0].wait.event")
        #expect(waitDecode?.message.contains("internal event type") == true)

        var nested = Self.schedule("dunning.x")
        nested.id = "other"
        #expect(throws: JSONError.self) { try Workflow(json: nested.json) }

        let goal = Workflow(
            id: "dunning.g", name: "g", priority: 10, triggers: [], steps: [Step(id: "g", .goal(Goal(name: "g", event: .dunningAttemptDue)))],
            settings: WorkflowSettings(accountTimezone: "UTC"))
        #expect(throws: EngineError.self) { try Engine(workflows: [goal], start: Fixture.at(Self.start)) }
        #expect(throws: JSONError.self) { try Workflow(json: goal.json) }

        // A dunning. workflow waiting for it reads back from its file form.
        for workflow in [Self.schedule(), Self.decline()] {
            #expect(try Workflow(json: workflow.json) == workflow)
        }
    }

    @Test("An events file line of type dunning.attempt_due is refused at $.type")
    func eventsFileRefusesInternal() throws {
        let line = #"{"id":"d-1","type":"dunning.attempt_due","occurredAt":"2025-03-01T00:00:00Z","contact":{"id":"c-1"}}"#
        let error = #expect(throws: JSONError.self) { try Event.load(Array(line.utf8)) }
        #expect(error?.path.description == "$.type")
        #expect(error?.message.contains("unknown event type") == true)
    }

    @Test("An enrollment started with a dunning.attempt_due event (payment with an advice code) round-trips through its JSON")
    func enrollmentJSONKeepsInternalEvent() throws {
        let store = InMemoryEnrollmentStore()
        let engine = try Self.engine(store: store)
        let due = Fixture.event("due-1", .dunningAttemptDue, at: Self.start) {
            $0.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: "do_not_honor", invoice: "inv-1", adviceCode: "24")
            $0.autocharge = Autocharge(attempt: 1, invoice: "inv-1")
            $0.subscription = SubscriptionReference(id: "sub-1", plan: "plan-1")
        }
        // A signal of an internal type leaves the enrollment's event; one started with it keeps it.
        let id = try #require(try engine.start(workflowID: "dunning.p", contactID: "c-1", event: due).enrollmentID)
        let stored = try #require(store.enrollment(id: id))
        #expect(stored.event == due)
        let read = try Enrollment(json: JSONValue.parse(stored.compactJSONText))
        #expect(read == stored)
        #expect(read.event == due)
        // A type that is neither v1 nor internal is still refused in an enrollment.
        let bad = stored.compactJSONText.replacingOccurrences(of: "dunning.attempt_due", with: "dunning.other")
        #expect(throws: JSONError.self) { try Enrollment(json: JSONValue.parse(bad)) }
    }

    @Test("payment.adviceCode is a field: text on a failed payment that carries one, missing otherwise")
    func adviceCodeField() {
        #expect(Condition.isKnownField("payment.adviceCode"))
        let with = Self.failure("f", advice: "24")
        #expect(with.field("payment.adviceCode", in: FieldContext()) == .text("24"))
        #expect(Self.failure("f").field("payment.adviceCode", in: FieldContext()) == nil)
    }
}
