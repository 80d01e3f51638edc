extension Event {
    /// The members an event may have besides `id`, `type`, `occurredAt` and `contact`, sorted as
    /// the decoder reads them; a member's bit in a ``MemberSet`` is its place here.
    private static let memberNames = [
        "autocharge", "callName", "card", "changed", "channel", "email", "error", "integration", "link", "order", "payment", "subscription", "tag",
    ]

    /// Members as bits (the place in ``memberNames``): checking them costs a few instructions,
    /// not a string comparison each.
    private typealias MemberSet = UInt16

    /// Each type's ``members`` as bits, required and allowed (required or optional), and what its
    /// type rules need to know of it: one lookup per event.
    private static let memberSets: [EventType: MemberRules] = Dictionary(
        uniqueKeysWithValues: members.map { type, rules in
            func bits(_ names: [String]) -> MemberSet {
                names.reduce(0) { set, name in memberNames.firstIndex(of: name).map { set | 1 << $0 } ?? set }
            }
            return (type, MemberRules(required: bits(rules.required), allowed: bits(rules.required + rules.optional), kind: TypeKind(type)))
        })

    /// One type's rules: members required and allowed, as bits, and its kind.
    private struct MemberRules {
        let required: MemberSet
        let allowed: MemberSet
        let kind: TypeKind
    }

    /// The members set, as bits.
    @inline(__always)
    private var presentMembers: MemberSet {
        func bit(_ isSet: Bool, _ place: MemberSet) -> MemberSet { isSet ? 1 << place : 0 }
        return bit(autocharge.isSome, 0) | bit(callName.isSome, 1) | bit(card.isSome, 2) | bit(changed.isSome, 3) | bit(channel.isSome, 4)
            | bit(email.isSome, 5) | bit(error.isSome, 6) | bit(integration.isSome, 7) | bit(link.isSome, 8) | bit(order.isSome, 9)
            | bit(payment.isSome, 10) | bit(subscription.isSome, 11) | bit(tag.isSome, 12)
    }

    /// Checks an event built in code against the rules ``load(_:)-([UInt8])`` checks on its JSON form
    /// (Docs/events.md): the members its type requires and allows, every value's range and
    /// shape, and the rules that tie members to the type. The error names the JSON path of the
    /// member at fault as the decoder would (`$.payment`, `$.order.lines[0].quantity`).
    ///
    /// A decoded event passes; so does one built in code that could have been decoded. The checks
    /// are the decoder's own (shared code), read from the values rather than from JSON.
    ///
    /// ```swift
    /// var event = Event(id: "evt-1", type: .paymentSucceeded, occurredAt: now, contact: ContactReference(id: "c-1"))
    /// try event.validate()   // JSONError: $: a payment.succeeded event requires 'order'
    /// ```
    public func validate() throws(JSONError) {
        try EventDecoding.checkKey(id, at: .root.member("id"))
        guard type != .manual, let sets = Self.memberSets[type] else {
            throw JSONError(.invalidValue, "unknown event type '\(DisplayText.escape(type.rawValue))' (Docs/events.md lists them)", at: .root.member("type"))
        }
        // One rule with the decoder (Docs/time.md, "Range"): what this accepts is written and read back.
        guard Instant.writableOffset(offsetSeconds, at: occurredAt) != nil else {
            throw JSONError(
                .invalidValue,
                "occurredAt must be an instant in the years 0001 to 9999 with a UTC offset of whole minutes within ±23:59 that keeps the local date-time in the years 0001 to 9999 too (found \(occurredAt.millisecondsSinceEpoch) ms after 1970-01-01T00:00:00Z, offset \(offsetSeconds) s)",
                at: .root.member("occurredAt"))
        }
        let present = presentMembers
        let unknown = present & ~sets.allowed
        if unknown != 0 {
            // The first in sorted order, as the decoder finds it.
            let name = Self.memberNames[unknown.trailingZeroBitCount]
            throw JSONError(.unknownMember, "'\(name)' is not a member of a \(type) event", at: .root.member(name))
        }
        try contact.validate(at: .root.member("contact"))
        if sets.required & ~present != 0, let rules = Self.members[type] {
            // The first in the type's list, as the decoder names it.
            for name in rules.required where name != "contact" {
                guard let bit = Self.memberNames.firstIndex(of: name), present & 1 << bit == 0 else { continue }
                throw JSONError(.missingMember, "a \(type) event requires '\(name)'", at: .root)
            }
        }
        try order?.validate(at: .root.member("order"))
        try payment?.validate(at: .root.member("payment"))
        if let error {
            try EventDecoding.checkKey(error.code, at: .root.member("error").member("code"), maximum: 64, what: "an error code")
            try EventDecoding.checkMessage(error.message, at: .root.member("error").member("message"))
        }
        if let subscription {
            try EventDecoding.checkKey(subscription.id, at: .root.member("subscription").member("id"))
            try EventDecoding.checkCatalogueID(subscription.plan, at: .root.member("subscription").member("plan"))
        }
        if let autocharge {
            try EventDecoding.checkAttempt(autocharge.attempt, at: .root.member("autocharge").member("attempt"))
            try EventDecoding.checkKey(autocharge.invoice, at: .root.member("autocharge").member("invoice"))
        }
        if let card {
            try EventDecoding.checkKey(card.id, at: .root.member("card").member("id"))
            try EventDecoding.checkExpires(card.expires, at: .root.member("card").member("expires"))
            if let days = card.daysUntilExpiry { try EventDecoding.checkDaysUntilExpiry(days, at: .root.member("card").member("daysUntilExpiry")) }
            if let network = card.network { try EventDecoding.checkNetwork(network, at: .root.member("card").member("network")) }
        }
        if let tag { try EventDecoding.checkCatalogueID(tag, at: .root.member("tag")) }
        if let changed {
            for (index, name) in changed.enumerated() { try EventDecoding.checkChangedName(name, at: .root.member("changed").index(index)) }
            try EventDecoding.checkChangedList(changed, at: .root.member("changed"))
        }
        if let email {
            try EventDecoding.checkKey(email.message, at: .root.member("email").member("message"))
            if let workflow = email.workflow { try EventDecoding.checkKey(workflow, at: .root.member("email").member("workflow")) }
            if let step = email.step { try EventDecoding.checkKey(step, at: .root.member("email").member("step")) }
        }
        if let link { try EventDecoding.checkLink(link, at: .root.member("link")) }
        if let channel, channel != "email", channel != "sms" {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(channel))' is not one of email, sms", at: .root.member("channel"))
        }
        if let integration { try EventDecoding.checkKey(integration, at: .root.member("integration"), maximum: 100, what: "an integration name") }
        if let callName { try EventDecoding.checkKey(callName, at: .root.member("callName"), maximum: 100, what: "a call name") }
        try checkTypeRules(sets.kind)
    }
}

extension ContactReference {
    /// The decoder's rules for `contact`, on the values.
    func validate(at path: @autoclosure () -> JSONPath) throws(JSONError) {
        if let id { try EventDecoding.checkKey(id, at: path().member("id")) }
        if let firstName { try EventDecoding.checkName(firstName, at: path().member("firstName")) }
        if let lastName { try EventDecoding.checkName(lastName, at: path().member("lastName")) }
        if let email { try EventDecoding.checkEmailText(email, at: path().member("email")) }
        if let timezone { try EventDecoding.checkZone(timezone, at: path().member("timezone")) }
        if !fields.isEmpty {
            try EventDecoding.checkFieldCount(fields.count, at: path().member("fields"))
            for name in fields.keys.sorted() { try EventDecoding.checkField(name, fields[name]!, at: path().member("fields")) }
        }
        for (index, tag) in tags.enumerated() { try EventDecoding.checkCatalogueID(tag, at: path().member("tags").index(index)) }
        try EventDecoding.checkTagList(tags, at: path().member("tags"))
        try EventDecoding.checkNaming(self, at: path())
    }
}

extension Order {
    /// The decoder's rules for `order`, on the values.
    func validate(at path: @autoclosure () -> JSONPath) throws(JSONError) {
        try EventDecoding.checkKey(id, at: path().member("id"))
        for (index, line) in lines.enumerated() {
            switch line.item {
            case .product(let product, let option):
                try EventDecoding.checkCatalogueID(product, at: path().member("lines").index(index).member("product"))
                if let option { try EventDecoding.checkCatalogueID(option, at: path().member("lines").index(index).member("priceOption")) }
            case .subscriptionPlan(let plan):
                try EventDecoding.checkCatalogueID(plan, at: path().member("lines").index(index).member("subscriptionPlan"))
            }
            try EventDecoding.checkedQuantity(line.quantity, at: path().member("lines").index(index).member("quantity"))
        }
        try EventDecoding.checkLineCount(lines.count, at: path().member("lines"))
        if let paymentPlan { try EventDecoding.checkCatalogueID(paymentPlan, at: path().member("paymentPlan")) }
        if let gateway { try EventDecoding.checkGateway(gateway, at: path().member("gateway")) }
    }
}

extension Payment {
    /// The decoder's rules for `payment`, on the values.
    func validate(at path: @autoclosure () -> JSONPath) throws(JSONError) {
        try EventDecoding.checkPaymentIndex(index, at: path().member("index"))
        try EventDecoding.checkMinor(amount, at: path().member("amount").member("minor"))
        try EventDecoding.checkCurrency(currency, at: path().member("amount").member("currency"))
        if let declineCode { try EventDecoding.checkKey(declineCode, at: path().member("declineCode"), maximum: 64, what: "a decline code") }
        if let invoice { try EventDecoding.checkKey(invoice, at: path().member("invoice")) }
        if let adviceCode { try EventDecoding.checkAdviceCode(adviceCode, at: path().member("adviceCode")) }
    }
}

extension Optional {
    /// Whether it holds a value, read in place.
    @inline(__always)
    fileprivate var isSome: Bool {
        switch self {
        case .some: true
        case .none: false
        }
    }
}
