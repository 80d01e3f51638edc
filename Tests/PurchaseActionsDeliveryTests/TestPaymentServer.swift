import NIOCore
import NIOHTTP1
import NIOPosix
import PurchaseActionsCore

/// A payment gateway server on loopback (NIO, HTTP/1.1) that follows Docs/payment-gateway.md:
/// `POST /charges` charges once per idempotency key and replays the first answer for a repeated
/// key (409 when the body differs), `GET /charges/<key>` answers the stored result or 404. It can
/// also misbehave, per request, as scripted: charge and never answer, charge and drop the
/// connection mid-answer, answer a status without charging, hang, close, send a huge body.
///
/// Its state lives on its one event loop; a charge is recorded before anything is written.
final class TestPaymentServer: @unchecked Sendable {
    /// How to handle one request.
    enum Behavior: Sendable {
        /// As the contract says (charge once per key, replay, look up).
        case normal
        /// Charge (as `normal`), then never answer.
        case chargeThenHang
        /// Charge (as `normal`), send the head and part of the body, then close the connection.
        case chargeThenDrop
        /// Answer this status and body; charge nothing.
        case status(Int, body: String = "")
        /// Never answer; charge nothing.
        case hang
        /// Close the connection at once; charge nothing.
        case close
        /// Answer 200 with a body of this many bytes (`x`), with a `Content-Length` or chunked.
        case largeBody(bytes: Int, chunked: Bool)
    }

    /// One request as received.
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let loop: any EventLoop
    // Touched only on `loop`.
    private var script: [Behavior] = []
    private var received: [Request] = []
    private var stored: [String: (body: [UInt8], answer: String)] = [:]
    private var charged: [String: Int] = [:]
    private var declines: [String: (code: String, advice: String?)] = [:]

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.group = group
        self.channel = channel
        self.loop = channel.eventLoop
        self.port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on 127.0.0.1 on a free port.
    static func start() async throws -> TestPaymentServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = PaymentServerBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false)
                    try channel.pipeline.syncOperations.addHandler(PaymentHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestPaymentServer(group: group, channel: channel)
        box.server = server
        return server
    }

    /// The charge URL.
    var url: String { "http://127.0.0.1:\(port)/charges" }

    /// The next requests are handled in this order; after them, `normal`.
    func script(_ behaviors: [Behavior]) async throws {
        try await loop.submit { self.script = behaviors }.get()
    }

    /// Charges with this key are declined with this code.
    func decline(key: String, code: String, advice: String?) async throws {
        try await loop.submit { self.declines[key] = (code, advice) }.get()
    }

    /// The requests received so far, in order.
    func requests() async throws -> [Request] {
        try await loop.submit { self.received }.get()
    }

    /// How many times each key was really charged (a replay is not a charge).
    func charges() async throws -> [String: Int] {
        try await loop.submit { self.charged }.get()
    }

    /// Closes the server and its connections.
    func stop() async throws {
        try await channel.close().get()
        try await group.shutdownGracefully()
    }

    /// What to send back, decided on the loop: the behavior and the contract's answer (status, body).
    fileprivate func handle(_ request: Request) -> (Behavior, Int, String) {
        loop.preconditionInEventLoop()
        received.append(request)
        let behavior = script.isEmpty ? Behavior.normal : script.removeFirst()
        switch behavior {
        case .normal, .chargeThenHang, .chargeThenDrop:
            let (code, answer) = contract(request)
            return (behavior, code, answer)
        default:
            return (behavior, 0, "")
        }
    }

    /// The contract: charge once per key, replay, look up.
    private func contract(_ request: Request) -> (Int, String) {
        let prefix = "/charges"
        switch request.method {
        case .POST where request.uri == prefix:
            guard let key = request.headers["Idempotency-Key"].first,
                case .object(let members)? = try? JSONValue.parse(request.body),
                members["idempotencyKey"] == .string(key)
            else { return (400, #"{"error":"bad request"}"#) }
            if let previous = stored[key] {
                guard previous.body == request.body else { return (409, #"{"error":"key reused with other parameters"}"#) }
                return (200, previous.answer)
            }
            charged[key, default: 0] += 1
            let answer: String
            if let decline = declines[key] {
                answer = #"{"status":"declined","declineCode":"\#(decline.code)""# + (decline.advice.map { #","adviceCode":"\#($0)""# } ?? "") + "}"
            } else {
                answer = #"{"status":"approved","charge":"ch_\#(stored.count + 1)"}"#
            }
            stored[key] = (request.body, answer)
            return (200, answer)
        case .GET where request.uri.hasPrefix(prefix + "/"):
            let key = Self.percentDecoded(String(request.uri.dropFirst(prefix.count + 1)))
            guard let key, let previous = stored[key] else { return (404, #"{"error":"no charge with this key"}"#) }
            return (200, previous.answer)
        default:
            return (404, "")
        }
    }

    /// `%XX` escapes decoded; `nil` when one is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Lets the child handlers reach the server made after the bootstrap binds.
private final class PaymentServerBox: @unchecked Sendable {
    var server: TestPaymentServer?
}

private final class PaymentHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: PaymentServerBox
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(box: PaymentServerBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head, let server = box.server else { return }
            let request = TestPaymentServer.Request(method: head.method, uri: head.uri, headers: head.headers, body: body)
            let (behavior, code, answer) = server.handle(request)
            respond(behavior, code: code, answer: answer, context: context, version: head.version)
        }
    }

    private func respond(_ behavior: TestPaymentServer.Behavior, code: Int, answer: String, context: ChannelHandlerContext, version: HTTPVersion) {
        switch behavior {
        case .normal:
            send(code, answer, context: context, version: version)
        case .status(let code, let text):
            send(code, text, context: context, version: version)
        case .chargeThenHang, .hang:
            break
        case .close:
            context.close(promise: nil)
        case .chargeThenDrop:
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(answer.utf8.count + 100))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: headers))), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: 16)
            buffer.writeString(String(answer.prefix(10)))
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.close(promise: nil)
        case .largeBody(let bytes, let chunked):
            var headers = HTTPHeaders()
            if chunked {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            } else {
                headers.add(name: "Content-Length", value: String(bytes))
            }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
            var remaining = bytes
            while remaining > 0 {
                let size = min(remaining, 64 * 1024)
                var buffer = context.channel.allocator.buffer(capacity: size)
                buffer.writeRepeatingByte(UInt8(ascii: "x"), count: size)
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                remaining -= size
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func send(_ code: Int, _ text: String, context: ChannelHandlerContext, version: HTTPVersion) {
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        headers.add(name: "Content-Type", value: "application/json")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
