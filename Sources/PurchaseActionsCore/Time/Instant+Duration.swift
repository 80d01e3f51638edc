// The standard library's Duration with instants (no Foundation): an instant is milliseconds, so a
// duration is taken rounded down to the millisecond; arithmetic reports overflow, never traps.

extension Instant {
    /// Whole milliseconds in `duration`, rounded down (toward the past: −0.5 ms is −1 ms), or `nil`
    /// when they do not fit in 64 bits.
    ///
    /// ```swift
    /// let milliseconds = Instant.milliseconds(in: .seconds(90))   // 90000
    /// ```
    public static func milliseconds(in duration: Duration) -> Int64? {
        // `components` traps past Int64.max seconds (a Duration holds 128 bits), so compare first:
        // what is left rounds down to Int64.min ... Int64.max milliseconds.
        guard duration < .milliseconds(Int64.max) + .milliseconds(1), duration >= .milliseconds(Int64.min) else { return nil }
        let (seconds, attoseconds) = duration.components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        var millis = attoseconds / perMillisecond
        if attoseconds % perMillisecond < 0 { millis -= 1 }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflowAgain) = scaled.addingReportingOverflow(millis)
        return overflow || overflowAgain ? nil : sum
    }

    /// The instant `duration` later (earlier when negative), rounded down to the millisecond.
    /// Like ``adding(seconds:)`` it saturates (``saturatedLatest``, ``saturatedEarliest``) instead
    /// of overflowing, never moving time the wrong way: a positive duration never gives an earlier
    /// instant; ``checkedAdding(_:)`` answers `nil` outside the years 0001 to 9999 instead.
    ///
    /// ```swift
    /// let later = start.adding(.seconds(30 * 86_400))
    /// ```
    public func adding(_ duration: Duration) -> Instant {
        guard let millis = Self.milliseconds(in: duration) else { return saturating(nil, upward: duration > .zero) }
        return adding(milliseconds: millis)
    }

    /// The instant `duration` earlier: `instant.adding(.zero - duration)`, rounded down to the
    /// millisecond and saturating as ``adding(_:)``, without negating the duration (which can
    /// overflow a `Duration`).
    ///
    /// ```swift
    /// let dayBefore = deadline.subtracting(.seconds(86_400))
    /// ```
    public func subtracting(_ duration: Duration) -> Instant {
        // Rounding −duration down is rounding duration up, then negating.
        guard let floor = Self.milliseconds(in: duration) else { return saturating(nil, upward: duration < .zero) }
        let (ceiling, overflow) = floor.addingReportingOverflow(Duration.milliseconds(floor) == duration ? 0 : 1)
        guard !overflow else { return saturating(nil, upward: false) }
        guard ceiling != .min else { return saturating(nil, upward: true) }
        return adding(milliseconds: -ceiling)
    }

    private func adding(milliseconds millis: Int64) -> Instant {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(millis)
        return saturating(overflow ? nil : sum, upward: millis > 0)
    }

    /// The instant `duration` later, or `nil` when this instant or the result is outside
    /// ``supported`` (years 0001 to 9999), as ``checkedAdding(seconds:)``.
    ///
    /// ```swift
    /// guard let due = now.checkedAdding(.seconds(3600)) else { return }
    /// ```
    public func checkedAdding(_ duration: Duration) -> Instant? {
        guard isSupported, let millis = Self.milliseconds(in: duration) else { return nil }
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(millis)
        let result = Instant(millisecondsSinceEpoch: sum)
        guard !overflow, result.isSupported else { return nil }
        return result
    }

    /// The time from this instant to `other` (negative when `other` is earlier). Never traps: any
    /// two instants are less than 2^64 milliseconds apart, which a `Duration` holds.
    ///
    /// ```swift
    /// let elapsed = start.duration(to: engine.now)   // .seconds(86400) a day later
    /// ```
    public func duration(to other: Instant) -> Duration {
        .milliseconds(other.millisecondsSinceEpoch) - .milliseconds(millisecondsSinceEpoch)
    }

    /// `instant + .seconds(60)`: ``adding(_:)``, saturating.
    public static func + (instant: Instant, duration: Duration) -> Instant { instant.adding(duration) }

    /// `instant - .seconds(60)`: ``subtracting(_:)``, saturating.
    public static func - (instant: Instant, duration: Duration) -> Instant { instant.subtracting(duration) }

    /// `later - earlier`: ``duration(to:)``.
    public static func - (later: Instant, earlier: Instant) -> Duration { earlier.duration(to: later) }
}
