/// One event of a generated history, in the shape of Docs/events.md but as plain values, so the
/// reference model reads the raw members and derives nothing from the engine's `Event` type. The
/// harness writes it as a JSON line and decodes that with `Event.load` for the engine.
struct HistoryEvent: Hashable, Sendable {
    /// The event types a history uses (Docs/events.md, "Event types").
    enum Kind: String, Hashable, Sendable, CaseIterable {
        case contactCreated = "contact.created"
        case cartLogin = "cart.login"
        case orderSubmitted = "order.submitted"
        case paymentSucceeded = "payment.succeeded"
        case paymentFailed = "payment.failed"
        case orderErrored = "order.errored"
        case subscriptionRenewed = "subscription.renewed"
        case autochargeFailed = "payment.autocharge_failed"
        case autochargeRecovered = "payment.autocharge_recovered"
        case cardExpiring = "card.expiring"
    }

    /// `contact`: an id, or first name, last name and email, or both; fields and tags as the source knew them.
    struct Who: Hashable, Sendable {
        var id: String?
        var firstName: String?
        var lastName: String?
        var email: String?
        var fields: [String: String] = [:]
        var tags: [String] = []
    }

    /// One order line: a product (at a price option) or a subscription plan.
    enum Line: Hashable, Sendable {
        case product(String, option: String?, quantity: Int)
        case plan(String, quantity: Int)
    }

    /// `order`.
    struct OrderInfo: Hashable, Sendable {
        var id: String
        var source: String
        var lines: [Line]
        var paymentPlan: String?
        var chargeMode: String
        var gateway: String?
    }

    /// `payment`.
    struct PaymentInfo: Hashable, Sendable {
        var index: Int
        var amount: Int
        var currency: String
        var declineCode: String?
        var invoice: String?
    }

    var id: String
    var kind: Kind
    /// `occurredAt`, seconds since 1970 UTC.
    var at: Int64
    /// The offset `occurredAt` is written with (the account's), in seconds.
    var offset: Int
    var contact: Who
    var order: OrderInfo?
    var payment: PaymentInfo?
    /// `subscription`: its id and plan.
    var subscriptionID: String?
    var subscriptionPlan: String?
    /// `autocharge.attempt` and `autocharge.invoice`.
    var autochargeAttempt: Int?
    var autochargeInvoice: String?
    /// `card` of `card.expiring`.
    var cardID: String?
    var cardExpires: String?
    var cardDaysUntilExpiry: Int?
    /// `error` of `order.errored`.
    var errorCode: String?

    init(id: String, kind: Kind, at: Int64, offset: Int, contact: Who) {
        self.id = id
        self.kind = kind
        self.at = at
        self.offset = offset
        self.contact = contact
    }
}
