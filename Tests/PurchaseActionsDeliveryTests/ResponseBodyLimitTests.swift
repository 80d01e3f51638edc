import NIOCore
import Testing
@testable import PurchaseActionsDelivery

/// Chunks of `chunk` bytes, `total` bytes in all (`nil`: for ever).
private struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    var chunk: Int
    var total: Int?

    struct AsyncIterator: AsyncIteratorProtocol {
        var chunk: Int
        var left: Int?
        mutating func next() async -> ByteBuffer? {
            let size = left.map { Swift.min($0, chunk) } ?? chunk
            guard size > 0 else { return nil }
            left = left.map { $0 - size }
            return ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunk: chunk, left: total) }
}

@Suite("HTTPPostDeliverer's response body limit")
struct ResponseBodyLimitTests {
    private static let far = ContinuousClock.now + .seconds(600)

    @Test("an endless body is read up to the limit and no further", .timeLimit(.minutes(1)))
    func endless() async {
        let read = await HTTPPostDeliverer.readBody(Chunks(chunk: 1000, total: nil), until: Self.far)
        #expect(read?.count == HTTPPostDeliverer.responseBodyLimit)
        #expect(HTTPPostDeliverer.responseBodyLimit == 65536)
    }

    @Test("a body at, one under and one past the limit", arguments: [65535, 65536, 65537, 0])
    func edges(size: Int) async {
        let read = await HTTPPostDeliverer.readBody(Chunks(chunk: 4096, total: size), until: Self.far)
        #expect(read?.count == min(size, 65536))
    }

    @Test("a body that never comes gives nothing once its deadline passed", .timeLimit(.minutes(1)))
    func pastDeadline() async {
        let (silent, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let read = await HTTPPostDeliverer.readBody(silent, until: ContinuousClock.now)
        #expect(read == nil)
        continuation.finish()
    }
}

