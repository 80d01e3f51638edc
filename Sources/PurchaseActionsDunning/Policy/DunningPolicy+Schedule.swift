public import PurchaseActionsCore

extension DunningPolicy {
    /// The schedule that applies to an invoice of `plan` (a plan id, or `nil`): the plan's own, else the policy's.
    public func schedule(plan: String?) -> RetrySchedule {
        if let plan, let retries = plans[plan]?.retries { return retries }
        return retries
    }

    /// Whether invoices of `plan` are managed at all (`false` for a plan with `autocharge: false`).
    public func isManaged(plan: String?) -> Bool {
        guard let plan, let override = plans[plan] else { return true }
        return override.autocharge
    }

    /// The planned times of attempts 2 … N after a first failure at `firstFailure`, for an invoice of `plan`.
    ///
    /// `gaps`: each attempt comes its gap after the one before; a gap in days is the same local time
    /// that many calendar days later in `calendar` (23 or 25 hours across a daylight-saving change),
    /// a gap in hours is exact. `within`: the retries are spread evenly (to the millisecond) between
    /// the first failure and the window's end (days counted on the calendar as above), the last at
    /// the end. `none`: no times. A time past the year 9999 ends the list there.
    public func retryTimes(from firstFailure: Instant, calendar: ZonedCalendar, plan: String?) -> [Instant] {
        Self.retryTimes(schedule(plan: plan), from: firstFailure, calendar: calendar)
    }

    /// ``retryTimes(from:calendar:plan:)`` for any schedule.
    public static func retryTimes(_ schedule: RetrySchedule, from firstFailure: Instant, calendar: ZonedCalendar) -> [Instant] {
        switch schedule {
        case .none:
            return []
        case .gaps(let gaps):
            var times: [Instant] = []
            times.reserveCapacity(gaps.count)
            var time = firstFailure
            for gap in gaps {
                guard let next = adding(gap, to: time, calendar: calendar) else { break }
                times.append(next)
                time = next
            }
            return times
        case .within(let attempts, let window):
            guard attempts > 1, let end = adding(window, to: firstFailure, calendar: calendar) else { return [] }
            let start = firstFailure.millisecondsSinceEpoch
            let span = end.millisecondsSinceEpoch.subtractingReportingOverflow(start)
            guard !span.overflow else { return [] }
            let retries = Int64(attempts - 1)
            var times: [Instant] = []
            times.reserveCapacity(attempts - 1)
            for index in 1...retries {
                // span × index / retries without overflow: span ≤ 10,000 days in ms (< 2^40), index ≤ 10,000.
                let product = span.partialValue.multipliedReportingOverflow(by: index)
                guard !product.overflow else { break }
                times.append(Instant(millisecondsSinceEpoch: start + product.partialValue / retries))
            }
            return times
        }
    }

    /// `time` plus a duration: calendar days (same local time), or exact hours; `nil` past the supported range.
    public static func adding(_ duration: PolicyDuration, to time: Instant, calendar: ZonedCalendar) -> Instant? {
        switch duration.unit {
        case .days:
            return calendar.addingCalendarDays(duration.amount, to: time, at: nil)
        case .hours:
            let seconds = Int64(duration.amount).multipliedReportingOverflow(by: 3600)
            guard !seconds.overflow, let result = time.checkedAdding(seconds: seconds.partialValue), result.isSupported else { return nil }
            return result
        }
    }
}
