import Foundation
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// The common path of issue 11: initialisers with ports, contact lookup, the action-set id rule,
/// late events and events built in code validated as the decoder validates them.
struct EngineFacadeTests {
    static let start = "2025-01-01T00:00:00Z"

    static func purchase(_ id: String, at time: String, contact: String = "c-1", order: String = "o-1") -> Event {
        Fixture.event(id, .paymentSucceeded, at: time, contact: contact) {
            $0.order = Order(id: order, source: .cart, lines: [Order.Line(item: .product(id: "prod-1", priceOption: nil))], gateway: "stripe")
            $0.payment = Payment(index: 1, amount: 1000, currency: "USD")
        }
    }

    // MARK: Initialisers and ports

    @Test("init(_:start:options:ports:) wires the automation's plans and account profile; ports not given are in-memory")
    func automationInitialiser() throws {
        let notice = EmailMessage(to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "Thanks from {{company.Name}}", text: "x")
        let workflow = Fixture.workflow(
            "w", on: .paymentSucceeded, filters: [.field("order.products", .contains, .text("prod-x"))], steps: [Step(id: "mail", .action(.sendEmail(notice)))])
        let outbox = RecordingEffectSink()
        let automation = Automation(workflows: [workflow], productOfPlan: ["plan-1": "prod-x"], account: AccountProfile(company: ["Name": "Fernhill"]))
        let engine = try Engine(automation, start: Fixture.at(Self.start), ports: Engine.Ports(effects: outbox))
        let withoutPlans = try Engine(workflows: [workflow], start: Fixture.at(Self.start))
        // A subscription plan's order holds its product only when the plans are wired.
        var event = Self.purchase("e1", at: Self.start)
        event.order?.lines = [Order.Line(item: .subscriptionPlan(id: "plan-1"))]
        #expect(try engine.ingest(event).contains { $0.status == .entered })
        #expect(try !withoutPlans.ingest(event).contains { $0.status == .entered })
        #expect(outbox.effects.count == 1, "the outbox given in the ports records the effects")
        #expect(outbox.effects.first?.details.compactText.contains("Thanks from Fernhill") == true, "the account profile is wired")
    }

    @Test("Two workflows with one id are refused by both initialisers")
    func duplicateIDs() {
        let workflow = Fixture.workflow("w", steps: [Fixture.tag("s", "t")])
        #expect(throws: EngineError.self) { try Engine(workflows: [workflow, workflow], start: Fixture.at(Self.start)) }
        #expect(throws: EngineError.self) { try Engine(Automation(workflows: [workflow, workflow]), start: Fixture.at(Self.start)) }
    }

    // MARK: Contact lookup

    @Test("contact(id:) and contact(matching:) find the contact an event created, with no log search")
    func contactLookup() throws {
        let engine = try Engine(workflows: [], start: Fixture.at(Self.start))
        let event = Event(
            id: "e1", type: .cartLogin, occurredAt: Fixture.at(Self.start),
            contact: ContactReference(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com"))
        try engine.ingest(event)
        let found = try #require(engine.contact(matching: ContactMatch(firstName: " dana ", lastName: "WHITFIELD", email: "Dana@Example.com")))
        #expect(engine.contact(id: found.id)?.fields["FirstName"] == "Dana")
        #expect(engine.contact(matching: ContactMatch(firstName: "Dana", lastName: "Other", email: "dana@example.com")) == nil)
        #expect(engine.contact(id: "nobody") == nil)
    }

    // MARK: One id form for action sets

    @Test("runActionSet takes the export id and refuses the workflow id, naming the id to pass")
    func actionSetIDs() throws {
        let (workflows, plans) = try Fixture.compiled("course-creator")
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-9", createdAt: Fixture.at(Self.start)))
        let engine = try Engine(Automation(workflows: workflows, productOfPlan: plans), start: Fixture.at(Self.start), ports: Engine.Ports(contacts: directory))
        #expect(try !engine.runActionSet("as-vip", contactID: "c-9").isEmpty)
        let refused = #expect(throws: EngineError.self) { try engine.runActionSet("action-set.as-vip", contactID: "c-9") }
        #expect(refused?.code == .unknownActionSet)
        #expect(refused?.message.contains("'as-vip'") == true)
        let unknown = #expect(throws: EngineError.self) { try engine.runActionSet("as-none", contactID: "c-9") }
        #expect(unknown?.code == .unknownActionSet)
        // run(workflowID:) takes workflow ids; an action set's export id there gets a hint.
        let hinted = #expect(throws: EngineError.self) { try engine.run(workflowID: "as-vip", contactID: "c-9") }
        #expect(hinted?.code == .unknownWorkflow)
        #expect(hinted?.message.contains("runActionSet(\"as-vip\"") == true)
        #expect(try !engine.run(workflowID: "action-set.as-vip", contactID: "c-9").isEmpty)
    }

    @Test("An export action set whose own id starts with action-set. runs by that id")
    func actionSetIDWithPrefix() throws {
        var workflow = Fixture.workflow("action-set.action-set.x", on: .tagAdded, steps: [Fixture.tag("s", "t")])
        workflow.triggers = [Trigger(id: "manual", event: .manual)]
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-1", createdAt: Fixture.at(Self.start)))
        let engine = try Engine(workflows: [workflow], start: Fixture.at(Self.start), ports: Engine.Ports(contacts: directory))
        #expect(try engine.runActionSet("action-set.x", contactID: "c-1").map(\.action) == ["add-tag"])
    }

    // MARK: Late events

    @Test("Late events: refused by default (event-in-the-past), nothing recorded as seen")
    func lateRefused() throws {
        let workflow = Fixture.workflow("w", steps: [Fixture.tag("s", "t")])
        let engine = try Engine(workflows: [workflow], start: Fixture.at(Self.start))
        try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T00:00:05Z") { $0.tag = "x" })
        let error = #expect(throws: EngineError.self) { try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:02Z") { $0.tag = "x" }) }
        #expect(error?.code == .eventInThePast)
    }

    @Test("Late events with .runAtClock run at the clock's time after a late record; a late duplicate is still a duplicate")
    func lateRunAtClock() throws {
        let wait = Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now)))
        let workflow = Fixture.workflow("w", steps: [wait, Fixture.tag("s", "t")])
        let engine = try Engine(workflows: [workflow], start: Fixture.at(Self.start), options: Engine.Options(lateEvents: .runAtClock))
        try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T00:00:05Z", contact: "c-2") { $0.tag = "x" })
        let late = try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:02.500Z") { $0.tag = "x" })
        #expect(late.map(\.status) == [.late, .entered, .waiting])
        #expect(late[0].at == Fixture.at("2025-01-01T00:00:05Z"))
        #expect(late[0].message == "event e1 happened at 2025-01-01T00:00:02.500Z, 2.5 s before the engine's clock; it runs at 2025-01-01T00:00:05Z")
        #expect(late[0].why == .object(["occurredAt": .string("2025-01-01T00:00:02.500Z"), "lateByMilliseconds": .integer(2500)]))
        #expect(engine.now == Fixture.at("2025-01-01T00:00:05Z"), "the clock does not go back")
        // Its wait runs from the clock's time.
        let woke = engine.advance(to: Fixture.at("2025-01-02T00:00:05Z"))
        #expect(woke.filter { $0.contactID == "c-1" && $0.status == .resumed }.count == 1)
        #expect(try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:02Z") { $0.tag = "x" }).map(\.status) == [.duplicate])
    }

    @Test("How late, for people", arguments: [
        (Int64(0), "0 s"), (999, "0.9 s"), (59_999, "59.9 s"), (60_000, "1 min"), (90_000, "1 min 30 s"), (3_600_500, "1 h"),
        (90_061_000, "1 d 1 h"),
    ])
    func lateDuration(_ milliseconds: Int64, _ text: String) throws {
        let engine = try Engine(workflows: [], start: Fixture.at(Self.start), options: Engine.Options(lateEvents: .runAtClock))
        engine.advance(to: Instant(millisecondsSinceEpoch: Fixture.at(Self.start).millisecondsSinceEpoch + milliseconds))
        let records = try engine.ingest(Fixture.event("e", .tagAdded, at: Self.start) { $0.tag = "x" })
        #expect(milliseconds == 0 ? records.allSatisfy { $0.status != .late } : records.first?.message.contains(", \(text) before") == true)
    }

    @Test("An event late by the whole supported range (the clock advanced to the end of time, stopped at the end of 9999) runs, its lateness exact")
    func lateAfterTheEndOfTime() throws {
        let engine = try Engine(workflows: [], start: Fixture.at(Self.start), options: Engine.Options(lateEvents: .runAtClock))
        engine.advance(to: Instant(millisecondsSinceEpoch: .max))
        var event = Fixture.event("e", .tagAdded, at: Self.start) { $0.tag = "x" }
        event.occurredAt = Instant.supported.lowerBound
        let records = try engine.ingest(event)
        #expect(records.first?.status == .late)
        let span = Instant.supported.upperBound.millisecondsSinceEpoch - Instant.supported.lowerBound.millisecondsSinceEpoch
        #expect(records.first?.why == .object(["occurredAt": .string(Instant.supported.lowerBound.description), "lateByMilliseconds": .integer(Int(span))]))
    }

    // MARK: Events built in code

    @Test("A payment.succeeded built in code with no order or payment is refused with the decoder's path; nothing runs")
    func codeEventMissingMembers() throws {
        let workflow = Fixture.workflow("w", on: .paymentSucceeded, steps: [Fixture.tag("s", "t")])
        let engine = try Engine(workflows: [workflow], start: Fixture.at(Self.start))
        let bare = Fixture.event("e1", .paymentSucceeded, at: Self.start)
        let error = #expect(throws: EngineError.self) { try engine.ingest(bare) }
        #expect(error?.code == .invalidEvent)
        #expect(error?.jsonPath == .root)
        #expect(error?.message == "event 'e1' is not a valid payment.succeeded event: $: a payment.succeeded event requires 'order'")
        #expect(engine.log.isEmpty)
        // Mended, the same id runs: the refused event was not recorded as seen.
        #expect(try engine.ingest(Self.purchase("e1", at: Self.start)).contains { $0.status == .entered })
    }

    /// Events built in code, each breaking one rule, with the path and the start of the message
    /// the decoder gives for the same JSON.
    static let broken: [(String, @Sendable (inout Event) -> Void, String)] = [
        ("$.id", { $0.id = "has space" }, "an id is 1 to 200"),
        ("$.type", { $0.type = .manual }, "unknown event type 'manual'"),
        ("$.occurredAt", { $0.occurredAt = Instant(millisecondsSinceEpoch: .max) }, "occurredAt"),
        ("$.tag", { $0.tag = "x" }, "'tag' is not a member of a payment.succeeded event"),
        ("$", { $0.payment = nil }, "a payment.succeeded event requires 'payment'"),
        ("$.order.lines[0].quantity", { $0.order?.lines[0].quantity = 0 }, "a quantity is 1 to 1000000 (found 0)"),
        ("$.order.lines", { $0.order?.lines = [] }, "an order has 1 to 1,000 lines"),
        ("$.order.lines[0].product", { $0.order?.lines[0].item = .product(id: "-bad", priceOption: nil) }, "'-bad' is not a catalogue id"),
        ("$.order.gateway", { $0.order?.gateway = "Stripe" }, "a gateway is lower-case"),
        ("$.payment.amount.currency", { $0.payment?.currency = "usd" }, "a currency is an ISO 4217 code"),
        ("$.payment.amount.minor", { $0.payment?.amount = -1 }, "an amount is 0 to 2^53"),
        ("$.payment.index", { $0.payment?.index = 0 }, "payment index 1 is the first payment"),
        ("$.payment.declineCode", { $0.payment?.declineCode = "card_declined" }, "a payment.succeeded event's payment has no decline code"),
        ("$.order", { $0.payment?.index = 2 }, "a later payment.succeeded is a payment-plan payment"),
        ("$.contact", { $0.contact = ContactReference() }, "a contact needs an id"),
        ("$.contact", { $0.contact.firstName = "Dana" }, "give firstName, lastName and email together"),
        ("$.contact.firstName", { $0.contact.firstName = "Bob\r\nBcc: x" }, "a name may not hold a control character"),
        ("$.contact.email", { $0.contact = ContactReference(firstName: "A", lastName: "B", email: "not-an-address") }, "'not-an-address' is not an email address"),
        ("$.contact.timezone", { $0.contact.timezone = "../etc/passwd" }, "is not an IANA timezone name"),
        ("$.contact.fields.Nickname", { $0.contact.fields = ["Nickname": "x"] }, "'Nickname' is not a contact field an event may set"),
        ("$.contact.fields['_A']", { $0.contact.fields = ["_A": String(repeating: "a", count: 10_001)] }, "a field value is at most 10000 characters"),
        ("$.contact.tags", { $0.contact.tags = ["t", "t"] }, "a tag is listed twice"),
        ("$.contact.tags[1]", { $0.contact.tags = ["t", "no space"] }, "'no space' is not a catalogue id"),
    ]

    @Test("Each rule of the decoder holds for events built in code, at the decoder's path", arguments: 0..<broken.count)
    func codeEventRules(_ index: Int) throws {
        let (path, breaking, message) = Self.broken[index]
        var event = Self.purchase("e1", at: Self.start)
        try event.validate()
        breaking(&event)
        let error = #expect(throws: JSONError.self) { try event.validate() }
        #expect(error?.path.description == path)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        let engine = try Engine(workflows: [], start: Fixture.at(Self.start))
        let refused = #expect(throws: EngineError.self) { try engine.ingest(event) }
        #expect(refused?.code == .invalidEvent)
        #expect(refused?.jsonPath?.description == path)
    }

    @Test("Every event of the bundled events files passes validate(), as decoded", arguments: ["course-creator", "membership-site", "physical-goods-store", "examples", "limits"])
    func decodedEventsAreValid(_ name: String) throws {
        for event in try Fixture.events(name) { try event.validate() }
    }

    /// The same broken event as JSON and built in code: (JSON, change in code).
    static let pairs: [(String, @Sendable (inout Event) -> Void)] = [
        (#""lines":[{"product":"prod-1","quantity":0}]"#, { $0.order?.lines[0].quantity = 0 }),
        (#""amount":{"minor":1000,"currency":"usd"}"#, { $0.payment?.currency = "usd" }),
        (#""contact":{"id":"c 1"}"#, { $0.contact.id = "c 1" }),
        (#""gateway":"-x""#, { $0.order?.gateway = "-x" }),
        (#""index":2"#, { $0.payment?.index = 2 }),
    ]

    @Test("validate() and Event.load give the same path and message for the same broken event", arguments: 0..<pairs.count)
    func sameAsDecoder(_ index: Int) throws {
        let valid = #"{"id":"e1","type":"payment.succeeded","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"order":{"id":"o-1","source":"cart","lines":[{"product":"prod-1","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":1000,"currency":"USD"}}}"#
        let (fragment, breaking) = Self.pairs[index]
        let original = [#""lines":[{"product":"prod-1","quantity":1}]"#, #""amount":{"minor":1000,"currency":"USD"}"#, #""contact":{"id":"c-1"}"#, #""gateway":"stripe""#, #""index":1"#][index]
        var event = try Event.load(Array(valid.utf8))
        try event.validate()
        breaking(&event)
        let decoded = #expect(throws: JSONError.self) { try Event.load(Array(valid.replacingOccurrences(of: original, with: fragment).utf8)) }
        let validated = #expect(throws: JSONError.self) { try event.validate() }
        #expect(decoded?.path == validated?.path)
        #expect(decoded?.message == validated?.message)
    }

    @Test("Other types' rules: members required and allowed, channel, card, changed, link, autocharge")
    func otherTypes() throws {
        func check(_ type: EventType, _ build: (inout Event) -> Void) -> String? {
            let event = Fixture.event("e", type, at: Self.start, build)
            do {
                try event.validate()
                return nil
            } catch { return error.path.description + ": " + error.message }
        }
        #expect(check(.contactReplied) { $0.channel = "email" } == nil)
        #expect(check(.contactReplied) { $0.channel = "fax" } == "$.channel: 'fax' is not one of email, sms")
        #expect(check(.cardExpiring) { $0.card = Card(id: "k", expires: "2025-13") }?.hasPrefix("$.card.expires: ") == true)
        #expect(check(.cardExpiring) { $0.card = Card(id: "k", expires: "2025-12") } == "$.card: card.expiring requires card.daysUntilExpiry")
        #expect(check(.contactUpdated) { $0.changed = [] } == "$.changed: changed lists 1 to 200 fields, each once")
        #expect(check(.contactUpdated) { $0.changed = ["Bogus"] } == "$.changed[0]: 'Bogus' is not a contact field")
        #expect(check(.emailClicked) { $0.email = EmailReference(message: "m"); $0.link = "not a link" }?.hasPrefix("$.link: a link is a URI") == true)
        #expect(check(.goalAchieved) { $0.integration = "i" } == "$: a goal.achieved event requires 'callName'")
        #expect(check(.tagAdded) { $0.tag = "t"; $0.channel = "sms" } == "$.channel: 'channel' is not a member of a tag.added event")
    }
}
