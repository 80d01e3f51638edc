#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing
@testable import PurchaseActionsDelivery

private let request = ChargeRequest(invoice: "inv-9", attempt: 2, contact: "c-1", card: "card_1", amount: 1999, currency: "USD")

/// A URL on loopback where nothing listens: a server started for its port, then stopped.
private func refusingURL() async throws -> String {
    let server = try await TestPaymentServer.start()
    let url = server.url
    try await server.stop()
    return url
}

/// One charge attempt against a loopback server that behaves as `behavior`, the gateway and the
/// server stopped after it.
private func attempt(against behavior: TestPaymentServer.Behavior, timeout: Duration) async throws -> ChargeCall {
    let server = try await TestPaymentServer.start()
    let gateway = try HTTPPaymentGateway(url: server.url, timeout: timeout)
    try await server.script([behavior])
    let call = await gateway.attemptCharge(request)
    try await gateway.shutdown()
    try await server.stop()
    return call
}

/// Issue 14: a request that never reached the gateway is `notSent` (nothing charged, nothing to
/// look up), told apart from an answer lost after sending (`unknown`).
@Suite("HTTPPaymentGateway: a charge that never reached the gateway is not sent")
struct HTTPPaymentGatewayNotSentTests {
    @Test("connection refused: notSent at once (connecting is not retried until the timeout), charge() and status() say unknown", .timeLimit(.minutes(1)))
    func refused() async throws {
        let url = try await refusingURL()
        // A 10-minute timeout: retried connecting would outlast the test's time limit.
        let gateway = try HTTPPaymentGateway(url: url, timeout: .seconds(600))
        let call = await gateway.attemptCharge(request)
        guard case .notSent(let reason) = call else {
            Issue.record("expected notSent, got \(call)")
            try await gateway.shutdown()
            return
        }
        #expect(reason.hasPrefix("cannot connect to \(url): "), "\(reason)")
        guard case .unknown = await gateway.charge(request) else {
            Issue.record("charge() maps not sent to unknown")
            try await gateway.shutdown()
            return
        }
        guard case .unknown = await gateway.status(idempotencyKey: request.idempotencyKey) else {
            Issue.record("status() of an unreachable gateway is unknown")
            try await gateway.shutdown()
            return
        }
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        #expect(result.isNotSent)
        #expect(result.name == "not-sent")
        #expect(result.lookups == 0, "nothing was sent: nothing to look up")
        #expect(!result.charged)
        #expect(result.outcome == nil)
        try await gateway.shutdown()
    }

    @Test("a name that does not resolve is not sent", .timeLimit(.minutes(1)))
    func unresolvable() async throws {
        let gateway = try HTTPPaymentGateway(url: "http://gateway.invalid/charges", timeout: .seconds(600))
        let call = await gateway.attemptCharge(request)
        try await gateway.shutdown()
        guard case .notSent = call else {
            Issue.record("expected notSent, got \(call)")
            return
        }
    }

    @Test("503 with {\"status\":\"not-processed\"} is not sent; the server charged nothing")
    func notProcessed() async throws {
        let server = try await TestPaymentServer.start()
        let gateway = try HTTPPaymentGateway(url: server.url, timeout: .seconds(10))
        try await server.script([.status(503, body: #"{"status":"not-processed","idempotencyKey":"inv-9/attempt-2"}"#)])
        let call = await gateway.attemptCharge(request)
        #expect(call == .notSent(reason: #"HTTP 503: the gateway did not process the charge ("status": "not-processed")"#))
        #expect(try await server.charges().isEmpty)
        // Later, reachable: the same key charges once.
        #expect(await gateway.attemptCharge(request) == .sent(.approved(charge: "ch_1")))
        #expect(try await server.charges() == ["inv-9/attempt-2": 1])
        try await gateway.shutdown()
        try await server.stop()
    }

    @Test("a plain 503, a not-processed answer with another code or another key, a 503 cut short: sent, unknown (maybe charged)", arguments: [
        (503, ""), (503, #"{"status":"pending"}"#), (500, #"{"status":"not-processed"}"#), (200, #"{"status":"not-processed"}"#),
        (503, #"{"status":"not-processed","idempotencyKey":"inv-8/attempt-2"}"#),
    ])
    func ambiguous(_ code: Int, _ body: String) async throws {
        let call = try await attempt(against: .status(code, body: body), timeout: .seconds(10))
        guard case .sent(.unknown) = call else {
            Issue.record("HTTP \(code) \(body): expected sent(unknown), got \(call)")
            return
        }
    }

    @Test("only errors of connecting are not sent: refused, unreachable, a connect timeout; a reset, a broken pipe, a read timeout, other errors may have reached the server")
    func classification() {
        for code in [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ENETDOWN, EHOSTDOWN, EADDRNOTAVAIL] {
            #expect(HTTPPaymentGateway.failedBeforeSending(IOError(errnoCode: code, reason: "connect")), "errno \(code)")
        }
        for code in [ECONNRESET, EPIPE, ETIMEDOUT, EIO] {
            #expect(!HTTPPaymentGateway.failedBeforeSending(IOError(errnoCode: code, reason: "read")), "errno \(code)")
        }
        #expect(HTTPPaymentGateway.failedBeforeSending(ChannelError.connectTimeout(.seconds(1))))
        #expect(!HTTPPaymentGateway.failedBeforeSending(ChannelError.ioOnClosedChannel))
        #expect(!HTTPPaymentGateway.failedBeforeSending(ChannelError.eof))
        #expect(!HTTPPaymentGateway.failedBeforeSending(CancellationError()))
    }

    @Test("a timeout after the request was written stays unknown, resolved by a status look-up (never not sent)", .timeLimit(.minutes(1)))
    func timeoutAfterSending() async throws {
        let call = try await attempt(against: .chargeThenHang, timeout: .seconds(2))
        guard case .sent(.unknown) = call else {
            Issue.record("expected sent(unknown), got \(call)")
            return
        }
    }

    @Test("a dropped connection mid-answer stays unknown", .timeLimit(.minutes(1)))
    func droppedAfterSending() async throws {
        let call = try await attempt(against: .chargeThenDrop, timeout: .seconds(10))
        guard case .sent(.unknown) = call else {
            Issue.record("expected sent(unknown), got \(call)")
            return
        }
    }
}
