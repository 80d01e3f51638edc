/// A moment in time: milliseconds since 1970-01-01T00:00:00Z, with no timezone.
///
/// The engine's clock, event times and wake-up times are instants; timezones only matter when a
/// person's calendar is involved (calendar days, send windows), see ``CivilDateTime``.
public struct Instant: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (negative before it).
    public var millisecondsSinceEpoch: Int64

    /// Creates an instant.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The instant `seconds` after the epoch.
    public init(secondsSinceEpoch seconds: Int64) {
        self.init(millisecondsSinceEpoch: seconds * 1000)
    }

    /// Whole seconds since the epoch, rounded down.
    public var secondsSinceEpoch: Int64 { millisecondsSinceEpoch >= 0 ? millisecondsSinceEpoch / 1000 : (millisecondsSinceEpoch - 999) / 1000 }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// The instant `seconds` later.
    public func adding(seconds: Int64) -> Instant {
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflowAgain) = millisecondsSinceEpoch.addingReportingOverflow(millis)
        guard !overflow, !overflowAgain else { return Instant(millisecondsSinceEpoch: seconds < 0 ? Int64.min / 2 : Int64.max / 2) }
        return Instant(millisecondsSinceEpoch: sum)
    }

    /// RFC 3339 in UTC: `2026-03-01T09:30:00Z` (milliseconds when not zero).
    public var description: String { rfc3339(offsetSeconds: 0) }

    /// RFC 3339 at a UTC offset: `2026-03-01T20:30:00+11:00`.
    public func rfc3339(offsetSeconds: Int) -> String {
        let local = millisecondsSinceEpoch + Int64(offsetSeconds) * 1000
        let seconds = local >= 0 ? local / 1000 : (local - 999) / 1000
        let millis = Int(local - seconds * 1000)
        let civil = CivilDateTime(secondsSinceEpoch: seconds)
        var text = civil.description
        if millis != 0 { text += "." + String(millis + 1000).dropFirst() }
        if offsetSeconds == 0 { return text + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds) / 60
        return text + sign + Self.twoDigits(magnitude / 60) + ":" + Self.twoDigits(magnitude % 60)
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A date and time of day on a calendar, with no timezone: what a clock on a wall shows.
public struct CivilDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year.
    public var year: Int
    /// The month, 1 to 12.
    public var month: Int
    /// The day of the month, 1 to 31.
    public var day: Int
    /// The hour, 0 to 23.
    public var hour: Int
    /// The minute, 0 to 59.
    public var minute: Int
    /// The second, 0 to 59.
    public var second: Int

    /// Creates a civil date and time.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The civil date and time of a count of seconds since 1970-01-01T00:00:00 (no timezone).
    public init(secondsSinceEpoch seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        self.init(year: year, month: month, day: day, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    /// Seconds since 1970-01-01T00:00:00, reading this as if it were UTC.
    public var secondsSinceEpoch: Int64 {
        Self.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Days since 1970-01-01 of the date.
    public var daysSinceEpoch: Int64 { Self.days(year: year, month: month, day: day) }

    /// The day of the week, 0 for Sunday to 6 for Saturday.
    public var weekday: Int { Int(((daysSinceEpoch % 7) + 11) % 7) }

    /// The same time of day, `days` calendar days later (earlier when negative).
    public func addingDays(_ days: Int) -> CivilDateTime {
        var moved = CivilDateTime(secondsSinceEpoch: (daysSinceEpoch + Int64(days)) * 86_400)
        moved.hour = hour
        moved.minute = minute
        moved.second = second
        return moved
    }

    public static func < (lhs: CivilDateTime, rhs: CivilDateTime) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        let year = String(self.year)
        let padded = String(repeating: "0", count: max(0, 4 - year.count)) + year
        return "\(padded)-\(Instant.twoDigits(month))-\(Instant.twoDigits(day))T\(Instant.twoDigits(hour)):\(Instant.twoDigits(minute)):\(Instant.twoDigits(second))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Whether the date exists (February 29 only in leap years, and so on).
    public var isValidDate: Bool {
        guard (1...12).contains(month), day >= 1, (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            return false
        }
        let (y, m, d) = Self.civil(fromDays: daysSinceEpoch)
        return y == year && m == month && d == day
    }
}
