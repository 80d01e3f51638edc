// Instants and Foundation's Date. An instant is whole milliseconds; a Date is a Double of seconds.

public import Foundation
public import PurchaseActionsCore

extension Instant {
    /// The instant of a `Date`, to the nearest millisecond. Never traps, and keeps order: a date
    /// beyond `Instant.saturatedLatest` or `Instant.saturatedEarliest` (±`Int64.max / 2`
    /// milliseconds; infinities included) gives that bound, as `Instant(secondsSinceEpoch:)` does,
    /// so a later date never gives an earlier instant (NaN gives `Instant.saturatedEarliest`);
    /// `init(checking:)` refuses dates outside the years 0001 to 9999 instead.
    ///
    /// ```swift
    /// let now = Instant(Date())
    /// ```
    public init(_ date: Date) {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let (earliest, latest) = (Instant.saturatedEarliest.millisecondsSinceEpoch, Instant.saturatedLatest.millisecondsSinceEpoch)
        if millis >= Double(latest) {
            self = .saturatedLatest
        } else if millis > Double(earliest), let exact = Int64(exactly: millis) {
            self.init(millisecondsSinceEpoch: exact)
        } else {
            self = .saturatedEarliest  // at or before the earliest, or NaN
        }
    }

    /// The instant of a `Date`, to the nearest millisecond, or `nil` when it is outside
    /// `Instant.supported` (years 0001 to 9999), as `Instant(checkedSecondsSinceEpoch:)`.
    ///
    /// ```swift
    /// guard let start = Instant(checking: picker.date) else { return }
    /// ```
    public init?(checking date: Date) {
        let instant = Instant(date)
        guard instant.isSupported else { return nil }
        self = instant
    }
}

extension Date {
    /// The `Date` of an instant. Exact to the millisecond for every instant in
    /// `Instant.supported`: `Instant(Date(instant)) == instant`.
    ///
    /// ```swift
    /// let shown = Date(event.occurredAt).formatted()
    /// ```
    public init(_ instant: Instant) {
        self.init(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
    }
}
