internal import AsyncHTTPClient
internal import NIOCore
internal import NIOHTTP1

/// What both HTTP adapters (``HTTPPostDeliverer`` and ``HTTPPaymentGateway``) check and build the
/// same way: the timeout, the configured headers, and a client that follows no redirect,
/// decompresses nothing and gives up at the timeout.
enum HTTPClientSettings {
    /// The timeout checked (above zero, at most `maximum`) and as NIO's `TimeAmount`.
    static func timeAmount(_ timeout: Duration, maximum: Duration) throws(DeliveryError) -> TimeAmount {
        guard timeout > .zero, timeout <= maximum else {
            throw DeliveryError(.invalidTimeout, "the timeout must be above zero and at most \(maximum)", what: "\(timeout)")
        }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return .nanoseconds(max(nanoseconds, 1))
    }

    /// The headers, each checked by `check` (name, value), in order.
    static func headers(_ headers: [(String, String)], check: (String, String) throws(DeliveryError) -> Void) throws(DeliveryError) -> HTTPHeaders {
        var checked = HTTPHeaders()
        for (name, value) in headers {
            try check(name, value)
            checked.add(name: name, value: value)
        }
        return checked
    }

    /// A client: no redirects, no decompression, `timeAmount` to connect and between reads.
    /// Create it last in an initialiser: a client that is never shut down stops a debug build in its deinit.
    static func client(timeAmount: TimeAmount) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: timeAmount, read: timeAmount)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
