import PurchaseActionsCore

/// The port through which a dunning policy charges a card: a real gateway's adapter, the HTTP
/// gateway adapter (`HTTPPaymentGateway` in `PurchaseActionsDelivery`), or `SimulatedGateway`.
///
/// Every charge carries an idempotency key naming the attempt (`<invoice>/attempt-<n>`): a gateway
/// that sees a key again returns the first result and never charges twice. An outcome that is not
/// known (a timeout, a dropped connection) is resolved with `status(idempotencyKey:)`, never by
/// charging again (`SafeCharger`).
public protocol PaymentGateway: Sendable {
    /// Charges the card, or returns the first result for a key seen before.
    func charge(_ request: ChargeRequest) async -> ChargeOutcome
    /// What became of the charge with this key.
    func status(idempotencyKey: String) async -> ChargeStatus
}

/// One charge attempt of an invoice.
public struct ChargeRequest: Hashable, Sendable {
    /// `<invoice>/attempt-<attempt>`.
    public var idempotencyKey: String
    /// The invoice.
    public var invoice: String
    /// The attempt number, 2 for the first retry (1 is the reported failure).
    public var attempt: Int
    /// The contact.
    public var contact: String
    /// The card to charge, when known.
    public var card: String?
    /// The amount in minor units.
    public var amount: Int
    /// ISO 4217 currency code.
    public var currency: String

    /// Creates a request; the key is `<invoice>/attempt-<attempt>`.
    public init(invoice: String, attempt: Int, contact: String, card: String?, amount: Int, currency: String) {
        self.idempotencyKey = "\(invoice)/attempt-\(attempt)"
        self.invoice = invoice
        self.attempt = attempt
        self.contact = contact
        self.card = card
        self.amount = amount
        self.currency = currency
    }
}

/// What a charge call returned.
public enum ChargeOutcome: Hashable, Sendable {
    /// Charged; the gateway's charge id.
    case approved(charge: String)
    /// Declined, with the gateway's code and the network's advice code.
    case declined(code: String, adviceCode: String?)
    /// Not known (timeout, dropped connection, 5xx): ask `status`, never charge again.
    case unknown(reason: String)
}

/// What a status look-up returned.
public enum ChargeStatus: Hashable, Sendable {
    /// The charge with the key went through.
    case approved(charge: String)
    /// It was declined.
    case declined(code: String, adviceCode: String?)
    /// The gateway has no charge with the key: nothing was charged.
    case notFound
    /// Still not known.
    case unknown(reason: String)
}
