import PropertyBased
@testable import PurchaseActionsCore
import Testing

/// An action that takes everything from its template (an email, a task, a note, an appointment)
/// compiles to the step made once for the template (`CompilerTables.templateSteps`): the same step,
/// template use and findings as compiling it from the template's parts, for every template and
/// recipient, including a missing template and one of another kind.
@Suite("Template steps: made once per template, the same as each action's own")
struct TemplateStepTests {
    static let location = FileLocation(file: "t.xml", line: 3)

    /// Templates with merge fields known and not, literal braces, header line breaks, counts out of
    /// range, parts left out, and kinds the cache does not hold.
    static func catalogue() -> Catalogue {
        var catalogue = Catalogue()
        catalogue.customFields["cf-1"] = CustomField(id: "cf-1", name: "_ShirtSize", type: .text, location: location)
        let templates = [
            Template(
                id: "email-odd", name: "Odd",
                content: .email(
                    EmailTemplate(
                        fromName: "Shop\nFloor ~Owner.FirstName~", fromAddress: "a@example.com", replyTo: "r@example.com",
                        subject: "Hi ~Contact.Shoe~ {{x}}", html: "<p>~Contact._ShirtSize~ é</p>", text: "t ~Contact.FirstName~")),
                location: location),
            Template(id: "email-plain", name: "Plain", content: .email(EmailTemplate(fromName: "S", fromAddress: "a@example.com", subject: "Hello")), location: location),
            Template(
                id: "task-far", name: "Task ~Contact.FirstName~",
                content: .task(TaskTemplate(assigneeID: "u-1", dueInDays: 1_000_000, priority: .high, description: "d ~Nope.X~")), location: location),
            Template(id: "task-bare", name: "Bare", content: .task(TaskTemplate()), location: location),
            Template(id: "note-1", name: "Note", content: .note(type: "call", body: "b {{y}}"), location: location),
            Template(
                id: "appt-1", name: "Appt",
                content: .appointment(AppointmentTemplate(assigneeID: nil, inDays: -3, at: "09:30", durationMinutes: 0, description: "~Contact.Email~")),
                location: location),
            Template(id: "letter-1", name: "Letter", content: .letter(body: "x"), location: location),
        ]
        for template in templates { catalogue.templates[template.id] = template }
        return catalogue
    }

    static let templateIDs = ["email-odd", "email-plain", "task-far", "task-bare", "note-1", "appt-1", "letter-1", "missing"]
    static let recipients: [EmailRecipient] = [.contact, .owner, .user("u-1"), .user("")]

    static func kind(_ choice: Int, _ templateID: String, _ recipient: EmailRecipient) -> ActionKind {
        switch choice {
        case 0: .sendEmail(templateID: templateID, to: recipient)
        case 1: .createTask(templateID: templateID)
        case 2: .createNote(templateID: templateID)
        default: .createAppointment(templateID: templateID)
        }
    }

    @Test("Random actions over every template and recipient: the same step, template and findings either way")
    func sameAsPlain() async {
        let tables = CompilerTables(catalogue: Self.catalogue())
        // The cache holds the four kinds only, each template of them.
        #expect(Set(tables.templateSteps.keys) == ["email-odd", "email-plain", "task-far", "task-bare", "note-1", "appt-1"])
        let input = zip(Gen.int(in: 0...3), Gen.int(in: 0...(Self.templateIDs.count - 1)), Gen.int(in: 0...(Self.recipients.count - 1)), Gen.int(in: 1...9_999))
        await propertyCheck(count: 400, input: input) { choice, template, recipient, line in
            let action = Action(
                id: "a-\(line)", kind: Self.kind(choice, Self.templateIDs[template], Self.recipients[recipient]), location: FileLocation(file: "t.xml", line: line))
            var cached = ActionContext(tables: tables, workflowID: "w")
            var plain = ActionContext(tables: tables, workflowID: "w", usesTemplateSteps: false)
            #expect(cached.kind(of: action) == plain.kind(of: action), "\(action.kind)")
            #expect(cached.usedTemplate == plain.usedTemplate)
            #expect(cached.findings == plain.findings)
            #expect(cached.templateFindings == plain.templateFindings)
        }
    }

    @Test("Compiled through the run, an action set using every template gives the workflow and findings of the plain path")
    func wholeSet() {
        let catalogue = Self.catalogue()
        let compiler = LegacyCompiler(settings: AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "EUR", location: Self.location), catalogue: catalogue)
        var line = 10
        var actions: [Action] = []
        for templateID in Self.templateIDs {
            for choice in 0...3 {
                for recipient in Self.recipients {
                    line += 1
                    actions.append(Action(id: "a\(line)", kind: Self.kind(choice, templateID, recipient), location: FileLocation(file: "t.xml", line: line)))
                }
            }
        }
        var steps: [Step] = []
        var findings: [MigrationFinding] = []
        var uses: [LegacyCompiler.TemplateUse] = []
        for action in actions { compiler.appendSteps(for: action, to: &steps, workflowID: "w", findings: &findings, uses: &uses) }
        var plainSteps: [Step] = []
        var plainFindings: [MigrationFinding] = []
        var plainUses: [LegacyCompiler.TemplateUse] = []
        for action in actions {
            var context = ActionContext(tables: compiler.tables, workflowID: "w", usesTemplateSteps: false)
            plainSteps.append(Step(id: action.id, context.kind(of: action), source: SourceTrace(action.location)))
            plainFindings += context.findings
            if let template = context.usedTemplate { plainUses.append(LegacyCompiler.TemplateUse(templateID: template, actionID: action.id)) }
        }
        #expect(steps == plainSteps)
        #expect(findings == plainFindings)
        #expect(uses == plainUses)
        // Some actions noted something (a missing template, one of another kind).
        #expect(!findings.isEmpty)
    }
}
