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
    func write(to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        if let id = templateReference, let template = templates.byID[id],
            write(referencing: template, sorted: templates.sortedMembers[id], to: &writer)
        {
            return
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

    /// Writes the action as `.object(Workflow.referencing(template, members))` of its `json`
    /// members writes it — the members equal to the template's left out, `null` for those the
    /// template has and the action does not — without building or sorting dictionaries: the
    /// action's members (``referencingMembers``, in key order) merged with the template's, sorted
    /// once. Returns false, writing nothing, when the action does not take the template's members
    /// (another `type`: it is then written whole, as the tree has it). A template with a key that
    /// is not plain ASCII is written through the tree (`String` equality of keys is Unicode
    /// equivalence, which only the dictionary settles).
    private func write(
        referencing template: WorkflowTemplate, sorted: [(key: String, value: JSONValue)]?, to writer: inout CanonicalJSONWriter
    ) -> Bool {
        let type = typeName
        if let templateType = template.action["type"], templateType != .string(type) { return false }
        guard let own = referencingMembers(type: type) else { return false }
        guard let theirs = sorted ?? TemplateReferences.sortedMembers(template) else {
            guard case .object(let members) = json else { return false }
            writer.value(.object(Workflow.referencing(template, members)))
            return true
        }
        writer.beginObject()
        var mine = 0
        var other = 0
        while mine < own.count || other < theirs.count {
            let order = mine == own.count ? 1 : other == theirs.count ? -1 : Self.compare(own[mine].key, theirs[other].key)
            if order < 0 {
                writer.key(own[mine].key)
                writer.value(own[mine].value)
                mine += 1
            } else if order > 0 {
                writer.key(theirs[other].key)
                writer.value(.null)
                other += 1
            } else {
                if own[mine].value != theirs[other].value {
                    writer.key(own[mine].key)
                    writer.value(own[mine].value)
                }
                mine += 1
                other += 1
            }
        }
        writer.endObject()
        return true
    }

    /// -1, 0 or 1 as `a` sorts before, equal to or after `b`, by UTF-8 bytes.
    private static func compare(_ a: StaticString, _ b: String) -> Int {
        let x = UnsafeBufferPointer(start: a.utf8Start, count: a.utf8CodeUnitCount)
        var b = b
        return b.withUTF8 { y in
            let count = Swift.min(x.count, y.count)
            for index in 0..<count where x[index] != y[index] { return x[index] < y[index] ? -1 : 1 }
            return x.count == y.count ? 0 : x.count < y.count ? -1 : 1
        }
    }

    /// The members of ``json``, in key order, for an action that can name a template; nil for the others.
    private func referencingMembers(type: String) -> [(key: StaticString, value: JSONValue)]? {
        var members: [(key: StaticString, value: JSONValue)] = []
        members.reserveCapacity(9)
        func add(_ key: StaticString, _ value: JSONValue?) {
            if let value { members.append((key, value)) }
        }
        switch self {
        case .sendEmail(let message):
            add("from", message.from?.json)
            add("html", message.html?.json)
            add("replyTo", message.replyTo?.json)
            add("subject", message.subject.json)
            add("template", message.templateID?.json)
            add("text", message.text?.json)
            add("to", message.to.json)
        case .notify(let notification):
            add("body", notification.body?.json)
            add("fields", .array(notification.fields.map(JSONValue.string)))
            add("subject", notification.subject.json)
            add("template", notification.templateID?.json)
            add("to", notification.to.json)
        case .createTask(let task):
            add("assignee", task.assigneeID?.json)
            add("description", task.description?.json)
            add("dueInDays", task.dueInDays?.json)
            add("priority", task.priority?.rawValue.json)
            add("template", task.templateID?.json)
            add("title", task.title.json)
        case .createNote(let title, let noteType, let body, let templateID):
            add("body", body?.json)
            add("noteType", noteType?.json)
            add("template", templateID?.json)
            add("title", title.json)
        case .createAppointment(let appointment):
            add("assignee", appointment.assigneeID?.json)
            add("at", appointment.at?.json)
            add("description", appointment.description?.json)
            add("durationMinutes", appointment.durationMinutes?.json)
            add("inDays", appointment.inDays?.json)
            add("template", appointment.templateID?.json)
            add("title", appointment.title.json)
        case .completeTasks(let templateID):
            add("template", templateID?.json)
        case .legacy(let element, let templateID, let reason):
            add("element", element.json)
            add("reason", reason.json)
            add("template", templateID?.json)
        default: return nil
        }
        add("type", type.json)
        return members
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

/// The templates a workflow file's actions may refer to (`Workflow.withCanonicalBytes(referencing:_:)`),
/// with, when prepared for many workflows, each template's members sorted by key once: writing an
/// action that refers to one then merges its members with the sorted list, not sorting the
/// template's members again for every action (Benchmarks/README.md, "Import throughput").
package struct TemplateReferences: Sendable {
    /// The templates, by id.
    let byID: [String: WorkflowTemplate]
    /// Each template's members in key order, by id, when prepared; none for a template with a key
    /// that is not plain ASCII (such a template is written through the tree).
    let sortedMembers: [String: [(key: String, value: JSONValue)]]

    /// The templates of `templates`; with `sorted`, each one's members sorted now, once.
    package init(_ templates: [String: WorkflowTemplate], sorted: Bool = false) {
        byID = templates
        var members: [String: [(key: String, value: JSONValue)]] = [:]
        if sorted {
            for (id, template) in templates {
                if let sorted = Self.sortedMembers(template) { members[id] = sorted }
            }
        }
        sortedMembers = members
    }

    /// The template's members sorted by key (code points, as canonical text orders them), or nil
    /// when a key is not plain ASCII (`String` equality of keys is then Unicode equivalence, which
    /// only the dictionary settles).
    static func sortedMembers(_ template: WorkflowTemplate) -> [(key: String, value: JSONValue)]? {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(template.action.count)
        for member in template.action {
            guard member.key.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            members.append(member)
        }
        members.sort { JSONValue.precedes($0.key, $1.key) }
        return members
    }
}
