public import PurchaseActionsCore

extension CardAttemptLedger {
    /// One card's remembered charges, as stored (the durable runtime's `dunning_ledger` rows).
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

        /// `{"times": [1767225600000, ...], "window": 86400000}`: the charge times in milliseconds
        /// since the epoch, oldest first, and the window in milliseconds (the key is stored beside
        /// it, as ``CardAttemptLedger/Key/storageText``).
        public var storageJSON: JSONValue {
            .members(["times": .array(times.map { .integer(Int($0.millisecondsSinceEpoch)) }), "window": .integer(Int(windowMilliseconds))])
        }

        /// The most times one entry holds: 10,000, `DunningLimits.standard.maxBudgetAttempts` (a
        /// card keeps at most its budget's `attempts` times).
        public static let maxTimes = DunningLimits.standard.maxBudgetAttempts

        /// Reads ``storageJSON`` for `key`. Refused with `invalid-stored-ledger` and the JSON path:
        /// a member missing, unknown or of the wrong kind; no time or more than ``maxTimes``;
        /// times not oldest first or outside `Instant.saturatedEarliest...Instant.saturatedLatest`;
        /// a window outside 0 to `Int64.max / 4` (the widest `CardAttemptLedger.windowMilliseconds(_:)` gives).
        public init(key: Key, storageJSON: JSONValue) throws(DunningError) {
            do throws(JSONError) {
                var object = try JSONObjectReader(storageJSON, at: .root)
                let timesValue = try object.required("times")
                let timesPath = JSONPath.root.member("times")
                guard case .array(let items) = timesValue else {
                    throw JSONError(.wrongType, "expected an array of times in milliseconds, found \(timesValue.kindName)", at: timesPath)
                }
                guard !items.isEmpty, items.count <= Self.maxTimes else {
                    throw JSONError(.invalidValue, "\(items.count) times: an entry keeps 1 to \(Self.maxTimes)", at: timesPath)
                }
                var times: [Instant] = []
                times.reserveCapacity(items.count)
                for (index, item) in items.enumerated() {
                    let time = try StoredValue.time(item, at: timesPath.index(index))
                    if let last = times.last, time < last {
                        throw JSONError(.invalidValue, "the times are not oldest first", at: timesPath.index(index))
                    }
                    times.append(time)
                }
                let window = try StoredValue.integer(try object.required("window"), at: .root.member("window"), 0...Int(Int64.max / 4))
                try object.finish()
                self.init(key: key, times: times, windowMilliseconds: Int64(window))
            } catch {
                throw DunningError("invalid-stored-ledger", "the stored budget entry of \(key.storageText) is not valid: \(error.message)", path: error.path)
            }
        }
    }

    /// The entry of `key`, `nil` when nothing is remembered (pruned or never charged).
    public func entry(_ key: Key) -> Entry? {
        guard let recent = recent[key], recent.count > 0 else { return nil }
        return Entry(key: key, times: Array(recent.times[recent.head...]), windowMilliseconds: recent.windowMilliseconds)
    }

    /// A ledger holding these entries (a later entry of a key replaces an earlier one; an entry
    /// with no time is left out), with no key changed.
    public init(restoring entries: [Entry]) {
        self.init()
        for entry in entries {
            guard !entry.times.isEmpty else {
                recent[entry.key] = nil
                continue
            }
            recent[entry.key] = Recent(times: entry.times.sorted(), head: 0, windowMilliseconds: Swift.max(0, entry.windowMilliseconds))
        }
    }

    /// The keys whose entry changed (a charge recorded, pruned away) since the last call, sorted;
    /// store ``entry(_:)`` of each, and delete the stored entry of a key whose entry is `nil`.
    public mutating func takeChangedKeys() -> [Key] {
        guard !changed.isEmpty else { return [] }
        defer { changed.removeAll() }
        return changed.sorted()
    }
}

extension CardAttemptLedger.Key {
    /// `card:<id>` or `invoice:<id>`.
    public var storageText: String {
        switch self {
        case .card(let id): "card:" + id
        case .invoice(let id): "invoice:" + id
        }
    }

    /// Reads ``storageText``; `nil` for any other text.
    public init?(storageText: String) {
        // By bytes: an id starting with a combining mark would join the colon as one Character.
        let bytes = storageText.utf8
        if bytes.starts(with: "card:".utf8) {
            self = .card(String(decoding: bytes.dropFirst(5), as: UTF8.self))
        } else if bytes.starts(with: "invoice:".utf8) {
            self = .invoice(String(decoding: bytes.dropFirst(8), as: UTF8.self))
        } else {
            return nil
        }
    }
}
