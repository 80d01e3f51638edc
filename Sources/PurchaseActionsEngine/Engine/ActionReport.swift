import PurchaseActionsCore

/// What one performed action says: its effect's details and its log line, composed from a snapshot
/// taken when it ran (the contact before the action, the day) and the program (which never
/// changes: the workflow's id and default sender), so they read the same
/// whenever they are read. Templates render here, only when rendering is on.
///
/// It is also the action's log record (its box) and what its effect holds: one object an action.
final class ActionReport: LogRecord.Box, @unchecked Sendable {
    /// The action's step and action; not retained, as ``program`` holds it.
    var instruction: ActionInstruction { instructionLink.object }
    private let instructionLink: UnownedLink<ActionInstruction>
    /// When it ran, and the event (or timer) it ran for.
    let at: Instant
    let cause: String
    /// The enrollment, the number of the action in it and the workflow: the idempotency key's parts.
    let enrollmentID: String
    let performed: Int
    /// The program of the workflow the action ran in.
    let program: Program
    /// The contact's id, kept only when the contact is not (so a report retains one of them).
    private let changedContactID: String?
    /// The contact's id.
    var contactID: String { found?.contact.id ?? changedContactID ?? "" }
    /// The contact as the action found it, kept only by an action that reads it (a message, a task,
    /// a webhook: `nil` for one that changes tags, a field or the owner, whose record needs only
    /// what it wrote), so a run of changes keeps no copy of the contact per change.
    let found: ContactBox?
    /// The contact as the action found it (an empty one with its id for an action that kept none).
    var contact: Contact { found?.contact ?? Contact(id: contactID, createdAt: at) }
    /// The day in the workflow's timezone when rendering is on; `nil` means templates stay as written.
    let today: CivilDateTime?
    /// The rendered value an `update-field` wrote.
    let assigned: String?
    /// The invoice a `retry-charge` retries.
    let invoice: String?
    /// When the effect may be delivered (a send window's opening), if later than when it ran.
    let deliverAt: Instant?

    init(
        _ instruction: ActionInstruction, at: Instant, cause: String, enrollmentID: String, performed: Int, program: Program, contactID: String, contact: ContactBox?,
        today: CivilDateTime?, assigned: String?, invoice: String?, deliverAt: Instant?
    ) {
        instructionLink = UnownedLink(instruction)
        self.at = at
        self.cause = cause
        self.enrollmentID = enrollmentID
        self.performed = performed
        self.program = program
        changedContactID = contact == nil ? contactID : nil
        self.found = contact
        self.today = today
        self.assigned = assigned
        self.invoice = invoice
        self.deliverAt = deliverAt
    }

    /// The action's record: a completed step of its workflow, with this report as its effect.
    override var fields: LogRecord.Fields {
        LogRecord.Fields(
            at: at, cause: cause, workflowID: program.id, version: program.version, enrollmentID: enrollmentID, contactID: contactID,
            stepID: instruction.stepID, status: .completed, effect: Effect(self, isExternal: instruction.isExternal, deliverAt: deliverAt), reason: .given(nil), text: .action(self))
    }

    /// For an external effect, `<enrollment>/<action number>/<workflow>:<step>`: the same for a
    /// redelivery, new for a step run again.
    var idempotencyKey: String? {
        instruction.isExternal ? "\(enrollmentID)/\(performed)/\(program.id):\(instruction.stepID)" : nil
    }

    /// The log line: `<step>: <what it did>`.
    var message: String { "\(instruction.step.id): \(summary)" }

    /// What the action did, in words.
    var summary: String {
        switch instruction.action {
        case .addTag(let tag): return "add tag \(tag)"
        case .removeTag(let tag): return "remove tag \(tag)"
        case .updateField(let field, _): return "set \(field) to \"\(assigned ?? "")\""
        case .assignOwner(let user): return "assign owner \(user)"
        case .sendEmail(let message): return "send email \"\(renderer.text(message.subject))\" to \(recipient(message.to))"
        case .sendSMS: return "send SMS to \(contact.fields["Phone1"] ?? contact.id)"
        case .notify(let note): return "notify \(recipient(note.to)): \(renderer.text(note.subject))"
        case .createTask(let task): return "create task \"\(renderer.text(task.title))\""
        case .createNote(let title, _, _, _): return "add note \"\(renderer.text(title))\""
        case .createAppointment(let appointment): return "create appointment \"\(renderer.text(appointment.title))\""
        case .webhook(let hook): return "POST \(hook.url)"
        case .createOrder(let order):
            return "create order (\(order.lines.count) line\(order.lines.count == 1 ? "" : "s"), autocharge \(order.autocharge ? "on" : "off"))"
        case .cancelSubscription(let plan): return "cancel subscription \(plan ?? "(every active one)")"
        case .completeTasks(let template): return "complete open tasks\(template.map { " from \($0)" } ?? "")"
        case .createOpportunity(let title, _, _): return "create opportunity \"\(renderer.text(title))\""
        case .retryCharge: return "retry the charge"
        case .achieveGoal(let integration, let callName): return "achieve API goal \(integration).\(callName)"
        case .legacy(let element, _, let reason): return "legacy \(element): recorded, nothing done (\(reason))"
        }
    }

    /// The effect's details, as the log writes them and a deliverer reads them.
    var details: JSONValue {
        let details: [String: JSONValue?]
        switch instruction.action {
        case .addTag(let tag), .removeTag(let tag):
            details = ["tag": tag.json]
        case .updateField(let field, _):
            details = ["field": field.json, "value": (assigned ?? "").json]
        case .assignOwner(let user):
            details = ["user": user.json]
        case .sendEmail(let message):
            let sender = message.from ?? program.workflow.settings.defaultSender
            details = [
                "to": recipient(message.to).json,
                "from": sender.map { .members(["name": renderer.header($0.name).json, "address": $0.address.json]) } ?? .null,
                "subject": renderer.header(message.subject).json, "html": message.html.map(renderer.html)?.json,
                "text": message.text.map(renderer.text)?.json, "template": message.templateID?.json,
            ]
        case .sendSMS(let from, let text):
            details = ["to": (contact.fields["Phone1"] ?? "").json, "from": from?.json ?? .null, "message": renderer.text(text).json]
        case .notify(let note):
            let row = note.fields.map { contact.fields[$0] ?? "" }
            details = [
                "to": recipient(note.to).json, "subject": renderer.header(note.subject).json,
                "body": note.body.map(renderer.text)?.json ?? .null, "fields": note.fields.json, "row": row.json,
            ]
        case .createTask(let task):
            details = [
                "title": renderer.text(task.title).json, "description": task.description.map(renderer.text)?.json ?? .null,
                "assignee": (task.assigneeID ?? contact.ownerID)?.json ?? .null, "dueInDays": task.dueInDays?.json ?? .null,
                "priority": task.priority?.rawValue.json ?? .null,
            ]
        case .createNote(let title, let type, let body, _):
            details = ["title": renderer.text(title).json, "noteType": type?.json ?? .null, "body": body.map(renderer.text)?.json ?? .null]
        case .createAppointment(let appointment):
            details = ["title": renderer.text(appointment.title).json, "inDays": appointment.inDays?.json ?? .null, "at": appointment.at?.json ?? .null]
        case .webhook(let hook):
            var form = hook.fields.map { JSONValue.members(["name": $0.name.json, "value": renderer.text($0.value).json]) }
            if hook.includeAllContactFields {
                form = contact.fields.keys.sorted().map { JSONValue.members(["name": $0.json, "value": contact.fields[$0]!.json]) } + form
            }
            details = ["url": hook.url.json, "method": "POST".json, "form": .array(form)]
        case .createOrder(let order):
            details = ["order": order.json]
        case .cancelSubscription(let plan):
            details = ["subscriptionPlan": plan?.json ?? .null]
        case .completeTasks(let template):
            details = ["template": template?.json ?? .null]
        case .createOpportunity(let title, let stage, let owner):
            details = ["title": renderer.text(title).json, "stage": stage?.json ?? .null, "owner": owner?.json ?? .null]
        case .retryCharge:
            details = ["invoice": invoice?.json ?? .null]
        case .achieveGoal(let integration, let callName):
            details = ["integration": integration.json, "callName": callName.json]
        case .legacy(let element, _, let reason):
            details = ["element": element.json, "reason": reason.json]
        }
        return .object(details.compactMapValues { $0 })
    }

    /// Renders the action's templates from the contact as it found it, on its day.
    var renderer: TemplateRenderer { TemplateRenderer(contact: contact, today: today, account: program.account) }

    /// Who a message goes to, as an address or id.
    func recipient(_ recipient: Recipient) -> String {
        switch recipient {
        case .contact: TemplateRenderer.headerSafe(contact.fields["Email"] ?? contact.id)
        case .owner: contact.ownerID.map { "owner \($0)" } ?? "the contact's owner (none assigned)"
        case .user(let id): "user \(id)"
        case .address(let address): address
        }
    }
}
