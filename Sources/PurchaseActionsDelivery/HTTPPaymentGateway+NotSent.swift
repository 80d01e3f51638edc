import AsyncHTTPClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import PurchaseActionsCore

extension HTTPPaymentGateway {
    /// Whether `error` stopped the call before a byte of the request was written: connecting was
    /// refused or timed out (an `IOError` of `ECONNREFUSED`, `ENETUNREACH`, `EHOSTUNREACH`,
    /// `ENETDOWN`, `EHOSTDOWN`, `EADDRNOTAVAIL`), the name did not resolve (NIO's `NIOConnectionError`), no connection
    /// came from the pool, or a TLS, SOCKS or proxy handshake failed or timed out. Everything else
    /// (a read timeout, a connection closed, the deadline passing once connected) may have reached
    /// the server: not this.
    static func failedBeforeSending(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.connectTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .getConnectionFromPoolTimeout]
                .contains(error)
        }
        if let error = error as? IOError {
            // Errors only connecting gives: an established connection's failures are other codes (ECONNRESET, EPIPE).
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ENETDOWN, EHOSTDOWN, EADDRNOTAVAIL].contains(error.errnoCode)
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error { return true }
            return false
        }
        // Types of modules this one does not import (NIOPosix, NIOSSL), by name.
        let type = String(reflecting: Swift.type(of: error))
        if type == "NIOPosix.NIOConnectionError" { return true }
        if type.hasPrefix("NIOSSL.") {
            let text = String(describing: error)
            return text.contains("handshakeFailed") || type == "NIOSSL.NIOSSLExtraError"
        }
        return false
    }

    /// Whether the answer is `503` with `{"status":"not-processed"}` (and, when it echoes one, the
    /// request's `idempotencyKey`): the server says it did not process the request.
    static func saysNotProcessed(code: Int, body: BodyRead, key: String) -> Bool {
        guard code == 503, case .complete(let bytes) = body, case .object(let members)? = try? JSONValue.parse(bytes) else { return false }
        if let echoed = members["idempotencyKey"], echoed != .string(key), echoed != .null { return false }
        return members["status"] == .string("not-processed")
    }
}
