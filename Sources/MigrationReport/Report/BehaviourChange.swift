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
            explanation: "In plain words: a subscription's renewal payments never run purchase actions; only its first payment can.",
            applies: .any([.globalSlot, .productSlot])),
        BehaviourChange(
            id: "payment-plans", title: "Product purchase actions run on every payment of a payment plan; the global slot on the first only.",
            explanation: "With \"all orders\" on, a product's purchase actions run again on every instalment of a payment plan, while Successful Purchase runs on the first payment only.",
            applies: .allOrders(true)),
        BehaviourChange(
            id: "once-per-product", title: "A product's actions run once per payment, however many lines of it the order has.",
            explanation: "An order with two lines of the same product runs that product's actions once.",
            applies: .any([.productSlot])),
        BehaviourChange(
            id: "all-orders-off", title: "With \"run purchase actions on all orders\" off, purchase actions run only for shopping-cart and order-form first payments.",
            explanation: "In plain words: with \"all orders\" off, purchase actions run only for the first payment of an order placed in the shopping cart or on an order form; manual orders, orders made by actions or through the API, and later payments run none.",
            applies: .allOrders(false)),
        BehaviourChange(
            id: "legacy-order-forms", title: "Legacy order forms run product purchase actions only with \"all orders\" on, and never the global slots.",
            explanation: "In plain words: an order from a legacy order form runs the product's purchase actions when \"all orders\" is on, but never Successful, Failed or Error Purchase or Contact Creation; with \"all orders\" off it runs nothing.",
            applies: .any([.globalSlot, .productSlot])),
        BehaviourChange(
            id: "order-within-payment", title: "Within one payment, Contact Creation runs first, then the global slot, then each product's actions in the order's line order.",
            explanation: "In plain words: for one payment, Contact Creation runs first, then Successful Purchase, then each product's actions in the order the products appear on the order.",
            applies: .any([.globalSlot, .productSlot, .contactCreation])),
        BehaviourChange(
            id: "contact-matching", title: "A buyer counts as an existing contact only when first name, last name and email all match.",
            explanation: "In plain words: a buyer counts as an existing contact only when first name, last name and email all match one (ignoring case and extra spaces); otherwise a new contact is made and Contact Creation runs.",
            applies: .any([.contactCreation])),
        BehaviourChange(
            id: "paypal", title: "PayPal payments never run billing automation.",
            explanation: "PayPal payments never run billing automation.",
            applies: .any([.billingRule])),
        BehaviourChange(
            id: "failed-first-order", title: "A declined first order is not retried, so only its first attempt can run billing automation.",
            explanation: "In plain words: when a customer's first payment is declined, the old system did not try the card again, so only billing rules for the first failed attempt can run for it.",
            applies: .any([.autochargeFailed])),
        BehaviourChange(
            id: "retry-settings", title: "The payment-retry settings became a dunning policy, dunning-policy.yaml, beside the workflows.",
            explanation: "In plain words: how many times a declined automatic charge is tried, and how many days apart, for the account and for each plan, is now written in the file dunning-policy.yaml beside the workflows (the report's account section says each schedule in words). The new system does not charge by that file yet: until it does, keep the retries in the payment processor.",
            applies: .always),
        BehaviourChange(
            id: "sequence-start", title: "A sequence started by an action begins after everything else the event runs.",
            explanation: "In plain words: when an action starts a sequence, the sequence's first steps run after the rest of the purchase's actions have run.",
            applies: .any([.sequence])),
        BehaviourChange(
            id: "sequence-reentry", title: "A contact already in a sequence is not started in it again.",
            explanation: "In plain words: starting a contact in a sequence they are already in does nothing; stopping a sequence ends it for the contact wherever they are in it.",
            applies: .any([.sequence])),
        BehaviourChange(
            id: "calendar-days", title: "Sequence delays count calendar days in the account's timezone, not 24-hour periods.",
            explanation: "In plain words: a step \"1 day\" later runs on the next calendar day in the account's timezone, which can be less than 24 hours later.",
            applies: .any([.sequence])),
        BehaviourChange(
            id: "legacy-actions", title: "Faxes, letters and voice broadcasts are no longer sent; the workflows record them and do nothing else.",
            explanation: "In plain words: faxes, printed letters and voice broadcasts are no longer sent; each is written in the workflow's history, so you can see where one would have gone out.",
            applies: .any([.legacyAction])),
        BehaviourChange(
            id: "queued-fulfillment-lists", title: "Queued fulfilment lists now send one message per contact instead of a daily list.",
            explanation: "In plain words: a fulfilment list that went out once a day as one list now sends one message per customer as each order comes in.",
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
