/// A catalogue entry: anything with a stable id, stored in a ``CatalogueTable``.
public protocol CatalogueEntry: Hashable, Sendable, Codable {
    /// The entry's stable id, its key in the table.
    var id: String { get set }
}

extension TagCategory: CatalogueEntry {}
extension ContactTag: CatalogueEntry {}
extension CustomField: CatalogueEntry {}
extension User: CatalogueEntry {}
extension Product: CatalogueEntry {}
extension SubscriptionPlan: CatalogueEntry {}
extension ProductBundle: CatalogueEntry {}
extension PaymentPlan: CatalogueEntry {}
extension Template: CatalogueEntry {}

/// The entries of one kind by id, kept compact: in document (insertion) order in fixed-size chunks,
/// with an open-addressing index of 4-byte positions, so an entry costs its own size plus about 8 bytes
/// (a `Dictionary` costs its key, its value and a load-factor slack of up to 2.7 ×, and copies
/// everything while it grows).
///
/// It reads like a dictionary: `tags["tag-buyer"]`, `tags["tag-buyer"] = tag`, `tags.values`,
/// `tags.keys`, `tags.count`. The key is always the entry's ``CatalogueEntry/id``: storing an entry
/// under another key stores it with that key as its id. `values` and `keys` come in insertion order.
public struct CatalogueTable<Entry: CatalogueEntry>: Sendable {
    /// Entries per chunk: growing the table never copies more than one chunk.
    @usableFromInline static var chunkSize: Int { 1024 }

    /// The entries and their index, behind one reference (copied on write), so copying a table or a
    /// catalogue costs one reference count per kind, as a dictionary does.
    @usableFromInline final class Storage: @unchecked Sendable {
        // Sendable by hand: a storage is only mutated while uniquely referenced (copy on write).
        @usableFromInline @exclusivity(unchecked) var chunks: [ContiguousArray<Entry>] = []
        /// Positions into the entries, `-1` for an empty slot; the capacity is a power of two, at
        /// most half full.
        @usableFromInline @exclusivity(unchecked) var slots: [Int32] = []
        @usableFromInline @exclusivity(unchecked) var count = 0

        @usableFromInline init() {}

        func copy() -> Storage {
            let copy = Storage()
            copy.chunks = chunks
            copy.slots = slots
            copy.count = count
            return copy
        }

        @inlinable func entry(at position: Int) -> Entry { chunks[position / CatalogueTable.chunkSize][position % CatalogueTable.chunkSize] }

        /// The id of the entry at a position, read in place without copying the entry.
        @inlinable func id(at position: Int) -> String {
            chunks[position / CatalogueTable.chunkSize][position % CatalogueTable.chunkSize].id
        }

        @inlinable func position(of id: String, hash: Int) -> Int? {
            guard !slots.isEmpty else { return nil }
            let mask = slots.count - 1
            var slot = hash & mask
            while true {
                let position = Int(slots[slot])
                if position < 0 { return nil }
                if self.id(at: position) == id { return position }
                slot = (slot + 1) & mask
            }
        }

        func append(_ entry: Entry) {
            if chunks.isEmpty || chunks[chunks.count - 1].count == CatalogueTable.chunkSize {
                var chunk = ContiguousArray<Entry>()
                chunk.reserveCapacity(count < CatalogueTable.chunkSize ? 8 : CatalogueTable.chunkSize)
                chunks.append(chunk)
            }
            chunks[chunks.count - 1].append(entry)
            count += 1
            if count * 2 > slots.count {
                rebuildIndex(capacity: Swift.max(16, slots.count * 2))
            } else {
                insertSlot(for: entry.id, position: count - 1)
            }
        }

        func replace(at position: Int, with entry: Entry) {
            chunks[position / CatalogueTable.chunkSize][position % CatalogueTable.chunkSize] = entry
        }

        private func insertSlot(for id: String, position: Int) {
            let mask = slots.count - 1
            var slot = CatalogueTable.hash(id) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position)
        }

        private func rebuildIndex(capacity: Int) {
            slots = []  // the old index is freed before the new one is made
            slots = [Int32](repeating: -1, count: capacity)
            for position in 0..<count { insertSlot(for: id(at: position), position: position) }
        }
    }

    @usableFromInline var storage = Storage()

    /// An empty table.
    public init() {}

    /// How many entries there are.
    @inlinable public var count: Int { storage.count }

    /// Whether the table is empty.
    @inlinable public var isEmpty: Bool { storage.count == 0 }

    /// The entry with this id, if any; setting `nil` removes it.
    public subscript(id: String) -> Entry? {
        @inlinable get { storage.position(of: id, hash: Self.hash(id)).map { storage.entry(at: $0) } }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            if let position = storage.position(of: id, hash: Self.hash(id)) {
                if var entry = newValue {
                    entry.id = id
                    storage.replace(at: position, with: entry)
                } else {
                    var rest = Array(values)
                    rest.remove(at: position)
                    storage = Storage()
                    for entry in rest { storage.append(entry) }
                }
            } else if var entry = newValue {
                entry.id = id
                storage.append(entry)
            }
        }
    }

    /// `body` of the entry with this id, read in place (the entry is not copied), or nil when no
    /// entry has the id (`package`: the reader checks a template's kind for every action naming one).
    @inlinable package func read<Result>(_ id: String, _ body: (borrowing Entry) -> Result) -> Result? {
        guard let position = storage.position(of: id, hash: Self.hash(id)) else { return nil }
        let chunk = storage.chunks[position / Self.chunkSize]
        return body(chunk.span[position % Self.chunkSize])
    }

    /// Whether an entry has this id; looks at the index only.
    @inlinable public func contains(_ id: String) -> Bool { storage.position(of: id, hash: Self.hash(id)) != nil }

    /// The entry with this id, given as a ``CatalogueKey`` (made once to look in several tables).
    @inlinable public subscript(key: CatalogueKey) -> Entry? { storage.position(of: key.id, hash: key.hash).map { storage.entry(at: $0) } }

    /// The entries, in insertion order.
    @inlinable public var values: Values { Values(storage: storage) }

    /// The ids, in insertion order.
    public var keys: [String] { values.map(\.id) }

    /// A dictionary of each entry's id to `transform` of it.
    public func mapValues<T>(_ transform: (Entry) throws -> T) rethrows -> [String: T] {
        var result: [String: T] = [:]
        result.reserveCapacity(count)
        for entry in values { result[entry.id] = try transform(entry) }
        return result
    }

    /// The entries of a table, in insertion order, read in place.
    public struct Values: RandomAccessCollection, Sendable {
        @usableFromInline let storage: Storage
        /// The number of entries.
        public let count: Int

        @inlinable init(storage: Storage) {
            self.storage = storage
            count = storage.count
        }

        /// Always 0.
        @inlinable public var startIndex: Int { 0 }
        /// The number of entries.
        @inlinable public var endIndex: Int { count }
        /// The entry at a position (0 is the first inserted).
        @inlinable public subscript(position: Int) -> Entry { storage.entry(at: position) }
    }

    @inlinable static func hash(_ id: String) -> Int {
        var hasher = Hasher()
        hasher.combine(id)
        return hasher.finalize()
    }
}

extension CatalogueTable: Sequence {
    /// The entries as `(key, value)` pairs, as a dictionary's are, in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Entry)> {
        values.lazy.map { (key: $0.id, value: $0) }.makeIterator()
    }
}

extension CatalogueTable: Hashable {
    /// Equal when they hold the same entries, whatever their order (as dictionaries compare).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.count == rhs.count && lhs.values.allSatisfy { rhs[$0.id] == $0 }
    }

    /// Hashes the entries whatever their order.
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for entry in values { sum &+= entry.hashValue }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension CatalogueTable: Codable {
    /// Encodes as a dictionary of id to entry, as `[String: Entry]` does.
    public func encode(to encoder: any Encoder) throws {
        try mapValues { $0 }.encode(to: encoder)
    }

    /// Decodes a dictionary of id to entry; entries go in in id order.
    public init(from decoder: any Decoder) throws {
        self.init()
        let dictionary = try [String: Entry](from: decoder)
        for id in dictionary.keys.sorted() { self[id] = dictionary[id] }
    }
}

extension CatalogueTable: ExpressibleByDictionaryLiteral {
    /// A table from `[id: entry]` pairs, in the order written.
    public init(dictionaryLiteral elements: (String, Entry)...) {
        self.init()
        for (id, entry) in elements { self[id] = entry }
    }
}

/// An id with its hash, to look it up in several ``CatalogueTable``s hashing it once.
public struct CatalogueKey: Sendable {
    /// The id.
    public let id: String
    @usableFromInline let hash: Int
    /// The key of an id.
    @inlinable public init(_ id: String) {
        self.id = id
        var hasher = Hasher()
        hasher.combine(id)
        hash = hasher.finalize()
    }
}
