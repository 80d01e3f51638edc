#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import PurchaseActionsCore
import PurchaseActionsDunning
import Synchronization
import Testing
@testable import PurchaseActionsDelivery

/// A TCP server on loopback that is no TLS server: to each connection it answers the first bytes
/// it gets with a plain-text HTTP answer (not a TLS record), then closes. It keeps what it got.
private final class NotTLSServer: Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let box: ReceivedBox

    /// The bytes the connections sent.
    var received: [UInt8] { box.bytes.withLock { $0 } }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, box: ReceivedBox) {
        self.group = group
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.box = box
    }

    static func start() async throws -> NotTLSServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ReceivedBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(GarbageHandler(box: box)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return NotTLSServer(group: group, channel: channel, box: box)
    }

    func stop() async throws {
        try await channel.close().get()
        try await group.shutdownGracefully()
    }
}

/// Where the handlers put the bytes they got.
private final class ReceivedBox: Sendable {
    let bytes = Mutex<[UInt8]>([])
}

private final class GarbageHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let box: ReceivedBox
    init(box: ReceivedBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        box.bytes.withLock { $0 += bytes }
        let answer = context.channel.allocator.buffer(string: "HTTP/1.1 400 Bad Request\r\nContent-Length: 7\r\n\r\nnot TLS")
        let channel = context.channel  // Sendable, unlike the context
        context.writeAndFlush(wrapOutboundOut(answer)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Issue 14 leftovers: a TLS handshake that fails is a charge not sent (the request was never
/// written).
@Suite("HTTPPaymentGateway: a failed TLS handshake is not sent")
struct HTTPPaymentGatewayTLSNotSentTests {
    @Test("an https URL whose server accepts TCP and answers bytes that are not TLS: not sent, and the server got no request (only a TLS hello)", .timeLimit(.minutes(1)))
    func tlsHandshakeFails() async throws {
        let server = try await NotTLSServer.start()
        let gateway = try HTTPPaymentGateway(url: "https://127.0.0.1:\(server.port)/charges", timeout: .seconds(600))
        let request = ChargeRequest(invoice: "inv-tls", attempt: 2, contact: "c-1", card: "card_1", amount: 1999, currency: "USD")
        let call = await gateway.attemptCharge(request)
        let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { false })
        try await gateway.shutdown()
        try await server.stop()
        guard case .notSent(let reason) = call else {
            Issue.record("expected notSent, got \(call)")
            return
        }
        #expect(reason.hasPrefix("cannot connect to https://127.0.0.1:\(server.port)/charges: "), "\(reason)")
        #expect(result.isNotSent, "\(result)")
        #expect(result.lookups == 0, "nothing was sent: nothing to look up")
        let received = server.received
        // A TLS handshake record (0x16), never the request's head.
        #expect(received.first == 0x16, "\(received.prefix(16))")
        #expect(!String(decoding: received, as: UTF8.self).contains("POST"))
        #expect(!String(decoding: received, as: UTF8.self).contains("inv-tls"))
    }
}
