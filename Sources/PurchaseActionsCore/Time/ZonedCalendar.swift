/// Calendar arithmetic on the wall clock of one timezone: calendar-day delays, times of day and
/// dates from contact fields. Every result is an ``Instant``; wall times that do not exist or
/// happen twice are resolved by ``TimeZoneRules/instant(for:)``'s rule (a gap is read with the
/// offset before it, so 02:30 in a 02:00→03:00 gap is 03:30; an overlap gives its first occurrence).
public struct ZonedCalendar: Hashable, Sendable {
    /// The timezone whose wall clock is read.
    public let rules: TimeZoneRules

    /// A calendar on a timezone's wall clock.
    public init(rules: TimeZoneRules) { self.rules = rules }

    /// The instant `days` calendar dates after the local date of `instant`, at `time` on that date,
    /// or without `time` at the same wall-clock time (seconds and milliseconds kept).
    ///
    /// "1 day" is the next calendar date, not 24 hours: across a spring-forward night it is 23 hours
    /// (or 23½ on Lord Howe Island), across a fall-back night 25. When the target wall time is in a
    /// gap it lands after the gap by as much as it was into it; in an overlap it is the first
    /// occurrence. `days` may be zero (today at `time`, which may have passed) or negative.
    ///
    /// `nil` when `instant` or the result is outside ``Instant/supported`` (years 0001 to 9999):
    /// nothing here can overflow or trap, whatever `days` is.
    public func addingCalendarDays(_ days: Int, to instant: Instant, at time: (hour: Int, minute: Int)?) -> Instant? {
        guard instant.isSupported, var target = rules.civil(at: instant).addingDays(days) else { return nil }
        if let time {
            target.hour = time.hour
            target.minute = time.minute
            target.second = 0
            return Self.supported(rules.instant(for: target))
        }
        let fraction = instant.millisecondsSinceEpoch - instant.secondsSinceEpoch * 1000
        return Self.supported(Instant(millisecondsSinceEpoch: rules.instant(for: target).millisecondsSinceEpoch + fraction))
    }

    /// The instant if it is in ``Instant/supported``.
    static func supported(_ instant: Instant) -> Instant? { instant.isSupported ? instant : nil }

    /// The instant of a date (a contact's date field) plus `offsetDays` calendar days, at `time`, or
    /// without `time` at `defaultTime` (the wall time the wait began); gaps and overlaps as above.
    ///
    /// The date must exist (``parseDate(_:)`` checks); `offsetDays` may be negative. `nil` when the
    /// date, the date plus the offset or the instant is outside years 0001 to 9999 (never a trap).
    public func instant(date: (year: Int, month: Int, day: Int), offsetDays: Int, at time: (hour: Int, minute: Int)?,
                        defaultTime: (hour: Int, minute: Int)) -> Instant? {
        let clock = time ?? defaultTime
        let day = CivilDateTime(year: date.year, month: date.month, day: date.day, hour: clock.hour, minute: clock.minute)
        guard CivilDateTime.supportedDays.contains(day.daysSinceEpoch), let target = day.addingDays(offsetDays) else { return nil }
        return Self.supported(rules.instant(for: target))
    }

    /// Reads a time of day `HH:MM`, 24-hour, `00:00` to `23:59`, as workflow files write `at`.
    public static func parseTimeOfDay(_ text: String) -> (hour: Int, minute: Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"), let hour = digits(bytes[0..<2]), let minute = digits(bytes[3..<5]),
            hour <= 23, minute <= 59
        else { return nil }
        return (hour, minute)
    }

    /// Reads a date `YYYY-MM-DD` that exists (no February 30) in the years 0001 to 9999, as contact
    /// date fields hold: `0000-01-01`, like `2025-02-29` or `99999-01-01`, is not a date
    /// (Docs/time.md, "Range").
    public static func parseDate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = digits(bytes[0..<4]),
            year >= 1, let month = digits(bytes[5..<7]), let day = digits(bytes[8..<10]),
            CivilDateTime(year: year, month: month, day: day).isValidDate
        else { return nil }
        return (year, month, day)
    }

    /// Reads the date of a contact field as waits and the `before` / `after` filters do: a date
    /// ``parseDate(_:)`` reads (years 0001 to 9999) followed by nothing or by a time (`T` or a
    /// space): `2025-03-01`, `2025-03-01T09:00:00Z` and `2025-03-01 09:00` give 2025-03-01;
    /// `0000-01-01`, `2025-02-29` and `2025-03-01x` give `nil` (not a date).
    public static func parseFieldDate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let rest = text.utf8.dropFirst(10)
        guard rest.isEmpty || rest.first == UInt8(ascii: "T") || rest.first == UInt8(ascii: " ") else { return nil }
        return parseDate(String(text.prefix(10)))
    }

    /// The value of ASCII decimal digits, nil if any byte is not one.
    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}
