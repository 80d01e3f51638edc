import Foundation
import PurchaseActions
import Testing

@Suite("Foundation conveniences: Date, Duration, Data")
struct FoundationConveniencesTests {
    @Test("Date ↔ Instant: exact to the millisecond over the whole supported range")
    func dates() throws {
        let instants = [
            Instant.supported.lowerBound, Instant.supported.upperBound, Instant(millisecondsSinceEpoch: 0), Instant(millisecondsSinceEpoch: -1),
            Instant(millisecondsSinceEpoch: 1), Instant(millisecondsSinceEpoch: 1_736_874_207_123), Instant(millisecondsSinceEpoch: 253_402_300_799_001),
        ]
        for instant in instants {
            #expect(Instant(Date(instant)) == instant)
            #expect(Instant(checking: Date(instant)) == instant)
        }
        #expect(Date(Instant(millisecondsSinceEpoch: 1_500)) == Date(timeIntervalSince1970: 1.5))
        #expect(Instant(Date(timeIntervalSince1970: 1.0004)) == Instant(millisecondsSinceEpoch: 1_000), "to the nearest millisecond")
        #expect(Instant(Date(timeIntervalSince1970: -0.0006)) == Instant(millisecondsSinceEpoch: -1))
        // 20,000 instants spread over the years 0001 to 9999 by a fixed stride (a prime count of
        // milliseconds, so every remainder of a second comes up).
        let lower = Instant.supported.lowerBound.millisecondsSinceEpoch
        let span = Instant.supported.upperBound.millisecondsSinceEpoch - lower
        var failures = 0
        for step in Int64(0)..<20_000 {
            let instant = Instant(millisecondsSinceEpoch: lower + (step * 15_784_383_847_493) % span)
            if Instant(Date(instant)) != instant { failures += 1 }
        }
        #expect(failures == 0)
    }

    @Test("A Date outside 64-bit milliseconds saturates, never traps; init(checking:) refuses it")
    func hostileDates() {
        for date in [Date(timeIntervalSince1970: .infinity), Date(timeIntervalSince1970: 1e300), Date(timeIntervalSince1970: 9.3e15)] {
            #expect(Instant(date) == .saturatedLatest)
            #expect(Instant(checking: date) == nil)
        }
        for date in [Date(timeIntervalSince1970: -.infinity), Date(timeIntervalSince1970: -1e300), Date(timeIntervalSince1970: .nan)] {
            #expect(Instant(date) == .saturatedEarliest)
            #expect(Instant(checking: date) == nil)
        }
        #expect(Instant(checking: Date(timeIntervalSince1970: 253_402_300_800)) == nil, "the year 10000")
        #expect(Instant(checking: Date.distantFuture) != nil, "4001 is within the supported years")
    }

    @Test("Instant and Duration: rounded down to the millisecond; saturating, or nil when checked")
    func durations() {
        let start = Instant(millisecondsSinceEpoch: 1_000)
        #expect(start.adding(.seconds(90)) == Instant(millisecondsSinceEpoch: 91_000))
        #expect(start + .milliseconds(1) == Instant(millisecondsSinceEpoch: 1_001))
        #expect(start - .seconds(2) == Instant(millisecondsSinceEpoch: -1_000))
        #expect(start - .microseconds(1) == Instant(millisecondsSinceEpoch: 999), "rounded toward the past, as adding .microseconds(-1)")
        #expect(start.adding(.microseconds(1_999)) == Instant(millisecondsSinceEpoch: 1_001))
        #expect(start.adding(.microseconds(-1)) == Instant(millisecondsSinceEpoch: 999), "rounded toward the past")
        #expect(Instant.milliseconds(in: .nanoseconds(-1)) == -1)
        #expect(start.duration(to: Instant(millisecondsSinceEpoch: 3_500)) == .milliseconds(2_500))
        #expect(Instant(millisecondsSinceEpoch: 0) - start == .seconds(-1))
        let latest = Instant.supported.upperBound
        #expect(latest.checkedAdding(.milliseconds(1)) == nil)
        #expect(latest.checkedAdding(.zero) == latest)
        #expect(Instant.supported.lowerBound.checkedAdding(.milliseconds(-1)) == nil)
        #expect(Instant.saturatedLatest.checkedAdding(.zero) == nil, "an instant outside the supported years gives nil")
    }

    @Test("Durations at the 64-bit millisecond limits, and one past")
    func durationLimits() {
        #expect(Instant.milliseconds(in: .milliseconds(Int64.max)) == .max)
        #expect(Instant.milliseconds(in: .milliseconds(Int64.max) + .nanoseconds(999_999)) == .max, "rounded down")
        #expect(Instant.milliseconds(in: .milliseconds(Int64.max) + .milliseconds(1)) == nil)
        #expect(Instant.milliseconds(in: .milliseconds(Int64.min)) == .min)
        #expect(Instant.milliseconds(in: .milliseconds(Int64.min) - .nanoseconds(1)) == nil, "rounds down past Int64.min")
        #expect(Instant.milliseconds(in: .milliseconds(Int64.min) + .nanoseconds(1)) == .min)
        let zero = Instant(millisecondsSinceEpoch: 0)
        #expect(zero.subtracting(.milliseconds(Int64.min)) == .saturatedLatest, "−Int64.min milliseconds does not fit: saturates")
        #expect(zero.subtracting(.milliseconds(Int64.max)) == .saturatedEarliest, "past −Int64.max / 2: saturates")
        #expect(zero.subtracting(.milliseconds(Int64.max) + .nanoseconds(1)) == .saturatedEarliest, "rounds up past Int64.max before negating")
    }

    @Test("For every duration of a grid across the whole range: the milliseconds are its floor, and adding never traps")
    func durationGrid() {
        let seconds: [Int64] = [0, 1, -1, 59, -86_400, 1 << 40, -(1 << 40), .max / 1000, .min / 1000, .max / 1000 + 1, .min / 1000 - 1, .max, .min]
        let attoseconds: [Int64] = [0, 1, -1, 999_999_999_999_999, -999_999_999_999_999, 1_000_000_000_000_000, 500_000_000_000_000_001, -999_999_999_999_999_999]
        let bases = [Instant(millisecondsSinceEpoch: 0), Instant.supported.upperBound, Instant.supported.lowerBound, .saturatedLatest, .saturatedEarliest,
                     Instant(millisecondsSinceEpoch: .max), Instant(millisecondsSinceEpoch: .min)]
        var checked = 0
        for second in seconds {
            for atto in attoseconds where (second >= 0) == (atto >= 0) || second == 0 {
                let duration = Duration(secondsComponent: second, attosecondsComponent: atto)
                if let millis = Instant.milliseconds(in: duration) {
                    #expect(.milliseconds(millis) <= duration && duration < .milliseconds(millis) + .milliseconds(1), "\(duration)")
                } else {
                    #expect(duration >= .milliseconds(Int64.max) + .milliseconds(1) || duration < .milliseconds(Int64.min), "\(duration)")
                }
                for base in bases {
                    let added = base.adding(duration)
                    let subtracted = base.subtracting(duration)
                    // Saturating clamps to ±Int64.max / 2, widened to hold the base: never the wrong way.
                    let low = min(base, .saturatedEarliest), high = max(base, .saturatedLatest)
                    if let millis = Instant.milliseconds(in: duration), case (let sum, false) = base.millisecondsSinceEpoch.addingReportingOverflow(millis) {
                        #expect(added == min(max(Instant(millisecondsSinceEpoch: sum), low), high))
                    } else {
                        #expect(added == (duration < .zero ? low : high))
                    }
                    #expect(duration >= .zero ? added >= base : added <= base, "\(base) + \(duration)")
                    if let checked = base.checkedAdding(duration) { #expect(checked == added && checked.isSupported) }
                    #expect(subtracted == base.adding(.zero - duration), "subtracting is adding the negated duration")
                    checked += 1
                }
            }
        }
        #expect(checked > 300)
    }

    @Test("Hostile durations never trap: beyond 64-bit milliseconds, and beyond 64-bit seconds")
    func hostileDurations() {
        let start = Instant(millisecondsSinceEpoch: 0)
        var huge = [Duration.seconds(Int64.max), .seconds(Int64.max / 1000) + .seconds(1)]
        var negative = [Duration.seconds(Int64.min), .seconds(Int64.min / 1000) - .seconds(1)]
        if #available(macOS 15, *) {
            // Beyond what `Duration.components` can answer without trapping.
            huge.append(Duration(attoseconds: Int128.max))
            negative += [Duration(attoseconds: Int128.min), Duration(attoseconds: Int128.min + 1)]
        }
        for duration in huge {
            #expect(Instant.milliseconds(in: duration) == nil)
            #expect(start.adding(duration) == .saturatedLatest)
            #expect(start - duration == .saturatedEarliest)
            #expect(start.checkedAdding(duration) == nil)
        }
        for duration in negative {
            #expect(start.adding(duration) == .saturatedEarliest)
            #expect(start - duration == .saturatedLatest)
        }
        // An instant beyond ±Int64.max / 2 stays where it is rather than go the wrong way.
        #expect(Instant(millisecondsSinceEpoch: .max).adding(.milliseconds(1)) == Instant(millisecondsSinceEpoch: .max))
        #expect(Instant(millisecondsSinceEpoch: .min).adding(.milliseconds(-1)) == Instant(millisecondsSinceEpoch: .min))
        #expect(Instant(millisecondsSinceEpoch: .min).duration(to: Instant(millisecondsSinceEpoch: .max)) == .milliseconds(Int64.max) * 2 + .milliseconds(1))
    }

    @Test("Data: Event.load, Workflow.load, canonical bytes out, errors with their JSON path")
    func data() throws {
        let line = #"{"id":"e-1","type":"tag.added","occurredAt":"2025-01-01T10:00:00+10:00","contact":{"id":"c-1"},"tag":"t"}"#
        let event = try Event.load(Data(line.utf8))
        #expect(event.canonicalLine == Data((#"{"contact":{"id":"c-1"},"id":"e-1","occurredAt":"2025-01-01T10:00:00+10:00","tag":"t","type":"tag.added"}"# + "\n").utf8))
        #expect(try Event.load(event.canonicalLine.dropLast()) == event)
        do {
            _ = try Event.load(Data(#"{"id":"e-1","type":"tag.added","occurredAt":"2025-01-01T10:00:00Z","contact":{"id":"c-1"},"tag":"t","tag2":1}"#.utf8))
            Issue.record("an unknown member was accepted")
        } catch {
            #expect(error.path.description == "$.tag2")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Fixtures/workflows/course-creator/action-set.as-basic.json")
        let bytes = try Data(contentsOf: file)
        let workflow = try Workflow.load(bytes)
        #expect(workflow.canonicalData == bytes)
        #expect(try JSONValue.parse(bytes).canonicalData == bytes)
        do {
            _ = try Workflow.load(Data("{\n  \"formatVersion\": 1,\n  \"id\": 7\n}".utf8))
            Issue.record("a bad workflow was accepted")
        } catch {
            #expect(error.path.description == "$.id")
            #expect(error.line == 3, "Workflow.load(Data) gives the line, as the bytes form does")
        }
    }
}
