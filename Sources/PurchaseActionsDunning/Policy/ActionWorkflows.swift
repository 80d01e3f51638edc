import PurchaseActionsCore

/// How each dunning action and final action becomes a one-step workflow (Docs/dunning.md, "How
/// actions run"): the mapping table in code.
enum ActionWorkflows {
    /// Manual workflows run by id: the priority compiled action sets have.
    static let priority = 50

    /// The workflow of an action, built without templates (an email sends nothing).
    static func workflow(of action: DunningAction, timezone: String?) -> Workflow {
        let step: Step
        if case .email(let template) = action {
            step = Step(
                id: action.typeName,
                .action(.legacy(
                    element: "email", templateID: Workflow.isValidID(template) ? template : nil,
                    reason: "built without templates: the email's template '\(DisplayText.escape(template))' was not given, so nothing is sent (publish builds this workflow with the folder's templates/)")))
        } else {
            step = self.step(of: action)
        }
        return checked(make(id: action.engineWorkflowID, name: name(of: action), action: action.json, timezone: timezone, step: step))
    }

    /// The workflow of an action, an email taking its members from `templates`; errors at `path`.
    static func workflow(of action: DunningAction, timezone: String?, templates: [String: WorkflowTemplate], at path: JSONPath) throws(DunningError) -> Workflow {
        guard case .email(let templateID) = action else { return workflow(of: action, timezone: timezone) }
        let here = path.member("template")
        guard let template = templates[templateID] else {
            throw DunningError(
                "missing-template",
                "the email's template '\(DisplayText.escape(templateID))' is not in templates/: add templates/\(DisplayText.escape(templateID)).json (an email template: type send-email, from, subject, html or text)",
                path: here)
        }
        if let type = template.action["type"], type != .string("send-email") {
            let shown: String
            switch type {
            case .string(let name): shown = DisplayText.escape(name)
            default: shown = type.compactText
            }
            throw DunningError(
                "invalid-template", "template '\(DisplayText.escape(templateID))' is a \(shown) template, not an email (its action's type is not send-email)",
                path: here)
        }
        let placeholder = make(
            id: action.engineWorkflowID, name: name(of: action), action: action.json, timezone: timezone, step: Step(id: action.typeName, .exit))
        guard case .object(var root) = placeholder.json else { return placeholder }
        root["steps"] = .array([
            .members([
                "id": action.typeName.json, "type": "action".json,
                "action": .members(["type": "send-email".json, "template": templateID.json, "to": .members(["type": "contact".json])]),
            ])
        ])
        do {
            return try Workflow(json: .object(root), templates: [templateID: template])
        } catch {
            throw DunningError(
                "invalid-template",
                "template '\(DisplayText.escape(templateID))' does not make a whole email: \(error.message) (templates/\(DisplayText.escape(templateID)).json)",
                path: here)
        }
    }

    /// The workflow of a final action; `nil` for `keep-past-due`.
    static func workflow(of final: FinalAction, timezone: String?) -> Workflow? {
        guard let id = final.engineWorkflowID else { return nil }
        let stepID = final.kind.rawValue
        let step: Step
        let name: String
        switch final.kind {
        case .keepPastDue:
            return nil
        case .cancelNow:
            step = Step(id: stepID, .action(.cancelSubscription(planID: nil)))
            name = "Dunning final action: cancel the subscription now"
        case .cancelAtPeriodEnd:
            step = Step(id: stepID, .action(.cancelSubscription(planID: nil)))
            name = "Dunning final action: cancel the subscription at the end of the period"
        case .writeOff:
            step = Step(id: stepID, .action(.createTask(TaskDetails(title: writeOffTitle, dueInDays: 1))))
            name = "Dunning final action: write the invoice off"
        case .runWorkflow:
            let target = final.workflow ?? ""
            step = Step(id: stepID, callOrLegacy(target, element: "run-workflow"))
            name = "Dunning final action: run workflow \(target)"
        }
        return checked(make(id: id, name: name, action: finalIdentity(final), timezone: timezone, step: step))
    }

    /// What a final action's id is the digest of: its `action` and `workflow`, not its `actions`.
    static func finalIdentity(_ final: FinalAction) -> JSONValue {
        .members(["action": final.kind.rawValue.json, "workflow": final.workflow.json])
    }

    /// The title of the staff task `write-off` creates.
    static let writeOffTitle =
        "Write off the unpaid invoice in the accounting system: dunning ended without payment (the contact's dunning timeline names the invoice)"

    // MARK: - Steps

    /// The one step of an action other than an email.
    static func step(of action: DunningAction) -> Step {
        let id = action.typeName
        switch action {
        case .email(let template):
            return Step(id: id, .action(.legacy(element: "email", templateID: nil, reason: "the template '\(DisplayText.escape(template))' was not given")))
        case .sms(let text):
            return Step(id: id, .action(.sendSMS(from: nil, message: text)))
        case .task(let title, let assignee, let dueInDays):
            var details = TaskDetails(title: title, dueInDays: dueInDays)
            if let assignee, assignee != "owner" {
                if Workflow.isValidID(assignee) {
                    details.assigneeID = assignee
                } else {
                    details.description = "For \(assignee) (not a user id, so the task is the contact's owner's)."
                }
            }
            return Step(id: id, .action(.createTask(details)))
        case .notify(let to, let text):
            let subject = subject(of: text)
            if to == "owner" { return Step(id: id, .action(.notify(InternalNotification(to: .owner, subject: subject, body: text)))) }
            if to.contains("@"), accepts(.address(to)) {
                return Step(id: id, .action(.notify(InternalNotification(to: .address(to), subject: subject, body: text))))
            }
            if Workflow.isValidID(to) { return Step(id: id, .action(.notify(InternalNotification(to: .user(to), subject: subject, body: text)))) }
            return Step(id: id, .action(.notify(InternalNotification(to: .owner, subject: subject, body: "For \(to): \(text)"))))
        case .addTag(let tag):
            return Step(id: id, tagStep(tag, add: true))
        case .removeTag(let tag):
            return Step(id: id, tagStep(tag, add: false))
        case .setField(let field, let value):
            let update = WorkflowAction.updateField(field: field, value: value)
            guard accepts(update) else {
                return Step(id: id, .action(.legacy(element: "set-field", templateID: nil, reason: "'\(DisplayText.escape(field))' is not a contact field name the workflow format accepts: no field is set")))
            }
            return Step(id: id, .action(update))
        case .webhook(let url):
            return Step(id: id, .action(.webhook(Webhook(url: url, fields: [], includeAllContactFields: true))))
        case .suspendAccess:
            return Step(id: id, .action(.addTag(tagID: DunningAction.accessSuspendedTag)))
        case .restoreAccess:
            return Step(id: id, .action(.removeTag(tagID: DunningAction.accessSuspendedTag)))
        case .runWorkflow(let workflow):
            return Step(id: id, callOrLegacy(workflow, element: "run-workflow"))
        }
    }

    /// `add-tag` / `remove-tag`, or a `legacy` action for a tag the format does not accept as an id.
    static func tagStep(_ tag: String, add: Bool) -> Step.Kind {
        guard Workflow.isValidID(tag) else {
            return .action(.legacy(
                element: add ? "add-tag" : "remove-tag", templateID: nil,
                reason: "'\(DisplayText.escape(tag))' is not a tag id (1 to 128 characters A-Z a-z 0-9 . _ : -, starting with a letter or digit): the contact's tags are not changed; the policy's own stage conditions still see the tag"))
        }
        return .action(add ? .addTag(tagID: tag) : .removeTag(tagID: tag))
    }

    /// A `call` of the workflow, or a `legacy` action when its id is not a workflow id.
    static func callOrLegacy(_ workflow: String, element: String) -> Step.Kind {
        guard Workflow.isValidID(workflow) else {
            return .action(.legacy(element: element, templateID: nil, reason: "'\(DisplayText.escape(workflow))' is not a workflow id: nothing is run"))
        }
        return .call(workflowID: workflow)
    }

    /// A notification's subject: the text's first line (header text: no line break), at most 200
    /// characters, else "Dunning notification".
    static func subject(of text: String) -> String {
        let line = text.unicodeScalars.prefix { !isHeaderBreak($0) }
        let kept = String(String.UnicodeScalarView(line.prefix(200)))
        let trimmed = kept.trimmingSpaces()
        if trimmed.isEmpty { return "Dunning notification" }
        return line.count > 200 ? trimmed + "…" : trimmed
    }

    static func isHeaderBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00, 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Whether the workflow decoder accepts an action (or a recipient) as built.
    static func accepts(_ action: WorkflowAction) -> Bool {
        (try? WorkflowAction(json: action.json)) != nil
    }

    static func accepts(_ recipient: Recipient) -> Bool {
        (try? Recipient(json: recipient.json)) != nil
    }

    // MARK: - The workflow

    /// A whole one-step workflow run by id.
    static func make(id: String, name: String, action: JSONValue, timezone: String?, step: Step) -> Workflow {
        Workflow(
            id: id, name: name,
            description: "Generated from a dunning policy's action \(action.compactText): the worker runs it for the invoice's contact when the policy does the action (Docs/dunning.md, \"How actions run\").",
            version: 1, status: .published, priority: priority, triggers: [Trigger(id: "manual", event: .manual)], steps: [step],
            settings: WorkflowSettings(allowReentry: true, onePerOrder: false, stopOnResponse: false, timezone: .account, accountTimezone: timezone ?? "UTC"))
    }

    /// `workflow` when the workflow decoder reads its JSON back, else the same workflow whose step
    /// is a `legacy` action saying why (only an action built in code can get here: every value a
    /// policy file gives maps to a step the format accepts).
    static func checked(_ workflow: Workflow) -> Workflow {
        do {
            _ = try Workflow(json: workflow.json)
            return workflow
        } catch {
            var fallback = workflow
            fallback.steps = [
                Step(
                    id: workflow.steps.first?.id ?? "action",
                    .action(.legacy(element: "dunning-action", templateID: nil, reason: "the action does not make a valid workflow step, so nothing is done: \(error.path): \(DisplayText.escape(error.message))")))
            ]
            if (try? Workflow(json: fallback.json)) == nil { fallback.settings.accountTimezone = "UTC" }
            return fallback
        }
    }

    /// A name for people: "Dunning action: email dunning-reminder".
    static func name(of action: DunningAction) -> String {
        let detail: String
        switch action {
        case .email(let template): detail = "email \(template)"
        case .sms: detail = "SMS to the customer"
        case .task(let title, _, _): detail = "task \(short(title))"
        case .notify(let to, _): detail = "notify \(short(to))"
        case .addTag(let tag): detail = "add tag \(tag)"
        case .removeTag(let tag): detail = "remove tag \(tag)"
        case .setField(let field, _): detail = "set field \(field)"
        case .webhook(let url): detail = "webhook \(short(url))"
        case .suspendAccess: detail = "suspend access"
        case .restoreAccess: detail = "restore access"
        case .runWorkflow(let workflow): detail = "run workflow \(workflow)"
        }
        return "Dunning action: " + DisplayText.escape(detail)
    }

    /// At most 60 characters of one line.
    static func short(_ text: String) -> String {
        let line = text.unicodeScalars.prefix { !isHeaderBreak($0) }
        return line.count > 60 ? String(String.UnicodeScalarView(line.prefix(60))) + "…" : String(String.UnicodeScalarView(line))
    }
}

extension String {
    /// Without spaces at either end.
    fileprivate func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
