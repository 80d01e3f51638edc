/// One action of an action set or sequence step, with its optional rule.
public struct Action: Hashable, Sendable, Codable {
    /// Stable id, unique within its action set or sequence.
    public var id: String
    /// What the action does.
    public var kind: ActionKind
    /// The rule that gates it, if any.
    public var rule: Rule?
    /// Extensions kept as they were.
    public var extensions: [OpaquePart]
    /// Where the action was.
    public var location: FileLocation
    /// Creates an action.
    public init(id: String, kind: ActionKind, rule: Rule? = nil, extensions: [OpaquePart] = [], location: FileLocation) {
        self.id = id
        self.kind = kind
        self.rule = rule
        self.extensions = extensions
        self.location = location
    }
}

/// Who an email goes to.
public enum EmailRecipient: Hashable, Sendable, Codable {
    /// The contact.
    case contact
    /// The contact's owner.
    case owner
    /// A staff user, by id.
    case user(String)
}

/// The things a legacy action does.
public enum ActionKind: Hashable, Sendable, Codable {
    /// Add a tag to the contact.
    case applyTag(tagID: String)
    /// Remove a tag from the contact.
    case removeTag(tagID: String)
    /// Send an email template.
    case sendEmail(templateID: String, to: EmailRecipient)
    /// Send an SMS.
    case sendSMS(from: String?, message: String)
    /// Create a task from a template.
    case createTask(templateID: String)
    /// Create a note from a template.
    case createNote(templateID: String)
    /// Create an appointment from a template.
    case createAppointment(templateID: String)
    /// POST to another server.
    case httpPost(HTTPPost)
    /// Set a contact field.
    case setField(field: String, value: String)
    /// Make a user the contact's owner.
    case assignOwner(userID: String)
    /// Create an order.
    case createOrder(CreateOrder)
    /// Start a follow-up sequence.
    case startSequence(sequenceID: String)
    /// Stop a follow-up sequence.
    case stopSequence(sequenceID: String)
    /// Run another action set now.
    case runActionSet(actionSetID: String)
    /// The legacy API goal.
    case achieveGoal(integration: String, callName: String)
    /// Cancel a subscription (`nil`: every active one).
    case cancelSubscription(planID: String?)
    /// Complete the contact's open tasks (`nil` template: all of them).
    case completeTasks(templateID: String?)
    /// Create an opportunity.
    case createOpportunity(title: String, stage: String?, ownerID: String?)
    /// Send a fax.
    case sendFax(templateID: String)
    /// Send a letter.
    case sendLetter(templateID: String)
    /// Send a voice broadcast.
    case sendVoice(templateID: String)
    /// Add the contact to a fulfillment list.
    case sendFulfillmentList(templateID: String)
    /// An element the format does not define, kept whole.
    case opaque(OpaquePart)

    /// The export element name of this kind of action, such as `apply-tag`.
    public var elementName: String {
        switch self {
        case .applyTag: "apply-tag"
        case .removeTag: "remove-tag"
        case .sendEmail: "send-email"
        case .sendSMS: "send-sms"
        case .createTask: "create-task"
        case .createNote: "create-note"
        case .createAppointment: "create-appointment"
        case .httpPost: "http-post"
        case .setField: "set-field"
        case .assignOwner: "assign-owner"
        case .createOrder: "create-order"
        case .startSequence: "start-sequence"
        case .stopSequence: "stop-sequence"
        case .runActionSet: "run-action-set"
        case .achieveGoal: "achieve-goal"
        case .cancelSubscription: "cancel-subscription"
        case .completeTasks: "complete-tasks"
        case .createOpportunity: "create-opportunity"
        case .sendFax: "send-fax"
        case .sendLetter: "send-letter"
        case .sendVoice: "send-voice"
        case .sendFulfillmentList: "send-fulfillment-list"
        case .opaque(let part): part.name
        }
    }
}

/// An HTTP POST to another server.
public struct HTTPPost: Hashable, Sendable, Codable {
    /// What is posted.
    public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
        /// Only the listed parameters.
        case fields
        /// The legacy mode: every contact field, plus the listed parameters.
        case allContactFields = "all-contact-fields"
    }
    /// A name/value pair; the value may contain merge fields.
    public struct Parameter: Hashable, Sendable, Codable {
        /// Name.
        public var name: String
        /// Value.
        public var value: String
        /// Creates a parameter.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
    /// The target URL.
    public var url: String
    /// What is posted.
    public var mode: Mode
    /// Parameters, in document order.
    public var parameters: [Parameter]
    /// Creates a POST.
    public init(url: String, mode: Mode = .fields, parameters: [Parameter] = []) {
        self.url = url
        self.mode = mode
        self.parameters = parameters
    }
}

/// The legacy "create order" action.
public struct CreateOrder: Hashable, Sendable, Codable {
    /// One line of the order: exactly one of product, bundle or subscription plan.
    public struct Line: Hashable, Sendable, Codable {
        /// What the line buys.
        public enum Item: Hashable, Sendable, Codable {
            /// A product, optionally at a price option.
            case product(id: String, priceOptionID: String?)
            /// A bundle.
            case bundle(id: String)
            /// A subscription plan.
            case subscriptionPlan(id: String)
        }
        /// What the line buys.
        public var item: Item
        /// How many.
        public var quantity: Int
        /// Creates a line.
        public init(item: Item, quantity: Int = 1) {
            self.item = item
            self.quantity = quantity
        }
    }
    /// The payment plan's id, if any.
    public var paymentPlanID: String?
    /// Whether the card on file is charged.
    public var autocharge: Bool
    /// A promo code, if any.
    public var promoCode: String?
    /// The lines, in document order.
    public var lines: [Line]
    /// Creates a create-order action's content.
    public init(paymentPlanID: String? = nil, autocharge: Bool = true, promoCode: String? = nil, lines: [Line]) {
        self.paymentPlanID = paymentPlanID
        self.autocharge = autocharge
        self.promoCode = promoCode
        self.lines = lines
    }
}
