public import PurchaseActionsCore

/// The charges made on each card in the recent past, to keep every card within its network's
/// retry budget: at most `attempts` charges in any rolling `window` (Docs/dunning.md, "Budgets").
///
/// A charge at `t` fits when fewer than `attempts` charges of the card lie in `(t - window, t]`;
/// charges are recorded in time order, so every window of that length then holds at most
/// `attempts`. The window is exact: a day counts as 24 hours (`PolicyDuration.nominalHours`).
///
/// Memory is bounded: a card keeps at most its budget's `attempts` times, and cards whose last
/// charge left the window are dropped by ``prune(before:)`` (the process prunes as it goes).
/// A card with no id is keyed by its invoice.
public struct CardAttemptLedger: Hashable, Sendable {
    /// Whose budget: a card by id, or the invoice of a charge whose card has no id.
    public enum Key: Hashable, Sendable, Comparable {
        /// A card, by its id.
        case card(String)
        /// An invoice whose card has no id.
        case invoice(String)
    }

    /// The recent charge times of one card, oldest first (at most `keep` of them). Equal when the
    /// times kept (from `head` on) and the window are: the slots before `head` are not state.
    struct Recent: Hashable, Sendable {
        var times: [Instant] = []
        var head = 0
        var windowMilliseconds: Int64 = 0

        var count: Int { times.count - head }
        var newest: Instant? { times.last }

        mutating func append(_ time: Instant, keep: Int) {
            // In time order: a charge reported late (before the newest kept) goes into its place.
            var index = times.count
            while index > head, times[index - 1] > time { index -= 1 }
            times.insert(time, at: index)
            while count > keep { head += 1 }
            if head > 64, head * 2 > times.count {
                times.removeFirst(head)
                head = 0
            }
        }

        static func == (a: Recent, b: Recent) -> Bool {
            a.windowMilliseconds == b.windowMilliseconds && a.times[a.head...].elementsEqual(b.times[b.head...])
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(windowMilliseconds)
            hasher.combine(count)
            for index in head..<times.count { hasher.combine(times[index]) }
        }
    }

    var recent: [Key: Recent] = [:]
    /// The keys recorded or pruned since the last `takeChangedKeys()` (not state: equality ignores it).
    var changed: Set<Key> = []

    /// An empty ledger.
    public init() {}

    /// Cards (or invoices) with a charge remembered.
    public var keyCount: Int { recent.count }

    /// The window of a budget in milliseconds (a day is 24 hours), saturating.
    public static func windowMilliseconds(_ budget: NetworkBudget) -> Int64 {
        let hours = Int64(budget.window.nominalHours)
        let (millis, overflow) = hours.multipliedReportingOverflow(by: 3_600_000)
        return overflow ? Int64.max / 4 : millis
    }

    /// Charges of `key` in the window of `budget` that ends at `time`: in `(time - window, time]`.
    public func charges(_ key: Key, budget: NetworkBudget, endingAt time: Instant) -> Int {
        guard let entry = recent[key] else { return 0 }
        let start = time.millisecondsSinceEpoch &- Self.windowMilliseconds(budget)
        var count = 0
        for index in entry.head..<entry.times.count where entry.times[index].millisecondsSinceEpoch > start && entry.times[index] <= time {
            count += 1
        }
        return count
    }

    /// The first instant at or after `time` when one more charge of `key` fits `budget`: `time`
    /// itself when it fits now, else when the oldest charge that fills the window leaves it.
    public func firstFit(_ key: Key, budget: NetworkBudget, at time: Instant) -> Instant {
        let attempts = max(1, budget.attempts)
        guard let entry = recent[key], entry.count >= attempts else { return time }
        let window = Self.windowMilliseconds(budget)
        let start = time.millisecondsSinceEpoch &- window
        // The charges inside the window, oldest first; times are ascending.
        var inside: [Instant] = []
        for index in entry.head..<entry.times.count where entry.times[index].millisecondsSinceEpoch > start {
            inside.append(entry.times[index])
        }
        guard inside.count >= attempts else { return time }
        // One more fits once the charge `inside.count - attempts` leaves: at its time + window (exclusive start).
        let leaving = inside[inside.count - attempts].millisecondsSinceEpoch
        let (fit, overflow) = leaving.addingReportingOverflow(window)
        return overflow ? Instant.saturatedLatest : Swift.max(time, Instant(millisecondsSinceEpoch: fit))
    }

    /// Records a charge of `key` at `time` (in its place among the times kept, when reported
    /// late), keeping only the last `budget.attempts` times of the card.
    public mutating func record(_ key: Key, budget: NetworkBudget, at time: Instant) {
        let window = Self.windowMilliseconds(budget)
        recent[key, default: Recent()].windowMilliseconds = Swift.max(recent[key]?.windowMilliseconds ?? 0, window)
        recent[key]!.append(time, keep: max(1, budget.attempts))
        changed.insert(key)
    }

    /// Forgets the cards whose newest charge is at or before `time` minus their window: their
    /// budget is whole again.
    public mutating func prune(before time: Instant) {
        var removed: [Key] = []
        recent = recent.filter { key, entry in
            guard let newest = entry.newest, newest.millisecondsSinceEpoch > time.millisecondsSinceEpoch &- entry.windowMilliseconds else {
                removed.append(key)
                return false
            }
            return true
        }
        changed.formUnion(removed)
    }

    /// Equal when the same times are remembered for the same keys (what changed since the last
    /// `takeChangedKeys()` is not compared).
    public static func == (a: CardAttemptLedger, b: CardAttemptLedger) -> Bool { a.recent == b.recent }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) { hasher.combine(recent) }
}
