import PurchaseActionsCore
import Testing

/// Accounts built in code may hold counts past the workflow format's limits and header text with
/// line breaks (the reader refuses such exports): the compiler writes workflows the decoder accepts,
/// with a finding for each change (Docs/mapping.md, "Findings").
@Suite("Compiler: counts past the format's limits and header line breaks")
struct LegacyCompilerLimitsTests {
    static let here = FileLocation(file: "code.xml", line: 3)

    static func account() -> LegacyAccount {
        var catalogue = Catalogue()
        catalogue.templates["tpl-mail"] = Template(
            id: "tpl-mail", name: "Mail", content: .email(EmailTemplate(fromName: "Shop\r\nBcc: x@y.z", fromAddress: "shop@example.com", subject: "Hi\nthere\u{0}", text: "Body\nkept")),
            location: here)
        catalogue.templates["tpl-task"] = Template(id: "tpl-task", name: "Task", content: .task(TaskTemplate(dueInDays: 1_000_000_000)), location: here)
        catalogue.templates["tpl-appt"] = Template(id: "tpl-appt", name: "Appt", content: .appointment(AppointmentTemplate(inDays: Int.max, durationMinutes: 0)), location: here)
        let order = CreateOrder(lines: [.init(item: .product(id: "p", priceOptionID: nil), quantity: 0), .init(item: .bundle(id: "b"), quantity: 10_000_000)])
        let actions = [
            Action(id: "mail", kind: .sendEmail(templateID: "tpl-mail", to: .contact), location: here),
            Action(id: "task", kind: .createTask(templateID: "tpl-task"), location: here),
            Action(id: "appt", kind: .createAppointment(templateID: "tpl-appt"), location: here),
            Action(id: "order", kind: .createOrder(order), location: here),
        ]
        let sequence = FollowUpSequence(
            id: "seq", name: "Seq", steps: [FollowUpSequence.Step(id: "later", delayDays: 1_000_000_000_000, actions: [], location: here)], location: here)
        return LegacyAccount(
            settings: AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", location: here), catalogue: catalogue, sequences: [sequence],
            actionSets: [ActionSet(id: "as", name: "As", actions: actions, location: here)])
    }

    @Test("Every workflow written loads again, and each change is a finding")
    func writtenWithinLimits() throws {
        let migration = LegacyCompiler.compile(Self.account())
        for workflow in migration.workflows {
            let text = workflow.json.canonicalText
            #expect(throws: Never.self, "\(workflow.id)") { try Workflow.load(Array(text.utf8)) }
        }
        let codes = migration.findings.map(\.code)
        #expect(codes.filter { $0 == .valueOutOfRange }.count == 6, "\(migration.findings)")
        #expect(codes.filter { $0 == .headerLineBreak }.count == 2, "\(migration.findings)")
        let sequence = try #require(migration.workflows.first { $0.id == "sequence.seq" })
        guard case .wait(.delay(let delay, _, _, _)) = sequence.steps.first?.kind else {
            Issue.record("no wait")
            return
        }
        #expect(delay.days == WorkflowLimits.days)
        let set = try #require(migration.workflows.first { $0.id == "action-set.as" })
        guard case .action(.sendEmail(let email)) = set.steps.first?.kind else {
            Issue.record("no email")
            return
        }
        #expect(email.subject == "Hi there " && email.from?.name == "Shop Bcc: x@y.z")
        #expect(email.text == "Body\nkept")
    }
}
