extension Event {
    /// The members each type requires and allows besides `id`, `type`, `occurredAt` (Docs/events.md,
    /// "Event types").
    static let members: [EventType: (required: [String], optional: [String])] = [
        .cartLogin: (["contact"], []),
        .contactCreated: (["contact"], ["order"]),
        .orderSubmitted: (["contact", "order"], []),
        .paymentSucceeded: (["contact", "order", "payment"], []),
        .paymentFailed: (["contact", "order", "payment"], ["subscription", "card"]),
        .orderErrored: (["contact", "order", "error"], []),
        .subscriptionRenewed: (["contact", "order", "payment", "subscription"], []),
        .autochargeFailed: (["contact", "order", "payment", "autocharge"], ["subscription", "card"]),
        .autochargeRecovered: (["contact", "order", "payment", "autocharge"], ["subscription", "card"]),
        .cardExpiring: (["contact", "card"], []),
        .paymentMethodUpdated: (["contact", "card"], []),
        .subscriptionCancelled: (["contact", "subscription"], ["order"]),
        .tagAdded: (["contact", "tag"], []),
        .tagRemoved: (["contact", "tag"], []),
        .contactUpdated: (["contact", "changed"], []),
        .emailOpened: (["contact", "email"], []),
        .emailClicked: (["contact", "email"], ["link"]),
        .contactReplied: (["contact", "channel"], []),
        .goalAchieved: (["contact", "integration", "callName"], []),
    ]

    /// Parses and decodes one event (one line of an events file).
    public static func load(_ bytes: [UInt8]) throws(JSONError) -> Event {
        try Event(json: JSONValue.parse(bytes))
    }

    /// The members an internal event type (``EventType/internalTypes``) requires and allows: what
    /// an enrollment that was given one keeps of it (Docs/events.md, "Internal event types").
    static let internalMembers: [EventType: (required: [String], optional: [String])] = [
        .dunningAttemptDue: (["contact"], ["order", "payment", "subscription", "autocharge", "card"])
    ]

    /// Decodes an event; every error names the JSON path of the offending member.
    public init(json: JSONValue) throws(JSONError) {
        try self.init(json: json, allowingInternal: false)
    }

    /// Decodes an event as ``init(json:)`` does; when `allowingInternal`, an event of an internal
    /// type (``EventType/internalTypes``, which no events file may hold) is read too, with the
    /// members ``internalMembers`` allows and no rule tying them to its type: how an enrollment
    /// given such an event by the runtime is read back from its store.
    package init(json: JSONValue, allowingInternal: Bool) throws(JSONError) {
        var object = try JSONObjectReader(json, at: .root)
        let id = try EventDecoding.key(object.required("id"), at: .root.member("id"))
        let typeName = try object.string("type")
        let internalType = allowingInternal ? EventType.internalTypes.first(where: { $0.rawValue == typeName }) : nil
        let found = internalType ?? (typeName == "manual" ? nil : EventType.all.first(where: { $0.rawValue == typeName }))
        guard let type = found, let rules = internalType != nil ? Self.internalMembers[type] : Self.members[type] else {
            throw JSONError(.invalidValue, "unknown event type '\(typeName)' (Docs/events.md lists them)", at: .root.member("type"))
        }
        let timestamp = try object.string("occurredAt")
        // The date-time as written and its UTC instant, after the offset, are both in the years 0001 to 9999.
        // A leap second (:60) is refused, and said so.
        guard let (instant, offset) = Instant.parseRFC3339(timestamp) else {
            throw JSONError(
                .invalidValue, Instant.rfc3339Refusal(timestamp, example: "2025-01-14T10:03:27-07:00") ?? "not a date-time",
                at: .root.member("occurredAt"))
        }
        for name in object.members.keys.sorted() where !["id", "type", "occurredAt"].contains(name) {
            guard rules.required.contains(name) || rules.optional.contains(name) else {
                throw JSONError(.unknownMember, "'\(name)' is not a member of a \(type) event", at: .root.member(name))
            }
        }
        let contact = try EventDecoding.contact(object.required("contact"), at: .root.member("contact"))
        self.init(id: id, type: type, occurredAt: instant, offsetSeconds: offset, contact: contact)
        for name in rules.required where !object.has(name) {
            throw JSONError(.missingMember, "a \(type) event requires '\(name)'", at: .root)
        }
        order = try object.optional("order").map { value throws(JSONError) in try EventDecoding.order(value, at: .root.member("order")) }
        payment = try object.optional("payment").map { value throws(JSONError) in try EventDecoding.payment(value, at: .root.member("payment")) }
        error = try object.optional("error").map { value throws(JSONError) in try EventDecoding.orderError(value, at: .root.member("error")) }
        subscription = try object.optional("subscription").map { value throws(JSONError) in
            try EventDecoding.subscription(value, at: .root.member("subscription"))
        }
        autocharge = try object.optional("autocharge").map { value throws(JSONError) in
            try EventDecoding.autocharge(value, at: .root.member("autocharge"))
        }
        card = try object.optional("card").map { value throws(JSONError) in try EventDecoding.card(value, at: .root.member("card")) }
        tag = try object.optional("tag").map { value throws(JSONError) in try EventDecoding.catalogueID(value, at: .root.member("tag")) }
        changed = try object.optionalArray("changed") { value, path throws(JSONError) in
            let name = try value.string(at: path)
            try EventDecoding.checkChangedName(name, at: path)
            return name
        }
        if let changed { try EventDecoding.checkChangedList(changed, at: .root.member("changed")) }
        email = try object.optional("email").map { value throws(JSONError) in try EventDecoding.email(value, at: .root.member("email")) }
        link = try object.optional("link").map { value throws(JSONError) in try EventDecoding.link(value, at: .root.member("link")) }
        channel = try object.optional("channel") == nil ? nil : object.choice("channel", ["email", "sms"])
        integration = try object.optional("integration").map { value throws(JSONError) in
            try EventDecoding.key(value, at: .root.member("integration"), maximum: 100, what: "an integration name")
        }
        callName = try object.optional("callName").map { value throws(JSONError) in
            try EventDecoding.key(value, at: .root.member("callName"), maximum: 100, what: "a call name")
        }
        try object.finish()
        if internalType == nil { try checkTypeRules() }
    }

    /// The rules that tie members to the type (Docs/events.md, "Event types").
    func checkTypeRules() throws(JSONError) {
        try checkTypeRules(TypeKind(type))
    }

    /// What the type rules need to know of an event's type, found once (comparing types compares
    /// their names).
    struct TypeKind {
        /// `payment.failed`, `payment.autocharge_failed`.
        var failing = false
        /// `payment.succeeded`, `subscription.renewed`, `payment.autocharge_recovered`.
        var succeeding = false
        var isRenewal = false
        var isPaymentSucceeded = false
        var isAutocharge = false
        var isCardExpiring = false

        init(_ type: EventType) {
            failing = type == .paymentFailed || type == .autochargeFailed
            succeeding = type == .paymentSucceeded || type == .subscriptionRenewed || type == .autochargeRecovered
            isRenewal = type == .subscriptionRenewed
            isPaymentSucceeded = type == .paymentSucceeded
            isAutocharge = type == .autochargeFailed || type == .autochargeRecovered
            isCardExpiring = type == .cardExpiring
        }
    }

    /// ``checkTypeRules()`` with the type's kind already found.
    func checkTypeRules(_ kind: TypeKind) throws(JSONError) {
        let failing = kind.failing
        let succeeding = kind.succeeding
        let charged = failing || (kind.isAutocharge && !kind.failing)
        if let payment {
            if failing, payment.declineCode == nil {
                throw JSONError(.missingMember, "a \(type) event's payment requires 'declineCode'", at: .root.member("payment"))
            }
            if succeeding, payment.declineCode != nil {
                throw JSONError(.unknownMember, "a \(type) event's payment has no decline code", at: .root.member("payment").member("declineCode"))
            }
            if !failing, payment.adviceCode != nil {
                throw JSONError(
                    .unknownMember, "a \(type) event's payment has no advice code (only a declined payment has one)",
                    at: .root.member("payment").member("adviceCode"))
            }
            if kind.isRenewal, payment.index < 2 {
                throw JSONError(.invalidValue, "a renewal is payment 2 or later; the first payment is payment.succeeded", at: .root.member("payment").member("index"))
            }
            if kind.isPaymentSucceeded, payment.index >= 2, order?.paymentPlan == nil {
                throw JSONError(
                    .missingMember, "a later payment.succeeded is a payment-plan payment and requires order.paymentPlan (a renewal is subscription.renewed)",
                    at: .root.member("order"))
            }
        }
        if charged, let order, order.chargeMode != .card {
            throw JSONError(.invalidValue, "only a card charge can be declined or retried: chargeMode must be 'card'", at: .root.member("order").member("chargeMode"))
        }
        if kind.isAutocharge, order?.gateway == nil {
            throw JSONError(.missingMember, "an automatic charge must name its gateway", at: .root.member("order"))
        }
        if kind.isCardExpiring, card?.daysUntilExpiry == nil {
            throw JSONError(.missingMember, "card.expiring requires card.daysUntilExpiry", at: .root.member("card"))
        }
    }
}
