/// A string compared and hashed by its UTF-8 bytes, as a cache key: `String`'s own `==` and hash
/// are those of Unicode canonical equivalence (`"é"` precomposed equals `"e\u{301}"`), which costs
/// a normalisation pass for text that is not ASCII, and would give one string the words made for
/// another, equivalent but with other bytes. Two `ExactText`s are equal when their bytes are.
///
/// The only code reading through a pointer here is ``==(_:_:)`` (``equalBytes(_:_:)``, eight bytes
/// at a time, within the counts) and ``hash(into:)``, which read the strings' own contiguous bytes
/// for the duration of a call (`withContiguousStorageIfAvailable`, read-only), and fall back to the
/// `UTF8View` when a string has none (`ExactTextTests`).
struct ExactText: Hashable, Sendable {
    /// The text.
    let text: String

    /// The key of `text`.
    init(_ text: String) { self.text = text }

    /// The text's bytes.
    var byteCount: Int { text.utf8.count }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        let left = lhs.text.utf8
        let right = rhs.text.utf8
        guard left.count == right.count else { return false }
        let equal = left.withContiguousStorageIfAvailable { leftBytes in
            right.withContiguousStorageIfAvailable { rightBytes in equalBytes(UnsafeRawBufferPointer(leftBytes), UnsafeRawBufferPointer(rightBytes)) }
        }
        if let equal, let equal { return equal }
        return left.elementsEqual(right)
    }

    /// Whether two runs of bytes of the same count are equal, compared eight bytes at a time.
    static func equalBytes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else { return false }
        var index = 0
        while index + 8 <= left.count {
            guard left.loadUnaligned(fromByteOffset: index, as: UInt64.self) == right.loadUnaligned(fromByteOffset: index, as: UInt64.self) else { return false }
            index += 8
        }
        while index < left.count {
            guard left[index] == right[index] else { return false }
            index += 1
        }
        return true
    }

    func hash(into hasher: inout Hasher) {
        let bytes = text.utf8
        hasher.combine(bytes.count)
        let hashed: Void? = bytes.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(bytes).withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}
