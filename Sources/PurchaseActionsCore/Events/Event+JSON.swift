// Writing events format v1 (Docs/events.md): the inverse of Event+Decoding.swift. An event decoded
// from a line and written again gives the same JSON value, up to the normalisations events.md lists
// ("The canonical form"): `occurredAt` to the millisecond with its offset (`Z` for +00:00), a
// subscription line's quantity of 1 left out, empty `fields` and `tags` left out.

extension Event: JSONRepresentable {
    /// The event's canonical JSON form; `compactText` of it is one line of an events file.
    ///
    /// ```swift
    /// let line = event.json.compactText   // {"contact":{"id":"c-1"},"id":"e-1","occurredAt":"2025-01-01T00:00:00Z","tag":"t","type":"tag.added"}
    /// ```
    public var json: JSONValue {
        .members([
            "id": id.json, "type": type.rawValue.json, "occurredAt": occurredAt.rfc3339(offsetSeconds: offsetSeconds).json,
            "contact": contact.json, "order": order?.json, "payment": payment?.json, "error": error?.json,
            "subscription": subscription?.json, "autocharge": autocharge?.json, "card": card?.json, "tag": tag.json,
            "changed": changed.json, "email": email?.json, "link": link.json, "channel": channel.json,
            "integration": integration.json, "callName": callName.json,
        ])
    }
}

extension ContactReference: JSONRepresentable {
    /// `{"id", "firstName", "lastName", "email", "timezone", "fields", "tags"}`, members absent or
    /// empty left out.
    public var json: JSONValue {
        .members([
            "id": id.json, "firstName": firstName.json, "lastName": lastName.json, "email": email.json, "timezone": timezone.json,
            "fields": fields.isEmpty ? nil : .object(fields.mapValues(\.json)), "tags": tags.isEmpty ? nil : tags.json,
        ])
    }
}

extension Order: JSONRepresentable {
    /// `{"id", "source", "lines", "paymentPlan", "chargeMode", "gateway"}`.
    public var json: JSONValue {
        .members([
            "id": id.json, "source": source.rawValue.json, "lines": .array(lines.map(\.json)), "paymentPlan": paymentPlan.json,
            "chargeMode": chargeMode.rawValue.json, "gateway": gateway.json,
        ])
    }
}

extension Order.Line: JSONRepresentable {
    /// `{"product", "priceOption", "quantity"}` or `{"subscriptionPlan", "quantity"}` (a
    /// subscription line's quantity left out when it is 1, as the decoder reads it then).
    public var json: JSONValue {
        switch item {
        case .product(let id, let priceOption): .members(["product": id.json, "priceOption": priceOption.json, "quantity": quantity.json])
        case .subscriptionPlan(let id): .members(["subscriptionPlan": id.json, "quantity": quantity == 1 ? nil : quantity.json])
        }
    }
}

extension Payment: JSONRepresentable {
    /// `{"index", "amount": {"minor", "currency"}, "declineCode", "adviceCode", "invoice"}`.
    public var json: JSONValue {
        .members([
            "index": index.json, "amount": .members(["minor": amount.json, "currency": currency.json]), "declineCode": declineCode.json,
            "adviceCode": adviceCode.json, "invoice": invoice.json,
        ])
    }
}

extension OrderError: JSONRepresentable {
    /// `{"code", "message"}`.
    public var json: JSONValue { .members(["code": code.json, "message": message.json]) }
}

extension SubscriptionReference: JSONRepresentable {
    /// `{"id", "plan"}`.
    public var json: JSONValue { .members(["id": id.json, "plan": plan.json]) }
}

extension Autocharge: JSONRepresentable {
    /// `{"attempt", "invoice"}`.
    public var json: JSONValue { .members(["attempt": attempt.json, "invoice": invoice.json]) }
}

extension Card: JSONRepresentable {
    /// `{"id", "expires", "daysUntilExpiry", "network"}`.
    public var json: JSONValue {
        .members(["id": id.json, "expires": expires.json, "daysUntilExpiry": daysUntilExpiry.json, "network": network.json])
    }
}

extension EmailReference: JSONRepresentable {
    /// `{"message", "workflow", "step"}`.
    public var json: JSONValue { .members(["message": message.json, "workflow": workflow.json, "step": step.json]) }
}
