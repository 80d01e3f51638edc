import PurchaseActionsCore

/// The port through which a dunning policy charges a card: a real gateway's adapter, the HTTP
/// gateway adapter (`HTTPPaymentGateway` in `PurchaseActionsDelivery`), or `SimulatedGateway`.
///
/// Every charge carries an idempotency key naming the attempt (`<invoice>/attempt-<n>`): a gateway
/// that sees a key again returns the first result and never charges twice. An outcome that is not
/// known (a timeout, a dropped connection) is resolved with `status(idempotencyKey:)`, never by
/// charging again (`SafeCharger`).
///
/// `SafeCharger` charges through ``attemptCharge(_:)``, which also says when the request certainly
/// never reached the gateway (``ChargeCall/notSent(reason:)``: connection refused, a name that does
/// not resolve, a TLS handshake that failed, the gateway saying it did not process it): nothing was
/// charged, nothing is recorded, and the same key is sent again later. Its default is
/// ``charge(_:)``'s outcome as ``ChargeCall/sent(_:)``, for a gateway that cannot tell.
public protocol PaymentGateway: Sendable {
    /// Charges the card, or returns the first result for a key seen before.
    func charge(_ request: ChargeRequest) async -> ChargeOutcome
    /// What became of the charge with this key.
    func status(idempotencyKey: String) async -> ChargeStatus
    /// Charges the card like ``charge(_:)``, saying ``ChargeCall/notSent(reason:)`` when the request
    /// certainly never reached the gateway. Default: `.sent(await charge(request))`.
    func attemptCharge(_ request: ChargeRequest) async -> ChargeCall
}

extension PaymentGateway {
    /// ``charge(_:)``'s outcome, as sent: a gateway that cannot tell a request not sent from one
    /// whose answer was lost says `unknown`, which is safe (a status look-up follows).
    public func attemptCharge(_ request: ChargeRequest) async -> ChargeCall {
        .sent(await charge(request))
    }
}

/// What one charge call came to, as far as the request reaching the gateway goes.
public enum ChargeCall: Hashable, Sendable {
    /// The request reached the gateway, or may have: its outcome (`unknown` when the answer was lost).
    case sent(ChargeOutcome)
    /// The request certainly never reached the gateway (it could not connect, or the gateway said it
    /// did not process it): nothing was charged. Send the same key again later; record nothing.
    case notSent(reason: String)
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
