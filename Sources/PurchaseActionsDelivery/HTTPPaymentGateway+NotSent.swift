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
    /// refused or timed out (an `IOError` of the connect call, ``connectReasons``, with `ECONNREFUSED`,
    /// `ENETUNREACH`, `EHOSTUNREACH`, `ENETDOWN`, `EHOSTDOWN`, `EADDRNOTAVAIL` or `ETIMEDOUT`; the
    /// same codes on an established connection are not this), the name did not resolve (NIO's `NIOConnectionError`), no connection
    /// came from the pool, or a TLS, SOCKS or proxy handshake failed or timed out. Everything else
    /// (a read timeout, a connection closed, the deadline passing once connected) may have reached
    /// the server: not this.
    static func failedBeforeSending(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.connectTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .getConnectionFromPoolTimeout]
                .contains(error)
        }
        if let error = error as? IOError {
            // Only an error of the connect call itself (NIO names it first in the description): an
            // established connection can fail with the same codes (an ICMP host unreachable after
            // the request was written is EHOSTUNREACH on the socket, "connection reset (error set)").
            let text = error.description
            guard Self.connectReasons.contains(where: { text.hasPrefix($0) }) else { return false }
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ENETDOWN, EHOSTDOWN, EADDRNOTAVAIL, ETIMEDOUT].contains(error.errnoCode)
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

    /// How NIO's `IOError` of a failed connect begins: the call `connect(descriptor:addr:size:)`,
    /// or the check after a non-blocking one.
    static let connectReasons = ["connect(", "finishing a non-blocking connect"]

    /// Whether the answer is `503` with `{"status":"not-processed"}` (and, when it echoes one, the
    /// request's `idempotencyKey`): the server says it did not process the request.
    static func saysNotProcessed(code: Int, body: BodyRead, key: String) -> Bool {
        guard code == 503, case .complete(let bytes) = body, case .object(let members)? = try? JSONValue.parse(bytes) else { return false }
        if let echoed = members["idempotencyKey"], echoed != .string(key), echoed != .null { return false }
        return members["status"] == .string("not-processed")
    }
}
