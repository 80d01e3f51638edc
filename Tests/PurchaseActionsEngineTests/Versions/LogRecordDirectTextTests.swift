import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Issue 13: a record's `why` (a trigger's trace), its message and an action's whole record are
/// written straight to bytes; `compactJSONText` must stay `json.compactText` byte for byte, for
/// hostile values in every part the direct writers compose (tags, subjects, recipients, URLs,
/// contact ids, filter values), with rendering on and off.
@Suite("Log records written straight to bytes equal json.compactText, hostile values included")
struct LogRecordDirectTextTests {
    static let nasty = "a\"b\\c\n\r\t\u{0}\u{8}\u{C}\u{1B}\u{7F}é—\u{2028}💥 {{contact.FirstName}}"
    /// A contact id: printable ASCII, quotes and backslashes allowed.
    static let contactID = #"c"\-1"#

    static func workflows() -> [Workflow] {
        let email = EmailMessage(
            to: .contact, from: Sender(name: nasty, address: "shop@example.com"), subject: "Hi {{contact.FirstName}} " + nasty, html: "<p>\(nasty)</p>",
            text: nasty)
        let toOwner = EmailMessage(to: .address(nasty), from: nil, subject: nasty)
        let hook = Webhook(url: "https://example.com/" + nasty, fields: [HTTPPost.Parameter(name: nasty, value: "{{contact.Email}}")], includeAllContactFields: true)
        let filters: [Condition] = [
            .field("order.products", .contains, .text("prod-1"), id: nasty), .field("contact.fields.FirstName", .equals, .text(nasty)),
            Condition(id: "g", .any([.field("payment.amount", .atLeast, .integer(10)), Condition(.not(.field("contact.tags", .contains, .text(nasty))))])),
            .field("contact.fields.Missing", .isEmpty),
        ]
        let main = Fixture.workflow(
            "w", on: .paymentSucceeded, filters: filters,
            steps: [
                Fixture.tag("tag", nasty), Step(id: "untag", .action(.removeTag(tagID: nasty))), Step(id: "mail", .action(.sendEmail(email))),
                Step(id: "mail-2", .action(.sendEmail(toOwner))), Step(id: "post", .action(.webhook(hook))),
                Step(id: "field", .action(.updateField(field: "Note", value: nasty))), Step(id: "sub", .call(workflowID: "called")),
            ])
        let called = Fixture.workflow("called", on: .manual, steps: [Fixture.tag("inner", "t")])
        return [main, called]
    }

    @Test("Every record of a purchase: entered (a traced trigger), actions, a call, finished; rendering on and off", arguments: [true, false])
    func hostile(renders: Bool) throws {
        let contacts = InMemoryContactDirectory()
        contacts.save(Contact(id: Self.contactID, fields: ["FirstName": Self.nasty, "Email": Self.nasty + "@example.com"], tags: ["x"], createdAt: Fixture.at("2025-01-01T00:00:00Z")))
        let engine = try Engine(
            workflows: Self.workflows(), start: Fixture.at("2025-01-01T00:00:00Z"), options: Engine.Options(rendersTemplates: renders),
            ports: Engine.Ports(contacts: contacts))
        let event = Fixture.event("e\"1", .paymentSucceeded, at: "2025-01-01T00:00:01Z", contact: Self.contactID) {
            $0.order = Order(id: "o-1", source: .cart, lines: [Order.Line(item: .product(id: "prod-1", priceOption: nil))], gateway: "stripe")
            $0.payment = Payment(index: 1, amount: 1000, currency: "USD")
        }
        let records = try engine.ingest(event)
        #expect(records.contains { $0.status == .entered && $0.why != nil })
        #expect(records.filter { $0.effect != nil }.count >= 6)
        #expect(records.contains { $0.message.contains("call") })
        for record in records {
            #expect(record.compactJSONText == record.json.compactText)
            var writer = LogRecord.CompactWriter()
            var bytes = Array("x".utf8)
            _ = writer.append(record, to: &bytes, detailsText: [:])
            #expect(bytes == Array(("x" + record.json.compactText).utf8), "appended after what is there")
        }
    }
}
