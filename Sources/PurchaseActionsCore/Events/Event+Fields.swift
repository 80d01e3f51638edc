/// What a condition can read besides the event: the contact as it is now, and the catalogue's plan
/// → product map (Docs/events.md, "Fields").
public struct FieldContext: Sendable {
    /// The contact's tag ids.
    public var tags: [String]
    /// The contact's fields by name (`FirstName`, `_ShirtSize`).
    public var fields: [String: String]
    /// The product a subscription plan belongs to, when the catalogue knows it.
    public var productOfPlan: @Sendable (String) -> String?

    /// Creates a context.
    public init(tags: [String] = [], fields: [String: String] = [:], productOfPlan: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.tags = tags
        self.fields = fields
        self.productOfPlan = productOfPlan
    }
}

extension FieldContext {
    /// A field about the contact (`contact.tags`, `contact.fields.<Name>`), which needs no event;
    /// `nil` for any other field or a missing value.
    public func contactField(_ name: String) -> FieldValue? {
        if name == "contact.tags" { return .list(tags) }
        guard name.hasPrefix("contact.fields.") else { return nil }
        return fields[String(name.dropFirst("contact.fields.".count))].map(FieldValue.text)
    }
}

extension Event {
    /// The value of a field (Docs/events.md, "Fields"), or `nil` when the event or contact lacks it.
    public func field(_ name: String, in context: FieldContext) -> FieldValue? {
        if let contactValue = context.contactField(name) { return contactValue }
        switch name {
        case "order.source": return order.map { .text($0.source.rawValue) }
        case "order.chargeMode": return order.map { .text($0.chargeMode.rawValue) }
        case "order.gateway": return order?.gateway.map(FieldValue.text)
        case "order.paymentPlan": return order?.paymentPlan.map(FieldValue.text)
        case "order.products": return order.map { .list(products(of: $0, context)) }
        case "order.subscriptionPlans":
            return order.map { order in .list(distinct(order.lines.compactMap { if case .subscriptionPlan(let id) = $0.item { id } else { nil } })) }
        case "order.priceOptions":
            return order.map { order in .list(distinct(order.lines.compactMap { if case .product(_, let option) = $0.item { option } else { nil } })) }
        case "payment.index": return payment.map { .integer($0.index) }
        case "payment.kind": return paymentKind.map(FieldValue.text)
        case "payment.status": return paymentStatus.map(FieldValue.text)
        case "payment.amount": return payment.map { .integer($0.amount) }
        case "payment.currency": return payment.map { .text($0.currency) }
        case "payment.declineCode": return payment?.declineCode.map(FieldValue.text)
        case "payment.adviceCode": return payment?.adviceCode.map(FieldValue.text)
        case "payment.declineClass": return nil
        case "autocharge.attempt": return autocharge.map { .integer($0.attempt) }
        case "card.daysUntilExpiry": return card?.daysUntilExpiry.map(FieldValue.integer)
        case "tag": return tag.map(FieldValue.text)
        case "channel": return channel.map(FieldValue.text)
        case "integration": return integration.map(FieldValue.text)
        case "callName": return callName.map(FieldValue.text)
        default: return nil
        }
    }

    /// `first`, `installment` or `renewal` (Docs/events.md, "Derived fields").
    public var paymentKind: String? {
        guard let payment else { return nil }
        if payment.index == 1 { return "first" }
        if type == .subscriptionRenewed || (subscription != nil && [.paymentFailed, .autochargeFailed, .autochargeRecovered].contains(type)) {
            return "renewal"
        }
        return "installment"
    }

    /// `succeeded` or `failed`, on payment events.
    public var paymentStatus: String? {
        switch type {
        case .paymentSucceeded, .subscriptionRenewed, .autochargeRecovered: "succeeded"
        case .paymentFailed, .autochargeFailed: "failed"
        default: nil
        }
    }

    /// The distinct products of an order's lines in line order, with each subscription's product.
    public func products(of order: Order, _ context: FieldContext) -> [String] {
        distinct(
            order.lines.compactMap { line in
                switch line.item {
                case .product(let id, _): id
                case .subscriptionPlan(let plan): context.productOfPlan(plan)
                }
            })
    }

    private func distinct(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }
}
