import PurchaseActions

/// An action step as a run reads it, held inline in its program's list of instructions, so the
/// actions of a workflow lie side by side in memory and running one touches no other object.
struct ActionOp: Sendable {
    /// Whether its effect leaves the engine.
    let isExternal: Bool
    /// Whether a send window may hold its message (an email to the contact, an SMS).
    let waitsForWindow: Bool
    /// Whether it retries the triggering payment's charge.
    let retriesCharge: Bool
    /// What it changes on the contact, read without copying the action (17 bytes).
    let change: Change
    /// The step and the action, read only when a record or an effect is composed. Not retained:
    /// its program holds it (in `Program.Details.instructions`), and whoever holds this holds the program.
    unowned(unsafe) let instruction: ActionInstruction

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
        self.instruction = instruction
        let action = instruction.action
        isExternal = action.isExternal
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

    init(step: Step, action: WorkflowAction) {
        self.step = step
        self.action = action
    }

    /// The step's id.
    var stepID: String { step.id }
    /// The action's `type`, which names its effect.
    var kind: String { action.typeName }
    /// Whether its effect leaves the engine.
    var isExternal: Bool { action.isExternal }
}

extension WorkflowAction {
    /// Whether the action leaves the engine (an email, SMS, notification, POST, order, cancellation
    /// or charge) rather than changing the contact or the account's records.
    var isExternal: Bool {
        switch self {
        case .sendEmail, .sendSMS, .notify, .webhook, .createOrder, .cancelSubscription, .retryCharge: true
        default: false
        }
    }
}
