import PropertyBased
import PurchaseActionsCore
import Testing

/// Review of issue 11: writing a time never traps and always names the same instant
/// (`rfc3339(offsetSeconds: .min)` trapped in `abs`); one rule for the years in the parser, the
/// decoder and `validate()`; saturating arithmetic never moves time the wrong way (Docs/time.md, "Range").
@Suite("Time: writing at any offset, one rule for the years, saturation that keeps order")
struct TimeWritingTests {
    static let latest = Instant.supported.upperBound
    static let earliest = Instant.supported.lowerBound

    /// Instants from the whole 64-bit range, the supported years, and near each edge.
    static let instants = zip(Gen.int(in: 0...4), Gen.int64(in: .min ... .max), Gen.int64(in: -100_000_000...100_000_000)).map { pick, any, small in
        let edges: [Int64] = [
            Instant.supported.upperBound.millisecondsSinceEpoch, Instant.supported.lowerBound.millisecondsSinceEpoch,
            Int64.max / 2, Int64.min / 2, Int64.max, Int64.min,
        ]
        switch pick {
        case 0: return Instant(millisecondsSinceEpoch: any)
        case 1: return Instant(millisecondsSinceEpoch: Instant.supported.lowerBound.millisecondsSinceEpoch + Int64(any.magnitude % 315_537_897_600_000))
        default:
            let edge = edges[Int(any.magnitude % UInt64(edges.count))]
            return Instant(millisecondsSinceEpoch: edge.addingReportingOverflow(small).overflow ? edge : edge + small)
        }
    }

    /// Offsets: any Int, the writable range and a little past it, and the extremes.
    static let offsets = zip(Gen.int(in: 0...3), Gen.int(in: .min ... .max), Gen.int(in: -90_000...90_000)).map { pick, any, near in
        switch pick {
        case 0: any
        case 1: near
        case 2: near / 60 * 60
        default: [Int.min, Int.max, Int.min + 1, -86_400, 86_400, -86_340, 86_340][Int(any.magnitude % 7)]
        }
    }

    @Test("rfc3339 at Int.min, Int.max and other unwritable offsets never traps and names the same instant, in UTC")
    func extremeOffsets() throws {
        let instant = try #require(Instant.parseRFC3339("2025-01-14T10:03:25.5-07:00")).instant
        for offset in [Int.min, Int.max, Int.min + 1, 30, -30, 86_400, -86_400, 86_399] {
            #expect(instant.rfc3339(offsetSeconds: offset) == "2025-01-14T17:03:25.500Z", "\(offset)")
        }
        #expect(instant.rfc3339(offsetSeconds: -86_340) == "2025-01-13T17:04:25.500-23:59")
        #expect(instant.rfc3339(offsetSeconds: 86_340) == "2025-01-15T17:02:25.500+23:59")
        // Local date-time outside 0001–9999: written in UTC, which reads back.
        let late = Self.latest.adding(seconds: -600)
        #expect(late.rfc3339(offsetSeconds: 3600) == "9999-12-31T23:49:59.999Z")
        #expect(Self.earliest.rfc3339(offsetSeconds: -60) == "0001-01-01T00:00:00Z")
        #expect(Self.earliest.rfc3339(offsetSeconds: 60) == "0001-01-01T00:01:00+00:01")
        #expect(Instant.writableOffset(3600, at: late) == nil && Instant.writableOffset(-3600, at: late) == -3600)
    }

    @Test("Property: any instant at any Int offset is written without a trap; a supported instant's text reads back as the same instant")
    func anyOffsetReadsBack() async {
        await propertyCheck(count: 3000, input: zip(Self.instants, Self.offsets)) { instant, offset in
            let text = instant.rfc3339(offsetSeconds: offset)
            guard instant.isSupported else {
                #expect(text.hasSuffix("Z"), "\(text)")
                return
            }
            let parsed = Instant.parseRFC3339(text)
            #expect(parsed?.instant == instant, "\(instant.millisecondsSinceEpoch) at \(offset): \(text)")
            #expect(parsed?.offsetSeconds == Instant.writableOffset(offset, at: instant) ?? 0, "\(text)")
        }
    }

    @Test("One rule for the years: the date as written and the UTC instant both in 0001–9999", arguments: [
        ("0000-12-31T23:59:00-00:01", false), ("10000-01-01T00:30:00+01:00", false), ("9999-12-31T23:30:00-00:29", true),
        ("0001-01-01T00:29:00+00:29", true), ("0001-01-01T00:29:00+00:30", false), ("9999-12-31T23:59:59.999+00:00", true),
    ])
    func oneRule(text: String, accepted: Bool) {
        let parsed = Instant.parseRFC3339(text)
        #expect((parsed != nil) == accepted, "\(text)")
        if let parsed { #expect(parsed.instant.rfc3339(offsetSeconds: parsed.offsetSeconds) == text.replacing("+00:00", with: "Z")) }
    }

    static func tagAdded(at instant: Instant, offset: Int) -> Event {
        var event = Event(id: "e-1", type: .tagAdded, occurredAt: instant, offsetSeconds: offset, contact: ContactReference(id: "c-1"))
        event.tag = "tag-vip"
        return event
    }

    @Test("An event 10 minutes before the end at +01:00 is refused by validate() at $.occurredAt (its line was refused on reading)")
    func lateEventRefused() throws {
        let event = Self.tagAdded(at: Self.latest.adding(seconds: -600), offset: 3600)
        #expect(throws: JSONError.self) { try event.validate() }
        do { try event.validate() } catch { #expect(error.path.description == "$.occurredAt" && error.message.contains("local date-time")) }
        // At −01:00 it is written and read back.
        let west = Self.tagAdded(at: Self.latest.adding(seconds: -600), offset: -3600)
        #expect((try? west.validate()) != nil)
        #expect(try Event.load(Array(west.json.compactText.utf8)) == west)
    }

    @Test("Property: every event validate() accepts is written canonically and reads back equal; every other is written at its instant")
    func validatedEventsReadBack() async {
        await propertyCheck(count: 3000, input: zip(Self.instants, Self.offsets)) { instant, offset in
            let event = Self.tagAdded(at: instant, offset: offset)
            let line = event.json.compactText
            if (try? event.validate()) != nil {
                #expect((try? Event.load(Array(line.utf8))) == event, "\(line)")
            } else if instant.isSupported {
                let back = try? Event.load(Array(line.utf8))
                #expect(back?.occurredAt == instant, "never another instant: \(line)")
                #expect(back?.offsetSeconds == 0)
            }
        }
    }

    @Test("Saturation never goes back: Int64.max − 10 ms plus a day is not earlier; more is never earlier than less")
    func saturationKeepsOrder() {
        let near = Instant(millisecondsSinceEpoch: .max - 10)
        #expect(near + .seconds(86_400) >= near)
        #expect(near.adding(seconds: 86_400) >= near)
        #expect(near - .seconds(-86_400) >= near)
        let low = Instant(millisecondsSinceEpoch: .min + 10)
        #expect(low - .seconds(86_400) <= low && low.adding(seconds: -86_400) <= low)
        #expect(Instant(secondsSinceEpoch: .max / 1000) <= Instant(secondsSinceEpoch: .max / 1000 + 1))
        #expect(Instant(secondsSinceEpoch: .max / 1000) == .saturatedLatest)
        #expect(Instant(millisecondsSinceEpoch: 0).adding(.milliseconds(Int64.max - 1)) == .saturatedLatest, "clamped, as one more would be")
    }

    static let durations = zip(Gen.int(in: 0...2), Gen.int64(in: .min ... .max), Gen.int64(in: -100_000...100_000)).map { pick, any, small -> Duration in
        switch pick {
        case 0: .milliseconds(any)
        case 1: .milliseconds(small) + .nanoseconds(any % 1_000_000)
        default: .seconds(any)
        }
    }

    @Test("Property: x + d ≥ x for d ≥ 0 (≤ for d ≤ 0); order kept in the instant and in the duration; seconds too")
    func saturationProperty() async {
        await propertyCheck(count: 3000, input: zip(Self.instants, Self.instants, Self.durations, Self.durations)) { a, b, d, e in
            let (x, y) = (min(a, b), max(a, b))
            let (small, large) = (min(d, e), max(d, e))
            #expect(d >= .zero ? x + d >= x : x + d <= x, "\(x) + \(d)")
            #expect(d >= .zero ? x - d <= x : x - d >= x, "\(x) - \(d)")
            #expect(x + d <= y + d, "order in the instant")
            #expect(x + small <= x + large, "order in the duration")
            #expect(x - large <= x - small)
            let seconds = Int64(truncatingIfNeeded: d.components.seconds)
            #expect(seconds >= 0 ? x.adding(seconds: seconds) >= x : x.adding(seconds: seconds) <= x)
            #expect(x.adding(seconds: seconds) <= y.adding(seconds: seconds))
            let (s1, s2) = (min(a.millisecondsSinceEpoch, b.millisecondsSinceEpoch), max(a.millisecondsSinceEpoch, b.millisecondsSinceEpoch))
            #expect(Instant(secondsSinceEpoch: s1) <= Instant(secondsSinceEpoch: s2))
        }
    }
}
