/// A template a "send" or "create" action points at.
public struct Template: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name (a task's or note's title).
    public var name: String
    /// What kind of template and its content.
    public var content: TemplateContent
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a template.
    public init(id: String, name: String, content: TemplateContent, location: FileLocation) {
        self.id = id
        self.name = name
        self.content = content
        self.location = location
    }

    /// The template's kind.
    public var kind: TemplateKind { content.kind }
}

/// The kinds of template.
public enum TemplateKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// An email.
    case email
    /// A staff task.
    case task
    /// A note in the contact's history.
    case note
    /// An appointment.
    case appointment
    /// A printed letter.
    case letter
    /// A fax.
    case fax
    /// A voice broadcast.
    case voice
    /// A fulfillment list: an email with a CSV of contacts to a third party.
    case fulfillmentList = "fulfillment-list"

    /// The export element that defines a template of this kind, such as `email-template`.
    public var elementName: String { "\(rawValue)-template" }
}

/// A template's content, by kind.
public enum TemplateContent: Hashable, Sendable, Codable {
    /// An email.
    case email(EmailTemplate)
    /// A staff task.
    case task(TaskTemplate)
    /// A note.
    case note(type: String?, body: String?)
    /// An appointment.
    case appointment(AppointmentTemplate)
    /// A letter.
    case letter(body: String?)
    /// A fax.
    case fax(body: String?)
    /// A voice broadcast.
    case voice(recording: String?, script: String?)
    /// A fulfillment list.
    case fulfillmentList(to: String, fields: [String], queued: Bool)

    /// The template's kind.
    public var kind: TemplateKind {
        switch self {
        case .email: .email
        case .task: .task
        case .note: .note
        case .appointment: .appointment
        case .letter: .letter
        case .fax: .fax
        case .voice: .voice
        case .fulfillmentList: .fulfillmentList
        }
    }
}

/// An email template, with merge fields such as `~Contact.FirstName~` kept as written.
public struct EmailTemplate: Hashable, Sendable, Codable {
    /// Sender name.
    public var fromName: String
    /// Sender address.
    public var fromAddress: String
    /// Reply-to address, if any.
    public var replyTo: String?
    /// Subject line.
    public var subject: String
    /// HTML body, if any.
    public var html: String?
    /// Plain-text body, if any.
    public var text: String?
    /// Creates an email template.
    public init(fromName: String, fromAddress: String, replyTo: String? = nil, subject: String, html: String? = nil, text: String? = nil) {
        self.fromName = fromName
        self.fromAddress = fromAddress
        self.replyTo = replyTo
        self.subject = subject
        self.html = html
        self.text = text
    }
}

/// A staff task template.
public struct TaskTemplate: Hashable, Sendable, Codable {
    /// Task priority.
    public enum Priority: String, Hashable, Sendable, Codable, CaseIterable {
        /// Low.
        case low
        /// Medium.
        case medium
        /// High.
        case high
    }
    /// The assignee's user id; `nil` assigns the contact's owner.
    public var assigneeID: String?
    /// Days until due.
    public var dueInDays: Int?
    /// Priority.
    public var priority: Priority?
    /// Description.
    public var description: String?
    /// Creates a task template.
    public init(assigneeID: String? = nil, dueInDays: Int? = nil, priority: Priority? = nil, description: String? = nil) {
        self.assigneeID = assigneeID
        self.dueInDays = dueInDays
        self.priority = priority
        self.description = description
    }
}

/// An appointment template.
public struct AppointmentTemplate: Hashable, Sendable, Codable {
    /// The user's id, if any.
    public var assigneeID: String?
    /// Days from now.
    public var inDays: Int?
    /// Time of day, `HH:MM`.
    public var at: String?
    /// Duration in minutes.
    public var durationMinutes: Int?
    /// Description.
    public var description: String?
    /// Creates an appointment template.
    public init(assigneeID: String? = nil, inDays: Int? = nil, at: String? = nil, durationMinutes: Int? = nil, description: String? = nil) {
        self.assigneeID = assigneeID
        self.inDays = inDays
        self.at = at
        self.durationMinutes = durationMinutes
        self.description = description
    }
}
