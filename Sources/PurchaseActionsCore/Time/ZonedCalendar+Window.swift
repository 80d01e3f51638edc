extension ZonedCalendar {
    /// The first instant at or after `start` when a send window is open: `start` itself if the
    /// window is open then, else the next opening.
    ///
    /// The window is open at every instant whose **wall-clock** time is in `from..<to` on one of
    /// `days` (0 Sunday to 6 Saturday). So an opening time in a gap opens the window at the gap's end
    /// (03:00 for a 02:30 opening in a 02:00→03:00 gap), a window wholly inside a gap does not open
    /// that day, and a window over a fall-back overlap is open during both occurrences.
    ///
    /// - Precondition: `from` is before `to`, and `days` is not empty and holds only 0 to 6.
    public func nextOpening(days: Set<Int>, from opening: (hour: Int, minute: Int), to closing: (hour: Int, minute: Int),
                            atOrAfter start: Instant) -> Instant {
        let openAt = Int64(opening.hour * 3600 + opening.minute * 60)
        let closeAt = Int64(closing.hour * 3600 + closing.minute * 60)
        precondition(openAt < closeAt, "a send window opens before it closes")
        precondition(!days.isEmpty && days.allSatisfy { (0...6).contains($0) }, "a send window has days 0 (Sunday) to 6")
        let now = start.secondsSinceEpoch
        let today = rules.civil(at: start).daysSinceEpoch
        // From the day before (a fall-back night may still be in yesterday's window) for over a year.
        for day in (today - 1)...(today + 400) where days.contains(Int(((day % 7) + 11) % 7)) {
            guard let first = firstInstant(wallFrom: day * 86_400 + openAt, wallTo: day * 86_400 + closeAt, notBefore: now) else { continue }
            return first == now ? start : Instant(secondsSinceEpoch: first)
        }
        preconditionFailure("a send window on days \(days.sorted()) never opens in \(rules.name)")
    }

    /// The first second at or after `notBefore` whose wall-clock time (as seconds since
    /// 1970-01-01T00:00 local) is in `wallFrom..<wallTo`, if any.
    func firstInstant(wallFrom: Int64, wallTo: Int64, notBefore: Int64) -> Int64? {
        let reach: Int64 = 2 * 86_400
        var segmentStart = wallFrom - reach
        var offset = Int64(rules.offset(atSecond: segmentStart))
        let changes = rules.changes(from: segmentStart + 1, to: wallTo + reach)
        for index in 0...changes.count {
            let segmentEnd = index < changes.count ? changes[index].at : wallTo + reach
            // In this segment the wall clock reads instant + offset: the window is [wallFrom - offset, wallTo - offset).
            let low = max(segmentStart, wallFrom - offset, notBefore)
            if low < min(segmentEnd, wallTo - offset) { return low }
            if index < changes.count {
                segmentStart = segmentEnd
                offset = Int64(changes[index].after)
            }
        }
        return nil
    }
}
