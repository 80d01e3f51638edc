import PropertyBased
import PurchaseActionsCore
import Testing

/// Time arithmetic never traps (Docs/time.md, "Range"): instants and dates outside the years 0001
/// to 9999 are `nil` from the checked operations, and every other operation is defined for every
/// 64-bit input.
@Suite("Time: the supported range, and no trap on any input")
struct TimeRangeTests {
    static let sydney = ZonedCalendar(rules: (try? TimeZoneFixtures.zone("Australia/Sydney")) ?? .utc)

    @Test("The supported range is 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z")
    func range() {
        #expect(Instant.supported.lowerBound.description == "0001-01-01T00:00:00Z")
        #expect(Instant.supported.upperBound.description == "9999-12-31T23:59:59.999Z")
        #expect(Instant(checkedSecondsSinceEpoch: 253_402_300_799) != nil)
        #expect(Instant(checkedSecondsSinceEpoch: 253_402_300_800) == nil)
        #expect(Instant(checkedSecondsSinceEpoch: -62_135_596_800) != nil)
        #expect(Instant(checkedSecondsSinceEpoch: -62_135_596_801) == nil)
    }

    @Test("Instants from any count of seconds: saturated, or nil when checked")
    func instantsFromSeconds() {
        for seconds in [Int64.max, Int64.min, Int64.max / 1000 + 1, Int64.min / 1000 - 1] {
            let instant = Instant(secondsSinceEpoch: seconds)
            #expect(instant == (seconds < 0 ? Instant.saturatedEarliest : Instant.saturatedLatest))
            #expect(Instant(checkedSecondsSinceEpoch: seconds) == nil)
            #expect(!instant.description.isEmpty)
        }
        #expect(Instant(millisecondsSinceEpoch: .min).secondsSinceEpoch == Int64.min / 1000 - 1)
        #expect(Instant(millisecondsSinceEpoch: -1).secondsSinceEpoch == -1)
        // Outside the supported years the offset cannot be read back: the time is written in UTC.
        #expect(Instant(millisecondsSinceEpoch: .max).rfc3339(offsetSeconds: 14 * 3600).hasSuffix("Z"))
        #expect(Instant(millisecondsSinceEpoch: .min).rfc3339(offsetSeconds: -12 * 3600).hasSuffix("Z"))
    }

    @Test("checkedAdding: nil past either end, or from an instant outside the range")
    func checkedAdding() {
        let last = Instant.supported.upperBound
        #expect(last.checkedAdding(seconds: 0) == last)
        #expect(last.checkedAdding(seconds: 1) == nil)
        #expect(Instant.supported.lowerBound.checkedAdding(seconds: -1) == nil)
        #expect(Instant(millisecondsSinceEpoch: 0).checkedAdding(seconds: .max) == nil)
        #expect(Instant(millisecondsSinceEpoch: .max).checkedAdding(seconds: -1) == nil)
        #expect(Instant(millisecondsSinceEpoch: 0).adding(seconds: .max) == Instant.saturatedLatest)
    }

    @Test("Calendar days: 100 years from near 9999 is nil, from 2025 an instant; Int.max and Int.min days are nil")
    func calendarDaysAtTheEdges() {
        let late = Instant.parseRFC3339("9990-06-01T12:00:00Z")!.instant
        #expect(Self.sydney.addingCalendarDays(36_500, to: late, at: (8, 30)) == nil)
        #expect(Self.sydney.addingCalendarDays(3_000, to: late, at: nil) != nil)
        #expect(Self.sydney.addingCalendarDays(.max, to: late, at: nil) == nil)
        #expect(Self.sydney.addingCalendarDays(.min, to: late, at: nil) == nil)
        #expect(Self.sydney.addingCalendarDays(0, to: Instant(millisecondsSinceEpoch: .max), at: nil) == nil)
        let now = Instant.parseRFC3339("2025-03-01T12:00:00Z")!.instant
        #expect(Self.sydney.addingCalendarDays(36_500, to: now, at: (8, 30))?.description == "2125-02-04T21:30:00Z")
        #expect(Self.sydney.addingCalendarDays(-36_500, to: now, at: nil)?.description.hasPrefix("1925-") == true)
        // The last day: 9999-12-31 in Sydney is still in range at 08:30, 9999-12-31T23:00 UTC+11 too.
        #expect(Self.sydney.instant(date: (9999, 12, 31), offsetDays: 0, at: (8, 30), defaultTime: (0, 0)) != nil)
        #expect(Self.sydney.instant(date: (9999, 12, 31), offsetDays: 1, at: nil, defaultTime: (0, 0)) == nil)
        #expect(Self.sydney.instant(date: (1, 1, 1), offsetDays: -1, at: nil, defaultTime: (0, 0)) == nil)
        #expect(Self.sydney.instant(date: (2025, 1, 1), offsetDays: .max, at: nil, defaultTime: (0, 0)) == nil)
        #expect(Self.sydney.instant(date: (2025, 1, 1), offsetDays: .min, at: nil, defaultTime: (0, 0)) == nil)
        // 0001-01-01 00:00 in Sydney (+10:05 local mean time) is before 0001-01-01T00:00Z.
        #expect(Self.sydney.instant(date: (1, 1, 1), offsetDays: 0, at: (0, 0), defaultTime: (0, 0)) == nil)
        #expect(ZonedCalendar(rules: .utc).instant(date: (1, 1, 1), offsetDays: 0, at: (0, 0), defaultTime: (0, 0)) == Instant.supported.lowerBound)
    }

    @Test("CivilDateTime: addingDays stays in 0001...9999; any field values compute without trapping")
    func civilEdges() {
        let last = CivilDateTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59)
        #expect(last.addingDays(0) == last)
        #expect(last.addingDays(1) == nil)
        #expect(CivilDateTime(year: 1, month: 1, day: 1).addingDays(-1) == nil)
        #expect(last.addingDays(.max) == nil && last.addingDays(.min) == nil)
        let absurd = CivilDateTime(year: .max, month: .min, day: .max, hour: .min, minute: .max, second: .min)
        _ = absurd.secondsSinceEpoch
        _ = absurd.weekday
        #expect(!absurd.isValidDate)
        #expect(absurd.addingDays(1) == nil)
        _ = CivilDateTime(secondsSinceEpoch: .min)
        _ = CivilDateTime(secondsSinceEpoch: .max)
        _ = CivilDateTime.civil(fromDays: .min)
        _ = CivilDateTime.civil(fromDays: .max)
    }

    @Test("Property: any instant, any day count, any zone answer: an instant in range or nil, never a trap")
    func anyInput() async {
        let input = zip(Gen.int64(in: .min ... .max), Gen.int(in: .min ... .max), Gen.int(in: -40_000...40_000))
        await propertyCheck(count: 500, input: input) { millis, days, small in
            let instant = Instant(millisecondsSinceEpoch: millis)
            for count in [days, small] {
                if let result = Self.sydney.addingCalendarDays(count, to: instant, at: (8, 30)) { #expect(result.isSupported) }
                if let result = Self.sydney.addingCalendarDays(count, to: instant, at: nil) { #expect(result.isSupported) }
                if let result = instant.checkedAdding(seconds: Int64(count) &* 86_400) { #expect(result.isSupported) }
            }
            _ = Self.sydney.rules.civil(at: instant)
            _ = instant.description
            if let result = Self.sydney.instant(date: (9999, 12, 31), offsetDays: small, at: nil, defaultTime: (23, 59)) { #expect(result.isSupported) }
        }
    }
}
