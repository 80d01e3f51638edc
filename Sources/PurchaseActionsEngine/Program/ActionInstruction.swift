import PurchaseActionsCore

/// An action step as a run reads it, held inline in its program's list of instructions, so the
/// actions of a workflow lie side by side in memory and running one touches no other object.
struct ActionOp: Sendable {
    /// Whether its effect leaves the engine.
    let isExternal: Bool
    /// Whether a send window may hold its message (an email to the contact, an SMS).
    let waitsForWindow: Bool
    /// Whether it retries the triggering payment's charge.
    let retriesCharge: Bool
    /// Whether its record reads the contact as the action found it (a message, a task, a webhook:
    /// not an action that only changes tags, a field or the owner).
    var readsContact: Bool { if case .none = change { true } else { false } }
    /// What it changes on the contact, read without copying the action (17 bytes).
    let change: Change
    /// The step and the action, read only when a record or an effect is composed. Not retained:
    /// its program holds it (in `Program.Details.instructions`), and whoever holds this holds the program.
    var instruction: ActionInstruction { instructionLink.object }
    private let instructionLink: UnownedLink<ActionInstruction>

    /// What an action changes on the contact.
    enum Change: Sendable {
        case none
        case addTag(String)
        case removeTag(String)
        /// Boxed, so a change is one string wide.
        indirect case updateField(String, template: String)
        case assignOwner(String)
    }

    init(_ instruction: ActionInstruction) {
        instructionLink = UnownedLink(instruction)
        let action = instruction.action
        isExternal = instruction.isExternal
        switch action {
        case .addTag(let tag): change = .addTag(tag)
        case .removeTag(let tag): change = .removeTag(tag)
        case .updateField(let field, let value): change = .updateField(field, template: value)
        case .assignOwner(let user): change = .assignOwner(user)
        default: change = .none
        }
        switch action {
        case .sendEmail(let message): waitsForWindow = message.to == .contact
        case .sendSMS: waitsForWindow = true
        default: waitsForWindow = false
        }
        if case .retryCharge = action { retriesCharge = true } else { retriesCharge = false }
    }
}

/// An action step's step and action, which records and effects are composed from.
final class ActionInstruction: Sendable {
    /// The step.
    let step: Step
    /// The action.
    let action: WorkflowAction

    /// The action's templates that merge values (hold `{{`), each marked when it renders as HTML:
    /// what the engine checks against ``WorkflowLimits/renderedTextBytes`` before the action runs.
    let templates: [Template]
    /// The templates' bytes, and how many tags they hold at most (a template that changes its
    /// delimiters counts as many tags as it has bytes).
    let templateBytes: Int
    let tagCount: Int
    /// The most tags times bytes of one of its templates (an `update-field`'s value included):
    /// what ``WorkflowLimits/templateTagBytes`` bounds.
    let tagBytes: Int
    /// Whether it is an email sent from the workflow's default sender (whose name may merge values).
    let usesDefaultSender: Bool

    /// A template of the action, and whether it renders as HTML (values escaped).
    struct Template: Sendable {
        let text: String
        let html: Bool
    }

    /// Whether its effect leaves the engine: the action's kind says (`WorkflowAction.isExternal`),
    /// except that a `retry-charge` of a `dunning.` workflow is internal (no outbox row: the dunning
    /// runtime that drives the enrollment makes the charge; its record still shows the effect).
    let isExternal: Bool

    init(step: Step, action: WorkflowAction, chargesInternally: Bool = false) {
        self.step = step
        self.action = action
        if case .retryCharge = action, chargesInternally { isExternal = false } else { isExternal = action.isExternal }
        templates = action.templates.filter { $0.text.utf8.count >= 4 && $0.text.contains("{{") }
        var bytes = 0
        var tags = 0
        for template in templates {
            let size = template.text.utf8.count
            bytes += size
            tags += template.text.contains("{{=") ? size : Self.tags(in: template.text)
        }
        templateBytes = bytes
        tagCount = tags
        var heaviest = 0
        var texts = templates.map(\.text)
        if case .updateField(_, let value) = action, value.contains("{{") { texts.append(value) }
        for text in texts {
            let size = text.utf8.count
            let (product, overflow) = (text.contains("{{=") ? size : Self.tags(in: text)).multipliedReportingOverflow(by: size)
            heaviest = max(heaviest, overflow ? Int.max : product)
        }
        tagBytes = heaviest
        if case .sendEmail(let message) = action, message.from == nil { usesDefaultSender = true } else { usesDefaultSender = false }
    }

    /// The number of `{{` in a template.
    static func tags(in text: String) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{") && previous == UInt8(ascii: "{") {
                count += 1
                previous = 0
            } else {
                previous = byte
            }
        }
        return count
    }

    /// The step's id.
    var stepID: String { step.id }
    /// The action's `type`, which names its effect.
    var kind: String { action.typeName }
}

extension WorkflowAction {
    /// The texts the engine renders for the action (not an `update-field`'s value, which is
    /// checked as a field value): subjects, bodies, titles, SMS, webhook values.
    var templates: [ActionInstruction.Template] {
        func text(_ value: String?) -> [ActionInstruction.Template] { value.map { [ActionInstruction.Template(text: $0, html: false)] } ?? [] }
        switch self {
        case .sendEmail(let message):
            return text(message.from?.name) + text(message.subject) + text(message.text)
                + (message.html.map { [ActionInstruction.Template(text: $0, html: true)] } ?? [])
        case .sendSMS(_, let message): return text(message)
        case .notify(let note): return text(note.subject) + text(note.body)
        case .createTask(let task): return text(task.title) + text(task.description)
        case .createNote(let title, _, let body, _): return text(title) + text(body)
        case .createAppointment(let appointment): return text(appointment.title)
        case .webhook(let hook): return hook.fields.flatMap { text($0.value) }
        case .createOpportunity(let title, _, _): return text(title)
        default: return []
        }
    }

    /// Whether the action leaves the engine (an email, SMS, notification, POST, order, cancellation
    /// or charge) rather than changing the contact or the account's records.
    var isExternal: Bool {
        switch self {
        case .sendEmail, .sendSMS, .notify, .webhook, .createOrder, .cancelSubscription, .retryCharge: true
        default: false
        }
    }
}
