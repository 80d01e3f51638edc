/// A growable run of bytes written through a pointer: what `CanonicalJSONWriter` writes into
/// (Benchmarks/README.md, "Import throughput").
///
/// An `[UInt8]` checks that its storage is unique and has room on every append; the workflow
/// files of an import are about 130 MB of such appends. This buffer makes room once per piece
/// (`reserve(_:)`) and then writes bytes with plain stores. It is not copyable, so it owns its
/// memory alone, and frees it when it ends.
///
/// Every write goes through the accessors below, which make room first; debug builds also check
/// every index against the bytes written (`JSONBytesTests`).
package struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    /// How many bytes are written.
    package private(set) var count = 0
    private var capacity: Int

    /// An empty buffer with room for `capacity` bytes (at least 16).
    package init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    package mutating func reserve(_ extra: Int) {
        // Sizes of text held in memory: the sum cannot overflow.
        if count + extra > capacity { grow(count + extra) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var larger = capacity
        while larger < needed { larger = larger <= Int.max / 2 ? larger * 2 : needed }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        new.initialize(from: base, count: count)
        base.deallocate()
        base = new
        capacity = larger
    }

    /// Appends one byte.
    @inline(__always)
    package mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends one byte, with room already made by `reserve(_:)`.
    @inline(__always)
    package mutating func appendReserved(_ byte: UInt8) {
        assert(count < capacity, "JSONBytes: no room reserved")
        base[count] = byte
        count += 1
    }

    /// Appends bytes.
    @inline(__always)
    package mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: start, count: bytes.count)
        count += bytes.count
    }

    /// Appends a static string's bytes.
    @inline(__always)
    package mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `byte` `repetitions` times.
    package mutating func append(_ byte: UInt8, repetitions: Int) {
        guard repetitions > 0 else { return }
        reserve(repetitions)
        (base + count).update(repeating: byte, count: repetitions)
        count += repetitions
    }

    /// Appends the bytes of an array.
    package mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Forgets the bytes from `newCount` on.
    package mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "JSONBytes: truncating past the bytes written")
        count = newCount
    }

    /// The byte at `index` (of those written).
    package subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "JSONBytes: index out of range")
        return base[index]
    }

    /// The bytes written, as an array.
    package var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Calls `body` with the bytes written, in place (no array made); the pointer is valid only
    /// during the call.
    package func withUnsafeBytes<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
