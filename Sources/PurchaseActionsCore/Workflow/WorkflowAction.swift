/// The things a workflow step does.
public enum WorkflowAction: Hashable, Sendable {
    /// Add a tag to the contact.
    case addTag(tagID: String)
    /// Remove a tag from the contact.
    case removeTag(tagID: String)
    /// Send an email.
    case sendEmail(EmailMessage)
    /// Send an SMS to the contact.
    case sendSMS(from: String?, message: String)
    /// Tell staff something (fulfilment lists and the like).
    case notify(InternalNotification)
    /// Create a staff task.
    case createTask(TaskDetails)
    /// Add a note to the contact's history.
    case createNote(title: String, type: String?, body: String?, templateID: String?)
    /// Create an appointment.
    case createAppointment(AppointmentDetails)
    /// Send an HTTP request to another server.
    case webhook(Webhook)
    /// Set a contact field.
    case updateField(field: String, value: String)
    /// Make a user the contact's owner.
    case assignOwner(userID: String)
    /// Create an order for the contact.
    case createOrder(CreateOrder)
    /// Cancel the contact's subscription to a plan (`nil`: every active one).
    case cancelSubscription(planID: String?)
    /// Complete the contact's open tasks (made from a template, or all of them).
    case completeTasks(templateID: String?)
    /// Create a sales opportunity.
    case createOpportunity(title: String, stage: String?, ownerID: String?)
    /// Retry the charge of the invoice that triggered the workflow.
    case retryCharge
    /// Achieve an API goal, as the legacy `FunnelService.achieveGoal` did.
    case achieveGoal(integration: String, callName: String)
    /// A legacy action with no workflow equivalent, kept so nothing is lost; the engine records it
    /// and does nothing else. `reason` says why (Docs/mapping.md).
    case legacy(element: String, templateID: String?, reason: String)

    /// The `type` of the action in the JSON form, such as `add-tag`.
    public var typeName: String {
        switch self {
        case .addTag: "add-tag"
        case .removeTag: "remove-tag"
        case .sendEmail: "send-email"
        case .sendSMS: "send-sms"
        case .notify: "notify"
        case .createTask: "create-task"
        case .createNote: "create-note"
        case .createAppointment: "create-appointment"
        case .webhook: "webhook"
        case .updateField: "update-field"
        case .assignOwner: "assign-owner"
        case .createOrder: "create-order"
        case .cancelSubscription: "cancel-subscription"
        case .completeTasks: "complete-tasks"
        case .createOpportunity: "create-opportunity"
        case .retryCharge: "retry-charge"
        case .achieveGoal: "achieve-goal"
        case .legacy: "legacy"
        }
    }
}

/// Who a message goes to.
public enum Recipient: Hashable, Sendable {
    /// The contact.
    case contact
    /// The contact's owner.
    case owner
    /// A staff user, by id.
    case user(String)
    /// An address outside the account, such as a fulfilment house.
    case address(String)
}

/// An email, with its content in the modern template syntax (`{{contact.FirstName}}`).
public struct EmailMessage: Hashable, Sendable {
    /// Who it goes to.
    public var to: Recipient
    /// The sender; `nil` uses the workflow's ``WorkflowSettings/defaultSender``.
    public var from: Sender?
    /// Reply-to address, if any.
    public var replyTo: String?
    /// Subject line.
    public var subject: String
    /// HTML body, if any.
    public var html: String?
    /// Plain-text body, if any.
    public var text: String?
    /// The legacy template it came from, if any.
    public var templateID: String?

    /// Creates an email.
    public init(
        to: Recipient, from: Sender?, replyTo: String? = nil, subject: String, html: String? = nil, text: String? = nil,
        templateID: String? = nil
    ) {
        self.to = to
        self.from = from
        self.replyTo = replyTo
        self.subject = subject
        self.html = html
        self.text = text
        self.templateID = templateID
    }
}

/// An internal notification to staff or a third party.
public struct InternalNotification: Hashable, Sendable {
    /// Who is told.
    public var to: Recipient
    /// Subject line.
    public var subject: String
    /// Message body, if any.
    public var body: String?
    /// Contact fields attached as one CSV row, in order (fulfilment lists).
    public var fields: [String]
    /// The legacy template it came from, if any.
    public var templateID: String?

    /// Creates a notification.
    public init(to: Recipient, subject: String, body: String? = nil, fields: [String] = [], templateID: String? = nil) {
        self.to = to
        self.subject = subject
        self.body = body
        self.fields = fields
        self.templateID = templateID
    }
}

/// A staff task.
public struct TaskDetails: Hashable, Sendable {
    /// Title.
    public var title: String
    /// Description, if any.
    public var description: String?
    /// The assignee's user id; `nil` assigns the contact's owner.
    public var assigneeID: String?
    /// Days until due, if set.
    public var dueInDays: Int?
    /// Priority, if set.
    public var priority: TaskTemplate.Priority?
    /// The legacy template it came from, if any.
    public var templateID: String?

    /// Creates a task.
    public init(
        title: String, description: String? = nil, assigneeID: String? = nil, dueInDays: Int? = nil,
        priority: TaskTemplate.Priority? = nil, templateID: String? = nil
    ) {
        self.title = title
        self.description = description
        self.assigneeID = assigneeID
        self.dueInDays = dueInDays
        self.priority = priority
        self.templateID = templateID
    }
}

/// An appointment.
public struct AppointmentDetails: Hashable, Sendable {
    /// Title.
    public var title: String
    /// Description, if any.
    public var description: String?
    /// The user's id, if any.
    public var assigneeID: String?
    /// Days from now, if set.
    public var inDays: Int?
    /// Time of day, `HH:MM`, if set.
    public var at: String?
    /// Duration in minutes, if set.
    public var durationMinutes: Int?
    /// The legacy template it came from, if any.
    public var templateID: String?

    /// Creates an appointment.
    public init(
        title: String, description: String? = nil, assigneeID: String? = nil, inDays: Int? = nil, at: String? = nil,
        durationMinutes: Int? = nil, templateID: String? = nil
    ) {
        self.title = title
        self.description = description
        self.assigneeID = assigneeID
        self.inDays = inDays
        self.at = at
        self.durationMinutes = durationMinutes
        self.templateID = templateID
    }
}

/// An HTTP POST of form fields to another server.
public struct Webhook: Hashable, Sendable {
    /// The target URL.
    public var url: String
    /// Name/value pairs posted as a form, values in the modern template syntax.
    public var fields: [HTTPPost.Parameter]
    /// Also post every contact field (the legacy default).
    public var includeAllContactFields: Bool

    /// Creates a webhook.
    public init(url: String, fields: [HTTPPost.Parameter], includeAllContactFields: Bool) {
        self.url = url
        self.fields = fields
        self.includeAllContactFields = includeAllContactFields
    }
}
