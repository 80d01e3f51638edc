public import PurchaseActionsCore

// STUB (lead): helper A implements this file (contract /work/contract15.md, "A").

extension CardAttemptLedger {
    /// One card's remembered charges, as stored.
    public struct Entry: Hashable, Sendable {
        /// Whose.
        public var key: Key
        /// The charge times kept, oldest first.
        public var times: [Instant]
        /// The widest budget window seen for the key, in milliseconds.
        public var windowMilliseconds: Int64

        /// Creates an entry.
        public init(key: Key, times: [Instant], windowMilliseconds: Int64) {
            self.key = key
            self.times = times
            self.windowMilliseconds = windowMilliseconds
        }

        /// `{"times": [...], "window": ms}` (the key is stored beside it).
        public var storageJSON: JSONValue { fatalError("stub") }

        /// Reads ``storageJSON`` for `key`; throws `invalid-stored-ledger` with the path.
        public init(key: Key, storageJSON: JSONValue) throws(DunningError) { fatalError("stub") }
    }

    /// The entry of `key`, `nil` when nothing is remembered (pruned or never charged).
    public func entry(_ key: Key) -> Entry? { fatalError("stub") }

    /// A ledger holding these entries.
    public init(restoring entries: [Entry]) { fatalError("stub") }

    /// The keys whose entry changed (a charge recorded, pruned away) since the last call, sorted.
    public mutating func takeChangedKeys() -> [Key] { fatalError("stub") }
}

extension CardAttemptLedger.Key {
    /// `card:<id>` or `invoice:<id>`.
    public var storageText: String { fatalError("stub") }

    /// Reads ``storageText``.
    public init?(storageText: String) { fatalError("stub") }
}
