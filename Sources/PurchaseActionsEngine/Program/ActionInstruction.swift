import PurchaseActions

/// An action step as the engine runs it: shared by reference between the program, the run and what
/// the action reports, with what every run of it needs worked out once.
final class ActionInstruction: Sendable {
    // What every run reads comes first, on the object's first cache line; the step and the action,
    // read when a record is composed, after.
    /// The step's id.
    let stepID: String
    /// The action's `type`, which names its effect.
    let kind: String
    /// Whether its effect leaves the engine.
    let isExternal: Bool
    /// What it changes on the contact, read without copying the action.
    let change: Change
    /// Whether a send window may hold its message (an email to the contact, an SMS).
    let waitsForWindow: Bool
    /// Whether it retries the triggering payment's charge.
    let retriesCharge: Bool
    /// The step.
    let step: Step
    /// The action.
    let action: WorkflowAction

    /// What an action changes on the contact.
    enum Change: Sendable {
        case none
        case addTag(String)
        case removeTag(String)
        case updateField(String, template: String)
        case assignOwner(String)
    }

    init(step: Step, action: WorkflowAction) {
        stepID = step.id
        self.step = step
        self.action = action
        kind = action.typeName
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
