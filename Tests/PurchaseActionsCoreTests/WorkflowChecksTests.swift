import PurchaseActionsCore
import Testing

@Suite("Workflow files: checks beyond the schema")
struct WorkflowChecksTests {
    static let settings = WorkflowSettings(accountTimezone: "UTC")

    static func refusal(_ workflow: Workflow) -> JSONError? {
        do {
            _ = try Workflow(json: workflow.json)
            return nil
        } catch { return error }
    }

    static func workflow(triggers: [Trigger] = [Trigger(id: "t", event: .tagAdded)], steps: [Step], settings: WorkflowSettings = settings) -> Workflow {
        Workflow(id: "w", name: "w", priority: 1, triggers: triggers, steps: steps, settings: settings)
    }

    static let email = EmailMessage(to: .contact, from: Sender(name: "A", address: "a@example.com"), subject: "Hi", text: "Hello")

    @Test("A valid workflow passes")
    func valid() {
        #expect(Self.refusal(Self.workflow(steps: [Step(id: "s", .action(.sendEmail(Self.email)))])) == nil)
    }

    @Test("Each rule is refused at the offending member's path", arguments: [
        (workflow(triggers: [Trigger(id: "t", event: .tagAdded), Trigger(id: "t", event: .tagRemoved)], steps: []), "$.triggers[1].id"),
        (workflow(steps: [Step(id: "if", .branch([Branch(name: "b", when: .field("tag", .equals, .text("x")), steps: [Step(id: "g", .goal(Goal(name: "g", event: .tagAdded)))])], otherwise: []))]), "$.steps[0].branches[0].steps[0]"),
        (workflow(steps: [Step(id: "s", .action(.sendEmail(EmailMessage(to: .contact, from: nil, subject: "Hi", text: "x"))))]), "$.steps[0].action"),
        (workflow(steps: [Step(id: "s", .action(.sendEmail(EmailMessage(to: .contact, from: Sender(name: "A", address: "a@example.com"), subject: "Hi"))))]), "$.steps[0].action"),
        (workflow(steps: [Step(id: "w", .wait(.window(SendWindow(days: [.mon], from: "17:00", to: "09:00"))))]), "$.steps[0].wait.window.to"),
        (workflow(triggers: [Trigger(id: "t", event: .tagAdded, filters: [.field("tag", .equals, .text("a"), id: "c"), .field("tag", .equals, .text("b"), id: "c")])], steps: []), "$.triggers[0].filters[1].id"),
    ])
    func refused(workflow: Workflow, path: String) {
        #expect(Self.refusal(workflow)?.path.description == path)
    }

    @Test("An email without a sender is fine when the workflow has a default sender")
    func defaultSender() {
        var settings = Self.settings
        settings.defaultSender = Sender(name: "Shop", address: "shop@example.com")
        let step = Step(id: "s", .action(.sendEmail(EmailMessage(to: .contact, from: nil, subject: "Hi", text: "x"))))
        #expect(Self.refusal(Self.workflow(steps: [step], settings: settings)) == nil)
    }
}
