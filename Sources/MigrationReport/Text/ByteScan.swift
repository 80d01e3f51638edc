/// Skipping, eight bytes at a time, the runs of text a scan has nothing to do for: printable ASCII
/// other than a backtick (`WorkflowOutline.fenced(_:info:into:)` looks for backtick runs and
/// control characters in a workflow's picture, about 3 KB a workflow, nearly all of it such text).
///
/// The only code reading through a pointer is ``plainRunEnd(_:from:)``, which loads whole words at
/// offsets it has checked are within the buffer (`ByteScanTests`).
enum ByteScan {
    /// The index, at or after `start`, where a word of eight bytes that are all ``isPlain(_:)``
    /// (each printable ASCII, not a backtick) no longer starts: every byte in `start..<result` is
    /// such a byte. Fewer than eight bytes left are not skipped.
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start >= 0 else { return start }
        let raw = UnsafeRawBufferPointer(bytes)
        var index = start
        while index <= bytes.count - 8 {
            guard isPlain(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) else { break }
            index += 8
        }
        return index
    }

    /// Whether each of the eight bytes of `word` is printable ASCII (0x20 to 0x7E) other than a
    /// backtick (0x60): exact, with the word-at-a-time tests for a byte below a bound and for a
    /// zero byte.
    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // A byte of 0x80 or more.
        if word & high != 0 { return false }
        // A byte below 0x20 (all bytes are below 0x80 here).
        if (word &- ones &* 0x20) & ~word & high != 0 { return false }
        // A byte of 0x7F: the only one that carries into its high bit when one is added.
        if (word &+ ones) & high != 0 { return false }
        // A backtick: a zero byte once 0x60 is taken out of each.
        let backticks = word ^ (ones &* 0x60)
        if (backticks &- ones) & ~backticks & high != 0 { return false }
        return true
    }

    /// ``isPlain(_:)``'s test of one byte.
    static func isPlain(byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "`") }
}
