import DunningTesting
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// A policy's actions as engine workflows (Docs/dunning.md, "How actions run"): ids, the mapping of
/// each action to its step, the templates an email takes, the bound. The engine runs them in
/// PurchaseActionsTests' `DunningActionEngineTests`.
@Suite struct PolicyWorkflowTests {
    typealias D = Dunning

    static let emailTemplate = WorkflowTemplate(
        id: "dunning-reminder", kind: .email, name: "Reminder",
        action: [
            "type": .string("send-email"), "from": .members(["name": .string("Billing"), "address": .string("billing@example.com")]),
            "subject": .string("Your payment failed, {{contact.FirstName}}"), "text": .string("Hi {{contact.FirstName}}, please update your card."),
        ])

    /// Every action type, once, with values a policy file may hold.
    static let everyAction: [DunningAction] = [
        .email(template: "dunning-reminder"), .sms(text: "Your payment failed.\nUpdate your card."),
        .task(title: "Call the customer", assignee: "owner", dueInDays: 1), .notify(to: "billing@example.com", text: "Second failure"),
        .addTag("past-due"), .removeTag("past-due"), .setField(field: "BillingStatus", value: "past due"),
        .webhook(url: "https://example.com/hooks/dunning"), .suspendAccess, .restoreAccess, .runWorkflow("sequence.winback"),
    ]

    // MARK: - Ids

    @Test func goldenIDs() {
        // FNV-1a 64 of the compact JSON, as python3 computes it (Docs/dunning.md, "How actions run").
        #expect(DunningAction.email(template: "dunning-reminder").engineWorkflowID == "dunning-action-86eacacbbdc10745")
        #expect(DunningAction.suspendAccess.engineWorkflowID == "dunning-action-3e766d59a8253e06")
        #expect(FinalAction(.writeOff).engineWorkflowID == "dunning-final-fdac2e262fe62ac6")
        #expect(FinalAction(.keepPastDue, actions: [.suspendAccess]).engineWorkflowID == nil)
        #expect(FinalAction(.keepPastDue).engineWorkflow == nil)
    }

    @Test func idsAreWorkflowIDsAndTheWorkflowsCarryThem() {
        for action in Self.everyAction {
            let id = action.engineWorkflowID
            #expect(Workflow.isValidID(id))
            #expect(id.count == "dunning-action-".count + 16)
            #expect(action.engineWorkflow.id == id)
        }
    }

    @Test func distinctActionsDistinctIDs() {
        var random = RandomPolicy(seed: 7)
        var byID: [String: DunningAction] = [:]
        for action in Self.everyAction + (0..<2000).map({ _ in random.action() }) {
            if let seen = byID[action.engineWorkflowID] { #expect(seen == action) }
            byID[action.engineWorkflowID] = action
        }
        #expect(byID.count > 1000)
        let finals = FinalAction.Kind.allCases.filter { $0 != .keepPastDue }.map { FinalAction($0, workflow: $0 == .runWorkflow ? "w" : nil) }
        #expect(Set(finals.compactMap(\.engineWorkflowID)).count == finals.count)
    }

    @Test func aFinalActionsOwnActionsDoNotChangeItsID() {
        let plain = FinalAction(.cancelNow)
        let withActions = FinalAction(.cancelNow, actions: [.email(template: "dunning-cancelled")])
        #expect(plain.engineWorkflowID == withActions.engineWorkflowID)
        #expect(FinalAction(.runWorkflow, workflow: "a").engineWorkflowID != FinalAction(.runWorkflow, workflow: "b").engineWorkflowID)
    }

    @Test func equalActionsGiveOneWorkflow() throws {
        let policy = D.policy {
            $0.stages = [
                DunningStage(id: "a", name: "A", when: .attemptsFailed(atLeast: 2), actions: [.addTag("past-due"), .suspendAccess]),
                DunningStage(id: "b", name: "B", when: .attemptsFailed(atLeast: 1), actions: [.addTag("past-due")]),
            ]
            $0.attempts = [AttemptRule(attempt: 1, actions: [.suspendAccess])]
            $0.recovered = [.restoreAccess, .removeTag("past-due")]
        }
        let ids = policy.actionWorkflows.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        // past-due, suspend, restore, remove past-due, and the unknown-charge task; keep-past-due has none.
        #expect(ids.count == 5)
        #expect(ids.contains(DunningProcess.unknownChargeTask.engineWorkflowID))
        #expect(try policy.actionWorkflows(templates: [:]) == policy.actionWorkflows)
    }

    // MARK: - The mapping

    static func onlyAction(_ workflow: Workflow) -> WorkflowAction? {
        guard workflow.steps.count == 1, case .action(let action) = workflow.steps[0].kind else { return nil }
        return action
    }

    @Test func eachActionsStep() throws {
        func action(_ dunning: DunningAction) -> WorkflowAction? { Self.onlyAction(dunning.engineWorkflow) }
        #expect(action(.sms(text: "Hi\nthere")) == .sendSMS(from: nil, message: "Hi\nthere"))
        #expect(action(.task(title: "Call", assignee: "owner", dueInDays: 2)) == .createTask(TaskDetails(title: "Call", dueInDays: 2)))
        #expect(action(.task(title: "Call", assignee: "user-maya", dueInDays: nil)) == .createTask(TaskDetails(title: "Call", assigneeID: "user-maya")))
        #expect(action(.notify(to: "billing@example.com", text: "Second failure\nmore")) == .notify(InternalNotification(to: .address("billing@example.com"), subject: "Second failure", body: "Second failure\nmore")))
        #expect(action(.notify(to: "owner", text: "x")) == .notify(InternalNotification(to: .owner, subject: "x", body: "x")))
        #expect(action(.notify(to: "user-maya", text: "x")) == .notify(InternalNotification(to: .user("user-maya"), subject: "x", body: "x")))
        #expect(action(.addTag("past-due")) == .addTag(tagID: "past-due"))
        #expect(action(.removeTag("past-due")) == .removeTag(tagID: "past-due"))
        #expect(action(.setField(field: "BillingStatus", value: "")) == .updateField(field: "BillingStatus", value: ""))
        #expect(action(.webhook(url: "https://example.com/h")) == .webhook(Webhook(url: "https://example.com/h", fields: [], includeAllContactFields: true)))
        #expect(action(.suspendAccess) == .addTag(tagID: "dunning:access-suspended"))
        #expect(action(.restoreAccess) == .removeTag(tagID: DunningAction.accessSuspendedTag))
        let run = DunningAction.runWorkflow("sequence.winback").engineWorkflow
        #expect(run.steps.map(\.kind) == [.call(workflowID: "sequence.winback")])
        // Without templates an email sends nothing, and says so.
        guard case .legacy(let element, let template, let reason)? = action(.email(template: "dunning-reminder")) else {
            Issue.record("an email without templates is a legacy action")
            return
        }
        #expect(element == "email" && template == "dunning-reminder" && reason.contains("nothing is sent"))
    }

    @Test func theWorkflowIsManualPublishedAndWithoutAWindow() {
        for action in Self.everyAction {
            let workflow = action.engineWorkflow
            #expect(workflow.triggers == [Trigger(id: "manual", event: .manual)])
            #expect(workflow.status == .published && workflow.version == 1 && workflow.priority == 50)
            #expect(workflow.settings.sendWindow == nil)  // the process already held customer messages for the policy's window
            #expect(workflow.settings.allowReentry)
            #expect(workflow.settings.accountTimezone == "UTC")
            #expect(workflow.steps.map(\.id) == [action.typeName])
        }
        let policy = D.policy {
            $0.timezone = "America/Chicago"
            $0.recovered = [.restoreAccess]
        }
        #expect(policy.actionWorkflows.allSatisfy { $0.settings.accountTimezone == "America/Chicago" })
    }

    @Test func textsAFormatIdCannotHoldFallBackVisibly() {
        // A policy's tag, assignee or notify `to` is any name; the workflow format wants ids and addresses.
        guard case .legacy(let element, _, let reason)? = Self.onlyAction(DunningAction.addTag("past due").engineWorkflow) else {
            Issue.record("a tag with a space is a legacy action")
            return
        }
        #expect(element == "add-tag" && reason.contains("'past due' is not a tag id"))
        #expect(Self.onlyAction(DunningAction.task(title: "Call", assignee: "Billing Team", dueInDays: nil).engineWorkflow)
            == .createTask(TaskDetails(title: "Call", description: "For Billing Team (not a user id, so the task is the contact's owner's).")))
        #expect(Self.onlyAction(DunningAction.notify(to: "Billing Team", text: "x").engineWorkflow)
            == .notify(InternalNotification(to: .owner, subject: "x", body: "For Billing Team: x")))
        #expect(Self.onlyAction(DunningAction.notify(to: "a@b@c", text: "x").engineWorkflow)
            == .notify(InternalNotification(to: .owner, subject: "x", body: "For a@b@c: x")))
    }

    @Test func aNotificationsSubjectIsItsFirstLineWithinTwoHundredCharacters() {
        func subject(_ text: String) -> String? {
            guard case .notify(let notification)? = Self.onlyAction(DunningAction.notify(to: "owner", text: text).engineWorkflow) else { return nil }
            return notification.subject
        }
        #expect(subject("\n\nbody") == "Dunning notification")
        #expect(subject("  Card declined  \nbody") == "Card declined")
        #expect(subject(String(repeating: "a", count: 200)) == String(repeating: "a", count: 200))
        #expect(subject(String(repeating: "a", count: 201)) == String(repeating: "a", count: 200) + "…")
    }

    @Test func finalActions() {
        func action(_ final: FinalAction) -> WorkflowAction? { final.engineWorkflow.flatMap(Self.onlyAction) }
        #expect(action(FinalAction(.cancelNow)) == .cancelSubscription(planID: nil))
        #expect(action(FinalAction(.cancelAtPeriodEnd)) == .cancelSubscription(planID: nil))
        #expect(FinalAction(.cancelNow).engineWorkflow?.steps.map(\.id) == ["cancel-now"])
        #expect(FinalAction(.cancelAtPeriodEnd).engineWorkflow?.steps.map(\.id) == ["cancel-at-period-end"])
        guard case .createTask(let task)? = action(FinalAction(.writeOff)) else {
            Issue.record("write-off is a staff task")
            return
        }
        #expect(task.title.hasPrefix("Write off the unpaid invoice") && task.dueInDays == 1 && task.assigneeID == nil)
        #expect(FinalAction(.runWorkflow, workflow: "sequence.winback").engineWorkflow?.steps.map(\.kind) == [.call(workflowID: "sequence.winback")])
        // Built in code without its workflow (a file cannot): a legacy action, never an invalid workflow.
        guard case .legacy? = action(FinalAction(.runWorkflow)) else {
            Issue.record("run-workflow without a workflow is a legacy action")
            return
        }
    }

    // MARK: - Templates

    @Test func anEmailTakesItsTemplate() throws {
        let action = DunningAction.email(template: "dunning-reminder")
        let workflow = try action.engineWorkflow(timezone: "Europe/Dublin", templates: ["dunning-reminder": Self.emailTemplate])
        #expect(workflow.id == action.engineWorkflowID)
        #expect(workflow.settings.accountTimezone == "Europe/Dublin")
        let expected = EmailMessage(
            to: .contact, from: Sender(name: "Billing", address: "billing@example.com"), subject: "Your payment failed, {{contact.FirstName}}",
            text: "Hi {{contact.FirstName}}, please update your card.", templateID: "dunning-reminder")
        #expect(Self.onlyAction(workflow) == .sendEmail(expected))
        #expect(try Workflow(json: workflow.json) == workflow)
        // Other actions do not need templates.
        #expect(try DunningAction.suspendAccess.engineWorkflow(templates: [:]) == DunningAction.suspendAccess.engineWorkflow)
    }

    @Test func aMissingOrWrongTemplateIsAnErrorAtItsPath() throws {
        let policy = D.policy {
            $0.stages = [DunningStage(id: "s", name: "S", when: .attemptsFailed(atLeast: 1), actions: [.addTag("x"), .email(template: "dunning-final")])]
        }
        let missing = #expect(throws: DunningError.self) { try policy.actionWorkflows(templates: ["dunning-reminder": Self.emailTemplate]) }
        #expect(missing?.code == "missing-template")
        #expect(missing?.path?.description == "$.stages[0].actions[1].template")
        #expect(missing?.message.contains("templates/dunning-final.json") == true)

        let task = WorkflowTemplate(id: "dunning-final", kind: .task, name: "T", action: ["type": .string("create-task"), "title": .string("x")])
        let wrongKind = #expect(throws: DunningError.self) { try policy.actionWorkflows(templates: ["dunning-final": task]) }
        #expect(wrongKind?.code == "invalid-template")
        #expect(wrongKind?.message.contains("create-task template, not an email") == true)

        var noBody = Self.emailTemplate
        noBody.id = "dunning-final"
        noBody.action["text"] = nil
        let bodiless = #expect(throws: DunningError.self) { try policy.actionWorkflows(templates: ["dunning-final": noBody]) }
        #expect(bodiless?.code == "invalid-template")
        #expect(bodiless?.message.contains("html or a text body") == true)

        var noSender = Self.emailTemplate
        noSender.id = "dunning-final"
        noSender.action["from"] = nil
        let senderless = #expect(throws: DunningError.self) { try policy.actionWorkflows(templates: ["dunning-final": noSender]) }
        #expect(senderless?.code == "invalid-template")
        #expect(senderless?.path?.description == "$.stages[0].actions[1].template")
    }

    // MARK: - Every workflow reads back

    @Test(arguments: 0..<40 as Range<UInt64>)
    func everyWorkflowOfARandomPolicyReadsBack(seed: UInt64) throws {
        var random = RandomPolicy(seed: seed)
        let policy = random.policy()
        var emails: [String: WorkflowTemplate] = [:]
        for (action, _) in Self.allActions(policy) {
            if case .email(let id) = action { emails[id] = WorkflowTemplate(id: id, kind: .email, name: id, action: Self.emailTemplate.action) }
        }
        for workflows in [policy.actionWorkflows, try policy.actionWorkflows(templates: emails)] {
            #expect(workflows.map(\.id) == workflows.map(\.id).sorted())
            #expect(Set(workflows.map(\.id)).count == workflows.count)
            #expect(workflows.count <= DunningPolicy.maxActionWorkflows())
            for workflow in workflows {
                // What publish stores is the JSON; the store reads it back with the decoder.
                #expect(try Workflow(json: workflow.json) == workflow)
            }
        }
        let expected = Set(Self.allActions(policy).map { $0.0.engineWorkflowID } + [policy.final.engineWorkflowID].compactMap { $0 })
        #expect(Set(policy.actionWorkflows.map(\.id)) == expected)
    }

    static func allActions(_ policy: DunningPolicy) -> [(DunningAction, String)] {
        policy.stages.flatMap { $0.actions.map { ($0, "stage") } } + policy.attempts.flatMap { $0.actions.map { ($0, "attempt") } }
            + policy.recovered.map { ($0, "recovered") } + policy.final.actions.map { ($0, "final") } + [(DunningProcess.unknownChargeTask, "built-in")]
    }

    // MARK: - The bound

    @Test func aPolicyAtItsLimitsStaysWithinTheBound() throws {
        let limits = DunningLimits.standard
        #expect(DunningPolicy.maxActionWorkflows() == 7602)
        var serial = 0
        func distinct() -> [DunningAction] {
            (0..<limits.maxActions).map { _ in
                serial += 1
                return .addTag("t\(serial)")
            }
        }
        var policy = D.policy()
        policy.stages = (0..<limits.maxStages).map { DunningStage(id: "s\($0)", name: "S", when: .attemptsFailed(atLeast: $0), actions: distinct()) }
        policy.attempts = (0..<limits.maxAttemptRules).map { AttemptRule(attempt: $0 + 1, actions: distinct()) }
        policy.recovered = distinct()
        policy.final = FinalAction(.writeOff, actions: distinct())
        // The policy is one a file may hold.
        #expect(try DunningPolicy(json: policy.json) == policy)
        let workflows = policy.actionWorkflows
        #expect(workflows.count == DunningPolicy.maxActionWorkflows())
        #expect(try policy.actionWorkflows(templates: [:]).count == workflows.count)
        // Other limits, and a product that does not fit.
        #expect(DunningPolicy.maxActionWorkflows(limits: DunningLimits(maxStages: 1, maxActions: 2, maxAttemptRules: 3)) == 2 + 6 + 4 + 2)
        #expect(DunningPolicy.maxActionWorkflows(limits: DunningLimits(maxStages: Int.max, maxActions: 2)) == Int.max)
        #expect(DunningPolicy.maxActionWorkflows(limits: DunningLimits(maxActions: Int.max / 2)) == Int.max)
    }

    // MARK: - The unknown-charge task

    @Test func anUnknownChargesTaskIsTheBuiltInActionAndItsDetailNamesTheKey() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "unknown", "lookup": "not-found"}}"#)
        let run = D.run(D.policy(), [D.failed("inv-1")], script: script)
        let tasks = run.entries.filter { $0.kind == .task }
        #expect(tasks.count == 1)
        #expect(tasks.first?.action == DunningProcess.unknownChargeTask)
        #expect(tasks.first?.detail.contains("outcome unknown: charge inv-1/attempt-2") == true)
        #expect(D.policy().actionWorkflows.map(\.id).contains(DunningProcess.unknownChargeTask.engineWorkflowID))
    }

    @Test func anUnknownChargeWhenTheInvoiceIsPaidGivesTheSameTaskWithTheReason() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "unknown", "lookup": "not-found"}}"#)
        let run = D.run(D.policy(), [D.failed("inv-1"), D.paid("inv-1", at: D.at(days: 3))], script: script)
        let task = try #require(run.entries.first { $0.kind == .task })
        #expect(task.action == DunningProcess.unknownChargeTask)
        #expect(task.detail.contains("outcome unknown: charge inv-1/attempt-2, the invoice was"))
    }
}
