extension WorkflowAction: JSONRepresentable {
    /// `{"type", ...}`; the members beside `type` depend on it.
    public var json: JSONValue {
        let members: JSONValue =
            switch self {
            case .addTag(let tagID), .removeTag(let tagID): .members(["tag": tagID.json])
            case .sendEmail(let message): message.json
            case .sendSMS(let from, let message): .members(["from": from.json, "message": message.json])
            case .notify(let notification): notification.json
            case .createTask(let task): task.json
            case .createNote(let title, let type, let body, let templateID):
                .members(["title": title.json, "noteType": type.json, "body": body.json, "template": templateID.json])
            case .createAppointment(let appointment): appointment.json
            case .webhook(let webhook): webhook.json
            case .updateField(let field, let value): .members(["field": field.json, "value": value.json])
            case .assignOwner(let userID): .members(["user": userID.json])
            case .createOrder(let order): order.json
            case .cancelSubscription(let planID): .members(["subscriptionPlan": planID.json])
            case .completeTasks(let templateID): .members(["template": templateID.json])
            case .createOpportunity(let title, let stage, let ownerID): .members(["title": title.json, "stage": stage.json, "owner": ownerID.json])
            case .retryCharge: .members([:])
            case .achieveGoal(let integration, let callName): .members(["integration": integration.json, "callName": callName.json])
            case .legacy(let element, let templateID, let reason):
                .members(["element": element.json, "template": templateID.json, "reason": reason.json])
            }
        return members.adding(["type": typeName.json])
    }
}

extension Recipient: JSONRepresentable {
    /// `{"type": "contact" | "owner"}`, `{"type": "user", "user"}` or `{"type": "address", "address"}`.
    public var json: JSONValue {
        switch self {
        case .contact: .members(["type": "contact".json])
        case .owner: .members(["type": "owner".json])
        case .user(let id): .members(["type": "user".json, "user": id.json])
        case .address(let address): .members(["type": "address".json, "address": address.json])
        }
    }
}

extension EmailMessage: JSONRepresentable {
    /// The email's members.
    public var json: JSONValue {
        .members([
            "to": to.json, "from": from.json, "replyTo": replyTo.json, "subject": subject.json, "html": html.json, "text": text.json,
            "template": templateID.json,
        ])
    }
}

extension InternalNotification: JSONRepresentable {
    /// The notification's members.
    public var json: JSONValue {
        .members([
            "to": to.json, "subject": subject.json, "body": body.json, "fields": fields.json,
            "template": templateID.json,
        ])
    }
}

extension TaskDetails: JSONRepresentable {
    /// The task's members.
    public var json: JSONValue {
        .members([
            "title": title.json, "description": description.json, "assignee": assigneeID.json, "dueInDays": dueInDays.json,
            "priority": priority?.rawValue.json, "template": templateID.json,
        ])
    }
}

extension AppointmentDetails: JSONRepresentable {
    /// The appointment's members.
    public var json: JSONValue {
        .members([
            "title": title.json, "description": description.json, "assignee": assigneeID.json, "inDays": inDays.json, "at": at.json,
            "durationMinutes": durationMinutes.json, "template": templateID.json,
        ])
    }
}

extension Webhook: JSONRepresentable {
    /// `{"url", "method": "POST", "fields", "includeAllContactFields"}`.
    public var json: JSONValue {
        .members([
            "url": url.json, "method": "POST".json,
            "fields": .array(fields.map { .members(["name": $0.name.json, "value": $0.value.json]) }),
            "includeAllContactFields": includeAllContactFields.json,
        ])
    }
}

extension CreateOrder: JSONRepresentable {
    /// `{"lines", "paymentPlan", "autocharge", "promoCode"}`.
    public var json: JSONValue {
        .members([
            "lines": .array(lines.map(\.json)), "paymentPlan": paymentPlanID.json, "autocharge": autocharge.json,
            "promoCode": promoCode.json,
        ])
    }
}

extension CreateOrder.Line: JSONRepresentable {
    /// `{"product", "priceOption", "quantity"}`, `{"bundle", "quantity"}` or `{"subscriptionPlan", "quantity"}`.
    public var json: JSONValue {
        switch item {
        case .product(let id, let option): .members(["product": id.json, "priceOption": option.json, "quantity": quantity.json])
        case .bundle(let id): .members(["bundle": id.json, "quantity": quantity.json])
        case .subscriptionPlan(let id): .members(["subscriptionPlan": id.json, "quantity": quantity.json])
        }
    }
}
