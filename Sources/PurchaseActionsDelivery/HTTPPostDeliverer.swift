public import PurchaseActionsEngine
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A `Deliverer` that POSTs each attempt as JSON to one URL, with the idempotency key in a
/// header, so the receiver can drop a duplicate (AsyncHTTPClient).
///
/// The request: `POST <url>`, `Content-Type: application/json`, `Idempotency-Key: <key>`, the
/// configured headers, and the body ``PurchaseActionsEngine/OutboxMessage/deliveryLine``
/// (`{"attempt":1,"details":{...},"key":"...","kind":"send-email"}`).
///
/// What the answer means:
///
/// | Answer | Outcome |
/// |---|---|
/// | 2xx | `delivered` |
/// | 409 Conflict | `delivered` (the receiver had it already: a duplicate) |
/// | 408, 429 | `failed`, tried again later |
/// | other 4xx | `failed`, permanent (the receiver refused it for good) |
/// | 5xx | `failed`, tried again later |
/// | 1xx, 3xx (redirects are not followed), other codes | `failed`, tried again later |
/// | no answer within the timeout, connection refused or closed, TLS error | `failed`, tried again later |
///
/// The timeout covers connecting, sending and receiving the answer's head; the answer's body is
/// read for the failure reason, at most ``responseBodyLimit`` bytes and only until the same
/// timeout has passed (a slow or endless body is cut off). A failure's reason names the status
/// and the body's first ``reasonLimit`` characters, control characters escaped.
///
/// Call ``shutdown()`` once done (before the deliverer is released): it closes the connections.
///
/// ```swift
/// let deliverer = try HTTPPostDeliverer(url: "https://hooks.example.com/purchase-actions",
///                                       timeout: .seconds(10),
///                                       headers: [("Authorization", "Bearer s3cret")])
/// let outcome = await deliverer.deliver(message)
/// try await deliverer.shutdown()   // once done: closes the connections
/// ```
public final class HTTPPostDeliverer: Deliverer {
    /// The longest timeout accepted: one hour.
    public static let maximumTimeout: Duration = .seconds(3600)
    /// At most this many bytes of an answer's body are read (64 KiB); the rest is left unread.
    public static let responseBodyLimit = 64 * 1024
    /// A failure's reason quotes at most this many characters of the answer's body.
    public static let reasonLimit = 200
    /// Header names the deliverer sets itself, refused among the configured headers (compared
    /// without regard to case).
    public static let reservedHeaders = ["Idempotency-Key", "Content-Type", "Content-Length", "Transfer-Encoding", "Host", "Connection"]

    /// The URL each message is posted to, as given.
    public let url: String
    /// How long an attempt may take to get an answer.
    public let timeout: Duration
    private let headers: HTTPHeaders
    private let timeAmount: TimeAmount
    private let client: HTTPClient

    /// Checks the configuration and creates the HTTP client.
    ///
    /// - Parameters:
    ///   - url: an `http` or `https` URL with a host, no spaces or control characters
    ///     (`invalid-url` otherwise).
    ///   - timeout: above zero and at most ``maximumTimeout`` (`invalid-timeout` otherwise).
    ///   - headers: sent with every request, in order; names are HTTP tokens, values have no
    ///     control characters, none of ``reservedHeaders`` (`invalid-header` otherwise).
    public init(url: String, timeout: Duration = .seconds(10), headers: [(String, String)] = []) throws(DeliveryError) {
        try Self.checkURL(url)
        let timeAmount = try HTTPClientSettings.timeAmount(timeout, maximum: Self.maximumTimeout)
        self.headers = try HTTPClientSettings.headers(headers) { (name, value) throws(DeliveryError) in try Self.checkHeader(name: name, value: value) }
        self.url = url
        self.timeout = timeout
        self.timeAmount = timeAmount
        self.client = HTTPClientSettings.client(timeAmount: timeAmount)
    }

    /// Posts the message and maps the answer to an outcome (see the table above). It never throws.
    ///
    /// A key that is empty or holds control characters is never put in a header: `failed`,
    /// permanent.
    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        guard !message.key.isEmpty, !Text.hasControl(message.key) else {
            return .failed(reason: "the idempotency key \"\(Text.escapingControls(message.key))\" is empty or has control characters; it cannot be sent in a header", permanent: true)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: message.key)
        let body = Array(message.deliveryLine.utf8)
        request.body = .bytes(body)
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, deadline: .now() + timeAmount)
            let status = response.status
            let bodyText = await Self.readBody(response.body, until: started + timeout)
            return Self.outcome(code: Int(status.code), phrase: status.reasonPhrase, body: bodyText)
        } catch {
            return .failed(reason: describe(error), permanent: false)
        }
    }

    /// Closes the client's connections. Call it once, when no delivery is running; the deliverer
    /// cannot deliver afterwards (attempts then fail, not permanent).
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// The outcome of an answer's status code.
    static func outcome(code: Int, phrase: String, body: [UInt8]?) -> DeliveryOutcome {
        switch code {
        case 200...299, 409: return .delivered
        default: break
        }
        var reason = "HTTP \(code)"
        let phrase = Text.excerpt(phrase, limit: 60)
        if !phrase.isEmpty { reason += " \(phrase)" }
        if (300...399).contains(code) { reason += " (redirects are not followed: give the final URL)" }
        if let body, !body.isEmpty {
            reason += ": " + Text.excerpt(String(decoding: body, as: UTF8.self), limit: Self.reasonLimit)
        }
        switch code {
        case 408, 429: return .failed(reason: reason, permanent: false)
        case 400...499: return .failed(reason: reason, permanent: true)
        default: return .failed(reason: reason, permanent: false)
        }
    }

    /// Reads at most ``responseBodyLimit`` bytes of the body, until `deadline`; `nil` when the
    /// deadline passed first (what was read is dropped, the rest left unread).
    static func readBody<Body: AsyncSequence & Sendable>(_ body: Body, until deadline: ContinuousClock.Instant) async -> [UInt8]?
    where Body.Element == ByteBuffer {
        await withTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var collected: [UInt8] = []
                do {
                    for try await chunk in body {
                        let room = responseBodyLimit - collected.count
                        collected.append(contentsOf: chunk.readableBytesView.prefix(room))
                        if collected.count >= responseBodyLimit { break }
                    }
                } catch {
                    // A body cut short still gives what came.
                }
                return collected
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// A failure in words: no answer in time, connection closed or refused, or the error's name.
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
        return "cannot post to \(Text.escapingControls(url)): " + Text.excerpt(HTTPClientSettings.words(error), limit: Self.reasonLimit)
    }
}
