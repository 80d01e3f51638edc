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
    ///
    /// Never traps, and keeps order: a count of seconds whose milliseconds lie beyond
    /// ``saturatedLatest`` or ``saturatedEarliest`` (both far outside ``supported``), or do not fit
    /// in 64 bits, gives that bound, so more seconds never give an earlier instant.
    /// ``init(checkedSecondsSinceEpoch:)`` refuses anything outside ``supported`` instead.
    public init(secondsSinceEpoch seconds: Int64) {
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        self = Self.saturated(overflow ? nil : millis, upward: seconds > 0)
    }

    /// The instant `seconds` after the epoch, or `nil` if it is outside ``supported`` (years 0001 to 9999).
    public init?(checkedSecondsSinceEpoch seconds: Int64) {
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, Self.supported.contains(Instant(millisecondsSinceEpoch: millis)) else { return nil }
        self.init(millisecondsSinceEpoch: millis)
    }

    /// The instants the engine computes with: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
    /// Time arithmetic whose result falls outside (``checkedAdding(seconds:)``, the calendar
    /// arithmetic of ``ZonedCalendar``) gives `nil`, never a trap (Docs/time.md, "Range").
    public static let supported = Instant(millisecondsSinceEpoch: -62_135_596_800_000)...Instant(millisecondsSinceEpoch: 253_402_300_799_999)

    /// What saturating arithmetic gives past the latest 64-bit instant: half of `Int64.max`
    /// milliseconds, so that adding to it once more cannot overflow either.
    public static let saturatedLatest = Instant(millisecondsSinceEpoch: Int64.max / 2)
    /// What saturating arithmetic gives before the earliest 64-bit instant.
    public static let saturatedEarliest = Instant(millisecondsSinceEpoch: Int64.min / 2)

    /// Whether the instant is in ``supported`` (years 0001 to 9999).
    public var isSupported: Bool { Self.supported.contains(self) }

    /// Whole seconds since the epoch, rounded down.
    public var secondsSinceEpoch: Int64 {
        let quotient = millisecondsSinceEpoch / 1000
        return millisecondsSinceEpoch % 1000 < 0 ? quotient - 1 : quotient
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// The instant `seconds` later; saturates (``saturatedLatest``, ``saturatedEarliest``) instead
    /// of overflowing, and never moves the wrong way: positive `seconds` never give an earlier instant.
    public func adding(seconds: Int64) -> Instant {
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflowAgain) = millisecondsSinceEpoch.addingReportingOverflow(millis)
        return saturating(overflow || overflowAgain ? nil : sum, upward: seconds > 0)
    }

    /// A saturating result: `sum` (`nil` when it overflowed 64 bits, `upward` saying which way)
    /// clamped to ``saturatedEarliest`` ... ``saturatedLatest``, a range widened to hold this
    /// instant when it lies beyond (only ``init(millisecondsSinceEpoch:)`` makes one). So adding a
    /// positive duration never gives an earlier instant, a negative one never a later one, and a
    /// larger duration never an earlier instant than a smaller one (Docs/time.md, "Range").
    func saturating(_ sum: Int64?, upward: Bool) -> Instant {
        let low = Swift.min(millisecondsSinceEpoch, Self.saturatedEarliest.millisecondsSinceEpoch)
        let high = Swift.max(millisecondsSinceEpoch, Self.saturatedLatest.millisecondsSinceEpoch)
        guard let sum else { return Instant(millisecondsSinceEpoch: upward ? high : low) }
        return Instant(millisecondsSinceEpoch: Swift.min(Swift.max(sum, low), high))
    }

    /// `millis` (`nil` when it overflowed 64 bits, `upward` saying which way) clamped to
    /// ``saturatedEarliest`` ... ``saturatedLatest``.
    static func saturated(_ millis: Int64?, upward: Bool) -> Instant { Instant(millisecondsSinceEpoch: 0).saturating(millis, upward: upward) }

    /// The instant `seconds` later, or `nil` when this instant or the result is outside
    /// ``supported`` (years 0001 to 9999). What the engine uses for waits.
    public func checkedAdding(seconds: Int64) -> Instant? {
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflowAgain) = millisecondsSinceEpoch.addingReportingOverflow(millis)
        let result = Instant(millisecondsSinceEpoch: sum)
        guard !overflow, !overflowAgain, isSupported, result.isSupported else { return nil }
        return result
    }

    /// RFC 3339 in UTC: `2026-03-01T09:30:00Z` (milliseconds when not zero).
    public var description: String { rfc3339(offsetSeconds: 0) }

    /// RFC 3339 at a UTC offset: `2026-03-01T20:30:00+11:00`.
    ///
    /// The text always names this instant, and never traps, whatever the offset: an offset RFC 3339
    /// cannot write (not whole minutes, or beyond ±23:59), or one that would put the local
    /// date-time outside the years 0001 to 9999 (which ``parseRFC3339(_:)`` refuses), gives the
    /// time in UTC (`Z`) instead. An instant outside ``supported`` is written in UTC in a far year
    /// (Docs/time.md, "Range").
    public func rfc3339(offsetSeconds: Int) -> String {
        let offset = Self.writableOffset(offsetSeconds, at: self) ?? 0
        // Saturating: an instant at the very end of 64 bits prints as a far year, never traps.
        let local = adding(seconds: Int64(offset))
        let seconds = local.secondsSinceEpoch
        let millis = Int(local.millisecondsSinceEpoch % 1000 + (local.millisecondsSinceEpoch % 1000 < 0 ? 1000 : 0))
        let civil = CivilDateTime(secondsSinceEpoch: seconds)
        var text = civil.description
        if millis != 0 { text += "." + String(millis + 1000).dropFirst() }
        if offset == 0 { return text + "Z" }
        let sign = offset < 0 ? "-" : "+"
        let minutes = offset.magnitude / 60
        return text + sign + Self.twoDigits(Int(minutes / 60)) + ":" + Self.twoDigits(Int(minutes % 60))
    }

    /// The offsets an RFC 3339 time may be written with: whole minutes within ±23:59 (86,340 s).
    public static let writableOffsets = -86_340...86_340

    /// `offsetSeconds` when ``rfc3339(offsetSeconds:)`` can write `instant` with it and
    /// ``parseRFC3339(_:)`` read it back: whole minutes within ±23:59 (``writableOffsets``), and
    /// the instant and its local date-time at that offset both in ``supported``; else `nil`.
    public static func writableOffset(_ offsetSeconds: Int, at instant: Instant) -> Int? {
        guard offsetSeconds % 60 == 0, writableOffsets.contains(offsetSeconds), instant.isSupported,
            instant.adding(seconds: Int64(offsetSeconds)).isSupported
        else { return nil }
        return offsetSeconds
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
    /// Defined for every `Int64` (about ±2.9 × 10¹¹ years); never traps.
    public init(secondsSinceEpoch seconds: Int64) {
        let remainder = seconds % 86_400
        let days = seconds / 86_400 - (remainder < 0 ? 1 : 0)
        let rest = Int(remainder < 0 ? remainder + 86_400 : remainder)
        let (year, month, day) = Self.civil(fromDays: days)
        self.init(year: year, month: month, day: day, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    /// Seconds since 1970-01-01T00:00:00, reading this as if it were UTC.
    ///
    /// Never traps: each field is first clamped to ±``fieldLimit`` (no real date comes near), which
    /// keeps every product and sum far inside 64 bits.
    public var secondsSinceEpoch: Int64 {
        let clock = Self.clamped(hour) * 3600 + Self.clamped(minute) * 60 + Self.clamped(second)
        return Self.days(year: year, month: month, day: day) * 86_400 + clock
    }

    /// The largest magnitude a field is read with by the arithmetic here (10⁹).
    public static let fieldLimit = 1_000_000_000

    static func clamped(_ value: Int) -> Int64 { Int64(Swift.min(Swift.max(value, -fieldLimit), fieldLimit)) }

    /// Days since 1970-01-01 of 0001-01-01 and of 9999-12-31: the dates ``addingDays(_:)`` reaches.
    public static let supportedDays: ClosedRange<Int64> = days(year: 1, month: 1, day: 1)...days(year: 9999, month: 12, day: 31)

    /// Days since 1970-01-01 of the date.
    public var daysSinceEpoch: Int64 { Self.days(year: year, month: month, day: day) }

    /// The day of the week, 0 for Sunday to 6 for Saturday.
    public var weekday: Int { Int(((daysSinceEpoch % 7) + 11) % 7) }

    /// The same time of day, `days` calendar days later (earlier when negative), or `nil` when the
    /// date would fall outside 0001-01-01 ... 9999-12-31 (``supportedDays``). Never traps.
    public func addingDays(_ days: Int) -> CivilDateTime? {
        let (target, overflow) = daysSinceEpoch.addingReportingOverflow(Int64(days))
        guard !overflow, Self.supportedDays.contains(target) else { return nil }
        var moved = CivilDateTime(secondsSinceEpoch: target * 86_400)
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
    ///
    /// Never traps: each argument is clamped to ±``fieldLimit`` first.
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let (year, month, day) = (clamped(year), clamped(month), clamped(day))
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    ///
    /// Never traps: `days` is clamped to ±10¹⁵ (about ±2.7 × 10¹² years) first.
    public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Swift.min(Swift.max(days, -1_000_000_000_000_000), 1_000_000_000_000_000) + 719_468
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
