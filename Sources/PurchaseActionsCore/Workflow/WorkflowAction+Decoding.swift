// Reading actions: the exact inverse of WorkflowAction+JSON.swift.

extension WorkflowAction {
    /// Every action `type` of format v1, as ``typeName`` spells them.
    public static let typeNames = [
        "add-tag", "remove-tag", "send-email", "send-sms", "notify", "create-task", "create-note", "create-appointment", "webhook",
        "update-field", "assign-owner", "create-order", "cancel-subscription", "complete-tasks", "create-opportunity", "retry-charge",
        "achieve-goal", "legacy",
    ]

    /// Decodes `{"type", ...}`; the members beside `type` depend on it.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        switch try object.choice("type", Self.typeNames) {
        case "add-tag": self = .addTag(tagID: try object.id("tag"))
        case "remove-tag": self = .removeTag(tagID: try object.id("tag"))
        case "send-email": self = .sendEmail(try EmailMessage(reading: &object))
        case "send-sms": self = .sendSMS(from: try object.optionalHeaderText("from"), message: try object.string("message"))
        case "notify": self = .notify(try InternalNotification(reading: &object))
        case "create-task": self = .createTask(try TaskDetails(reading: &object))
        case "create-note":
            self = .createNote(
                title: try object.string("title"), type: try object.optionalString("noteType"), body: try object.optionalString("body"),
                templateID: try object.optionalID("template"))
        case "create-appointment": self = .createAppointment(try AppointmentDetails(reading: &object))
        case "webhook": self = .webhook(try Webhook(reading: &object))
        case "update-field": self = .updateField(field: try object.contactField("field"), value: try object.string("value"))
        case "assign-owner": self = .assignOwner(userID: try object.id("user"))
        case "create-order": self = .createOrder(try CreateOrder(reading: &object))
        case "cancel-subscription": self = .cancelSubscription(planID: try object.optionalID("subscriptionPlan"))
        case "complete-tasks": self = .completeTasks(templateID: try object.optionalID("template"))
        case "create-opportunity":
            self = .createOpportunity(
                title: try object.string("title"), stage: try object.optionalString("stage"), ownerID: try object.optionalID("owner"))
        case "retry-charge": self = .retryCharge
        case "achieve-goal":
            self = .achieveGoal(integration: try object.nonEmptyString("integration"), callName: try object.nonEmptyString("callName"))
        default:
            self = .legacy(
                element: try object.nonEmptyString("element"), templateID: try object.optionalID("template"),
                reason: try object.nonEmptyString("reason"))
        }
        try object.finish()
    }
}

extension Recipient {
    /// The recipient types of format v1, as `type` spells them.
    public static let typeNames = ["contact", "owner", "user", "address"]

    /// Decodes `{"type": "contact" | "owner"}`, `{"type": "user", "user"}` or `{"type": "address", "address"}`.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        switch try object.choice("type", Self.typeNames) {
        case "contact": self = .contact
        case "owner": self = .owner
        case "user": self = .user(try object.id("user"))
        default: self = .address(try object.email("address"))
        }
        try object.finish()
    }
}

extension EmailMessage: JSONObjectDecodable {
    /// Decodes the email's members (a `send-email` action without its `type`).
    public init(reading object: inout JSONObjectReader) throws(JSONError) {
        self.init(
            to: try object.decode("to", Recipient.init(json:at:)), from: try object.optionalDecode("from", Sender.init(json:at:)),
            replyTo: try object.optionalEmail("replyTo"), subject: try object.headerText("subject"), html: try object.optionalString("html"),
            text: try object.optionalString("text"), templateID: try object.optionalID("template"))
    }
}

extension InternalNotification: JSONObjectDecodable {
    /// Decodes the notification's members (a `notify` action without its `type`).
    public init(reading object: inout JSONObjectReader) throws(JSONError) {
        let to = try object.decode("to", Recipient.init(json:at:))
        let subject = try object.headerText("subject")
        let body = try object.optionalString("body")
        let fields = try object.array("fields") { (value, path) throws(JSONError) -> String in
            let name = try value.string(at: path)
            guard FormatText.isContactFieldName(name) else {
                throw JSONError(.invalidValue, "'\(name)' is not \(FormatText.contactFieldRule)", at: path)
            }
            return name
        }
        self.init(to: to, subject: subject, body: body, fields: fields, templateID: try object.optionalID("template"))
    }
}

extension TaskDetails: JSONObjectDecodable {
    /// Decodes the task's members (a `create-task` action without its `type`).
    public init(reading object: inout JSONObjectReader) throws(JSONError) {
        self.init(
            title: try object.string("title"), description: try object.optionalString("description"),
            assigneeID: try object.optionalID("assignee"), dueInDays: try object.optionalInteger("dueInDays", in: 0...WorkflowLimits.days),
            priority: try object.optionalEnumeration("priority", TaskTemplate.Priority.self), templateID: try object.optionalID("template"))
    }
}

extension AppointmentDetails: JSONObjectDecodable {
    /// Decodes the appointment's members (a `create-appointment` action without its `type`).
    public init(reading object: inout JSONObjectReader) throws(JSONError) {
        self.init(
            title: try object.string("title"), description: try object.optionalString("description"),
            assigneeID: try object.optionalID("assignee"), inDays: try object.optionalInteger("inDays", in: 0...WorkflowLimits.days),
            at: try object.optionalTime("at"), durationMinutes: try object.optionalInteger("durationMinutes", in: 1...WorkflowLimits.minutes),
            templateID: try object.optionalID("template"))
    }
}

extension Webhook: JSONObjectDecodable {
    /// Decodes the webhook's members (a `webhook` action without its `type`); `method` must be `POST`.
    public init(reading object: inout JSONObjectReader) throws(JSONError) {
        let url = try object.string("url", where: FormatText.isURL, "an http:// or https:// URL without spaces")
        let method = try object.string("method")
        guard method == "POST" else {
            throw JSONError(.invalidValue, "'\(method)' is not allowed: method is always POST in format v1", at: object.path.member("method"))
        }
        let fields = try object.array("fields") { (value, path) throws(JSONError) -> HTTPPost.Parameter in
            var field = try JSONObjectReader(value, at: path)
            let parameter = HTTPPost.Parameter(name: try field.nonEmptyString("name"), value: try field.string("value"))
            try field.finish()
            return parameter
        }
        self.init(url: url, fields: fields, includeAllContactFields: try object.bool("includeAllContactFields"))
    }
}

extension CreateOrder: JSONObjectDecodable {
    /// Decodes the order's members (a `create-order` action without its `type`): at least one line.
    public init(reading object: inout JSONObjectReader) throws(JSONError) {
        let lines = try object.array("lines", Line.init(json:at:))
        guard !lines.isEmpty else { throw JSONError(.invalidValue, "an order has at least one line", at: object.path.member("lines")) }
        self.init(
            paymentPlanID: try object.optionalID("paymentPlan"), autocharge: try object.bool("autocharge"),
            promoCode: try object.optionalNonEmptyString("promoCode"), lines: lines)
    }
}

extension CreateOrder.Line {
    /// Decodes `{"product", "priceOption"?, "quantity"}`, `{"bundle", "quantity"}` or
    /// `{"subscriptionPlan", "quantity"}`: exactly one item, a quantity of at least 1.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let items = ["product", "bundle", "subscriptionPlan"].filter { object.has($0) }
        guard items.count == 1, let kind = items.first else {
            let found = items.isEmpty ? "none" : items.joined(separator: " and ")
            throw JSONError(
                items.isEmpty ? .missingMember : .invalidValue,
                "an order line has exactly one of 'product', 'bundle' or 'subscriptionPlan'; this one has \(found)", at: path)
        }
        let item: Item
        switch kind {
        case "product": item = .product(id: try object.id("product"), priceOptionID: try object.optionalID("priceOption"))
        case "bundle": item = .bundle(id: try object.id("bundle"))
        default: item = .subscriptionPlan(id: try object.id("subscriptionPlan"))
        }
        let quantity = try object.integer("quantity", in: 1...WorkflowLimits.quantity)
        try object.finish()
        self.init(item: item, quantity: quantity)
    }
}

extension JSONObjectReader {
    /// A required contact field name as the account names it (`_ShirtSize`).
    mutating func contactField(_ name: String) throws(JSONError) -> String {
        try string(name, where: FormatText.isContactFieldName, FormatText.contactFieldRule)
    }

    /// An optional string that is not empty.
    mutating func optionalNonEmptyString(_ name: String) throws(JSONError) -> String? {
        guard has(name) else { return nil }
        return try nonEmptyString(name)
    }
}
