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
    /// written as `Workflow/json(referencing:)` has it (the members its template gives left out);
    /// every other one is written directly.
    func write(to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        if let id = templateReference, let prepared = templates.prepared[id], write(referencing: prepared, to: &writer) {
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
    /// template has and the action does not — without building a tree or dictionaries: the
    /// action's members (`forEachReferencingMember(type:_:)`, in key order, each compared with
    /// the template's value where it has one) merged with the template's, sorted once. Returns
    /// false, writing nothing, when the action does not take the template's members (another
    /// `type`: it is then written whole, as the tree has it). A template with a key that is not
    /// plain ASCII is written through the tree (`String` equality of keys is Unicode equivalence,
    /// which only the dictionary settles).
    private func write(referencing prepared: TemplateReferences.Prepared, to writer: inout CanonicalJSONWriter) -> Bool {
        let type = typeName
        if let templateType = prepared.type, templateType != .string(type) { return false }
        guard takesTemplateMembers else { return false }
        guard let theirs = prepared.members else {
            guard case .object(let members) = json else { return false }
            writer.value(.object(Workflow.referencing(prepared.template, members)))
            return true
        }
        writer.beginObject()
        var other = 0
        forEachReferencingMember(type: type) { key, value in
            // The template's members before this one: the action lacks them.
            while other < theirs.count, Self.compare(key, theirs[other].key) > 0 {
                writer.key(theirs[other].key)
                writer.value(.null)
                other += 1
            }
            if other < theirs.count, Self.compare(key, theirs[other].key) == 0 {
                if !value.equals(theirs[other].value) {
                    writer.key(key)
                    value.write(to: &writer)
                }
                other += 1
            } else {
                writer.key(key)
                value.write(to: &writer)
            }
        }
        while other < theirs.count {
            writer.key(theirs[other].key)
            writer.value(.null)
            other += 1
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

    /// Whether the action can name a template whose members it takes (those
    /// `forEachReferencingMember(type:_:)` lists).
    private var takesTemplateMembers: Bool {
        switch self {
        case .sendEmail, .notify, .createTask, .createNote, .createAppointment, .completeTasks, .legacy: true
        default: false
        }
    }

    /// Calls `body` with each member of `json`, in key order, for an action that can name a
    /// template (`takesTemplateMembers`); the value is the member's JSON, unbuilt.
    private func forEachReferencingMember(type: String, _ body: (StaticString, ReferencingValue) -> Void) {
        func add(_ key: StaticString, _ text: String?) {
            if let text { body(key, .text(text)) }
        }
        func add(_ key: StaticString, _ number: Int?) {
            if let number { body(key, .integer(number)) }
        }
        switch self {
        case .sendEmail(let message):
            if let from = message.from { body("from", .sender(from)) }
            add("html", message.html)
            add("replyTo", message.replyTo)
            add("subject", message.subject)
            add("template", message.templateID)
            add("text", message.text)
            body("to", .recipient(message.to))
        case .notify(let notification):
            add("body", notification.body)
            body("fields", .texts(notification.fields))
            add("subject", notification.subject)
            add("template", notification.templateID)
            body("to", .recipient(notification.to))
        case .createTask(let task):
            add("assignee", task.assigneeID)
            add("description", task.description)
            add("dueInDays", task.dueInDays)
            add("priority", task.priority?.rawValue)
            add("template", task.templateID)
            add("title", task.title)
        case .createNote(let title, let noteType, let body, let templateID):
            add("body", body)
            add("noteType", noteType)
            add("template", templateID)
            add("title", title)
        case .createAppointment(let appointment):
            add("assignee", appointment.assigneeID)
            add("at", appointment.at)
            add("description", appointment.description)
            add("durationMinutes", appointment.durationMinutes)
            add("inDays", appointment.inDays)
            add("template", appointment.templateID)
            add("title", appointment.title)
        case .completeTasks(let templateID):
            add("template", templateID)
        case .legacy(let element, let templateID, let reason):
            add("element", element)
            add("reason", reason)
            add("template", templateID)
        default: return
        }
        add("type", type)
    }

    private func writeType(to writer: inout CanonicalJSONWriter) {
        writer.key("type")
        writer.string(typeName)
    }
}

/// A member of an action that names a template, as its `json` would hold it, without building it:
/// compared with the template's value as `JSONValue` equality compares (`equals(_:)`), and
/// written as `CanonicalJSONWriter.value(_:)` writes that JSON (`write(to:)`).
enum ReferencingValue {
    /// `.string`.
    case text(String)
    /// `.integer`.
    case integer(Int)
    /// `.array` of `.string`s.
    case texts([String])
    /// `Sender.json`: `{"address", "name"}`.
    case sender(Sender)
    /// `Recipient.json`: `{"type"}` with `user` or `address`.
    case recipient(Recipient)

    /// Whether the JSON form equals `json` (`JSONValue.==`, strings compared as `String`s are).
    func equals(_ json: JSONValue) -> Bool {
        switch self {
        case .text(let text):
            guard case .string(let other) = json else { return false }
            return text == other
        case .integer(let number):
            guard case .integer(let other) = json else { return false }
            return number == other
        case .texts(let texts):
            guard case .array(let values) = json, values.count == texts.count else { return false }
            for index in texts.indices {
                guard case .string(let other) = values[index], other == texts[index] else { return false }
            }
            return true
        case .sender(let sender):
            guard case .object(let members) = json, members.count == 2 else { return false }
            return members["address"] == .string(sender.address) && members["name"] == .string(sender.name)
        case .recipient(let recipient):
            guard case .object(let members) = json else { return false }
            switch recipient {
            case .contact: return members.count == 1 && members["type"] == .string("contact")
            case .owner: return members.count == 1 && members["type"] == .string("owner")
            case .user(let id): return members.count == 2 && members["type"] == .string("user") && members["user"] == .string(id)
            case .address(let address):
                return members.count == 2 && members["type"] == .string("address") && members["address"] == .string(address)
            }
        }
    }

    /// Writes the JSON form: the bytes `writer.value(json)` writes.
    func write(to writer: inout CanonicalJSONWriter) {
        switch self {
        case .text(let text): writer.string(text)
        case .integer(let number): writer.integer(number)
        case .texts(let texts): writer.strings(texts)
        case .sender(let sender): sender.write(to: &writer)
        case .recipient(let recipient): recipient.write(to: &writer)
        }
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
    /// A template as the writer uses it: found with one look-up per action.
    struct Prepared: Sendable {
        /// The template.
        let template: WorkflowTemplate
        /// Its members in key order, when prepared (`isSorted`) and its keys are plain ASCII.
        let sorted: [(key: String, value: JSONValue)]?
        /// Whether `sorted` was made (else the members are sorted for each action naming the template).
        let isSorted: Bool
        /// Its `type` member, if any.
        let type: JSONValue?

        /// The members in key order, or nil when a key is not plain ASCII.
        var members: [(key: String, value: JSONValue)]? { isSorted ? sorted : TemplateReferences.sortedMembers(template) }
    }

    /// Each template with its sorted members and type, by id (`sorted` is nil for a template with a
    /// key that is not plain ASCII: such a template is written through the tree).
    let prepared: [String: Prepared]

    /// The templates of `templates`; with `sorted`, each one's members sorted now, once.
    package init(_ templates: [String: WorkflowTemplate], sorted: Bool = false) {
        var prepared: [String: Prepared] = [:]
        for (id, template) in templates {
            // Unprepared, the members are sorted for each action that names the template.
            let order = sorted ? Self.sortedMembers(template) : nil
            prepared[id] = Prepared(template: template, sorted: order, isSorted: sorted, type: template.action["type"])
        }
        self.prepared = prepared
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
