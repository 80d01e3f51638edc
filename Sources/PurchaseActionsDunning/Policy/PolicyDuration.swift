/// A span of time in a policy: whole days or whole hours, written `"2d"` or `"36h"`.
///
/// Days are calendar days in the policy's timezone (the same local time N days later, so a gap
/// of `1d` across a daylight-saving change is 23 or 25 hours); hours are exact.
public struct PolicyDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The unit of a duration.
    public enum Unit: String, Hashable, Sendable {
        /// Calendar days in the policy's timezone: `d`.
        case days = "d"
        /// Exact hours: `h`.
        case hours = "h"
    }

    /// How many units, at least 0.
    public var amount: Int
    /// The unit.
    public var unit: Unit

    /// Creates a duration.
    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// `amount` days.
    public static func days(_ amount: Int) -> PolicyDuration { PolicyDuration(amount, .days) }
    /// `amount` hours.
    public static func hours(_ amount: Int) -> PolicyDuration { PolicyDuration(amount, .hours) }

    /// The length in hours, a day counted as 24 (for comparisons and budget arithmetic), saturating.
    public var nominalHours: Int {
        switch unit {
        case .hours: amount
        case .days: amount.multipliedReportingOverflow(by: 24).overflow ? Int.max : amount * 24
        }
    }

    /// `"2d"`, `"36h"`.
    public var description: String { "\(amount)\(unit.rawValue)" }

    /// Orders by `nominalHours`.
    public static func < (lhs: PolicyDuration, rhs: PolicyDuration) -> Bool { lhs.nominalHours < rhs.nominalHours }
}
