import PurchaseActionsCore

/// A history event as a line of an events file (Docs/events.md), and as the engine's `Event`
/// decoded from that line, so every generated event is also checked against the format.
extension HistoryEvent {
    var json: JSONValue {
        let who = JSONValue.members([
            "id": contact.id?.json, "firstName": contact.firstName?.json, "lastName": contact.lastName?.json, "email": contact.email?.json,
            "fields": contact.fields.isEmpty ? nil : .object(contact.fields.mapValues(\.json)), "tags": contact.tags.isEmpty ? nil : contact.tags.json,
        ])
        let order = order.map { order in
            JSONValue.members([
                "id": order.id.json, "source": order.source.json,
                "lines": .array(
                    order.lines.map { line in
                        switch line {
                        case .product(let id, let option, let quantity):
                            .members(["product": id.json, "priceOption": option?.json, "quantity": quantity.json])
                        case .plan(let id, let quantity): .members(["subscriptionPlan": id.json, "quantity": quantity.json])
                        }
                    }),
                "paymentPlan": order.paymentPlan?.json, "chargeMode": order.chargeMode.json, "gateway": order.gateway?.json,
            ])
        }
        let payment = payment.map { payment in
            JSONValue.members([
                "index": payment.index.json, "amount": .members(["minor": payment.amount.json, "currency": payment.currency.json]),
                "declineCode": payment.declineCode?.json, "invoice": payment.invoice?.json,
            ])
        }
        return .members([
            "id": id.json, "type": kind.rawValue.json, "occurredAt": Instant(secondsSinceEpoch: at).rfc3339(offsetSeconds: offset).json,
            "contact": who, "order": order, "payment": payment,
            "error": errorCode.map { .members(["code": $0.json, "message": "The order could not be placed.".json]) },
            "subscription": subscriptionID.map { .members(["id": $0.json, "plan": (subscriptionPlan ?? "").json]) },
            "autocharge": autochargeAttempt.map { .members(["attempt": $0.json, "invoice": (autochargeInvoice ?? "").json]) },
            "card": cardID.map { .members(["id": $0.json, "expires": (cardExpires ?? "").json, "daysUntilExpiry": cardDaysUntilExpiry?.json]) },
        ])
    }

    /// One line of an events file.
    var line: String { json.compactText }

    /// The engine's event, decoded from the line.
    func decoded() throws -> Event { try Event.load(Array(line.utf8)) }
}
