/// What a ``CheckedBuffer`` keeps before its elements: at least how many there are.
protocol CheckedBufferHeader {
    /// The number of elements, every one initialized.
    var count: Int { get }
}

/// A header and, in the same allocation, `header.count` elements: a `ManagedBuffer` whose element
/// reads are checked against the count in debug builds (a `precondition`), and read straight
/// through the pointer in release builds, where the check would cost a compare and branch per
/// instruction a run reads.
///
/// The elements are set once, when the buffer is made (``make(_:_:)``, which checks the count in
/// every build), changed only by ``updateEach(_:)``, and deinitialized with the buffer.
class CheckedBuffer<Header: CheckedBufferHeader, Element>: ManagedBuffer<Header, Element> {
    /// A buffer holding `header` and a copy of `elements`, of which there are exactly `header.count`.
    final class func make(_ header: Header, _ elements: [Element]) -> Self {
        precondition(header.count == elements.count, "a checked buffer's header counts \(header.count) elements, given \(elements.count)")
        let buffer = unsafeDowncast(create(minimumCapacity: elements.count) { _ in header }, to: self)
        buffer.withUnsafeMutablePointerToElements { target in
            elements.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { target.initialize(from: base, count: source.count) }
            }
        }
        return buffer
    }

    deinit {
        _ = withUnsafeMutablePointers { header, elements in elements.deinitialize(count: header.pointee.count) }
    }

    /// The number of elements (read through a pointer: reading `header`, a `var` of
    /// `ManagedBuffer`, checks exclusive access at run time every time).
    @inline(__always)
    final var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    /// The element at `index`, which must lie in `0 ..< count` (a trap in debug builds, where an
    /// index outside is caught before it reads; release builds read without checking).
    @inline(__always)
    final subscript(index: Int) -> Element {
        #if DEBUG
        let count = self.count
        precondition(index >= 0 && index < count, "index \(index) is outside the buffer's elements (0 ..< \(count))")
        #endif
        return withUnsafeMutablePointerToElements { $0[index] }
    }

    /// The element at `index`, or `nil` when `index` is outside `0 ..< count` (checked in every build).
    final func element(at index: Int) -> Element? {
        guard index >= 0, index < count else { return nil }
        return withUnsafeMutablePointerToElements { $0[index] }
    }

    /// Replaces each element `change` gives a new value for.
    final func updateEach(_ change: (Element) -> Element?) {
        withUnsafeMutablePointers { header, elements in
            for index in 0..<header.pointee.count {
                if let new = change(elements[index]) { elements[index] = new }
            }
        }
    }
}
