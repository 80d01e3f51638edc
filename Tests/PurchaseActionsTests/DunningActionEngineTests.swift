import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// A dunning policy's action workflows on an in-memory engine (Docs/dunning.md, "How actions run"):
/// the engine takes them beside a plain workflow, each runs for a contact and records the effect
/// the mapping table says; the bundled policies' workflows all run.
@Suite("Dunning actions run on the engine")
struct DunningActionEngineTests {
    static let policies = BuiltProducts.root.path + "/Fixtures/dunning/policies"
    static let start = Instant(millisecondsSinceEpoch: 1_767_225_600_000)

    /// An email template as `templates/<id>.json` holds it.
    static func template(_ id: String) -> WorkflowTemplate {
        WorkflowTemplate(
            id: id, kind: .email, name: id,
            action: [
                "type": .string("send-email"), "from": .members(["name": .string("Billing"), "address": .string("billing@example.com")]),
                "subject": .string("Your payment failed, {{contact.FirstName}}"), "text": .string("Hi {{contact.FirstName}}, template \(id)."),
            ])
    }

    /// A hand-written workflow `run-workflow` calls.
    static let winback = Workflow(
        id: "sequence.winback", name: "Win back", priority: 50, triggers: [Trigger(id: "manual", event: .manual)],
        steps: [Step(id: "tag", .action(.addTag(tagID: "winback")))], settings: WorkflowSettings(accountTimezone: "UTC"))

    /// An engine over `workflows` and the plain one, with Priya as contact `c-1`.
    static func engine(_ workflows: [Workflow]) throws -> (Engine, InMemoryContactDirectory) {
        let contacts = InMemoryContactDirectory()
        contacts.save(
            Contact(
                id: "c-1", fields: ["FirstName": "Priya", "Email": "priya@example.com", "Phone1": "+61 400 123 456"], tags: ["past-due"],
                ownerID: "user-maya", createdAt: start))
        return (try Engine(workflows: workflows + [winback], start: start, ports: Engine.Ports(contacts: contacts)), contacts)
    }

    /// Runs a workflow for `c-1`: its effects, and any error record.
    static func run(_ engine: Engine, _ id: String) throws -> (effects: [Effect], errors: [LogRecord]) {
        let records = try engine.run(workflowID: id, contactID: "c-1")
        return (records.compactMap(\.effect), records.filter { $0.status == .error })
    }

    static func string(_ details: JSONValue, _ name: String) -> String? {
        guard case .object(let members) = details, case .string(let text)? = members[name] else { return nil }
        return text
    }

    @Test("Each action's workflow runs on the engine with the effect of the mapping table")
    func eachActionsEffect() throws {
        let templates = ["dunning-reminder": Self.template("dunning-reminder")]
        let actions: [DunningAction] = [
            .email(template: "dunning-reminder"), .sms(text: "Hi {{contact.FirstName}}, your payment failed."),
            .task(title: "Call {{contact.FirstName}}", assignee: "owner", dueInDays: 1), .notify(to: "billing@example.com", text: "Second failure\nfor Priya"),
            .addTag("late"), .removeTag("past-due"), .setField(field: "BillingStatus", value: "past due"),
            .webhook(url: "https://example.com/hooks/dunning"), .suspendAccess, .restoreAccess, .runWorkflow("sequence.winback"),
            DunningProcess.unknownChargeTask,
        ]
        let workflows = try actions.map { try $0.engineWorkflow(templates: templates) }
        let (engine, contacts) = try Self.engine(workflows)
        func effect(_ action: DunningAction) throws -> Effect? {
            let (effects, errors) = try Self.run(engine, action.engineWorkflowID)
            #expect(errors.isEmpty, "\(action): \(errors.map(\.message))")
            #expect(effects.count == 1, "\(action)")
            return effects.first
        }
        let email = try #require(try effect(actions[0]))
        #expect(email.kind == "send-email" && email.isExternal)
        #expect(Self.string(email.details, "to") == "priya@example.com")
        #expect(Self.string(email.details, "subject") == "Your payment failed, Priya")
        #expect(Self.string(email.details, "template") == "dunning-reminder")
        #expect(email.idempotencyKey?.hasSuffix("/\(actions[0].engineWorkflowID):email") == true)
        let sms = try #require(try effect(actions[1]))
        #expect(sms.kind == "send-sms" && Self.string(sms.details, "message") == "Hi Priya, your payment failed.")
        #expect(Self.string(sms.details, "to") == "+61 400 123 456")
        let task = try #require(try effect(actions[2]))
        #expect(task.kind == "create-task" && Self.string(task.details, "title") == "Call Priya")
        #expect(Self.string(task.details, "assignee") == "user-maya")
        let notify = try #require(try effect(actions[3]))
        #expect(notify.kind == "notify" && Self.string(notify.details, "to") == "billing@example.com")
        #expect(Self.string(notify.details, "subject") == "Second failure" && Self.string(notify.details, "body") == "Second failure\nfor Priya")
        #expect(try effect(actions[4])?.kind == "add-tag")
        #expect(try effect(actions[5])?.kind == "remove-tag")
        let field = try #require(try effect(actions[6]))
        #expect(field.kind == "update-field" && Self.string(field.details, "value") == "past due")
        #expect(contacts.contact(id: "c-1")?.fields["BillingStatus"] == "past due")
        let webhook = try #require(try effect(actions[7]))
        #expect(webhook.kind == "webhook" && Self.string(webhook.details, "url") == "https://example.com/hooks/dunning")
        #expect(webhook.details.compactText.contains(#"{"name":"Email","value":"priya@example.com"}"#))
        #expect(contacts.contact(id: "c-1")?.tags == ["late"])
        let suspend = try #require(try effect(actions[8]))
        #expect(suspend.kind == "add-tag" && Self.string(suspend.details, "tag") == "dunning:access-suspended")
        #expect(contacts.contact(id: "c-1")?.tags.contains(DunningAction.accessSuspendedTag) == true)
        let restore = try #require(try effect(actions[9]))
        #expect(restore.kind == "remove-tag" && Self.string(restore.details, "tag") == "dunning:access-suspended")
        #expect(contacts.contact(id: "c-1")?.tags.contains(DunningAction.accessSuspendedTag) == false)
        let called = try #require(try effect(actions[10]))
        #expect(called.kind == "add-tag" && Self.string(called.details, "tag") == "winback")
        let unknown = try #require(try effect(actions[11]))
        #expect(unknown.kind == "create-task" && Self.string(unknown.details, "title")?.hasPrefix("Check with the payment gateway") == true)
    }

    @Test("Each final action's workflow runs on the engine")
    func finalActionsEffects() throws {
        let finals = [FinalAction(.cancelNow), FinalAction(.cancelAtPeriodEnd), FinalAction(.writeOff), FinalAction(.runWorkflow, workflow: "sequence.winback")]
        let (engine, _) = try Self.engine(finals.compactMap(\.engineWorkflow))
        var kinds: [String] = []
        for final in finals {
            let (effects, errors) = try Self.run(engine, try #require(final.engineWorkflowID))
            #expect(errors.isEmpty && effects.count == 1)
            kinds += effects.map(\.kind)
            if final.kind == .cancelNow { #expect(effects.first?.details.compactText == #"{"subscriptionPlan":null}"#) }
            if final.kind == .writeOff { #expect(effects.first.flatMap { Self.string($0.details, "title") }?.hasPrefix("Write off") == true) }
        }
        #expect(kinds == ["cancel-subscription", "cancel-subscription", "create-task", "add-tag"])
    }

    @Test("An email built without templates sends nothing and the log says why")
    func anEmailWithoutItsTemplate() throws {
        let action = DunningAction.email(template: "dunning-reminder")
        let (engine, _) = try Self.engine([action.engineWorkflow])
        let (effects, _) = try Self.run(engine, action.engineWorkflowID)
        #expect(effects.map(\.kind) == ["legacy"])
        #expect(effects.allSatisfy { !$0.isExternal })
    }

    @Test("The bundled policies: every workflow passes the engine's checks, reads back, and runs with one effect", arguments: ["legacy", "saas", "aggressive"])
    func bundledPolicies(name: String) throws {
        let policy = try DunningPolicyFile.load(path: Self.policies + "/\(name).yaml")
        var templates: [String: WorkflowTemplate] = [:]
        for workflow in policy.actionWorkflows {
            guard case .action(.legacy(element: "email", templateID: let id?, _)) = workflow.steps.first?.kind else { continue }
            templates[id] = Self.template(id)
        }
        let workflows = try policy.actionWorkflows(templates: templates)
        #expect(workflows.count <= DunningPolicy.maxActionWorkflows())
        #expect(workflows.map(\.id) == policy.actionWorkflows.map(\.id))
        // What publish stores is each workflow's JSON; reading it back gives the same workflows.
        #expect(try workflows.map { try Workflow(json: $0.json) } == workflows)
        let (engine, _) = try Self.engine(workflows)
        for workflow in workflows {
            let (effects, errors) = try Self.run(engine, workflow.id)
            #expect(errors.isEmpty, "\(workflow.id): \(errors.map(\.message))")
            #expect(effects.count == 1, "\(workflow.id)")
            #expect(effects.allSatisfy { $0.kind != "legacy" })
        }
        if name == "legacy" { #expect(workflows.map(\.id) == [DunningProcess.unknownChargeTask.engineWorkflowID]) }
        if name == "saas" {
            // 15 distinct actions, the unknown-charge task and cancel-at-period-end.
            #expect(workflows.count == 17)
            #expect(workflows.contains { $0.id == policy.final.engineWorkflowID })
        }
    }

    @Test("A text that is not valid Mustache goes out as written")
    func aBadTemplateGoesOutAsWritten() throws {
        let action = DunningAction.sms(text: "Pay now {{#unclosed}}")
        let (engine, _) = try Self.engine([action.engineWorkflow])
        let (effects, errors) = try Self.run(engine, action.engineWorkflowID)
        #expect(errors.isEmpty)
        #expect(effects.map { Self.string($0.details, "message") } == ["Pay now {{#unclosed}}"])
        // A workflow not published is the engine's unknown-workflow error (the runtime's to report), never a crash.
        #expect(throws: EngineError.self) { try engine.run(workflowID: DunningAction.suspendAccess.engineWorkflowID, contactID: "c-1") }
    }

    @Test("A policy at its limits: 7,602 workflows, which one engine takes and runs")
    func aPolicyAtItsLimits() throws {
        let limits = DunningLimits.standard
        var serial = 0
        func distinct() -> [DunningAction] {
            (0..<limits.maxActions).map { _ in
                serial += 1
                return serial % 2 == 0 ? .addTag("t\(serial)") : .setField(field: "F\(serial)", value: "v")
            }
        }
        var policy = DunningPolicy(id: "limits", name: "At the limits")
        policy.stages = (0..<limits.maxStages).map { DunningStage(id: "s\($0)", name: "S", when: .attemptsFailed(atLeast: $0), actions: distinct()) }
        policy.attempts = (0..<limits.maxAttemptRules).map { AttemptRule(attempt: $0 + 1, actions: distinct()) }
        policy.recovered = distinct()
        policy.final = FinalAction(.cancelNow, actions: distinct())
        let workflows = try policy.actionWorkflows(templates: [:])
        #expect(workflows.count == 7602 && workflows.count == DunningPolicy.maxActionWorkflows(limits: limits))
        let (engine, contacts) = try Self.engine(workflows)
        for workflow in [workflows[0], workflows[workflows.count / 2], workflows[workflows.count - 1]] {
            let (effects, errors) = try Self.run(engine, workflow.id)
            #expect(errors.isEmpty && effects.count == 1)
        }
        #expect(contacts.contact(id: "c-1") != nil)
    }
}
