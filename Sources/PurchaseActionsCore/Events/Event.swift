/// Something that happened to a contact, in events format v1 (Docs/events.md): what triggers,
/// waits and goals listen to.
public struct Event: Hashable, Sendable {
    /// The idempotency identity: the same id twice runs once.
    public var id: String
    /// The event type.
    public var type: EventType
    /// When it happened.
    public var occurredAt: Instant
    /// The UTC offset `occurredAt` was written with, in seconds.
    public var offsetSeconds: Int
    /// Who it is about.
    public var contact: ContactReference
    /// The order, on order and payment events.
    public var order: Order?
    /// The payment, on payment events.
    public var payment: Payment?
    /// What stopped an order, on `order.errored`.
    public var error: OrderError?
    /// The subscription, on subscription events.
    public var subscription: SubscriptionReference?
    /// The automatic charge, on `payment.autocharge_*`.
    public var autocharge: Autocharge?
    /// The card, on `card.expiring` and `payment_method.updated`; optional on `payment.failed`,
    /// `payment.autocharge_failed` and `payment.autocharge_recovered` (the card charged).
    public var card: Card?
    /// The tag added or removed.
    public var tag: String?
    /// The contact fields that changed, on `contact.updated`.
    public var changed: [String]?
    /// The email opened or clicked.
    public var email: EmailReference?
    /// The link clicked.
    public var link: String?
    /// `email` or `sms`, on `contact.replied`.
    public var channel: String?
    /// The API goal's integration, on `goal.achieved`.
    public var integration: String?
    /// The API goal's call name, on `goal.achieved`.
    public var callName: String?

    /// Creates an event with only the members every event has.
    public init(id: String, type: EventType, occurredAt: Instant, offsetSeconds: Int = 0, contact: ContactReference) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.offsetSeconds = offsetSeconds
        self.contact = contact
    }
}

/// Who an event is about: an id, or first name, last name and email (the legacy match), or both.
public struct ContactReference: Hashable, Sendable {
    /// The contact's id.
    public var id: String?
    /// First name.
    public var firstName: String?
    /// Last name.
    public var lastName: String?
    /// Email.
    public var email: String?
    /// IANA timezone name.
    public var timezone: String?
    /// Field values the source knew.
    public var fields: [String: String]
    /// Tags to apply when the event creates the contact.
    public var tags: [String]

    /// Creates a reference.
    public init(
        id: String? = nil, firstName: String? = nil, lastName: String? = nil, email: String? = nil, timezone: String? = nil,
        fields: [String: String] = [:], tags: [String] = []
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.timezone = timezone
        self.fields = fields
        self.tags = tags
    }
}

/// An order, as events carry it.
public struct Order: Hashable, Sendable {
    /// Where an order was placed.
    public enum Source: String, Hashable, Sendable, CaseIterable {
        /// The shopping cart.
        case cart
        /// An order form.
        case orderForm = "order-form"
        /// A legacy order form.
        case legacyOrderForm = "legacy-order-form"
        /// Entered by staff.
        case manual
        /// An app, through the API.
        case api
        /// A legacy "create order" action.
        case createOrderAction = "create-order-action"
    }
    /// How an order is paid.
    public enum ChargeMode: String, Hashable, Sendable, CaseIterable {
        /// A card charged now, or autocharged.
        case card
        /// A payment recorded by hand.
        case recorded
        /// No card and no charge.
        case noCard = "no-card"
    }
    /// One line: a product (at a price option) or a subscription plan.
    public struct Line: Hashable, Sendable {
        /// What a line buys.
        public enum Item: Hashable, Sendable {
            /// A product.
            case product(id: String, priceOption: String? = nil)
            /// A subscription plan.
            case subscriptionPlan(id: String)
        }
        /// What it buys.
        public var item: Item
        /// How many.
        public var quantity: Int
        /// Creates a line.
        public init(item: Item, quantity: Int = 1) {
            self.item = item
            self.quantity = quantity
        }
    }
    /// The order's id.
    public var id: String
    /// Where it was placed.
    public var source: Source
    /// Its lines, in order.
    public var lines: [Line]
    /// Its payment plan, if paid in instalments.
    public var paymentPlan: String?
    /// How it is paid.
    public var chargeMode: ChargeMode
    /// The payment gateway, lower-case.
    public var gateway: String?

    /// Creates an order.
    public init(id: String, source: Source, lines: [Line], paymentPlan: String? = nil, chargeMode: ChargeMode = .card, gateway: String? = nil) {
        self.id = id
        self.source = source
        self.lines = lines
        self.paymentPlan = paymentPlan
        self.chargeMode = chargeMode
        self.gateway = gateway
    }
}

/// A payment of an order.
public struct Payment: Hashable, Sendable {
    /// Which payment: 1 is the first.
    public var index: Int
    /// The amount in minor units.
    public var amount: Int
    /// The ISO 4217 currency.
    public var currency: String
    /// The gateway's decline code, on failures.
    public var declineCode: String?
    /// The invoice it pays.
    public var invoice: String?
    /// The card network's merchant advice code (Mastercard's `01`..`99`, such as `24`: retry after
    /// an hour), two digits, on failures only (where ``declineCode`` is allowed).
    public var adviceCode: String?

    /// Creates a payment.
    public init(index: Int, amount: Int, currency: String, declineCode: String? = nil, invoice: String? = nil, adviceCode: String? = nil) {
        self.index = index
        self.amount = amount
        self.currency = currency
        self.declineCode = declineCode
        self.invoice = invoice
        self.adviceCode = adviceCode
    }
}

/// What stopped an order.
public struct OrderError: Hashable, Sendable {
    /// A short code.
    public var code: String
    /// A message for people.
    public var message: String
    /// Creates an order error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// A subscription: its id and plan.
public struct SubscriptionReference: Hashable, Sendable {
    /// The subscription's id.
    public var id: String
    /// Its plan.
    public var plan: String
    /// Creates a subscription reference.
    public init(id: String, plan: String) {
        self.id = id
        self.plan = plan
    }
}

/// An automatic charge: the attempt and the invoice.
public struct Autocharge: Hashable, Sendable {
    /// 1 for the first automatic charge of the invoice.
    public var attempt: Int
    /// The invoice.
    public var invoice: String
    /// Creates an automatic charge.
    public init(attempt: Int, invoice: String) {
        self.attempt = attempt
        self.invoice = invoice
    }
}

/// A card on file.
public struct Card: Hashable, Sendable {
    /// The card's id.
    public var id: String
    /// `YYYY-MM`.
    public var expires: String
    /// Days to the last day of the expiry month.
    public var daysUntilExpiry: Int?
    /// The card network, lower-case: one of ``Card/networks`` (`visa`, `mastercard`, `amex`,
    /// `discover`, `other`); dunning counts retries against the network's budget.
    public var network: String?
    /// The values ``network`` may take, in the order Docs/events.md lists them.
    public static let networks = ["visa", "mastercard", "amex", "discover", "other"]
    /// Creates a card.
    public init(id: String, expires: String, daysUntilExpiry: Int? = nil, network: String? = nil) {
        self.id = id
        self.expires = expires
        self.daysUntilExpiry = daysUntilExpiry
        self.network = network
    }
}

/// An email a contact opened or clicked.
public struct EmailReference: Hashable, Sendable {
    /// The sent message's id.
    public var message: String
    /// The workflow that sent it, when known.
    public var workflow: String?
    /// The step that sent it, when known.
    public var step: String?
    /// Creates an email reference.
    public init(message: String, workflow: String? = nil, step: String? = nil) {
        self.message = message
        self.workflow = workflow
        self.step = step
    }
}
