import PurchaseActions

extension Engine {
    /// Runs one action: changes the contact for internal effects, and records every effect (external
    /// ones for delivery, with an idempotency key from enrollment, step and attempt).
    func perform(_ action: WorkflowAction, _ step: Step, _ enrollment: inout Enrollment) {
        guard let before = contacts.contact(id: enrollment.contactID) else {
            record(enrollment, step, .error, "\(step.id): the contact \(enrollment.contactID) no longer exists")
            return
        }
        var contact = before
        let workflowID = enrollment.frames.last?.workflowID ?? enrollment.workflowID
        let settings = programs[workflowID]?.workflow.settings
        let renderer = TemplateRenderer(contact: contact, today: calendar(for: enrollment).rules.civil(at: now), renders: options.rendersTemplates)
        enrollment.performed += 1
        let key = "\(enrollment.id)/\(enrollment.performed)/\(workflowID):\(step.id)"
        var details: [String: JSONValue] = [:]
        var external = false
        var deliverAt: Instant?
        var summary: String
        switch action {
        case .addTag(let tag):
            if !contact.tags.contains(tag) { contact.tags.append(tag) }
            details = ["tag": tag.json]
            summary = "add tag \(tag)"
        case .removeTag(let tag):
            contact.tags.removeAll { $0 == tag }
            details = ["tag": tag.json]
            summary = "remove tag \(tag)"
        case .updateField(let field, let value):
            let rendered = renderer.text(value)
            contact.fields[field] = rendered
            details = ["field": field.json, "value": rendered.json]
            summary = "set \(field) to \"\(rendered)\""
        case .assignOwner(let user):
            contact.ownerID = user
            contact.fields["OwnerID"] = user
            details = ["user": user.json]
            summary = "assign owner \(user)"
        case .sendEmail(let message):
            external = true
            let sender = message.from ?? settings?.defaultSender
            details = [
                "to": recipient(message.to, contact).json, "from": sender.map { .members(["name": renderer.text($0.name).json, "address": $0.address.json]) } ?? .null,
                "subject": renderer.text(message.subject).json, "html": message.html.map(renderer.html)?.json, "text": message.text.map(renderer.text)?.json,
                "template": message.templateID?.json,
            ].compactMapValues { $0 }
            deliverAt = message.to == .contact ? windowOpening(settings, enrollment) : nil
            summary = "send email \"\(renderer.text(message.subject))\" to \(recipient(message.to, contact))"
        case .sendSMS(let from, let text):
            external = true
            details = ["to": (contact.fields["Phone1"] ?? "").json, "from": from?.json ?? .null, "message": renderer.text(text).json]
            deliverAt = windowOpening(settings, enrollment)
            summary = "send SMS to \(contact.fields["Phone1"] ?? contact.id)"
        case .notify(let note):
            external = true
            let row = note.fields.map { contact.fields[$0] ?? "" }
            details = [
                "to": recipient(note.to, contact).json, "subject": renderer.text(note.subject).json,
                "body": note.body.map(renderer.text)?.json ?? .null, "fields": note.fields.json, "row": row.json,
            ]
            summary = "notify \(recipient(note.to, contact)): \(renderer.text(note.subject))"
        case .createTask(let task):
            details = [
                "title": renderer.text(task.title).json, "description": task.description.map(renderer.text)?.json ?? .null,
                "assignee": (task.assigneeID ?? contact.ownerID)?.json ?? .null, "dueInDays": task.dueInDays?.json ?? .null,
                "priority": task.priority?.rawValue.json ?? .null,
            ]
            summary = "create task \"\(renderer.text(task.title))\""
        case .createNote(let title, let type, let body, _):
            details = ["title": renderer.text(title).json, "noteType": type?.json ?? .null, "body": body.map(renderer.text)?.json ?? .null]
            summary = "add note \"\(renderer.text(title))\""
        case .createAppointment(let appointment):
            details = ["title": renderer.text(appointment.title).json, "inDays": appointment.inDays?.json ?? .null, "at": appointment.at?.json ?? .null]
            summary = "create appointment \"\(renderer.text(appointment.title))\""
        case .webhook(let hook):
            external = true
            var form = hook.fields.map { JSONValue.members(["name": $0.name.json, "value": renderer.text($0.value).json]) }
            if hook.includeAllContactFields {
                form = contact.fields.keys.sorted().map { JSONValue.members(["name": $0.json, "value": contact.fields[$0]!.json]) } + form
            }
            details = ["url": hook.url.json, "method": "POST".json, "form": .array(form)]
            summary = "POST \(hook.url)"
        case .createOrder(let order):
            external = true
            details = ["order": order.json]
            summary = "create order (\(order.lines.count) line\(order.lines.count == 1 ? "" : "s"), autocharge \(order.autocharge ? "on" : "off"))"
        case .cancelSubscription(let plan):
            external = true
            details = ["subscriptionPlan": plan?.json ?? .null]
            summary = "cancel subscription \(plan ?? "(every active one)")"
        case .completeTasks(let template):
            details = ["template": template?.json ?? .null]
            summary = "complete open tasks\(template.map { " from \($0)" } ?? "")"
        case .createOpportunity(let title, let stage, let owner):
            details = ["title": renderer.text(title).json, "stage": stage?.json ?? .null, "owner": owner?.json ?? .null]
            summary = "create opportunity \"\(renderer.text(title))\""
        case .retryCharge:
            external = true
            details = ["invoice": (enrollment.event?.payment?.invoice ?? enrollment.event?.autocharge?.invoice)?.json ?? .null]
            summary = "retry the charge"
        case .achieveGoal(let integration, let callName):
            details = ["integration": integration.json, "callName": callName.json]
            summary = "achieve API goal \(integration).\(callName)"
        case .legacy(let element, _, let reason):
            details = ["element": element.json, "reason": reason.json]
            summary = "legacy \(element): recorded, nothing done (\(reason))"
        }
        if contact != before { contacts.save(contact) }
        let effect = Effect(
            kind: action.typeName, details: .object(details), isExternal: external, idempotencyKey: external ? key : nil, deliverAt: deliverAt)
        effects.record(effect)
        record(enrollment, step, .completed, effect: effect, "\(step.id): \(summary)")
    }

    /// Who a message goes to, as an address or id.
    private func recipient(_ recipient: Recipient, _ contact: Contact) -> String {
        switch recipient {
        case .contact: contact.fields["Email"] ?? contact.id
        case .owner: contact.ownerID.map { "owner \($0)" } ?? "the contact's owner (none assigned)"
        case .user(let id): "user \(id)"
        case .address(let address): address
        }
    }

    /// When a message to the contact may go out under the workflow's send window: `nil` if now.
    private func windowOpening(_ settings: WorkflowSettings?, _ enrollment: Enrollment) -> Instant? {
        guard let window = settings?.sendWindow else { return nil }
        let opening = calendar(for: enrollment).nextOpening(window, atOrAfter: now)
        return opening > now ? opening : nil
    }
}

extension ZonedCalendar {
    /// The next opening of a send window at or after `instant` (`instant` itself if it is open).
    func nextOpening(_ window: SendWindow, atOrAfter instant: Instant) -> Instant {
        let days = Set(window.days.map { day in SendWindow.Day.allCases.firstIndex(of: day).map { ($0 + 1) % 7 } ?? 0 })
        guard let from = Self.parseTimeOfDay(window.from), let to = Self.parseTimeOfDay(window.to), (from.hour, from.minute) < (to.hour, to.minute),
            !days.isEmpty
        else { return instant }
        return nextOpening(days: days, from: from, to: to, atOrAfter: instant)
    }
}
