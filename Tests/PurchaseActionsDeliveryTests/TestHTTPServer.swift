import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on loopback (NIO) that records every request and answers as told:
/// a status, never, by closing the connection, with a body that never ends, or a large body.
///
/// Its state lives on its one event loop (requests are recorded before the answer is written),
/// so what a test reads after a delivery returned holds that delivery's request.
final class TestHTTPServer: @unchecked Sendable {
    /// How to answer one request.
    enum Behavior: Sendable {
        /// Answer this status with this body.
        case status(Int, body: String = "")
        /// Never answer (the connection stays open until the client gives up).
        case hang
        /// Close the connection without answering.
        case close
        /// Send the head (this status, chunked) and one chunk, and never end the body.
        case endlessBody(status: Int)
        /// Send the head (this status, chunked), then a chunk every `interval`, for ever (each
        /// chunk arrives well within a client's read timeout, so only a deadline on the whole
        /// body stops the reading).
        case drippingBody(status: Int, interval: TimeAmount)
        /// Answer this status with a body of this many bytes (`x`).
        case largeBody(status: Int, bytes: Int)
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
    private var fallback: Behavior = .status(200)
    private var received: [Request] = []

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.group = group
        self.channel = channel
        self.loop = channel.eventLoop
        self.port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on 127.0.0.1 on a free port.
    static func start() async throws -> TestHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false)
                    try channel.pipeline.syncOperations.addHandler(Handler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestHTTPServer(group: group, channel: channel)
        box.server = server
        return server
    }

    /// The URL of a path on this server.
    func url(_ path: String = "/deliveries") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The next requests are answered in this order; after them, `then`.
    func answer(_ behaviors: [Behavior], then fallback: Behavior = .status(200)) async throws {
        try await loop.submit {
            self.script = behaviors
            self.fallback = fallback
        }.get()
    }

    /// The requests received so far, in order.
    func requests() async throws -> [Request] {
        try await loop.submit { self.received }.get()
    }

    /// Closes the server and its connections.
    func stop() async throws {
        try await channel.close().get()
        try await group.shutdownGracefully()
    }

    fileprivate func nextBehavior(for request: Request) -> Behavior {
        loop.preconditionInEventLoop()
        received.append(request)
        return script.isEmpty ? fallback : script.removeFirst()
    }
}

/// Lets the child handlers reach the server made after the bootstrap binds.
private final class ServerBox: @unchecked Sendable {
    var server: TestHTTPServer?
}

private final class Handler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: ServerBox
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(box: ServerBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head, let server = box.server else { return }
            let request = TestHTTPServer.Request(method: head.method, uri: head.uri, headers: head.headers, body: body)
            respond(server.nextBehavior(for: request), context: context, version: head.version)
        }
    }

    private func respond(_ behavior: TestHTTPServer.Behavior, context: ChannelHandlerContext, version: HTTPVersion) {
        switch behavior {
        case .status(let code, let text):
            var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
            buffer.writeString(text)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(buffer.readableBytes))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .hang:
            break
        case .close:
            context.close(promise: nil)
        case .endlessBody(let code):
            var headers = HTTPHeaders()
            headers.add(name: "Transfer-Encoding", value: "chunked")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: headers))), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: 16)
            buffer.writeString("partial answer ")
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        case .drippingBody(let code, let interval):
            var headers = HTTPHeaders()
            headers.add(name: "Transfer-Encoding", value: "chunked")
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: headers))), promise: nil)
            drip(context: context, interval: interval)
        case .largeBody(let code, let bytes):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(bytes))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: code), headers: headers))), promise: nil)
            var remaining = bytes
            while remaining > 0 {
                let size = min(remaining, 16 * 1024)
                var buffer = context.channel.allocator.buffer(capacity: size)
                buffer.writeRepeatingByte(UInt8(ascii: "x"), count: size)
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                remaining -= size
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func drip(context: ChannelHandlerContext, interval: TimeAmount) {
        guard context.channel.isActive else { return }
        var buffer = context.channel.allocator.buffer(capacity: 4)
        buffer.writeString("drip")
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: interval) {
            let (handler, context) = loopBound.value
            handler.drip(context: context, interval: interval)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
