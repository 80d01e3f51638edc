import NIOCore
import NIOHTTP1
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing
@testable import PurchaseActionsDelivery

/// Runs `body` with a fresh loopback server and a deliverer posting to it, and shuts both down.
/// The timeout is 10 s unless given: a test whose point is not the timeout must not fail because
/// a loaded machine answered late; those about the timeout use 2 or 3 s.
private func withServer(
    timeout: Duration = .seconds(10),
    headers: [(String, String)] = [],
    _ body: (TestHTTPServer, HTTPPostDeliverer) async throws -> Void
) async throws {
    let server = try await TestHTTPServer.start()
    let deliverer = try HTTPPostDeliverer(url: server.url(), timeout: timeout, headers: headers)
    do {
        try await body(server, deliverer)
    } catch {
        try await deliverer.shutdown()
        try await server.stop()
        throw error
    }
    try await deliverer.shutdown()
    try await server.stop()
}

private func message(key: String = "e1/1/welcome:send", attempt: Int = 1) -> OutboxMessage {
    OutboxMessage(
        key: key, kind: "send-email",
        details: .object(["subject": .string("Welcome, Zoë"), "body": .string("Line one\nline two \"quoted\"")]),
        attempt: attempt, createdAt: Instant(millisecondsSinceEpoch: 1_700_000_000_000))
}

@Suite("HTTPPostDeliverer")
struct HTTPPostDelivererTests {
    @Test("a 200 is delivered; the request is a JSON POST with the key in Idempotency-Key and the configured headers")
    func postsJSON() async throws {
        try await withServer(headers: [("Authorization", "Bearer abc"), ("X-Tenant", "shop-1")]) { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            let sent = message()
            #expect(await deliverer.deliver(sent) == .delivered)
            let requests = try await server.requests()
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.method == .POST)
            #expect(request.uri == "/deliveries")
            #expect(request.headers["Content-Type"] == ["application/json"])
            #expect(request.headers["Idempotency-Key"] == [sent.key])
            #expect(request.headers["Authorization"] == ["Bearer abc"])
            #expect(request.headers["X-Tenant"] == ["shop-1"])
            let body = String(decoding: request.body, as: UTF8.self)
            #expect(body == sent.deliveryLine)
            #expect(try JSONValue.parse(request.body) == sent.deliveryJSON)
            #expect(!body.contains("\n"))
        }
    }

    @Test("many attempts at once are each posted once, with their own key")
    func concurrent() async throws {
        try await withServer(timeout: .seconds(10)) { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            let keys = (0..<60).map { "e\($0)/1/w:step" }
            let outcomes = await withTaskGroup(of: DeliveryOutcome.self, returning: [DeliveryOutcome].self) { group in
                for key in keys { group.addTask { await deliverer.deliver(message(key: key)) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == keys.count && outcomes.allSatisfy { $0 == .delivered })
            let requests = try await server.requests()
            #expect(requests.compactMap { $0.headers["Idempotency-Key"].first }.sorted() == keys.sorted())
        }
    }

    @Test("after shutdown an attempt fails (not permanent) instead of trapping")
    func afterShutdown() async throws {
        let server = try await TestHTTPServer.start()
        let deliverer = try HTTPPostDeliverer(url: server.url(), timeout: .seconds(2))
        try await deliverer.shutdown()
        let outcome = await deliverer.deliver(message())
        let requests = try await server.requests()
        try await server.stop()
        #expect(DeliveryOutcomeKind(outcome) == .retry)
        #expect(requests.isEmpty)
    }

    @Test("a retry carries the same key and the next attempt number")
    func retrySameKey() async throws {
        try await withServer { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.status(503)])
            let first = await deliverer.deliver(message(attempt: 1))
            #expect(first == .failed(reason: "HTTP 503 Service Unavailable", permanent: false))
            #expect(await deliverer.deliver(message(attempt: 2)) == .delivered)
            let requests = try await server.requests()
            #expect(requests.map { $0.headers["Idempotency-Key"] } == [["e1/1/welcome:send"], ["e1/1/welcome:send"]])
            let attempts = try requests.map { request -> JSONValue? in
                guard case .object(let members) = try JSONValue.parse(request.body) else { return nil }
                return members["attempt"]
            }
            #expect(attempts == [.integer(1), .integer(2)])
        }
    }

    static let statusCases: [(Int, DeliveryOutcomeKind)] = [
        (200, .delivered), (201, .delivered), (204, .delivered), (299, .delivered), (409, .delivered),
        (400, .permanent), (401, .permanent), (403, .permanent), (404, .permanent), (410, .permanent), (422, .permanent), (499, .permanent),
        (408, .retry), (429, .retry), (500, .retry), (502, .retry), (503, .retry), (599, .retry),
        (301, .retry), (302, .retry), (307, .retry),
    ]

    @Test("status codes map to outcomes as documented", arguments: statusCases)
    func statusMapping(code: Int, expected: DeliveryOutcomeKind) async throws {
        try await withServer { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.status(code, body: "said \(code)")])
            let outcome = await deliverer.deliver(message())
            #expect(DeliveryOutcomeKind(outcome) == expected)
            if case .failed(let reason, _) = outcome {
                #expect(reason.hasPrefix("HTTP \(code)"))
                #expect(reason.hasSuffix(": said \(code)"))
            }
        }
    }

    @Test("a server that never answers: failed, not permanent, once the timeout passes")
    func timeout() async throws {
        try await withServer(timeout: .seconds(2)) { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.hang])
            let outcome = await deliverer.deliver(message())
            guard case .failed(let reason, let permanent) = outcome else {
                Issue.record("expected a failure, got \(outcome)")
                return
            }
            #expect(!permanent)
            #expect(reason.hasPrefix("no answer within 2.0 seconds"))
            // The deliverer still works afterwards.
            #expect(await deliverer.deliver(message()) == .delivered)
        }
    }

    @Test("a connection closed without an answer: failed, not permanent")
    func droppedConnection() async throws {
        try await withServer { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.close])
            let outcome = await deliverer.deliver(message())
            #expect(DeliveryOutcomeKind(outcome) == .retry)
            #expect(try await server.requests().count == 1)
        }
    }

    @Test("nothing listening: failed, not permanent, at once (connecting is not retried until the 10-minute timeout)", .timeLimit(.minutes(1)))
    func connectionRefused() async throws {
        let server = try await TestHTTPServer.start()
        let url = server.url()
        try await server.stop()
        let deliverer = try HTTPPostDeliverer(url: url, timeout: .seconds(600))
        let outcome = await deliverer.deliver(message())
        try await deliverer.shutdown()
        guard case .failed(let reason, let permanent) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(!permanent)
        #expect(reason.contains(url))
        #expect(reason.contains("Connection refused (errno ") && !reason.contains("error set"), "the system's words, not NIO's wrapping: \(reason)")
    }

    @Test("an answer whose body never ends is cut off at the timeout; the status still decides")
    func endlessBody() async throws {
        try await withServer(timeout: .seconds(3)) { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.endlessBody(status: 500), .endlessBody(status: 200)])
            let outcome = await deliverer.deliver(message())
            // The whole-attempt deadline or the idle read timeout ends the body, whichever fires
            // first on a loaded machine: the reason quotes what came, or nothing.
            #expect(DeliveryOutcomeKind(outcome) == .retry)
            if case .failed(let reason, _) = outcome {
                #expect(reason == "HTTP 500 Internal Server Error" || reason == "HTTP 500 Internal Server Error: partial answer ")
            }
            #expect(await deliverer.deliver(message()) == .delivered)
        }
    }

    @Test("an answer whose body drips for ever is cut off by the timeout on the whole attempt", .timeLimit(.minutes(1)))
    func drippingBody() async throws {
        try await withServer(timeout: .seconds(3)) { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.drippingBody(status: 503, interval: .milliseconds(20)), .drippingBody(status: 201, interval: .milliseconds(20))])
            #expect(await deliverer.deliver(message()) == .failed(reason: "HTTP 503 Service Unavailable", permanent: false))
            #expect(await deliverer.deliver(message()) == .delivered)
            #expect(try await server.requests().count == 2)
        }
    }

    @Test("a large answer body: at most 64 KiB read, the reason quotes 200 characters")
    func largeBody() async throws {
        try await withServer(timeout: .seconds(5)) { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.largeBody(status: 500, bytes: 4 << 20), .largeBody(status: 200, bytes: 4 << 20)])
            let outcome = await deliverer.deliver(message())
            let expected = "HTTP 500 Internal Server Error: " + String(repeating: "x", count: HTTPPostDeliverer.reasonLimit) + "…"
            #expect(outcome == .failed(reason: expected, permanent: false))
            #expect(await deliverer.deliver(message()) == .delivered)
        }
    }

    @Test("control characters in an answer never reach the reason raw")
    func escapedReason() async throws {
        try await withServer { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            try await server.answer([.status(400, body: "bad\u{1B}[31m\r\nInjected: yes")])
            let outcome = await deliverer.deliver(message())
            #expect(outcome == .failed(reason: "HTTP 400 Bad Request: bad\\u{1b}[31m\\u{d}\\u{a}Injected: yes", permanent: true))
        }
    }

    @Test("a key with control characters is never sent: failed, permanent", arguments: ["a\r\nX-Evil: 1", "tab\there", "del\u{7F}", "", "c1\u{85}"])
    func controlKey(key: String) async throws {
        try await withServer { (server: TestHTTPServer, deliverer: HTTPPostDeliverer) async throws in
            let outcome = await deliverer.deliver(message(key: key))
            #expect(DeliveryOutcomeKind(outcome) == .permanent)
            if case .failed(let reason, _) = outcome {
                #expect(!Text.hasControl(reason))
            }
            #expect(try await server.requests().isEmpty)
        }
    }

    @Test("bad URLs are refused at init", arguments: [
        "", "not a url", "ftp://127.0.0.1/x", "file:///tmp/x", "http://", "http:///path", "127.0.0.1:8080",
        "http://127.0.0.1/a b", "http://127.0.0.1/\n", "http+unix://%2Ftmp%2Fsock/x", "unix:///tmp/sock", "javascript:alert(1)",
        // A port outside 1 to 65535 (NIO trapped on 99999 at the first delivery).
        "http://127.0.0.1:99999/x", "http://127.0.0.1:0/x", "http://127.0.0.1:65536/x",
    ])
    func badURL(url: String) {
        #expect(throws: DeliveryError.self) { try HTTPPostDeliverer(url: url) }
        do {
            _ = try HTTPPostDeliverer(url: url)
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.what == url)
            #expect(!Text.hasControl(error.description))
        }
    }

    @Test("http and https URLs of any case are accepted", arguments: ["http://127.0.0.1:1/x", "HTTPS://example.com/hook?a=1", "http://[::1]:8080/"])
    func goodURL(url: String) async throws {
        let deliverer = try HTTPPostDeliverer(url: url)
        #expect(deliverer.url == url)
        try await deliverer.shutdown()
    }

    @Test("bad headers are refused at init", arguments: [
        ("Bad Name", "v"), ("", "v"), ("X-A\r\nX-B", "v"), ("Näme", "v"), ("X-Value", "a\r\nX-Evil: 1"), ("X-Value", "tab\tin"),
        ("X-Value", "nul\u{0}"), ("idempotency-key", "mine"), ("Content-Type", "text/plain"), ("HOST", "evil"),
        ("Content-Length", "1"), ("transfer-encoding", "chunked"), ("Connection", "close"),
    ])
    func badHeader(name: String, value: String) {
        do {
            _ = try HTTPPostDeliverer(url: "http://127.0.0.1:1/", headers: [("X-Fine", "ok"), (name, value)])
            Issue.record("accepted \(name): \(value)")
        } catch {
            #expect(error.code == .invalidHeader)
            #expect(error.what == name)
            #expect(!Text.hasControl(error.description))
        }
    }

    @Test("timeouts out of range are refused at init", arguments: [Duration.zero, .seconds(-1), .seconds(3601), .seconds(Int64.max)])
    func badTimeout(timeout: Duration) {
        do {
            _ = try HTTPPostDeliverer(url: "http://127.0.0.1:1/", timeout: timeout)
            Issue.record("accepted \(timeout)")
        } catch {
            #expect(error.code == .invalidTimeout)
        }
    }

    @Test("the longest timeout is accepted")
    func longestTimeout() async throws {
        let deliverer = try HTTPPostDeliverer(url: "http://127.0.0.1:1/", timeout: HTTPPostDeliverer.maximumTimeout)
        #expect(deliverer.timeout == .seconds(3600))
        try await deliverer.shutdown()
    }
}

/// An outcome without its reason, for tables.
enum DeliveryOutcomeKind: Hashable, Sendable, CustomStringConvertible {
    case delivered, retry, permanent

    init(_ outcome: DeliveryOutcome) {
        switch outcome {
        case .delivered: self = .delivered
        case .failed(_, let permanent): self = permanent ? .permanent : .retry
        }
    }

    var description: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "failed (retry)"
        case .permanent: "failed (permanent)"
        }
    }
}
