// An action's canonical text written straight from the model (``CanonicalJSONWriter``): the same
// bytes as its `json`, each object's members in key order.

extension WorkflowAction {
    /// The template the action names, if any (its `template` member).
    var templateReference: String? {
        switch self {
        case .sendEmail(let message): message.templateID
        case .notify(let notification): notification.templateID
        case .createTask(let task): task.templateID
        case .createNote(_, _, _, let templateID), .completeTasks(let templateID), .legacy(_, let templateID, _): templateID
        case .createAppointment(let appointment): appointment.templateID
        default: nil
        }
    }

    /// Writes the action as a workflow file holds it. One naming a template of `templates` is
    /// built as a `JSONValue` and written as ``Workflow/json(referencing:)`` has it (the members its
    /// template gives left out); every other one is written directly.
    func write(to writer: inout CanonicalJSONWriter, templates: [String: WorkflowTemplate]) {
        if let id = templateReference, let template = templates[id] {
            guard case .object(let members) = json else { return writer.value(json) }
            return writer.value(.object(Workflow.referencing(template, members)))
        }
        writer.beginObject()
        switch self {
        case .addTag(let tagID), .removeTag(let tagID):
            writer.member("tag", tagID)
            writeType(to: &writer)
        case .sendEmail(let message):
            message.write(to: &writer)
            writeType(to: &writer)
        case .sendSMS(let from, let message):
            writer.member("from", from)
            writer.member("message", message)
            writeType(to: &writer)
        case .notify(let notification):
            notification.write(to: &writer)
            writeType(to: &writer)
        case .createTask(let task):
            task.write(to: &writer)
            writeType(to: &writer)
        case .createNote(let title, let type, let body, let templateID):
            writer.member("body", body)
            writer.member("noteType", type)
            writer.member("template", templateID)
            writer.member("title", title)
            writeType(to: &writer)
        case .createAppointment(let appointment):
            appointment.write(to: &writer)
            writeType(to: &writer)
        case .webhook(let webhook):
            webhook.write(to: &writer)
        case .updateField(let field, let value):
            writer.member("field", field)
            writeType(to: &writer)
            writer.member("value", value)
        case .assignOwner(let userID):
            writeType(to: &writer)
            writer.member("user", userID)
        case .createOrder(let order):
            order.write(to: &writer)
            writeType(to: &writer)
        case .cancelSubscription(let planID):
            writer.member("subscriptionPlan", planID)
            writeType(to: &writer)
        case .completeTasks(let templateID):
            writer.member("template", templateID)
            writeType(to: &writer)
        case .createOpportunity(let title, let stage, let ownerID):
            writer.member("owner", ownerID)
            writer.member("stage", stage)
            writer.member("title", title)
            writeType(to: &writer)
        case .retryCharge:
            writeType(to: &writer)
        case .achieveGoal(let integration, let callName):
            writer.member("callName", callName)
            writer.member("integration", integration)
            writeType(to: &writer)
        case .legacy(let element, let templateID, let reason):
            writer.member("element", element)
            writer.member("reason", reason)
            writer.member("template", templateID)
            writeType(to: &writer)
        }
        writer.endObject()
    }

    private func writeType(to writer: inout CanonicalJSONWriter) {
        writer.key("type")
        writer.string(typeName)
    }
}

extension Recipient {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        switch self {
        case .contact: writer.member("type", word: "contact")
        case .owner: writer.member("type", word: "owner")
        case .user(let id):
            writer.member("type", word: "user")
            writer.member("user", id)
        case .address(let address):
            writer.member("address", address)
            writer.member("type", word: "address")
        }
        writer.endObject()
    }
}

extension EmailMessage {
    /// The members before `type`.
    func write(to writer: inout CanonicalJSONWriter) {
        if let from {
            writer.key("from")
            from.write(to: &writer)
        }
        writer.member("html", html)
        writer.member("replyTo", replyTo)
        writer.member("subject", subject)
        writer.member("template", templateID)
        writer.member("text", text)
        writer.key("to")
        to.write(to: &writer)
    }
}

extension InternalNotification {
    /// The members before `type`.
    func write(to writer: inout CanonicalJSONWriter) {
        writer.member("body", body)
        writer.member("fields", fields)
        writer.member("subject", subject)
        writer.member("template", templateID)
        writer.key("to")
        to.write(to: &writer)
    }
}

extension TaskDetails {
    /// The members before `type`.
    func write(to writer: inout CanonicalJSONWriter) {
        writer.member("assignee", assigneeID)
        writer.member("description", description)
        writer.member("dueInDays", dueInDays)
        writer.member("priority", priority?.rawValue)
        writer.member("template", templateID)
        writer.member("title", title)
    }
}

extension AppointmentDetails {
    /// The members before `type`.
    func write(to writer: inout CanonicalJSONWriter) {
        writer.member("assignee", assigneeID)
        writer.member("at", at)
        writer.member("description", description)
        writer.member("durationMinutes", durationMinutes)
        writer.member("inDays", inDays)
        writer.member("template", templateID)
        writer.member("title", title)
    }
}

extension Webhook {
    /// Every member, `type` among them.
    func write(to writer: inout CanonicalJSONWriter) {
        writer.key("fields")
        writer.beginArray()
        for field in fields {
            writer.element()
            writer.beginObject()
            writer.member("name", field.name)
            writer.member("value", field.value)
            writer.endObject()
        }
        writer.endArray()
        writer.member("includeAllContactFields", includeAllContactFields)
        writer.member("method", word: "POST")
        writer.member("type", word: "webhook")
        writer.member("url", url)
    }
}

extension CreateOrder {
    /// The members before `type`.
    func write(to writer: inout CanonicalJSONWriter) {
        writer.member("autocharge", autocharge)
        writer.key("lines")
        writer.beginArray()
        for line in lines {
            writer.element()
            line.write(to: &writer)
        }
        writer.endArray()
        writer.member("paymentPlan", paymentPlanID)
        writer.member("promoCode", promoCode)
    }
}

extension CreateOrder.Line {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        switch item {
        case .product(let id, let option):
            writer.member("priceOption", option)
            writer.member("product", id)
            writer.member("quantity", quantity)
        case .bundle(let id):
            writer.member("bundle", id)
            writer.member("quantity", quantity)
        case .subscriptionPlan(let id):
            writer.member("quantity", quantity)
            writer.member("subscriptionPlan", id)
        }
        writer.endObject()
    }
}
