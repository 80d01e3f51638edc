/// A documented decision where the new workflows behave differently from the old system, or where
/// the old system's behaviour had to be decided: what the report's "Behaviour changes" section says
/// to a business owner.
///
/// The ``explanation`` is copied from Docs/mapping.md (the report travels without the repository);
/// a test keeps each one word for word in that file.
public struct BehaviourChange: Hashable, Sendable {
    /// A stable id, such as `renewals`.
    public var id: String
    /// The change in a business owner's words.
    public var title: String
    /// The explanation from Docs/mapping.md, in its Markdown.
    public var explanation: String
    /// When the report shows it.
    let applies: Relevance

    /// What makes a change worth showing for one export.
    enum Relevance: Hashable, Sendable {
        case always
        case any(Set<ReportFact>)
        case allOrders(Bool)
    }
}

/// What an export holds, as far as the behaviour changes care.
enum ReportFact: Hashable, Sendable {
    case globalSlot, productSlot, contactCreation, sequence, autochargeFailed, billingRule
    case legacyAction, queuedFulfillmentList
}

extension BehaviourChange {
    /// Every documented behaviour change, in the order the report lists them.
    public static let all: [BehaviourChange] = [
        BehaviourChange(
            id: "renewals", title: "Subscription renewals run no purchase actions.",
            explanation: "Renewals arrive as `subscription.renewed`, which no slot listens to: **no purchase slot runs on a renewal**.",
            applies: .any([.globalSlot, .productSlot])),
        BehaviourChange(
            id: "payment-plans", title: "Product purchase actions run on every payment of a payment plan; the global slot on the first only.",
            explanation: "A later payment of a payment plan is a `payment.succeeded` with `payment.kind` = `installment`, so **product-specific sets run on every pay-plan payment** (with \"all orders\" on) and the global slot on the first only.",
            applies: .allOrders(true)),
        BehaviourChange(
            id: "once-per-product", title: "A product's actions run once per payment, however many lines of it the order has.",
            explanation: "A workflow fires at most once per event, so a product's set runs **once per distinct product per payment**.",
            applies: .any([.productSlot])),
        BehaviourChange(
            id: "all-orders-off", title: "With \"run purchase actions on all orders\" off, purchase actions run only for shopping-cart and order-form first payments.",
            explanation: "**Decision — setting off.** Product-specific and global slots fire only on the three cart and order-form first payments (`cart-product`, `cart-subscription-first-payment`, `cart-payment-plan-first-payment`); every other path fires neither.",
            applies: .allOrders(false)),
        BehaviourChange(
            id: "legacy-order-forms", title: "Legacy order forms run product purchase actions only with \"all orders\" on, and never the global slots.",
            explanation: "**Decision — legacy order forms.** With the setting on, product-specific sets run for orders from legacy order forms (`order.source` = `legacy-order-form`), as the help pages say; the global slots (Successful, Failed and Error Purchase, Contact Creation) keep the default scope, cart and order forms, as the table gives them for every path outside it. With the setting off, a legacy order form runs nothing.",
            applies: .any([.globalSlot, .productSlot])),
        BehaviourChange(
            id: "order-within-payment", title: "Within one payment, Contact Creation runs first, then the global slot, then each product's actions in the order's line order.",
            explanation: "**Decision:** Contact Creation first, then the global slot (Successful Purchase), then product-specific sets in order-line order.",
            applies: .any([.globalSlot, .productSlot, .contactCreation])),
        BehaviourChange(
            id: "contact-matching", title: "A buyer counts as an existing contact only when first name, last name and email all match.",
            explanation: "trim and collapse white space in first name, last name and email; compare email case-insensitively and names case-insensitively under Unicode canonical equivalence; all three must match; several matches pick the oldest contact.",
            applies: .any([.contactCreation])),
        BehaviourChange(
            id: "paypal", title: "PayPal payments never run billing automation.",
            explanation: "PayPal payments never run billing automation.",
            applies: .any([.billingRule])),
        BehaviourChange(
            id: "failed-first-order", title: "A declined first order is not retried, so only its first attempt can run billing automation.",
            explanation: "A failed *initial* order is never retried (since mid-2021): billing automation sees its one attempt (the table gives billing automation for every first-payment path that charges a card), but no second or later attempt of a first payment ever fires a rule.",
            applies: .any([.autochargeFailed])),
        BehaviourChange(
            id: "retry-settings", title: "The account's payment-retry settings are not in the workflows: set them up again in the new billing system.",
            explanation: "The account's billing defaults and each plan's overrides (retries, days between them) are the retry schedule itself; they belong to the dunning engine, not to these workflows.",
            applies: .always),
        BehaviourChange(
            id: "sequence-start", title: "A sequence started by an action begins after everything else the event runs.",
            explanation: "**Decision — sequences started during an event.** A `start-sequence` action enrolls the contact; the sequence's day-0 steps run after everything the event ran (the rest of the action set, the other slots), not at the action.",
            applies: .any([.sequence])),
        BehaviourChange(
            id: "sequence-reentry", title: "A contact already in a sequence is not started in it again.",
            explanation: "**Decision — re-entry.** A contact already in a sequence is not started again (`allowReentry` false); `stop-sequence` ends the enrollment, wherever it waits.",
            applies: .any([.sequence])),
        BehaviourChange(
            id: "calendar-days", title: "Sequence delays count calendar days in the account's timezone, not 24-hour periods.",
            explanation: "in the account's timezone: \"1 day\" is the next calendar day, not 24 hours.",
            applies: .any([.sequence])),
        BehaviourChange(
            id: "legacy-actions", title: "Faxes, letters and voice broadcasts are no longer sent; the workflows record them and do nothing else.",
            explanation: "A `legacy` action is recorded in the execution log and does nothing else.",
            applies: .any([.legacyAction])),
        BehaviourChange(
            id: "queued-fulfillment-lists", title: "Queued fulfilment lists now send one message per contact instead of a daily list.",
            explanation: "a **queued** list is reported (`queued-fulfillment-list`): it went out as a daily batch, the workflow notifies once per contact",
            applies: .any([.queuedFulfillmentList])),
    ]

    /// Whether the report for an export with these facts shows the change.
    func applies(facts: Set<ReportFact>, allOrders: Bool) -> Bool {
        switch applies {
        case .always: true
        case .any(let needed): !needed.isDisjoint(with: facts)
        case .allOrders(let setting): setting == allOrders && !facts.isDisjoint(with: [.globalSlot, .productSlot])
        }
    }
}
