/// A change of UTC offset: at `at` (seconds since the epoch) the offset goes from `before` to `after`.
struct OffsetChange: Hashable, Sendable {
    var at: Int64
    var before: Int
    var after: Int
}

extension TimeZoneRules {
    /// The offset at a second since the epoch: the explicit transitions, then the footer.
    func offset(atSecond second: Int64) -> Int {
        guard let last = transitionTimes.last else { return footer?.offset(atSecond: second) ?? initialOffset }
        if second >= last, let footer { return footer.offset(atSecond: second) }
        let index = Self.countAtOrBefore(second, in: transitionTimes)
        return index == 0 ? initialOffset : offsetsAfter[index - 1]
    }

    /// The offset changes in `from..<to`, ascending; transitions that keep the offset are skipped.
    func changes(from: Int64, to: Int64) -> [OffsetChange] {
        guard from < to else { return [] }
        var result: [OffsetChange] = []
        var index = Self.countAtOrBefore(from - 1, in: transitionTimes)
        while index < transitionTimes.count, transitionTimes[index] < to {
            let before = index == 0 ? initialOffset : offsetsAfter[index - 1]
            if before != offsetsAfter[index] {
                result.append(OffsetChange(at: transitionTimes[index], before: before, after: offsetsAfter[index]))
            }
            index += 1
        }
        if let footer {
            // The footer governs from the last transition on; its own changes strictly after it.
            let start = transitionTimes.last.map { max(from, $0 < .max ? $0 + 1 : .max) } ?? from
            result += footer.changes(from: start, to: to)
        }
        return result
    }

    /// How many of the ascending `times` are at or before `second` (binary search).
    static func countAtOrBefore(_ second: Int64, in times: [Int64]) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] <= second { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
