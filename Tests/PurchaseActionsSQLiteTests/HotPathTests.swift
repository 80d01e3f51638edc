import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// The durable runtime's hot path (Benchmarks/README.md, "Durable runtime"): the search for the
/// next wake-up resumed past the rows fired in the open transaction, contacts kept decoded across
/// transactions (compared with their row at each read), the match key made again only when a
/// name or the email changed.
@Suite("Hot path: wake-up search past stale rows, contacts kept across transactions, match keys kept")
struct HotPathTests {
    /// On a tag: wait for `payment.succeeded` at most `timeout` days, then tag `t`.
    static func waitForPayment(timeout: Int = 3) -> Workflow {
        var settings = WorkflowSettings(accountTimezone: "UTC")
        settings.allowReentry = true
        return Workflow(
            id: "pay", name: "pay", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])],
            steps: [
                Step(id: "wait", .wait(.untilEvent(.paymentSucceeded, filters: [], timeout: Delay(days: timeout), onTimeout: []))),
                Step(id: "tag", .action(.addTag(tagID: "t"))),
            ], settings: settings)
    }

    static func paid(_ id: String, at time: Instant, contact: String) -> Event {
        var event = Event(id: id, type: .paymentSucceeded, occurredAt: time, contact: ContactReference(id: contact))
        event.order = Order(
            id: "order-\(id)", source: .cart, lines: [Order.Line(item: .product(id: "prod-1", priceOption: nil))], chargeMode: .card, gateway: "stripe")
        event.payment = Payment(index: 1, amount: 100, currency: "USD", invoice: "inv-\(id)")
        return event
    }

    @Test(
        "Many wake-ups due in one transaction, some at the same instant, some enrollments resumed by events before they time out, re-entries: the log, enrollments and contacts the in-memory engine gives",
        arguments: [1, 7, 60])
    func wakeUpsInOneTransaction(seed: UInt64) async throws {
        var random = SplitMix(seed: seed)
        let start = StoreFixture.start
        var events: [Event] = []
        // 120 tags over 2 days (several at one instant), payments for a third of them within the wait,
        // re-entries; then one event 10 days later fires every time-out left in the same batch.
        for number in 0..<120 {
            let minute = Int64(random.next() % 2_880)
            let contact = "c-\(random.next() % 40)"
            events.append(StoreFixture.tagged("tag-\(number)", at: start.adding(seconds: minute * 60), contact: contact))
            if random.next() % 3 == 0 {
                events.append(Self.paid("pay-\(number)", at: start.adding(seconds: minute * 60 + Int64(random.next() % 200_000)), contact: contact))
            }
        }
        events.sort { ($0.occurredAt, $0.id) < ($1.occurredAt, $1.id) }
        events.append(StoreFixture.tagged("late", at: start.adding(seconds: 10 * 86_400), contact: "c-1"))
        let end = start.adding(seconds: 20 * 86_400)
        let workflows = [Self.waitForPayment(), StoreFixture.waitThenMail(days: 1)]

        let memory = InMemoryEnrollmentStore()
        let contacts = InMemoryContactDirectory()
        let engine = try Engine(workflows: workflows, start: start, options: DurableRuntime.defaultOptions, ports: Engine.Ports(contacts: contacts, store: memory))
        var expected: [LogRecord] = []
        for event in events { expected += try engine.ingest(event) }
        expected += engine.advance(to: end)

        let store = try StoreFixture.store(workflows)
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(events, through: InputPosition(source: "events.jsonl", offset: 1, line: events.count))
        try await runtime.advance(to: end)

        #expect(expected.filter { $0.cause.hasPrefix("timer:") }.count > 50, "many wake-ups fired in the batch and in the advance")
        #expect(try store.log(LogQuery()).map(\.record.canonicalText) == expected.map(\.json.canonicalText))
        for stored in try store.enrollments(EnrollmentQuery()) {
            #expect(stored.enrollment.json.canonicalText == memory.enrollment(id: stored.enrollment.id)?.json.canonicalText)
        }
        for contact in contacts.all {
            #expect(try store.contact(id: contact.id)?.json.canonicalText == contact.json.canonicalText)
        }
    }

    /// `c-1` saved in the store first (so the runtime reads it from its row and keeps it).
    static let ada = Contact(
        id: "c-1", fields: ["FirstName": "Ada", "LastName": "Lovelace c-1", "Email": "c-1@example.com"], createdAt: StoreFixture.start)

    /// On `event`, add the tag `tag`.
    static func tagging(_ id: String, on event: EventType, tag: String) -> Workflow {
        var settings = WorkflowSettings(accountTimezone: "UTC")
        settings.allowReentry = true
        return Workflow(
            id: id, name: id, priority: 10, triggers: [Trigger(id: "t", event: event, filters: [])], steps: [Step(id: "tag", .action(.addTag(tagID: tag)))],
            settings: settings)
    }

    @Test("A contact saved by another writer between two transactions is read as its row holds it, not as the runtime last wrote it")
    func contactChangedByAnotherWriter() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(extraStep: true)])
        try store.save(contacts: [Self.ada])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("a", at: StoreFixture.start, contact: "c-1"))
        var changed = try #require(try store.contact(id: "c-1"))
        #expect(changed.tags == ["t"])
        changed.fields["Phone1"] = "555-0100"
        changed.tags.append("vip")
        try store.save(contacts: [changed])
        try await runtime.ingest(StoreFixture.tagged("b", at: StoreFixture.start.adding(seconds: 60), contact: "c-1"))
        let contact = try #require(try store.contact(id: "c-1"))
        #expect(contact.fields["Phone1"] == "555-0100")
        #expect(contact.tags == ["t", "vip"])
    }

    @Test("A transaction that failed after writing a contact: the next one reads the contact as committed, not as the failed one wrote it")
    func contactWrittenByFailedTransaction() async throws {
        let store = try StoreFixture.store([Self.tagging("on-add", on: .tagAdded, tag: "from-failed"), Self.tagging("on-remove", on: .tagRemoved, tag: "after")])
        try store.save(contacts: [Self.ada])
        let runtime = try DurableRuntime(store: store)
        // The log's insert fails: the contact was written before it, the transaction rolls back.
        try StoreFixture.execute(store) { db in try db.execute(sql: "CREATE TRIGGER fail BEFORE INSERT ON log_batch BEGIN SELECT RAISE(ABORT, 'disk'); END") }
        await #expect(throws: StoreError.self) { try await runtime.ingest(StoreFixture.tagged("a", at: StoreFixture.start, contact: "c-1")) }
        try StoreFixture.execute(store) { db in try db.execute(sql: "DROP TRIGGER fail") }
        #expect(try store.contact(id: "c-1")?.tags == [])
        var removed = StoreFixture.tagged("b", at: StoreFixture.start.adding(seconds: 60), contact: "c-1")
        removed.type = .tagRemoved
        try await runtime.ingest(removed)
        #expect(try store.contact(id: "c-1")?.tags == ["after"], "the failed transaction's tag was not kept")
    }

    @Test("The match key columns follow the contact's names and email: made again when one changed, kept when only tags changed")
    func matchKeyFollowsNames() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(extraStep: true)])
        let runtime = try DurableRuntime(store: store)
        func columns() throws -> [String?] {
            try store.queue.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT match_first, match_last, match_email FROM contact WHERE id = 'c-1'"))
                return [row[0], row[1], row[2]]
            }
        }
        try await runtime.ingest(StoreFixture.tagged("a", at: StoreFixture.start, contact: "c-1"))
        #expect(try columns() == ["ada", "lovelace c-1", "c-1@example.com"])
        // Another writer changes the email (the runtime keeps the key of the row it wrote).
        var changed = try #require(try store.contact(id: "c-1"))
        changed.fields["Email"] = "  Ada.New@Example.COM "
        try store.save(contacts: [changed])
        var next = StoreFixture.tagged("b", at: StoreFixture.start.adding(seconds: 60), contact: "c-1")
        next.contact = ContactReference(id: "c-1")
        try await runtime.ingest(next)
        #expect(try columns() == ["ada", "lovelace c-1", "ada.new@example.com"])
        // Only a tag: the key stays. Then an event naming the contact with another email.
        next = StoreFixture.tagged("c", at: StoreFixture.start.adding(seconds: 120), contact: "c-1")
        next.contact = ContactReference(id: "c-1")
        next.tag = "y"
        try await runtime.ingest(next)
        #expect(try columns() == ["ada", "lovelace c-1", "ada.new@example.com"])
        next = StoreFixture.tagged("d", at: StoreFixture.start.adding(seconds: 180), contact: "c-1")
        next.contact.email = "Third@Example.com"
        try await runtime.ingest(next)
        let contact = try #require(try store.contact(id: "c-1"))
        #expect(try columns() == [contact.fields["FirstName"], contact.fields["LastName"], contact.fields["Email"]].map { $0.map(ContactMatch.normalize) })
    }

    @Test("An effect's details written straight to bytes are details.compactText: every effect of the three fixtures", arguments: ParityTests.accounts)
    func compactDetailsOfFixtures(account: String) throws {
        let records = try StoreFixture.fixtureRun(account).records
        let effects = records.compactMap(\.effect)
        #expect(effects.count > 5)
        for effect in effects { #expect(effect.compactDetailsText == effect.details.compactText, "\(effect.kind)") }
    }

    @Test("An effect's details written straight to bytes are details.compactText: hostile text, senders given, defaulted and none, optional parts missing, every contact field posted, rendering on and off", arguments: [false, true])
    func compactDetailsOfHostileActions(renders: Bool) throws {
        let hostile = "q\"b\\s/\u{0}\u{1}\n\t\u{7F} é e\u{301} 🙂 \u{202E}x {{contact.FirstName}}"
        let steps: [Step] = [
            Step(id: "tag", .action(.addTag(tagID: hostile))),
            Step(id: "untag", .action(.removeTag(tagID: hostile))),
            Step(id: "mail-full", .action(.sendEmail(EmailMessage(to: .contact, from: Sender(name: hostile, address: "a\"@x"), subject: hostile, html: "<p>\(hostile)</p>", text: hostile, templateID: hostile)))),
            Step(id: "mail-default", .action(.sendEmail(EmailMessage(to: .owner, from: nil, subject: "", html: nil, text: nil)))),
            Step(id: "mail-user", .action(.sendEmail(EmailMessage(to: .user(hostile), from: nil, subject: hostile, text: "")))),
            Step(id: "mail-address", .action(.sendEmail(EmailMessage(to: .address("x@y.z"), from: nil, subject: "s", html: "")))),
            Step(id: "post-all", .action(.webhook(Webhook(url: "https://h/\(hostile)", fields: [.init(name: hostile, value: hostile), .init(name: "", value: "")], includeAllContactFields: true)))),
            Step(id: "post-none", .action(.webhook(Webhook(url: "https://h/", fields: [], includeAllContactFields: false)))),
            Step(id: "post-empty-contact", .action(.webhook(Webhook(url: "https://h/", fields: [], includeAllContactFields: true)))),
            Step(id: "field", .action(.updateField(field: "Note", value: hostile))),
        ]
        func workflow(_ id: String, sender: Sender?) -> Workflow {
            var settings = WorkflowSettings(accountTimezone: "UTC", defaultSender: sender)
            settings.allowReentry = true
            return Workflow(id: id, name: id, priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])], steps: steps, settings: settings)
        }
        let contacts = InMemoryContactDirectory()
        contacts.save(Contact(id: "c-1", fields: ["FirstName": hostile, "Z": "z", "a": "\u{0}", "Ä": "ä", "Email": "c@example.com", hostile: hostile], tags: [], createdAt: StoreFixture.start))
        let effects = RecordingEffectSink()
        var options = DurableRuntime.defaultOptions
        options.rendersTemplates = renders
        let engine = try Engine(
            workflows: [workflow("with-sender", sender: Sender(name: hostile, address: "d@x")), workflow("no-sender", sender: nil)], start: StoreFixture.start,
            options: options, ports: Engine.Ports(contacts: contacts, effects: effects, store: InMemoryEnrollmentStore()))
        var event = Event(id: "e", type: .tagAdded, occurredAt: StoreFixture.start, contact: ContactReference(id: "c-1"))
        event.tag = "go"
        _ = try engine.ingest(event)
        var other = Event(id: "e2", type: .tagAdded, occurredAt: StoreFixture.start, contact: ContactReference(id: "c-2"))
        other.tag = "go"
        _ = try engine.ingest(other)
        #expect(effects.effects.count == 2 * 2 * steps.count)
        for effect in effects.effects { #expect(effect.compactDetailsText == effect.details.compactText, "\(effect.kind)") }
    }

    @Test("Contacts kept across transactions are bounded: one past the count or the bytes empties the cache; a changed row is decoded again")
    func contactCacheIsBounded() throws {
        let context = TransactionContext()
        #expect(context.storedContactLimit == 50_000)
        #expect(context.storedContactTextLimit == 32 << 20)
        context.storedContactLimit = 3
        let queue = try DatabaseQueue()
        let contacts = (1...4).map { Contact(id: "c-\($0)", fields: ["FirstName": "N\($0)"], tags: ["t"], createdAt: StoreFixture.start) }
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE contact (id TEXT PRIMARY KEY, json TEXT NOT NULL)")
            for contact in contacts { try db.execute(sql: "INSERT INTO contact VALUES (?, ?)", arguments: [contact.id, contact.compactJSONText]) }
        }
        func read(_ id: String) throws -> Contact {
            try queue.read { db in
                var select = RowBinding(try db.cachedStatement(sql: "SELECT json FROM contact WHERE id = ?"))
                select.bind(id, 1)
                defer { select.finish() }
                #expect(try select.step())
                return try context.decodeContact(id: id, at: select, column: 0)
            }
        }
        for contact in contacts.prefix(3) { #expect(try read(contact.id) == contact) }
        #expect(context.storedContactCount == 3)
        #expect(try read("c-2") == contacts[1])
        #expect(context.storedContactCount == 3, "a contact read again replaces itself")
        #expect(try read("c-4") == contacts[3])
        #expect(context.storedContactCount == 1, "the fourth empties it")
        // A row changed since: decoded again.
        var changed = contacts[3]
        changed.tags.append("new")
        try queue.write { db in try db.execute(sql: "UPDATE contact SET json = ? WHERE id = 'c-4'", arguments: [changed.compactJSONText]) }
        #expect(try read("c-4") == changed)
        // Bytes: a text limit below two contacts' text keeps one.
        context.storedContactLimit = 50_000
        context.storedContactTextLimit = contacts[0].compactJSONText.utf8.count + 1
        _ = try read("c-1")
        #expect(context.storedContactCount == 1)
        _ = try read("c-2")
        #expect(context.storedContactCount == 1)
    }
}

/// SplitMix64, for seeded test data.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
