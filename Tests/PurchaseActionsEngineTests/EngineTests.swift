import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

@Suite("Engine: enrollment, steps and the log")
struct EngineTests {
    @Test("The same event id twice runs once")
    func idempotent() throws {
        let effects = RecordingEffectSink()
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: [Fixture.tag("s", "t1")])], start: Fixture.at("2025-01-01T00:00:00Z"), ports: Engine.Ports(effects: effects))
        let event = Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" }
        try engine.ingest(event)
        let second = try engine.ingest(event)
        #expect(effects.effects.count == 1)
        #expect(second.map(\.status) == [.duplicate])
    }

    @Test("Without re-entry a contact already enrolled is not entered again; with it, each event enrolls")
    func reentry() throws {
        let wait = Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now)))
        let closed = Fixture.workflow("closed", steps: [wait, Fixture.tag("s", "t1")]) { $0.allowReentry = false }
        let open = Fixture.workflow("open", steps: [wait, Fixture.tag("s", "t2")])
        let engine = try Engine(workflows: [closed, open], start: Fixture.at("2025-01-01T00:00:00Z"))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        let second = try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T01:00:00Z") { $0.tag = "x" })
        #expect(second.filter { $0.workflowID == "closed" }.map(\.status) == [.notEntered])
        #expect(second.filter { $0.workflowID == "open" }.map(\.status).first == .entered)
    }

    @Test("A calendar-day wait ends on the next date at the given time, across a daylight-saving change")
    func calendarDays() throws {
        // Sydney springs forward on 2025-10-05 at 02:00 → 03:00.
        let wait = Step(id: "next-day", .wait(.delay(Delay(days: 1), calendarDays: true, at: "02:30", from: .now)))
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: [wait, Fixture.tag("s", "t")])], start: Fixture.at("2025-10-04T09:00:00+10:00"))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-10-04T09:00:00+10:00") { $0.tag = "x" })
        let records = engine.advance(to: Fixture.at("2025-10-10T00:00:00Z"))
        let done = try #require(records.first { $0.stepID == "s" })
        // 02:30 does not exist that night: the rule reads it with the offset before the gap, 03:30 AEDT.
        #expect(done.at == Fixture.at("2025-10-05T03:30:00+11:00"))
    }

    @Test("With timezone \"contact\", calendar days and send times follow the contact's zone, else the account's")
    func contactTimezone() throws {
        let wait = Step(id: "morning", .wait(.delay(Delay(days: 1), calendarDays: true, at: "08:30", from: .now)))
        let workflow = Fixture.workflow("w", steps: [wait, Fixture.tag("s", "t")], zone: "Europe/London") { $0.timezone = .contact }
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-07-01T00:00:00Z"))
        var auckland = Fixture.event("e1", .tagAdded, at: "2025-07-01T00:00:00Z", contact: "c-nz") { $0.tag = "x" }
        auckland.contact.timezone = "Pacific/Auckland"
        try engine.ingest(auckland)
        try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-07-01T00:00:00Z", contact: "c-uk") { $0.tag = "x" })
        let records = engine.advance(to: Fixture.at("2025-07-05T00:00:00Z"))
        #expect(records.first { $0.contactID == "c-nz" && $0.stepID == "s" }?.at == Fixture.at("2025-07-02T08:30:00+12:00"))
        #expect(records.first { $0.contactID == "c-uk" && $0.stepID == "s" }?.at == Fixture.at("2025-07-02T08:30:00+01:00"))
    }

    @Test("A message outside the send window is delayed to the next opening, never dropped")
    func sendWindow() throws {
        let email = EmailMessage(to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "Hi", text: "Hello")
        let workflow = Fixture.workflow("w", steps: [Step(id: "mail", .action(.sendEmail(email)))], zone: "America/New_York") {
            $0.sendWindow = SendWindow(days: [.mon, .tue, .wed, .thu, .fri], from: "09:00", to: "17:00")
        }
        let effects = RecordingEffectSink()
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-03-07T22:00:00-05:00"), ports: Engine.Ports(effects: effects))
        // Friday 22:00 in New York: the next opening is Monday 09:00, after the DST change (EDT).
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-03-07T22:00:00-05:00") { $0.tag = "x" })
        #expect(effects.effects.map(\.deliverAt) == [Fixture.at("2025-03-10T09:00:00-04:00")])
        #expect(effects.effects.first?.idempotencyKey == "e-1/1/w:mail")
    }

    @Test("Waits counted from enrollment keep each step on its day")
    func fromEnrollment() throws {
        let day3 = Step(id: "d3", .wait(.delay(Delay(days: 3), calendarDays: true, at: "08:30", from: .enrollment)))
        let day7 = Step(id: "d7", .wait(.delay(Delay(days: 7), calendarDays: true, at: nil, from: .enrollment)))
        let workflow = Fixture.workflow("w", steps: [day3, Fixture.tag("a", "t3"), day7, Fixture.tag("b", "t7")], zone: "Europe/Dublin")
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-03-27T20:15:00Z"))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-03-27T20:15:00Z") { $0.tag = "x" })
        let records = engine.advance(to: Fixture.at("2025-04-30T00:00:00Z"))
        #expect(records.first { $0.stepID == "a" }?.at == Fixture.at("2025-03-30T08:30:00+01:00"))
        #expect(records.first { $0.stepID == "b" }?.at == Fixture.at("2025-04-03T20:15:00+00:00").adding(seconds: -3600), "20:15 Dublin time, now IST")
    }

    @Test("A goal pulls a waiting enrollment forward, skipping what is between")
    func goal() throws {
        let steps = [
            Step(id: "wait", .wait(.delay(Delay(days: 5), calendarDays: false, at: nil, from: .now))), Fixture.tag("skipped", "t-skip"),
            Step(id: "bought", .goal(Goal(name: "bought", event: .paymentSucceeded))), Fixture.tag("after", "t-after"),
        ]
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: steps)], start: Fixture.at("2025-01-01T00:00:00Z"))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        var payment = Fixture.event("e2", .paymentSucceeded, at: "2025-01-02T00:00:00Z")
        payment.order = Order(id: "o1", source: .cart, lines: [.init(item: .product(id: "p", priceOption: nil))])
        payment.payment = Payment(index: 1, amount: 100, currency: "USD")
        let records = try engine.ingest(payment)
        #expect(records.map(\.status).prefix(2) == [.goal, .completed])
        #expect(!engine.log.contains { $0.stepID == "skipped" })
        #expect(records.contains { $0.stepID == "after" })
        #expect(engine.advance(to: Fixture.at("2025-02-01T00:00:00Z")).isEmpty, "the old wake-up is gone")
    }

    @Test("Waiting for an event: the event resumes it; without it the timeout branch runs")
    func untilEvent() throws {
        let wait = Step(
            id: "wait-open", .wait(.untilEvent(.emailOpened, filters: [], timeout: Delay(days: 2), onTimeout: [Fixture.tag("nudge", "t-nudge")])))
        let workflow = Fixture.workflow("w", steps: [wait, Fixture.tag("done", "t-done")])
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-01-01T00:00:00Z"))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z", contact: "c-1") { $0.tag = "x" })
        try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T00:00:00Z", contact: "c-2") { $0.tag = "x" })
        try engine.ingest(Fixture.event("e3", .emailOpened, at: "2025-01-01T06:00:00Z", contact: "c-1") { $0.email = EmailReference(message: "m1") })
        engine.advance(to: Fixture.at("2025-01-10T00:00:00Z"))
        let steps = { (contact: String) in engine.log.filter { $0.contactID == contact && $0.status == .completed }.compactMap(\.stepID) }
        #expect(steps("c-1") == ["done"])
        #expect(steps("c-2") == ["nudge", "done"])
    }

    @Test("Calls nest, and a call loop stops at the depth limit with an error")
    func callDepth() throws {
        let loop = Workflow(
            id: "loop", name: "loop", priority: 1, triggers: [Trigger(id: "m", event: .manual)], steps: [Step(id: "again", .call(workflowID: "loop"))],
            settings: WorkflowSettings(accountTimezone: "UTC"))
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-1", createdAt: Fixture.at("2025-01-01T00:00:00Z")))
        let engine = try Engine(workflows: [loop], start: Fixture.at("2025-01-01T00:00:00Z"), ports: Engine.Ports(contacts: directory))
        let records = try engine.run(workflowID: "loop", contactID: "c-1")
        #expect(records.filter { $0.status == .error }.count == 1)
        #expect(records.filter { $0.stepID == "again" && $0.status == .completed }.count == Engine.callDepthLimit, "16 nested calls run; the 17th is refused")
        #expect(records.last?.status == .finished)
    }

    @Test("runActionSet answers in the legacy shape, one result per action, nested sets included")
    func runActionSet() throws {
        let (workflows, plans) = try Fixture.compiled("course-creator")
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-9", fields: ["FirstName": "Ana", "Email": "ana@example.com"], createdAt: Fixture.at("2025-01-01T00:00:00Z")))
        let engine = try Engine(Automation(workflows: workflows, productOfPlan: plans), start: Fixture.at("2025-01-01T00:00:00Z"), ports: Engine.Ports(contacts: directory))
        let results = try engine.runActionSet("as-vip", contactID: "c-9")
        #expect(results.map(\.action) == ["add-tag", "webhook", "add-tag", "remove-tag", "webhook", "send-email", "create-task", "send-email"])
        #expect(results.allSatisfy { !$0.isError })
        #expect(results[5].message.contains("Welcome to VIP, Ana!"))
        #expect(directory.contact(id: "c-9")?.tags == ["tag-student", "tag-vip"])
        #expect(throws: EngineError.self) { try engine.runActionSet("as-vip", contactID: "nobody") }
    }

    @Test("Stop on response ends the contact's enrollment when they reply")
    func stopOnResponse() throws {
        let wait = Step(id: "wait", .wait(.delay(Delay(days: 3), calendarDays: false, at: nil, from: .now)))
        let workflow = Fixture.workflow("w", steps: [wait, Fixture.tag("s", "t")]) { $0.stopOnResponse = true }
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-01-01T00:00:00Z"))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        let reply = try engine.ingest(Fixture.event("e2", .contactReplied, at: "2025-01-02T00:00:00Z") { $0.channel = "email" })
        #expect(reply.map(\.status) == [.exited])
        #expect(engine.advance(to: Fixture.at("2025-02-01T00:00:00Z")).isEmpty)
    }

    @Test("An event earlier than the clock is refused")
    func timeOrder() throws {
        let engine = try Engine(workflows: [], start: Fixture.at("2025-01-02T00:00:00Z"))
        #expect(throws: EngineError.self) { try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" }) }
    }
}
