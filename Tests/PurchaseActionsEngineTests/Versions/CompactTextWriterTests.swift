import PropertyBased
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// `Enrollment.compactJSONText` / `EnrollmentJSONWriter` and `Contact.compactJSONText`: what a durable
/// store writes, straight to bytes, is `json.compactText` byte for byte (the stored format is unchanged).
@Suite("Enrollments and contacts written straight to bytes equal json.compactText")
struct CompactTextWriterTests {
    static let nasty = "a\"b\\c\n\r\t\u{0}\u{8}\u{C}\u{1B}\u{7F}é—\u{2028}💥"

    @Test("Every state kind, with and without event, order, versions and nested frames", arguments: 0..<EnrollmentJSONTests.states.count)
    func everyState(index: Int) throws {
        let base = try EnrollmentJSONTests.made()
        var bare = base
        bare.event = nil
        bare.orderID = Self.nasty
        bare.holdsOrder = false
        bare.chain = 16
        bare.performed = Int.max
        bare.contactID = Self.nasty
        bare.frames = [
            Enrollment.Frame(workflowID: "w", version: 3, position: 1), Enrollment.Frame(workflowID: "called", position: 0),
            Enrollment.Frame(workflowID: Self.nasty, version: Int.min, position: -1),
        ]
        var ended = base
        ended.frames = []
        var writer = EnrollmentJSONWriter()
        for var enrollment in [base, bare, ended] {
            enrollment.state = EnrollmentJSONTests.states[index]
            #expect(enrollment.compactJSONText == enrollment.json.compactText)
            var bytes = Array("x".utf8)
            writer.append(enrollment, to: &bytes)
            #expect(bytes == Array(("x" + enrollment.json.compactText).utf8), "appended after what is there")
        }
    }

    @Test("Enrollments sharing an event share its text; another event with the same writer gets its own")
    func sharedEvent() throws {
        let first = try EnrollmentJSONTests.made()
        var second = first
        second.id = "e-2"
        second.frames = []
        var third = first
        var other = try #require(first.event)
        other.id = "another"
        third.event = other
        var writer = EnrollmentJSONWriter()
        for enrollment in [first, second, third, first] {
            var bytes: [UInt8] = []
            writer.append(enrollment, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == enrollment.json.compactText)
        }
        #expect(third.compactJSONText.contains(#""id":"another""#))
    }

    @Test("Property: random members and states")
    func randomMembers() async {
        let alphabet: [Character] = Array("ab\"\\\n\t\u{0}\u{1F}é💥 ")
        let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...10)
        let input = zip(text, text, Gen.int(in: -3...1_000), Gen.int(in: 0...(EnrollmentJSONTests.states.count - 1)), Gen.int(in: 0...15))
        guard let made = try? EnrollmentJSONTests.made() else {
            Issue.record("no enrollment made")
            return
        }
        await propertyCheck(count: 300, input: input) { a, b, number, state, mask in
            var enrollment = made
            enrollment.id = a
            enrollment.workflowID = b
            enrollment.contactID = a + b
            enrollment.version = number
            enrollment.chain = max(0, number)
            enrollment.performed = mask * number
            enrollment.orderID = mask & 1 == 0 ? nil : b
            enrollment.holdsOrder = mask & 2 == 0
            if mask & 4 == 0 { enrollment.event = nil }
            enrollment.frames = (0..<(mask % 4)).map { Enrollment.Frame(workflowID: a + String($0), version: mask & 8 == 0 ? nil : number, position: $0 - 1) }
            enrollment.state = EnrollmentJSONTests.states[state]
            #expect(enrollment.compactJSONText == enrollment.json.compactText)
        }
    }

    @Test("Property: every enrollment random workflows leave in the store")
    func randomWorkflows() async {
        let input = Gen.int(in: 0...1_000_000).array(of: 0...120)
        await propertyCheck(count: 60, input: input) { values in
            guard let (_, enrollments) = EnrollmentJSONTests.leftByRandomWorkflows(values) else { return }
            var writer = EnrollmentJSONWriter()
            for enrollment in enrollments {
                var bytes: [UInt8] = []
                writer.append(enrollment, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == enrollment.json.compactText)
            }
        }
    }

    @Test("Property: the event an enrollment holds, every member present or absent, hostile text")
    func randomEvents() async {
        let alphabet: [Character] = Array("ab\"\\\n\t\u{0}\u{1F}éZ💥 ")
        let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...6)
        let input = zip(text, text.array(of: 0...4), Gen.int(in: -2...5), Gen.int(in: 0...Int(UInt32.max)))
        guard let made = try? EnrollmentJSONTests.made(), let base = made.event else {
            Issue.record("no enrollment made")
            return
        }
        await propertyCheck(count: 400, input: input) { value, names, number, mask in
            func on(_ bit: Int) -> Bool { mask & (1 << bit) != 0 }
            var event = base
            event.id = value
            event.type = on(20) ? EventType(rawValue: value) : .paymentSucceeded
            event.offsetSeconds = on(0) ? 3_600 : 0
            var fields: [String: String] = [:]
            for (index, name) in names.enumerated() { fields[name] = value + String(index) }
            event.contact = ContactReference(
                id: on(1) ? value : nil, firstName: on(2) ? value : nil, lastName: on(3) ? value : nil, email: on(4) ? value : nil,
                timezone: on(5) ? value : nil, fields: on(6) ? fields : [:], tags: on(7) ? names : [])
            event.order =
                on(8)
                ? Order(
                    id: value, source: Order.Source.allCases[number & 3],
                    lines: names.enumerated().map { index, name in
                        Order.Line(item: index % 2 == 0 ? .product(id: name, priceOption: on(9) ? value : nil) : .subscriptionPlan(id: name), quantity: number)
                    }, paymentPlan: on(10) ? value : nil, chargeMode: Order.ChargeMode.allCases[number & 1], gateway: on(11) ? value : nil) : nil
            event.payment =
                on(12)
                ? Payment(
                    index: number, amount: number * 4_900, currency: value, declineCode: on(13) ? value : nil, invoice: on(14) ? value : nil,
                    adviceCode: on(15) ? value : nil) : nil
            event.error = on(16) ? OrderError(code: value, message: value) : nil
            event.subscription = on(17) ? SubscriptionReference(id: value, plan: value) : nil
            event.autocharge = on(18) ? Autocharge(attempt: number, invoice: value) : nil
            event.card = on(19) ? Card(id: value, expires: value, daysUntilExpiry: on(0) ? number : nil, network: on(1) ? value : nil) : nil
            event.tag = on(2) ? value : nil
            event.changed = on(3) ? names : nil
            event.email = on(4) ? EmailReference(message: value, workflow: on(5) ? value : nil, step: on(6) ? value : nil) : nil
            event.link = on(7) ? value : nil
            event.channel = on(9) ? value : nil
            event.integration = on(10) ? value : nil
            event.callName = on(11) ? value : nil
            var enrollment = made
            enrollment.event = event
            var writer = EnrollmentJSONWriter()
            var bytes: [UInt8] = []
            writer.append(enrollment, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == enrollment.json.compactText)
        }
    }

    @Test("Contacts: hostile text, empty and absent members")
    func contacts() {
        let at = Fixture.at("2025-01-14T17:03:25.123Z")
        let contacts = [
            Contact(id: "c-1", createdAt: at),
            Contact(id: Self.nasty, fields: [Self.nasty: Self.nasty, "": "", "b": "1", "B": "2", "é": "x", "a": "💥"], tags: [Self.nasty, "", "t"], timezone: Self.nasty, ownerID: Self.nasty, createdAt: at),
            Contact(id: "c-2", fields: ["FirstName": "Dana"], tags: ["vip"], timezone: "Europe/Paris", createdAt: at),
        ]
        for contact in contacts { #expect(contact.compactJSONText == contact.json.compactText) }
    }

    @Test("Property: random contacts")
    func randomContacts() async {
        let alphabet: [Character] = Array("ab\"\\\n\t\u{0}\u{1F}éZ💥 ")
        let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...6)
        let input = zip(text.array(of: 0...8), text.array(of: 0...4), text, Gen.int(in: 0...3))
        await propertyCheck(count: 300, input: input) { names, tags, value, mask in
            var fields: [String: String] = [:]
            for (index, name) in names.enumerated() { fields[name] = value + String(index) }
            let contact = Contact(
                id: value, fields: fields, tags: tags, timezone: mask & 1 == 0 ? nil : value, ownerID: mask & 2 == 0 ? nil : value,
                createdAt: Fixture.at("2025-01-14T17:03:25Z"))
            #expect(contact.compactJSONText == contact.json.compactText)
        }
    }
}
