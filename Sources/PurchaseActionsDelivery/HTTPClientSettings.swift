internal import AsyncHTTPClient
internal import NIOCore
internal import NIOHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// An error in words for a failure reason: a system error as the system names it
    /// (`Connection refused (errno 111)`), not NIO's `IOError` text, which wraps it in words of its
    /// own ("connection reset (error set): ..."); anything else as it describes itself.
    static func words(_ error: any Error) -> String {
        if let error = error as? IOError {
            return "\(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
        }
        return String(describing: error)
    }

    /// A client: no redirects, no decompression, `timeAmount` to connect and between reads, and a
    /// connection that cannot be made fails the call at once instead of being tried again until
    /// the timeout (AsyncHTTPClient's `retryConnectionEstablishment` off), so an unreachable
    /// receiver or gateway costs milliseconds, not the whole timeout.
    /// Create it last in an initialiser: a client that is never shut down stops a debug build in its deinit.
    static func client(timeAmount: TimeAmount) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: timeAmount, read: timeAmount)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
