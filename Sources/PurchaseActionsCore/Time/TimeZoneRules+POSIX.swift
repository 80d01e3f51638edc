/// A POSIX TZ string's rule (a TZif footer): a standard offset and, optionally, a daylight offset
/// with the yearly dates and times it starts and ends, such as `AEST-10AEDT,M10.1.0,M4.1.0/3`.
///
/// Offsets here are seconds **east** of UTC (the string writes them west: `-10` is +10:00).
struct POSIXTimeZone: Hashable, Sendable {
    /// A day of the year, in one of the three POSIX forms.
    enum Day: Hashable, Sendable {
        /// `Jn`: day 1 to 365, February 29 never counted (`J60` is March 1 in every year).
        case julian(Int)
        /// `n`: day 0 to 365, February 29 counted in leap years.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 Sunday) of week `w` (1 to 5, 5 the last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// When a change happens: a day and a wall time on it (seconds, may be negative or past 24 h),
    /// read with the offset in force before the change.
    struct Moment: Hashable, Sendable {
        var day: Day
        var time: Int
    }

    /// Daylight saving: its offset and when it starts and ends each year.
    struct Daylight: Hashable, Sendable {
        var offset: Int
        var start: Moment
        var end: Moment
    }

    var standardOffset: Int
    var daylight: Daylight?

    /// The offset at a second since the epoch.
    func offset(atSecond second: Int64) -> Int {
        guard daylight != nil else { return standardOffset }
        let year = CivilDateTime(secondsSinceEpoch: second).year
        return events(years: (year - 1)...(year + 1)).last { $0.at <= second }?.offset ?? standardOffset
    }

    /// The offset changes in `from..<to` (years up to 9999), ascending.
    func changes(from: Int64, to: Int64) -> [OffsetChange] {
        guard daylight != nil, from < to else { return [] }
        let first = max(CivilDateTime(secondsSinceEpoch: from).year - 1, -9999)
        let last = min(CivilDateTime(secondsSinceEpoch: to - 1).year + 1, 9999)
        guard first <= last else { return [] }
        var result: [OffsetChange] = []
        for event in events(years: first...last) where event.at >= from && event.at < to && result.last?.at != event.at {
            let before = offset(atSecond: event.at - 1)
            let after = offset(atSecond: event.at)
            if before != after { result.append(OffsetChange(at: event.at, before: before, after: after)) }
        }
        return result
    }

    /// The start and end of daylight saving in each year, ordered by instant (ties in year order,
    /// so that a rule that ends one year at the moment it starts the next stays in daylight time).
    func events(years: ClosedRange<Int>) -> [(at: Int64, offset: Int)] {
        guard let daylight else { return [] }
        var events: [(at: Int64, offset: Int, order: Int)] = []
        for year in years {
            let start = Self.instant(of: daylight.start, year: year, offsetBefore: standardOffset)
            let end = Self.instant(of: daylight.end, year: year, offsetBefore: daylight.offset)
            let pair = start <= end ? [(start, daylight.offset), (end, standardOffset)] : [(end, standardOffset), (start, daylight.offset)]
            for (at, offset) in pair { events.append((at, offset, events.count)) }
        }
        events.sort { ($0.at, $0.order) < ($1.at, $1.order) }
        return events.map { ($0.at, $0.offset) }
    }

    /// The instant of a yearly moment, its wall time read with `offsetBefore`.
    static func instant(of moment: Moment, year: Int, offsetBefore: Int) -> Int64 {
        days(of: moment.day, year: year) * 86_400 + Int64(moment.time) - Int64(offsetBefore)
    }

    /// Days since 1970-01-01 of a POSIX day in a year.
    static func days(of day: Day, year: Int) -> Int64 {
        let newYear = CivilDateTime.days(year: year, month: 1, day: 1)
        switch day {
        case .julian(let n):
            let leap = CivilDateTime.days(year: year + 1, month: 1, day: 1) - newYear == 366
            return newYear + Int64(n - 1) + (leap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            return newYear + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDateTime.days(year: year, month: month, day: 1)
            let next = month == 12 ? CivilDateTime.days(year: year + 1, month: 1, day: 1) : CivilDateTime.days(year: year, month: month + 1, day: 1)
            let firstWeekday = Int(((first % 7) + 11) % 7)
            var date = first + Int64((weekday - firstWeekday + 7) % 7 + (week - 1) * 7)
            while date >= next { date -= 7 }
            return date
        }
    }
}
