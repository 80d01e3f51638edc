import Foundation
import PurchaseActionsCore

/// Running action sets: each action in order, gated by its rule; contact changes happen at once, so
/// later rules see them; run-action-set runs the other set inline.
///
/// Effect texts (the harness maps the engine's log to the same):
/// `add-tag T`, `remove-tag T`, `send-email TPL to contact|owner:U|owner:none|user:U subject=S`,
/// `send-sms to=PHONE from=F message=M`, `notify ADDRESS row=A|B|C`, `create-task title=T assignee=U|none`,
/// `create-note TITLE`, `create-appointment TITLE`, `webhook URL n=v&n=v`, `update-field F=V`,
/// `assign-owner U`, `create-order lines=N autocharge=B plan=P promo=C`, `cancel-subscription P|all`,
/// `complete-tasks TPL|all`, `create-opportunity TITLE stage=S owner=U`, `achieve-goal I/C`,
/// `legacy ELEMENT` (fax, letter, voice, unknown elements). Texts are rendered with the contact as it
/// is when the action runs.
extension ReferenceModel {
    func runActionSet(_ id: String, contactID: String) {
        guard let set = actionSets[id] else { return }
        for action in set.actions { perform(action, contactID: contactID) }
    }

    func perform(_ action: Action, contactID: String) {
        guard let contact = contacts[contactID] else { return }
        if let rule = action.rule, !holds(rule, contact) { return }
        func emit(_ text: String) { effects.append(ReferenceEffect(contact: contactID, text: text)) }
        func render(_ text: String) -> String { self.render(text, contactID) }
        let templates = account.catalogue.templates
        switch action.kind {
        case .applyTag(let tag):
            update(contactID) { if !$0.tags.contains(tag) { $0.tags.append(tag) } }
            emit("add-tag \(tag)")
        case .removeTag(let tag):
            update(contactID) { $0.tags.removeAll { $0 == tag } }
            emit("remove-tag \(tag)")
        case .sendEmail(let templateID, let to):
            guard case .email(let email)? = templates[templateID]?.content else { return emit("legacy send-email") }
            let recipient =
                switch to {
                case .contact: "contact"
                case .owner: "owner:\(contact.owner ?? "none")"
                case .user(let id): "user:\(id)"
                }
            emit("send-email \(templateID) to \(recipient) subject=\(render(email.subject))")
        case .sendSMS(let from, let message):
            emit("send-sms to=\(contact.fields["Phone1"] ?? "") from=\(from ?? "-") message=\(render(message))")
        case .createTask(let templateID):
            guard let template = templates[templateID], case .task(let task) = template.content else { return emit("legacy create-task") }
            emit("create-task title=\(render(template.name)) assignee=\(task.assigneeID ?? contact.owner ?? "none")")
        case .createNote(let templateID):
            guard let template = templates[templateID], template.kind == .note else { return emit("legacy create-note") }
            emit("create-note \(render(template.name))")
        case .createAppointment(let templateID):
            guard let template = templates[templateID], template.kind == .appointment else { return emit("legacy create-appointment") }
            emit("create-appointment \(render(template.name))")
        case .httpPost(let post):
            var form = post.parameters.map { "\($0.name)=\(render($0.value))" }
            if post.mode == .allContactFields {
                form = contact.fields.keys.sorted().map { "\($0)=\(contact.fields[$0]!)" } + form
            }
            emit("webhook \(post.url) \(form.joined(separator: "&"))")
        case .setField(let field, let value):
            let rendered = render(value)
            update(contactID) { $0.fields[field] = rendered }
            emit("update-field \(field)=\(rendered)")
        case .assignOwner(let user):
            update(contactID) {
                $0.owner = user
                $0.fields["OwnerID"] = user
            }
            emit("assign-owner \(user)")
        case .createOrder(let order):
            emit("create-order lines=\(order.lines.count) autocharge=\(order.autocharge) plan=\(order.paymentPlanID ?? "-") promo=\(order.promoCode ?? "-")")
        case .startSequence(let id):
            startSequence(id, contactID: contactID)
        case .stopSequence(let id):
            stopSequence(id, contactID: contactID)
        case .runActionSet(let id):
            runActionSet(id, contactID: contactID)
        case .achieveGoal(let integration, let callName):
            emit("achieve-goal \(integration)/\(callName)")
        case .cancelSubscription(let plan):
            emit("cancel-subscription \(plan ?? "all")")
        case .completeTasks(let templateID):
            emit("complete-tasks \(templateID ?? "all")")
        case .createOpportunity(let title, let stage, let owner):
            emit("create-opportunity \(render(title)) stage=\(stage ?? "-") owner=\(owner ?? "-")")
        case .sendFax, .sendLetter, .sendVoice:
            emit("legacy \(action.kind.elementName)")
        case .sendFulfillmentList(let templateID):
            guard case .fulfillmentList(let to, let fields, _)? = templates[templateID]?.content else { return emit("legacy send-fulfillment-list") }
            emit("notify \(to) row=\(fields.map { contact.fields[$0] ?? "" }.joined(separator: "|"))")
        case .opaque(let part):
            emit("legacy \(part.name)")
        }
    }

    // MARK: Rules

    /// all / any / none of the criteria (Docs/mapping.md, "Rules").
    func holds(_ rule: Rule, _ contact: Contact) -> Bool {
        let results = rule.criteria.map { test($0, contact) }
        switch rule.match {
        case .all: return results.allSatisfy { $0 }
        case .any: return results.contains(true)
        case .none: return !results.contains(true)
        }
    }

    func test(_ criterion: Criterion, _ contact: Contact) -> Bool {
        switch criterion.test {
        case .hasTag(let tag): return contact.tags.contains(tag)
        case .lacksTag(let tag): return !contact.tags.contains(tag)
        case .field(let name, let op, let value): return Self.compare(contact.fields[name], op, value ?? "")
        }
    }

    /// The legacy operators: text ignoring case; numbers and dates by value; a missing or empty field
    /// fails every test but is-empty, not-equals and not-contains (Docs/workflow-format.md, "Operators").
    static func compare(_ actual: String?, _ op: FieldOperator, _ value: String) -> Bool {
        guard let actual, !actual.isEmpty else { return [.isEmpty, .notEquals, .notContains].contains(op) }
        let text = actual.lowercased()
        let wanted = value.lowercased()
        switch op {
        case .equals: return text == wanted
        case .notEquals: return text != wanted
        case .contains: return text.contains(wanted)
        case .notContains: return !text.contains(wanted)
        case .startsWith: return text.hasPrefix(wanted)
        case .endsWith: return text.hasSuffix(wanted)
        case .isEmpty: return false
        case .isNotEmpty: return true
        case .greaterThan, .lessThan:
            guard let left = decimal(actual), let right = decimal(value) else { return false }
            return op == .greaterThan ? left > right : left < right
        case .before, .after:
            let day = String(actual.prefix(10))
            guard isDate(day), isDate(value) else { return false }
            return op == .before ? day < value : day > value
        }
    }

    /// A decimal number, spaces around it ignored: an optional sign, digits, an optional fraction
    /// (`150`, `-3`, `+151`, `150.5`; not `1e3`, `151.`, `.5`, `1,000`).
    static func decimal(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " "))
        var digits = Substring(trimmed)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        return Double(trimmed)
    }

    /// `YYYY-MM-DD`, a real date.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts.map(\.count) == [4, 2, 2], let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[month - 1]).contains(day)
    }

    // MARK: Merge fields

    /// `~Contact.Field~` (a standard field, or a declared custom field) → the contact's value, empty
    /// when it has none; `~Date.Current~` → today in the account's timezone; anything else is kept as
    /// written (mapping.md, "Merge fields").
    func render(_ text: String, _ contactID: String) -> String {
        let fields = contacts[contactID]?.fields ?? [:]
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "~") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "~") else {
                output += rest[open...]
                rest = rest[rest.endIndex...]
                break
            }
            let parts = rest[afterOpen..<close].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
                output += "~"
                rest = rest[afterOpen...]
                continue
            }
            let (table, field) = (parts[0], parts[1])
            if table == "Contact", field.hasPrefix("_") ? customFields.contains(field) : ContactFields.standard.contains(field) {
                output += fields[field] ?? ""
            } else if table == "Date", field == "Current" {
                output += localDate(now)
            } else {
                output += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
