import Foundation
import PurchaseActionsCore

/// One thing the old system did for a contact, normalised to a short text both sides can produce
/// (see ``ReferenceModel`` for the forms).
struct ReferenceEffect: Hashable, Sendable, CustomStringConvertible {
    /// The contact, by the model's own id.
    var contact: String
    /// The normalised effect, such as `add-tag tag-vip`.
    var text: String
    var description: String { "\(contact): \(text)" }
}

/// The legacy purchase-action semantics, written from /work/shared/docs/legacy-purchase-actions.md
/// and the decisions of Docs/mapping.md and Docs/events.md. It reads only the legacy model of the
/// account (action sets, rules, slots, billing rules, sequences, catalogue) and plain
/// ``HistoryEvent``s: no compiler, workflow, condition or engine code.
///
/// Per event it returns the effects in the order the old system would produce them: sequence steps
/// that fell due before the event, then Contact Creation, the global slot, the product and plan slots
/// (order-line order, then id), billing rules, and last the day-0 steps of sequences the event started.
final class ReferenceModel {
    /// A contact: fields, tags, owner.
    struct Contact {
        var id: String
        /// Creation order: the oldest of several matches is the lowest.
        var age: Int
        var fields: [String: String] = [:]
        var tags: [String] = []
        var owner: String?
    }

    /// One slot or billing rule that fires on an event.
    struct Invocation {
        var priority: Int
        /// The first order line it matched, for the order among equal priorities.
        var line: Int?
        /// The documented workflow id (mapping.md), the last tie-break.
        var workflowID: String
        /// Its position in the export, for the document-order alternative.
        var documentIndex: Int
        var actionSetID: String
    }

    let account: LegacyAccount
    let semantics: ReferenceSemantics
    let actionSets: [String: ActionSet]
    let sequences: [String: FollowUpSequence]
    let calendar: Calendar
    let customFields: Set<String>
    private(set) var contacts: [String: Contact] = [:]
    /// The clock, seconds since 1970.
    var now: Int64
    /// Effects of the current `ingest` or `advance`.
    var effects: [ReferenceEffect] = []
    /// Sequence enrollments, in the order they were made.
    var runs: [SequenceRun] = []
    /// Enrollments made by start-sequence during the current event, run when its slots are done.
    var pending: [Int] = []
    private var nextContact = 1

    init(account: LegacyAccount, semantics: ReferenceSemantics, start: Int64) {
        self.account = account
        self.semantics = semantics
        actionSets = Dictionary(account.actionSets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        sequences = Dictionary(account.sequences.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: account.settings.timezone) ?? TimeZone(secondsFromGMT: 0)!
        self.calendar = calendar
        customFields = Set(account.catalogue.customFields.values.map(\.name))
        now = start
    }

    /// The contact the last resolved reference named.
    private(set) var lastContactID = ""

    /// Takes one event: sequence steps due first, then what the event runs.
    func ingest(_ event: HistoryEvent) -> [ReferenceEffect] {
        var out = advance(to: event.at)
        effects = []
        now = event.at
        let (contactID, isNew) = resolve(event.contact)
        lastContactID = contactID
        for invocation in invocations(event, isNew: isNew) {
            runActionSet(invocation.actionSetID, contactID: contactID)
        }
        runPending()
        out += effects
        return out
    }

    // MARK: Contacts

    /// Trimmed, white space collapsed, lowercased; Swift compares the result under canonical equivalence.
    static func normalise(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
    }

    private func key(_ first: String?, _ last: String?, _ email: String?) -> [String]? {
        guard let first, let last, let email else { return nil }
        return [Self.normalise(first), Self.normalise(last), Self.normalise(email)]
    }

    /// events.md, "How the engine finds the contact": by id (an unknown id creates it), else the
    /// legacy match on all three (oldest wins), else a new contact; then names, fields and, for a new
    /// contact, tags are written.
    func resolve(_ who: HistoryEvent.Who) -> (id: String, isNew: Bool) {
        var contact: Contact
        var isNew = false
        if let id = who.id {
            if let found = contacts[id] {
                contact = found
            } else {
                contact = Contact(id: id, age: nextContact)
                nextContact += 1
                isNew = true
            }
        } else if let wanted = key(who.firstName, who.lastName, who.email),
            let found = contacts.values.filter({ key($0.fields["FirstName"], $0.fields["LastName"], $0.fields["Email"]) == wanted })
                .min(by: { $0.age < $1.age })
        {
            contact = found
        } else {
            contact = Contact(id: "ref-\(nextContact)", age: nextContact)
            nextContact += 1
            isNew = true
        }
        if let first = who.firstName { contact.fields["FirstName"] = first }
        if let last = who.lastName { contact.fields["LastName"] = last }
        if let email = who.email { contact.fields["Email"] = email }
        for (name, value) in who.fields { contact.fields[name] = value }
        if semantics.ownerIDFieldIsTheOwner, let owner = who.fields["OwnerID"] { contact.owner = owner.isEmpty ? nil : owner }
        if isNew {
            for tag in who.tags where !contact.tags.contains(tag) { contact.tags.append(tag) }
            if semantics.setsDateCreated { contact.fields["DateCreated"] = localDate(now) }
        }
        contacts[contact.id] = contact
        return (contact.id, isNew)
    }

    func update(_ id: String, _ change: (inout Contact) -> Void) {
        guard var contact = contacts[id] else { return }
        change(&contact)
        contacts[id] = contact
    }

    // MARK: What an event runs

    static let defaultScope: Set<String> = ["cart", "order-form"]

    /// The slots and billing rules the event fires, in the order they run.
    func invocations(_ event: HistoryEvent, isNew: Bool) -> [Invocation] {
        let source = event.order?.source
        let inDefaultScope = source.map(Self.defaultScope.contains) ?? false
        let firstPayment = event.payment?.index == 1
        var fired: [Invocation] = []
        for (index, slot) in account.slots.enumerated() {
            let id = "slot." + slot.kind.key.replacingOccurrences(of: ":", with: ".")
            func fire(_ priority: Int, line: Int? = nil) {
                fired.append(Invocation(priority: priority, line: line, workflowID: id, documentIndex: index, actionSetID: slot.actionSetID))
            }
            switch slot.kind {
            case .onLogin:
                if event.kind == .cartLogin { fire(10) }
            case .contactCreation:
                // The buyer was not already a contact, and a cart or order-form checkout created them.
                let announced = event.kind == .contactCreated && (isNew || !semantics.contactCreationOnlyForNewContacts)
                let checkout = [.orderSubmitted, .orderErrored].contains(event.kind)
                    || ([.paymentSucceeded, .paymentFailed].contains(event.kind) && firstPayment)
                let implicit = semantics.contactCreationWhenAnOrderCreatesTheBuyer && isNew && checkout
                if inDefaultScope, announced || implicit { fire(10) }
            case .successfulPurchase:
                if event.kind == .paymentSucceeded, inDefaultScope, firstPayment { fire(20) }
            case .failedPurchase:
                if event.kind == .paymentFailed, inDefaultScope, firstPayment { fire(20) }
            case .errorPurchase:
                if event.kind == .orderErrored, inDefaultScope { fire(20) }
            case .product(let product):
                if productActionsRun(event), let line = firstLine(event, product: product) { fire(30, line: line) }
            case .subscriptionPlan(let plan):
                if productActionsRun(event), let line = firstLine(event, plan: plan) { fire(30, line: line) }
            }
        }
        var billing: [Invocation] = []
        for (index, rule) in account.billingRules.enumerated() {
            if let match = billingRuleFires(rule, event) {
                billing.append(
                    Invocation(priority: 40, line: match.line, workflowID: "billing.\(rule.id)", documentIndex: index, actionSetID: rule.actionSetID))
            }
        }
        fired.sort { ($0.priority, $0.line ?? Int.max, $0.workflowID) < ($1.priority, $1.line ?? Int.max, $1.workflowID) }
        switch semantics.billingOrder {
        case .firstLineThenID: billing.sort { ($0.line ?? Int.max, $0.workflowID) < ($1.line ?? Int.max, $1.workflowID) }
        case .documentOrder: break
        }
        return fired + billing
    }

    /// Product-specific sets run on every payment (not renewals, which are `subscription.renewed`)
    /// with "all orders" on; with it off, only on the first payment of a cart or order-form order
    /// (mapping.md, "Decision — setting off"; legacy order forms count with the setting on only).
    func productActionsRun(_ event: HistoryEvent) -> Bool {
        guard event.kind == .paymentSucceeded, let order = event.order, let payment = event.payment else { return false }
        if account.settings.runPurchaseActionsOnAllOrders { return true }
        return Self.defaultScope.contains(order.source) && payment.index == 1
    }

    /// The first line buying the product: a product line, or a plan line whose plan belongs to it.
    func firstLine(_ event: HistoryEvent, product: String) -> Int? {
        event.order?.lines.firstIndex { line in
            switch line {
            case .product(let id, _, _): id == product
            case .plan(let plan, _): account.catalogue.subscriptionPlans[plan]?.productID == product
            }
        }
    }

    /// The first line buying the plan.
    func firstLine(_ event: HistoryEvent, plan: String) -> Int? {
        event.order?.lines.firstIndex { if case .plan(let id, _) = $0 { id == plan } else { false } }
    }

    /// A billing rule that fires, with the first order line it matched (`nil` for a rule on any
    /// product, or a card rule).
    struct BillingMatch { var line: Int? }

    /// Billing automation: attempt N, the rule's product or plan, never PayPal, and never a second or
    /// later attempt of a first payment (mapping.md, "Billing automation"). `nil` when it does not fire.
    func billingRuleFires(_ rule: BillingAutomationRule, _ event: HistoryEvent) -> BillingMatch? {
        func scope(_ scope: BillingAutomationRule.Scope) -> BillingMatch? {
            switch scope {
            case .any: return BillingMatch(line: nil)
            case .product(let id): return firstLine(event, product: id).map { BillingMatch(line: $0) }
            case .subscriptionPlan(let id): return firstLine(event, plan: id).map { BillingMatch(line: $0) }
            }
        }
        let payPal = event.order?.gateway?.lowercased() == "paypal"
        switch rule.trigger {
        case .autochargeFailed(let attempt, let ruleScope):
            guard event.kind == .autochargeFailed, event.autochargeAttempt == attempt, !payPal else { return nil }
            if event.payment?.index == 1, attempt >= 2 { return nil }
            return scope(ruleScope)
        case .autochargeRecovered(let ruleScope):
            guard event.kind == .autochargeRecovered, !payPal else { return nil }
            return scope(ruleScope)
        case .cardExpiring(let days):
            guard event.kind == .cardExpiring, event.cardDaysUntilExpiry == days else { return nil }
            return BillingMatch(line: nil)
        }
    }

    // MARK: Time

    /// `YYYY-MM-DD` in the account's timezone.
    func localDate(_ seconds: Int64) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
