public import PurchaseActionsDunning
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
public import PurchaseActionsCore

/// A `PaymentGateway` that speaks the JSON-over-HTTP contract of Docs/payment-gateway.md to a
/// server the merchant runs in front of their payment provider (AsyncHTTPClient).
///
/// A charge is `POST <url>` with `Content-Type: application/json`, `Accept: application/json`,
/// `Idempotency-Key: <invoice>/attempt-<n>`, the configured headers, and the body
/// ``requestJSON(_:)`` on one line:
///
/// ```json
/// {"amount":{"currency":"USD","minor":1999},"attempt":2,"card":"card_1","contact":"c-1","idempotencyKey":"inv-7/attempt-2","invoice":"inv-7"}
/// ```
///
/// A status look-up is `GET <url>/<the key, percent-encoded>` (`/` in the key is `%2F`). Both are
/// answered `{"status":"approved","charge":"ch_1"}`, `{"status":"declined","declineCode":"do_not_honor","adviceCode":"25"}`
/// or `{"status":"pending"}`. What the answer means:
///
/// | Answer | `charge` | `status` |
/// |---|---|---|
/// | 2xx, an approved or declined answer | that | that |
/// | 2xx, `pending`, or a body that is not a valid answer | `unknown` | `unknown` |
/// | 404 | `declined`, `gateway_rejected` | `notFound` |
/// | 408, 409, 425, 429 | `unknown` | `unknown` |
/// | another 4xx with a declined answer | that decline | `unknown` |
/// | another 4xx | `declined`, code `gateway_rejected` | `unknown` |
/// | 1xx, 3xx (redirects are not followed), 5xx, other codes | `unknown` | `unknown` |
/// | connection refused, a name that does not resolve, connecting or the TLS handshake failed or timed out | `unknown`; ``attemptCharge(_:)``: `notSent` | `unknown` |
/// | 503 with `{"status":"not-processed"}` | `unknown`; ``attemptCharge(_:)``: `notSent` | `unknown` |
/// | no answer within the timeout once connected, the connection dropped, another TLS error | `unknown` | `unknown` |
/// | a body over ``responseBodyLimit`` bytes, or cut short | `unknown` | `unknown` |
///
/// `notSent` means the request certainly never reached the server: nothing was charged, the dunning
/// process is not told, and the worker sends the same key again after a back-off.
/// `unknown` means "maybe charged": `SafeCharger` then asks ``status(idempotencyKey:)``, and the
/// dunning process tries the same key again later, never a new one. A 4xx answer to a charge
/// (other than those above) means the server refused the request, so nothing was charged: it is a
/// decline with code `gateway_rejected`, which the decline table classes by its unknown-code default.
///
/// Call ``shutdown()`` once done (before the gateway is released): it closes the connections.
///
/// ```swift
/// let gateway = try HTTPPaymentGateway(url: "https://billing.example.com/charges",
///                                      timeout: .seconds(30),
///                                      headers: [("Authorization", "Bearer s3cret")])
/// let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
/// try await gateway.shutdown()
/// ```
public final class HTTPPaymentGateway: PaymentGateway {
    /// The longest timeout accepted: ten minutes.
    public static let maximumTimeout: Duration = .seconds(600)
    /// An answer's body over this many bytes (64 KiB) is not read: the outcome is `unknown`.
    public static let responseBodyLimit = 64 * 1024
    /// The longest idempotency key sent, in UTF-8 bytes (1024); a longer one is never sent.
    public static let maximumKeyLength = 1024
    /// The longest charge id accepted in an answer, in characters (200).
    public static let maximumChargeIDLength = 200
    /// The longest decline code accepted in an answer, in characters (64).
    public static let maximumDeclineCodeLength = 64
    /// A reason quotes at most this many characters of an answer's body.
    public static let reasonLimit = 200
    /// The decline code of a charge the server refused with a 4xx answer that is not a decline.
    public static let rejectedCode = "gateway_rejected"
    /// Header names the gateway sets itself, refused among the configured headers (compared
    /// without regard to case).
    public static let reservedHeaders = ["Idempotency-Key", "Content-Type", "Content-Length", "Transfer-Encoding", "Host", "Connection", "Accept"]

    /// The URL charges are posted to, as given.
    public let url: String
    /// How long one call (a charge or a look-up) may take, from connecting to the answer's last byte.
    public let timeout: Duration
    private let base: String
    private let headers: HTTPHeaders
    private let timeAmount: TimeAmount
    private let client: HTTPClient

    /// Checks the configuration and creates the HTTP client.
    ///
    /// - Parameters:
    ///   - url: an `http` or `https` URL with a host, a port (if given) from 1 to 65535, no query
    ///     or fragment, no spaces or control characters (`invalid-url` otherwise).
    ///   - timeout: above zero and at most ``maximumTimeout`` (`invalid-timeout` otherwise); default 30 s.
    ///   - headers: sent with every request, in order; names are HTTP tokens, values have no
    ///     control characters, none of ``reservedHeaders`` (`invalid-header` otherwise).
    public init(url: String, timeout: Duration = .seconds(30), headers: [(String, String)] = []) throws(DeliveryError) {
        try Self.checkGatewayURL(url)
        let timeAmount = try HTTPClientSettings.timeAmount(timeout, maximum: Self.maximumTimeout)
        self.headers = try HTTPClientSettings.headers(headers) { (name, value) throws(DeliveryError) in try Self.checkGatewayHeader(name: name, value: value) }
        self.url = url
        self.base = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.timeout = timeout
        self.timeAmount = timeAmount
        self.client = HTTPClientSettings.client(timeAmount: timeAmount)
    }

    /// The body of a charge: `idempotencyKey`, `invoice`, `attempt`, `contact`, `card` (`null`
    /// when not known) and `amount` (`minor`, `currency`).
    public static func requestJSON(_ request: ChargeRequest) -> JSONValue {
        .object([
            "idempotencyKey": .string(request.idempotencyKey),
            "invoice": .string(request.invoice),
            "attempt": .integer(request.attempt),
            "contact": .string(request.contact),
            "card": request.card.map(JSONValue.string) ?? .null,
            "amount": .object(["minor": .integer(request.amount), "currency": .string(request.currency)]),
        ])
    }

    /// The status look-up URL of a key: the URL, then `/`, then the key percent-encoded (every
    /// byte but `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_`, `~`).
    public func statusURL(idempotencyKey: String) -> String {
        base + "/" + Self.percentEncoded(idempotencyKey)
    }

    /// Posts the charge and maps the answer (see the table above). It never throws; a key that is
    /// empty, longer than ``maximumKeyLength`` or holds control characters is never sent (`unknown`).
    /// A request that never reached the server is `unknown` here too: ``attemptCharge(_:)`` tells it apart.
    public func charge(_ request: ChargeRequest) async -> ChargeOutcome {
        switch await attemptCharge(request) {
        case .sent(let outcome): return outcome
        case .notSent(let reason): return .unknown(reason: reason)
        }
    }

    /// Posts the charge like ``charge(_:)``, and says `ChargeCall.notSent(reason:)` when the
    /// request certainly never reached the server: the connection was refused, the host's name did
    /// not resolve, connecting or the TLS handshake failed or timed out (each before a byte of the
    /// request was written; connecting is not retried within a call), or the server answered
    /// `503` with `{"status":"not-processed"}` (it says it did not process the request). Nothing
    /// was charged: the same key is sent again later.
    public func attemptCharge(_ request: ChargeRequest) async -> ChargeCall {
        if let problem = Self.keyProblem(request.idempotencyKey) { return .sent(.unknown(reason: problem)) }
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        http.headers = headers
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "Idempotency-Key", value: request.idempotencyKey)
        http.body = .bytes(Array(Self.requestJSON(request).compactText.utf8))
        switch await exchange(http) {
        case .notSent(let reason): return .notSent(reason: reason)
        case .failed(let reason): return .sent(.unknown(reason: reason))
        case .answered(let code, let phrase, let body):
            if Self.saysNotProcessed(code: code, body: body, key: request.idempotencyKey) {
                return .notSent(reason: "HTTP \(code): the gateway did not process the charge (\"status\": \"not-processed\")")
            }
            return .sent(Self.chargeOutcome(code: code, phrase: phrase, body: body, key: request.idempotencyKey))
        }
    }

    /// Looks the key up (`GET`) and maps the answer (see the table above). It never throws.
    public func status(idempotencyKey: String) async -> ChargeStatus {
        if let problem = Self.keyProblem(idempotencyKey) { return .unknown(reason: problem) }
        var http = HTTPClientRequest(url: statusURL(idempotencyKey: idempotencyKey))
        http.method = .GET
        http.headers = headers
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        switch await exchange(http) {
        case .failed(let reason), .notSent(let reason): return .unknown(reason: reason)
        case .answered(let code, let phrase, let body):
            return Self.lookupStatus(code: code, phrase: phrase, body: body, key: idempotencyKey)
        }
    }

    /// Closes the client's connections. Call it once, when no call is running; afterwards every
    /// call answers `unknown`.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// What one request came to: an answer (status and body as read), no answer, or no connection
    /// (the request was never written).
    enum Exchange {
        case answered(code: Int, phrase: String, body: BodyRead)
        case failed(reason: String)
        case notSent(reason: String)
    }

    /// Sends the request and reads the answer, all within the timeout.
    private func exchange(_ request: HTTPClientRequest) async -> Exchange {
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, deadline: .now() + timeAmount)
            let body: BodyRead
            if let length = response.headers.first(name: "Content-Length").flatMap({ Int($0) }), length > Self.responseBodyLimit {
                body = .tooLarge
            } else {
                body = await Self.readAnswer(response.body, limit: Self.responseBodyLimit, until: started + timeout)
            }
            return .answered(code: Int(response.status.code), phrase: response.status.reasonPhrase, body: body)
        } catch {
            if Self.failedBeforeSending(error) {
                return .notSent(reason: "cannot connect to \(Text.escapingControls(url)): " + Text.excerpt(HTTPClientSettings.words(error), limit: Self.reasonLimit))
            }
            return .failed(reason: describe(error))
        }
    }

    /// A failure in words: no answer in time, connection closed, or the error's name.
    private func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout:
                return "no answer within \(timeout) from \(Text.escapingControls(url))"
            case .remoteConnectionClosed:
                return "the connection closed before an answer from \(Text.escapingControls(url))"
            default:
                break
            }
        }
        return "cannot reach \(Text.escapingControls(url)): " + Text.excerpt(HTTPClientSettings.words(error), limit: Self.reasonLimit)
    }
}
