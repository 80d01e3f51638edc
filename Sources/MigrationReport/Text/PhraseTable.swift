/// What ``HTMLDictionary`` wrote for each phrase met, found by the phrase's case and bytes: a hash
/// table of its own, with a multiply-and-shift hash of the strings' bytes eight at a time, in place
/// of a `[Phrase: [UInt8]]` dictionary, whose `Hasher` (SipHash) and look-up cost about 600
/// instructions for each of the report's phrases (about 40 per workflow: Benchmarks/README.md,
/// "Import CPU (2026-12-07, branch h-I3)"). Equal phrases are those ``Phrase/==(_:_:)`` calls equal
/// (case and bytes), and equal phrases hash alike (`PhraseTableTests`).
///
/// Open addressing with linear probing, at most half full: the slots double when a phrase would
/// fill more. Bounded by the caller (``HTMLDictionary/phraseLimit`` phrases). Each table keys its
/// hash with a random number (``key``) and mixes every bit into the slot's bits, so names written
/// to collide (an export crafted to make every look-up walk one long run of slots) cannot be
/// prepared without the key; the report does not depend on the slots' order, so its bytes stay the
/// same from run to run.
///
/// The only code reading through a pointer here is ``hash(_:)``, which reads a string's own
/// contiguous bytes for the duration of the call (`withContiguousStorageIfAvailable`, read-only,
/// every load within the count), and hashes a copy of the bytes when a string has none.
struct PhraseTable: Sendable {
    private var phrases: [Phrase] = []
    private var hashes: [UInt64] = []
    private var values: [[UInt8]] = []
    /// Indices into `phrases` (as `Int32`), -1 for none; a power of two of them.
    private var slots = [Int32](repeating: -1, count: 64)
    /// The random key mixed into every ``hash(_:)`` of this table.
    let key: UInt64

    /// An empty table whose hashes are keyed with `key` (random unless a test gives one).
    init(key: UInt64 = UInt64.random(in: .min ... .max)) {
        self.key = key
    }

    /// The phrases kept.
    var count: Int { phrases.count }

    /// What was kept for `phrase`, whose ``hash(_:)`` is `hash`.
    func value(_ phrase: Phrase, hash: UInt64) -> [UInt8]? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if hashes[index] == hash, phrases[index] == phrase { return values[index] }
            slot = (slot + 1) & mask
        }
    }

    /// Keeps `value` for `phrase` (whose ``hash(_:)`` is `hash`), which is not kept yet.
    mutating func insert(_ phrase: Phrase, hash: UInt64, value: [UInt8]) {
        assert(self.value(phrase, hash: hash) == nil, "PhraseTable.insert: the phrase is kept already")
        precondition(phrases.count < Int(Int32.max), "PhraseTable: too many phrases")
        if 2 * (phrases.count + 1) > slots.count { grow() }
        let index = phrases.count
        phrases.append(phrase)
        hashes.append(hash)
        values.append(value)
        place(index)
    }

    private mutating func place(_ index: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[index]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(truncatingIfNeeded: index)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: 2 * slots.count)
        for index in phrases.indices { place(index) }
    }

    /// The hash of `phrase` in this table (keyed with ``key``).
    func hash(_ phrase: Phrase) -> UInt64 { Self.hash(phrase, key: key) }

    /// The hash of `phrase` under `key`: its case and its strings' bytes (with their counts), as
    /// ``Phrase/==(_:_:)`` compares them.
    static func hash(_ phrase: Phrase, key: UInt64 = 0) -> UInt64 {
        switch phrase {
        case .words(let text): hash(text, seed: key &+ 1)
        case .name(let text): hash(text, seed: key &+ 2)
        case .quote(let text): hash(text, seed: key &+ 3)
        case .id(let text): hash(text, seed: key &+ 4)
        case .named(let name, let id): hash(id, seed: hash(name, seed: key &+ 5))
        }
    }

    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// `seed` and the bytes of `text` mixed in.
    static func hash(_ text: String, seed: UInt64) -> UInt64 {
        let bytes = text.utf8
        if let hashed = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0), seed: seed) }) { return hashed }
        return Array(bytes).withUnsafeBytes { hash($0, seed: seed) }
    }

    /// `seed` and `bytes` mixed in: eight bytes at a time, then the rest, then the count.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var state = (seed &+ 1) &* multiplier
        var offset = 0
        while offset + 8 <= bytes.count {
            state = (state ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            state ^= state >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        state = (state ^ tail ^ (UInt64(truncatingIfNeeded: bytes.count) << 56)) &* multiplier
        // MurmurHash3's finaliser: every bit of the state reaches the low bits the slot is taken
        // from (without it, the tail's high bits and the count never did, so names differing only
        // there shared a slot under every key: review 10).
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        state &*= 0xC4CE_B9FE_1A85_EC53
        return state ^ (state >> 33)
    }
}
