import PurchaseActionsCore

/// What fires a workflow, in plain words, from its triggers and their filters: "when a cart or
/// order-form payment of *Foundations — VIP* succeeds, first payment only".
extension ReportNames {
    func fires(_ workflow: Workflow, kind: WorkflowKind) -> Sentence {
        let events = workflow.triggers.filter { $0.event != .manual }
        guard !events.isEmpty else { return Self.manual(kind) }
        var sentence = Sentence()
        for (index, trigger) in events.enumerated() {
            if index > 0 { sentence += "; or " }
            sentence += words(trigger)
        }
        if events.count < workflow.triggers.count { sentence += "; or when it is run by id" }
        return sentence
    }

    /// A manual trigger: who runs it.
    static func manual(_ kind: WorkflowKind) -> Sentence {
        switch kind {
        case .actionSet: "when a purchase slot, a billing rule or another action set runs it (or an app runs it by id)"
        case .sequence: "when an action starts it for a contact; someone already in it is not started again"
        default: "when it is run by id"
        }
    }

    /// The filters of a trigger sorted into what the sentence says.
    private struct Filters {
        var sources: [String]?
        var firstOnly = false
        var items = Sentence()
        var attempt: Int?
        var days: Int?
        var notPayPal = false
        var noRetryOfFirst = false
        var others: [Sentence] = []
    }

    func words(_ trigger: Trigger) -> Sentence {
        var filters = Filters()
        for filter in trigger.filters { sort(filter, into: &filters) }
        let source: Sentence = filters.sources.map { Self.sourceWords($0) } ?? ""
        let of: Sentence = filters.items.isEmpty ? "" : " of " + filters.items
        var sentence: Sentence
        switch trigger.event {
        case .paymentSucceeded: sentence = "when a" + source + " payment" + of + " succeeds"
        case .paymentFailed: sentence = "when a" + source + " payment" + of + " is declined"
        case .orderErrored: sentence = (source.isEmpty ? "when an" : "when a") + source + " order" + of + " stops with an error other than a decline"
        case .contactCreated: sentence = "when a" + source + " checkout" + of + " creates the buyer as a new contact"
        case .cartLogin: sentence = "when a customer logs in to the cart"
        case .autochargeFailed:
            let attempt: Sentence = filters.attempt.map { Sentence(stringLiteral: "charge attempt \($0)") } ?? "charge"
            sentence = "when automatic " + attempt + of + " fails"
        case .autochargeRecovered: sentence = "when an automatic charge" + of + " succeeds after failing"
        case .cardExpiring:
            sentence = filters.days.map { Sentence(stringLiteral: "when a card on file expires in \($0) days") } ?? "when a card on file is about to expire"
        default: sentence = Sentence([.words("on the event "), .id(trigger.event.rawValue)]) + (filters.items.isEmpty ? "" : " about " + filters.items)
        }
        if filters.firstOnly { sentence += ", first payment only" }
        if filters.notPayPal { sentence += ", never for PayPal payments" }
        if filters.noRetryOfFirst { sentence += ", never for a retry of a failed first order" }
        for other in filters.others { sentence += ", only if " + other }
        switch trigger.event {
        case .paymentSucceeded: sentence += Self.paymentWayWords(trigger)
        case .paymentFailed where filters.firstOnly:
            sentence += " (a declined later payment of a subscription or payment plan runs billing automation instead)"
        case .contactCreated:
            sentence += " (a buyer whose first name, last name and email all match an existing contact is not new)"
        default: break
        }
        return sentence
    }

    private static func sourceWords(_ sources: [String]) -> Sentence {
        if sources == LegacyCompiler.defaultScopeSources { return " cart or order-form" }
        var sentence = Sentence(stringLiteral: " ")
        for (index, source) in sources.enumerated() {
            if index > 0 { sentence += " or " }
            sentence += Sentence([.quote(source)])
        }
        return sentence
    }

    private func sort(_ filter: Condition, into filters: inout Filters) {
        switch filter.test {
        case .compare("order.source", .in, .list(let sources)?): filters.sources = sources
        case .compare("payment.kind", .equals, .text("first")?): filters.firstOnly = true
        case .compare("order.gateway", .notEquals, .text("paypal")?): filters.notPayPal = true
        case .compare("autocharge.attempt", .equals, .integer(let attempt)?): filters.attempt = attempt
        case .compare("card.daysUntilExpiry", .equals, .integer(let days)?): filters.days = days
        case .compare("order.products", .contains, _) where bought([filter]) != nil && filters.items.isEmpty, .compare("order.subscriptionPlans", .contains, _) where bought([filter]) != nil && filters.items.isEmpty:
            filters.items = bought([filter])!
        case .any(let parts) where bought(parts) != nil && filters.items.isEmpty: filters.items = bought(parts)!
        case .not(let inner) where Self.isRetryOfFirstPayment(inner): filters.noRetryOfFirst = true
        default: filters.others.append(words(filter))
        }
    }

    /// "*Product*", or "*Product* (bought outright or through one of its subscription plans)", or
    /// "subscription plan *Plan*", when every part is a line of a product or plan.
    private func bought(_ parts: [Condition]) -> Sentence? {
        var products: [String] = []
        var plans: [String] = []
        for part in parts {
            switch part.test {
            case .compare("order.products", .contains, .text(let id)?): products.append(id)
            case .compare("order.subscriptionPlans", .contains, .text(let id)?): plans.append(id)
            default: return nil
            }
        }
        var sentence = Sentence()
        if !products.isEmpty {
            for (index, id) in products.enumerated() {
                if index > 0 { sentence += " or " }
                sentence += Sentence([.name(product(id))])
            }
            if !plans.isEmpty { sentence += " (bought outright or through one of its subscription plans)" }
            return sentence
        }
        for (index, id) in plans.enumerated() {
            sentence += index > 0 ? " or " : "subscription plan "
            sentence += Sentence([.name(plan(id))])
        }
        return sentence.isEmpty ? nil : sentence
    }

    private static func isRetryOfFirstPayment(_ condition: Condition) -> Bool {
        guard case .all(let parts) = condition.test, parts.count == 2 else { return false }
        return parts[0].test == .compare(field: "payment.kind", op: .equals, value: .text("first"))
            && parts[1].test == .compare(field: "autocharge.attempt", op: .atLeast, value: .integer(2))
    }
}
