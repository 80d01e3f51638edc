public import PurchaseActionsCore

/// Counts of what an export holds, per kind, gathered while streaming it.
public struct ExportSummary: Hashable, Sendable {
    /// The account, once read.
    public var account: AccountSettings?
    /// Catalogue entries per kind (`tag`, `product`, `email-template`, ...).
    public var catalogue: [String: Int] = [:]
    /// Number of sequences.
    public var sequences = 0
    /// Number of sequence steps.
    public var sequenceSteps = 0
    /// Number of action sets.
    public var actionSets = 0
    /// Actions per element name, in action sets and sequence steps; `(opaque)` counts opaque actions.
    public var actions: [String: Int] {
        var counts: [String: Int] = [:]
        for (position, count) in actionCounts.enumerated() where count > 0 {
            counts[position < ActionElement.all.count ? ActionElement.all[position].rawValue : "(opaque)"] = count
        }
        return counts
    }
    /// Counts by position in `ActionElement.all`, opaque actions last.
    private var actionCounts = [Int](repeating: 0, count: ActionElement.all.count + 1)
    /// Actions that carry a rule.
    public var rules = 0
    /// Slots by key (`successful-purchase`, `product-purchase:prod-1`, ...).
    public var slots: [String] = []
    /// Billing-automation rules per element name.
    public var billingRules: [String: Int] = [:]
    /// Extension parts kept (elements and attributes in other namespaces, unknown elements).
    public var opaqueParts = 0

    /// Creates an empty summary.
    public init() {}

    /// Adds one streamed item.
    public mutating func add(_ item: ExportItem) {
        switch item {
        case .account(let settings):
            account = settings
            opaqueParts += settings.extensions.count
        case .catalogue(let value):
            func put(_ kind: String, _ count: Int) { if count > 0 { catalogue[kind] = count } }
            put("tag-category", value.tagCategories.count)
            put("tag", value.tags.count)
            put("custom-field", value.customFields.count)
            put("user", value.users.count)
            put("product", value.products.count)
            put("price-option", value.products.values.reduce(0) { $0 + $1.priceOptions.count })
            put("subscription-plan", value.subscriptionPlans.count)
            put("bundle", value.bundles.count)
            put("payment-plan", value.paymentPlans.count)
            for template in value.templates.values { catalogue[template.kind.elementName, default: 0] += 1 }
            opaqueParts += value.extensions.count
        case .sequence(let sequence):
            sequences += 1
            sequenceSteps += sequence.steps.count
            for step in sequence.steps { count(step.actions) }
            opaqueParts += sequence.extensions.count
        case .actionSet(let set):
            actionSets += 1
            count(set.actions)
            opaqueParts += set.extensions.count
        case .slot(let slot):
            slots.append(slot.kind.key)
            opaqueParts += slot.extensions.count
        case .billingRule(let rule):
            let name =
                switch rule.trigger {
                case .autochargeFailed: "on-autocharge-failed"
                case .autochargeRecovered: "on-autocharge-recovered"
                case .cardExpiring: "on-card-expiring"
                }
            billingRules[name, default: 0] += 1
            opaqueParts += rule.extensions.count
        case .extension:
            opaqueParts += 1
        }
    }

    private mutating func count(_ list: [Action]) {
        // Indexing borrows each action; a for-in loop would copy every one.
        for index in list.indices {
            if let element = ActionElement(list[index].kind) {
                actionCounts[element.position] += 1
            } else {
                actionCounts[ActionElement.all.count] += 1
                opaqueParts += 1
            }
            if list[index].rule != nil { rules += 1 }
            opaqueParts += list[index].extensions.count
        }
    }

    /// The summary for people: a line per section, kinds sorted by name.
    public var lines: [String] {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        var lines: [String] = []
        if let account {
            lines.append(
                "account: \(account.id) \"\(account.name)\", \(account.timezone), \(account.currency), purchase actions on all orders: \(account.runPurchaseActionsOnAllOrders ? "on" : "off")")
        }
        lines.append("catalogue: \(list(catalogue))")
        lines.append("sequences: \(sequences) with \(sequenceSteps) steps")
        lines.append("action sets: \(actionSets) with \(actions.values.reduce(0, +)) actions (\(rules) with a rule)")
        lines.append("actions: \(list(actions))")
        lines.append("slots: \(slots.isEmpty ? "none" : slots.joined(separator: ", "))")
        lines.append("billing automation: \(list(billingRules))")
        if opaqueParts > 0 { lines.append("kept as opaque parts: \(opaqueParts)") }
        return lines
    }
}
