import NIOCore
import NIOHTTP1
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing
@testable import PurchaseActionsDelivery

/// Runs `body` with a fresh payment server and a gateway posting to it, and shuts both down.
/// The timeout is 10 s unless given: tests about the timeout use 2 s.
private func withGateway(
    timeout: Duration = .seconds(10),
    headers: [(String, String)] = [],
    _ body: (TestPaymentServer, HTTPPaymentGateway) async throws -> Void
) async throws {
    let server = try await TestPaymentServer.start()
    let gateway = try HTTPPaymentGateway(url: server.url, timeout: timeout, headers: headers)
    do {
        try await body(server, gateway)
    } catch {
        try await gateway.shutdown()
        try await server.stop()
        throw error
    }
    try await gateway.shutdown()
    try await server.stop()
}

private let request = ChargeRequest(invoice: "inv-7", attempt: 2, contact: "c-1", card: "card_1", amount: 1999, currency: "USD")

private func isUnknown(_ outcome: ChargeOutcome) -> Bool {
    if case .unknown = outcome { return true }
    return false
}

private func isUnknown(_ status: ChargeStatus) -> Bool {
    if case .unknown = status { return true }
    return false
}

@Suite("HTTPPaymentGateway against a loopback server")
struct HTTPPaymentGatewayTests {
    @Test("a charge is a JSON POST with the key in Idempotency-Key and the configured headers; approved")
    func postsCharge() async throws {
        try await withGateway(headers: [("Authorization", "Bearer abc")]) { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            #expect(await gateway.charge(request) == .approved(charge: "ch_1"))
            let requests = try await server.requests()
            try #require(requests.count == 1)
            let sent = requests[0]
            #expect(sent.method == .POST)
            #expect(sent.uri == "/charges")
            #expect(sent.headers["Content-Type"] == ["application/json"])
            #expect(sent.headers["Accept"] == ["application/json"])
            #expect(sent.headers["Idempotency-Key"] == ["inv-7/attempt-2"])
            #expect(sent.headers["Authorization"] == ["Bearer abc"])
            #expect(String(decoding: sent.body, as: UTF8.self)
                == #"{"amount":{"currency":"USD","minor":1999},"attempt":2,"card":"card_1","contact":"c-1","idempotencyKey":"inv-7/attempt-2","invoice":"inv-7"}"#)
            #expect(try await server.charges() == ["inv-7/attempt-2": 1])
        }
    }

    @Test("a card that is not known is sent as null")
    func nullCard() {
        var noCard = request
        noCard.card = nil
        guard case .object(let members) = HTTPPaymentGateway.requestJSON(noCard) else {
            Issue.record("not an object")
            return
        }
        #expect(members["card"] == .null)
    }

    @Test("a decline comes back with its code and advice code")
    func declined() async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.decline(key: "inv-7/attempt-2", code: "do_not_honor", advice: "25")
            #expect(await gateway.charge(request) == .declined(code: "do_not_honor", adviceCode: "25"))
            #expect(await gateway.status(idempotencyKey: "inv-7/attempt-2") == .declined(code: "do_not_honor", adviceCode: "25"))
        }
    }

    @Test("a repeated key gets the first answer, and the server charges once")
    func replay() async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            let first = await gateway.charge(request)
            let second = await gateway.charge(request)
            #expect(first == .approved(charge: "ch_1"))
            #expect(second == first)
            #expect(try await server.charges() == ["inv-7/attempt-2": 1])
            let bodies = try await server.requests().map(\.body)
            #expect(bodies.count == 2 && bodies[0] == bodies[1])
        }
    }

    @Test("the status look-up is GET <url>/<key percent-encoded>: the stored result, 404 when none")
    func lookup() async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            #expect(await gateway.status(idempotencyKey: "inv-7/attempt-2") == .notFound)
            _ = await gateway.charge(request)
            #expect(await gateway.status(idempotencyKey: "inv-7/attempt-2") == .approved(charge: "ch_1"))
            let requests = try await server.requests()
            #expect(requests.map(\.method) == [.GET, .POST, .GET])
            #expect(requests[0].uri == "/charges/inv-7%2Fattempt-2")
            #expect(requests[0].body.isEmpty)
            #expect(requests[0].headers["Idempotency-Key"] == ["inv-7/attempt-2"])
        }
    }

    @Test("the first try times out after charging; the status look-up resolves it and the server charged once", .timeLimit(.minutes(1)))
    func timeoutResolvedByLookup() async throws {
        try await withGateway(timeout: .seconds(2)) { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.chargeThenHang])
            let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
            #expect(result.resolution == .approved(charge: "ch_1"))
            #expect(result.lookups == 1)
            #expect(result.detail.contains("no answer within"))
            #expect(try await server.charges() == ["inv-7/attempt-2": 1])
            #expect(try await server.requests().map(\.method) == [.POST, .GET])
        }
    }

    @Test("a timeout whose look-ups stay unknown, tried again later with the same key, gets the first result: still one charge", .timeLimit(.minutes(1)))
    func unknownThenSameKeyLater() async throws {
        try await withGateway(timeout: .seconds(2)) { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.chargeThenHang, .status(503), .status(500)])
            let first = await SafeCharger.charge(request, gateway: gateway, isPaid: { false }, lookups: 2)
            #expect(first.resolution == .unknown(reason: "HTTP 500 Internal Server Error"))
            let later = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
            #expect(later.resolution == .approved(charge: "ch_1"))
            #expect(try await server.charges() == ["inv-7/attempt-2": 1])
            #expect(try await server.requests().map(\.method) == [.POST, .GET, .GET, .POST])
        }
    }

    @Test("a timeout before the server charged: not found, and the same key later charges once", .timeLimit(.minutes(1)))
    func notFoundThenSameKeyLater() async throws {
        try await withGateway(timeout: .seconds(2)) { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.hang])
            let first = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
            #expect(first.resolution == .notFound)
            #expect(try await server.charges().isEmpty)
            let later = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
            #expect(later.resolution == .approved(charge: "ch_1"))
            #expect(try await server.charges() == ["inv-7/attempt-2": 1])
        }
    }

    @Test("a connection dropped mid-answer is unknown; the look-up finds the charge", .timeLimit(.minutes(1)))
    func droppedMidAnswer() async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.chargeThenDrop])
            let outcome = await gateway.charge(request)
            #expect(isUnknown(outcome), "\(outcome)")
            #expect(await gateway.status(idempotencyKey: request.idempotencyKey) == .approved(charge: "ch_1"))
            #expect(try await server.charges() == ["inv-7/attempt-2": 1])
        }
    }

    @Test("a 500 is unknown; the look-up says not found, so nothing was charged", .timeLimit(.minutes(1)))
    func serverError() async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.status(500, body: "boom")])
            let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
            #expect(result.resolution == .notFound)
            #expect(result.detail.contains("HTTP 500"))
            #expect(try await server.charges().isEmpty)
        }
    }

    @Test("a connection closed without an answer, or no answer at all, is unknown", .timeLimit(.minutes(1)))
    func noAnswer() async throws {
        try await withGateway(timeout: .seconds(2)) { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.close, .hang, .close, .hang])
            #expect(isUnknown(await gateway.charge(request)))
            let hung = await gateway.charge(request)
            guard case .unknown(let reason) = hung else {
                Issue.record("expected unknown, got \(hung)")
                return
            }
            #expect(reason.hasPrefix("no answer within 2.0 seconds"))
            #expect(isUnknown(await gateway.status(idempotencyKey: request.idempotencyKey)))
            #expect(isUnknown(await gateway.status(idempotencyKey: request.idempotencyKey)))
            #expect(try await server.charges().isEmpty)
        }
    }

    @Test("a 4 MiB answer is unknown, with or without a Content-Length", .timeLimit(.minutes(1)), arguments: [false, true])
    func hugeBody(chunked: Bool) async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.largeBody(bytes: 4 << 20, chunked: chunked), .largeBody(bytes: 4 << 20, chunked: chunked)])
            let outcome = await gateway.charge(request)
            #expect(outcome == .unknown(reason: "HTTP 200: the answer's body is over 65536 bytes"))
            #expect(isUnknown(await gateway.status(idempotencyKey: request.idempotencyKey)))
        }
    }

    @Test("a body that trickles for ever, or stops half-way and never ends, is cut off at the timeout: unknown", .timeLimit(.minutes(1)))
    func slowBody() async throws {
        let server = try await TestHTTPServer.start()
        let gateway = try HTTPPaymentGateway(url: server.url("/charges"), timeout: .seconds(2))
        try await server.answer([.drippingBody(status: 200, interval: .milliseconds(100)), .endlessBody(status: 200)])
        let dripping = await gateway.charge(request)
        let endless = await gateway.status(idempotencyKey: request.idempotencyKey)
        try await gateway.shutdown()
        try await server.stop()
        #expect(dripping == .unknown(reason: "HTTP 200: the answer's body did not arrive in time"))
        // Under load the test server may give up on the endless body first: either way the outcome is unknown.
        #expect(
            endless == .unknown(reason: "HTTP 200: the answer's body did not arrive in time")
                || endless == .unknown(reason: "HTTP 200: the connection closed before the answer's end"), "\(endless)")
    }

    static let chargeAnswers: [(Int, String, String)] = [
        (200, "not json", "unknown"),
        (200, #"{"status":"pending"}"#, "unknown"),
        (200, #"{"status":"approved"}"#, "unknown"),
        (200, #"{"status":"approved","charge":"ch_1","amount":19.99}"#, "unknown"),
        (200, #"{"status":"approved","charge":"ch_1","idempotencyKey":"other/attempt-2"}"#, "unknown"),
        (200, #"{"status":"approved","charge":"ch_1","idempotencyKey":"inv-7/attempt-2","extra":[1,{"a":null}]}"#, "approved ch_1"),
        (201, #"{"status":"declined","declineCode":"insufficient_funds"}"#, "declined insufficient_funds -"),
        (200, #"{"status":"declined","declineCode":"05","adviceCode":null}"#, "declined 05 -"),
        (200, #"{"status":"declined","declineCode":"05","adviceCode":"00"}"#, "unknown"),
        (200, #"{"status":"declined","declineCode":"05","adviceCode":25}"#, "unknown"),
        (200, #"{"status":"refunded"}"#, "unknown"),
        (301, "", "unknown"), (302, #"{"status":"approved","charge":"ch_1"}"#, "unknown"),
        (400, #"{"error":"bad"}"#, "declined gateway_rejected -"),
        (401, "", "declined gateway_rejected -"),
        (404, "", "declined gateway_rejected -"),
        (422, "nope", "declined gateway_rejected -"),
        (402, #"{"status":"declined","declineCode":"card_declined","adviceCode":"03"}"#, "declined card_declined 03"),
        (402, #"{"status":"approved","charge":"ch_1"}"#, "unknown"),
        (400, #"{"status":"pending"}"#, "unknown"),
        (422, #"{"status":"pending","idempotencyKey":"inv-7/attempt-2"}"#, "unknown"),
        (408, "", "unknown"), (409, "", "unknown"), (425, "", "unknown"), (429, "", "unknown"),
        (500, "", "unknown"), (502, "", "unknown"), (503, "", "unknown"), (599, "", "unknown"),
    ]

    @Test("a charge's answer maps as documented", .timeLimit(.minutes(1)), arguments: chargeAnswers)
    func chargeMapping(code: Int, body: String, expected: String) async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.status(code, body: body)])
            let outcome = await gateway.charge(request)
            let got: String
            switch outcome {
            case .approved(let charge): got = "approved \(charge)"
            case .declined(let decline, let advice): got = "declined \(decline) \(advice ?? "-")"
            case .unknown(let reason):
                got = "unknown"
                #expect(!reason.isEmpty && !reason.contains("\n"))
            }
            #expect(got == expected, "HTTP \(code) \(body)")
        }
    }

    static let lookupAnswers: [(Int, String, String)] = [
        (200, #"{"status":"approved","charge":"ch_1"}"#, "approved"),
        (200, #"{"status":"declined","declineCode":"expired_card"}"#, "declined"),
        (200, #"{"status":"pending"}"#, "unknown"), (200, "[]", "unknown"),
        (404, "", "not-found"), (404, #"{"status":"approved","charge":"ch_1"}"#, "not-found"),
        (400, "", "unknown"), (401, "", "unknown"), (410, "", "unknown"), (429, "", "unknown"),
        (302, "", "unknown"), (500, "", "unknown"), (503, "", "unknown"),
    ]

    @Test("a status look-up's answer maps as documented", .timeLimit(.minutes(1)), arguments: lookupAnswers)
    func lookupMapping(code: Int, body: String, expected: String) async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            try await server.script([.status(code, body: body)])
            let status = await gateway.status(idempotencyKey: "inv-7/attempt-2")
            let got: String
            switch status {
            case .approved: got = "approved"
            case .declined: got = "declined"
            case .notFound: got = "not-found"
            case .unknown: got = "unknown"
            }
            #expect(got == expected, "HTTP \(code) \(body)")
        }
    }

    @Test("a key that cannot be sent never reaches the server: unknown", arguments: [
        "", "inv\n1/attempt-2", "inv\u{7F}/attempt-2", String(repeating: "k", count: 1025),
    ])
    func unsendableKey(key: String) async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            var bad = request
            bad.idempotencyKey = key
            #expect(isUnknown(await gateway.charge(bad)))
            #expect(isUnknown(await gateway.status(idempotencyKey: key)))
            #expect(try await server.requests().isEmpty)
        }
    }

    @Test("a key of exactly 1024 bytes, and one with spaces and non-ASCII letters, are sent")
    func keyEdges() async throws {
        try await withGateway { (server: TestPaymentServer, gateway: HTTPPaymentGateway) async throws in
            var long = request
            long.idempotencyKey = String(repeating: "k", count: 1024)
            #expect(await gateway.charge(long) == .approved(charge: "ch_1"))
            #expect(await gateway.status(idempotencyKey: "inv é 1/attempt-2") == .notFound)
            let requests = try await server.requests()
            #expect(requests.count == 2)
            #expect(requests.last?.uri == "/charges/inv%20%C3%A9%201%2Fattempt-2")
        }
    }

    @Test("after shutdown a call is unknown instead of trapping")
    func afterShutdown() async throws {
        let server = try await TestPaymentServer.start()
        let gateway = try HTTPPaymentGateway(url: server.url, timeout: .seconds(2))
        try await gateway.shutdown()
        #expect(isUnknown(await gateway.charge(request)))
        #expect(isUnknown(await gateway.status(idempotencyKey: request.idempotencyKey)))
        #expect(try await server.requests().isEmpty)
        try await server.stop()
    }
}

@Suite("HTTPPaymentGateway's configuration and answers")
struct HTTPPaymentGatewayConfigurationTests {
    static let badURLs: [String] = [
        "", "ftp://127.0.0.1/charges", "file:///tmp/x", "http://", "http://127.0.0.1:0/charges", "http://127.0.0.1:65536/charges",
        "http://127.0.0.1/charges?tenant=1", "http://127.0.0.1/charges#x", "http://127.0.0.1/ch arges", "http://127.0.0.1/\u{1}",
        "not a url",
    ]

    @Test("URLs that are refused", arguments: badURLs)
    func badURL(url: String) async throws {
        let gateway: HTTPPaymentGateway
        do {
            gateway = try HTTPPaymentGateway(url: url)
        } catch {
            #expect(error.code == .invalidURL)
            #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
            return
        }
        Issue.record("accepted \(url)")
        try await gateway.shutdown()
    }

    @Test("timeouts: above zero, at most ten minutes", arguments: [
        (Duration.zero, false), (.seconds(-1), false), (.milliseconds(1), true), (.seconds(600), true), (.seconds(600) + .nanoseconds(1), false),
    ])
    func timeouts(timeout: Duration, accepted: Bool) async throws {
        let gateway: HTTPPaymentGateway
        do {
            gateway = try HTTPPaymentGateway(url: "http://127.0.0.1:1/charges", timeout: timeout)
        } catch {
            #expect(!accepted)
            #expect(error.code == .invalidTimeout)
            return
        }
        #expect(accepted)
        try await gateway.shutdown()
    }

    @Test("headers: tokens, no control characters in values, none the gateway sets", arguments: [
        ("Idempotency-Key", "x"), ("accept", "text/plain"), ("CONTENT-TYPE", "x"), ("Host", "x"), ("Bad Name", "x"), ("", "x"),
        ("X-Ok", "a\r\nInjected: 1"), ("X-Ok", "tab\there"), ("X-Ok", "nul\u{0}"), ("X-Ok", "c1\u{85}"),
    ])
    func badHeader(name: String, value: String) async throws {
        let gateway: HTTPPaymentGateway
        do {
            gateway = try HTTPPaymentGateway(url: "http://127.0.0.1:1/charges", headers: [(name, value)])
        } catch {
            #expect(error.code == .invalidHeader)
            #expect(!error.description.contains("\r") && !error.description.contains("\n"))
            return
        }
        Issue.record("accepted \(name): \(value)")
        try await gateway.shutdown()
    }

    @Test("a trailing slash is not doubled in the status URL")
    func statusURL() async throws {
        let gateway = try HTTPPaymentGateway(url: "https://billing.example.com:8443/charges/")
        #expect(gateway.statusURL(idempotencyKey: "inv-1/attempt-2") == "https://billing.example.com:8443/charges/inv-1%2Fattempt-2")
        try await gateway.shutdown()
    }

    @Test("percent-encoding keeps only unreserved bytes")
    func percentEncoding() {
        #expect(HTTPPaymentGateway.percentEncoded("AZaz09-._~") == "AZaz09-._~")
        #expect(HTTPPaymentGateway.percentEncoded("a/b c%d?e#f+é") == "a%2Fb%20c%25d%3Fe%23f%2B%C3%A9")
    }

    @Test("answer fields are bounded: a charge id of 200 characters and a decline code of 64 pass, one more does not")
    func answerBounds() {
        let key = "k"
        func approved(_ charge: String) -> HTTPPaymentGateway.Answer {
            HTTPPaymentGateway.parseAnswer(Array(JSONValue.object(["status": .string("approved"), "charge": .string(charge)]).compactText.utf8), key: key)
        }
        func declined(_ code: String) -> HTTPPaymentGateway.Answer {
            HTTPPaymentGateway.parseAnswer(Array(JSONValue.object(["status": .string("declined"), "declineCode": .string(code)]).compactText.utf8), key: key)
        }
        #expect(approved(String(repeating: "c", count: 200)) == .approved(charge: String(repeating: "c", count: 200)))
        #expect(approved(String(repeating: "c", count: 201)) != .approved(charge: String(repeating: "c", count: 201)))
        #expect(approved("") != .approved(charge: ""))
        #expect(approved("ch\u{1B}[31m") != .approved(charge: "ch\u{1B}[31m"))
        #expect(declined(String(repeating: "d", count: 64)) == .declined(code: String(repeating: "d", count: 64), adviceCode: nil))
        #expect(declined(String(repeating: "d", count: 65)) != .declined(code: String(repeating: "d", count: 65), adviceCode: nil))
        #expect(declined("do\nnot") != .declined(code: "do\nnot", adviceCode: nil))
    }

    @Test("a reason quotes at most 200 characters of a body", arguments: [200, 201])
    func reasonLimit(length: Int) {
        let body = Array(String(repeating: "b", count: length).utf8)
        let outcome = HTTPPaymentGateway.chargeOutcome(code: 503, phrase: "Service Unavailable", body: .complete(body), key: "k")
        let quoted = String(repeating: "b", count: 200) + (length > 200 ? "…" : "")
        #expect(HTTPPaymentGateway.reasonLimit == 200)
        #expect(outcome == .unknown(reason: "HTTP 503 Service Unavailable: " + quoted))
    }

    @Test("control characters in a body are escaped in the reason")
    func reasonEscapes() {
        let outcome = HTTPPaymentGateway.chargeOutcome(code: 500, phrase: "", body: .complete(Array("a\r\nb\u{1B}".utf8)), key: "k")
        #expect(outcome == .unknown(reason: "HTTP 500: a\\u{d}\\u{a}b\\u{1b}"))
    }

    @Test("advice codes are two digits 01 to 99", arguments: [("01", true), ("25", true), ("99", true), ("00", false), ("1", false), ("100", false), ("2a", false), ("٢٥", false)])
    func adviceCodes(code: String, valid: Bool) {
        #expect(HTTPPaymentGateway.isAdviceCode(code) == valid)
    }
}

/// `total` bytes of `x` in chunks of 4096.
private struct XChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    var total: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var left: Int
        mutating func next() async -> ByteBuffer? {
            let size = Swift.min(left, 4096)
            guard size > 0 else { return nil }
            left -= size
            return ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(left: total) }
}

@Suite("HTTPPaymentGateway's answer body limit")
struct PaymentAnswerBodyTests {
    private static let far = ContinuousClock.now + .seconds(600)

    @Test("a body at the limit is read; one byte more is too large", arguments: [0, 65535, 65536, 65537, 4 << 20])
    func edges(size: Int) async {
        let chunks = XChunks(total: size)
        let read = await HTTPPaymentGateway.readAnswer(chunks, limit: HTTPPaymentGateway.responseBodyLimit, until: Self.far)
        if size <= 65536 {
            #expect(read == .complete(Array(repeating: UInt8(ascii: "x"), count: size)))
        } else {
            #expect(read == .tooLarge)
        }
    }
}
