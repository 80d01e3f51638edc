import PurchaseActionsCore

/// The action elements of the format. Each element name is matched to one of these once, when the
/// parser first meets the name, so reading an action never compares or hashes its name.
enum ActionElement: String, CaseIterable {
    case applyTag = "apply-tag", removeTag = "remove-tag", sendEmail = "send-email", sendSMS = "send-sms"
    case createTask = "create-task", createNote = "create-note", createAppointment = "create-appointment"
    case httpPost = "http-post", setField = "set-field", assignOwner = "assign-owner", createOrder = "create-order"
    case startSequence = "start-sequence", stopSequence = "stop-sequence", runActionSet = "run-action-set"
    case achieveGoal = "achieve-goal", cancelSubscription = "cancel-subscription", completeTasks = "complete-tasks"
    case createOpportunity = "create-opportunity", sendFax = "send-fax", sendLetter = "send-letter", sendVoice = "send-voice"
    case sendFulfillmentList = "send-fulfillment-list"

    /// The unqualified attributes the element takes.
    var attributes: [String] { Self.attributeTable[index] }

    /// The child elements the element takes.
    var children: [String] { Self.childTable[index] }

    private var index: Int { position }

    private static let attributeTable: [[String]] = allCases.map { element in
        switch element {
        case .applyTag, .removeTag: ["id", "tag"]
        case .sendEmail: ["id", "template", "to"]
        case .sendSMS: ["id", "from"]
        case .httpPost: ["id", "url", "mode"]
        case .setField: ["id", "field", "value"]
        case .assignOwner: ["id", "user"]
        case .createOrder: ["id", "payment-plan", "autocharge", "promo-code"]
        case .startSequence, .stopSequence: ["id", "sequence"]
        case .runActionSet: ["id", "action-set"]
        case .achieveGoal: ["id", "integration", "call-name"]
        case .cancelSubscription: ["id", "plan"]
        case .createOpportunity: ["id", "title", "stage", "owner"]
        default: ["id", "template"]
        }
    }

    private static let childTable: [[String]] = allCases.map { element in
        switch element {
        case .sendSMS: ["rule", "message"]
        case .httpPost: ["rule", "param"]
        case .createOrder: ["rule", "order-line"]
        default: ["rule"]
        }
    }
}

extension ActionElement {
    /// The element an action of the model is written as; nil for an opaque action.
    init?(_ kind: ActionKind) {
        switch kind {
        case .applyTag: self = .applyTag
        case .removeTag: self = .removeTag
        case .sendEmail: self = .sendEmail
        case .sendSMS: self = .sendSMS
        case .createTask: self = .createTask
        case .createNote: self = .createNote
        case .createAppointment: self = .createAppointment
        case .httpPost: self = .httpPost
        case .setField: self = .setField
        case .assignOwner: self = .assignOwner
        case .createOrder: self = .createOrder
        case .startSequence: self = .startSequence
        case .stopSequence: self = .stopSequence
        case .runActionSet: self = .runActionSet
        case .achieveGoal: self = .achieveGoal
        case .cancelSubscription: self = .cancelSubscription
        case .completeTasks: self = .completeTasks
        case .createOpportunity: self = .createOpportunity
        case .sendFax: self = .sendFax
        case .sendLetter: self = .sendLetter
        case .sendVoice: self = .sendVoice
        case .sendFulfillmentList: self = .sendFulfillmentList
        case .opaque: return nil
        }
    }

    /// Every case, made once (`allCases` builds a new array on each use).
    static let all = allCases

    /// The case's position in ``all``.
    var position: Int { Self.all.firstIndex(of: self)! }
}
