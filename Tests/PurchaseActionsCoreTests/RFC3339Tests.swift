import PropertyBased
import PurchaseActionsCore
import Testing

/// RFC 3339 times as events, workflows and `--until` write them (Docs/time.md): a fraction of 1 to 9
/// digits (read to the millisecond), and a UTC instant, after the offset, in 0001-01-01T00:00:00Z to
/// 9999-12-31T23:59:59Z. Any text gives a value or `nil`, never a trap.
@Suite("RFC 3339 parsing: fractions, range, no trap")
struct RFC3339Tests {
    static let base = Instant.parseRFC3339("2025-01-01T00:00:00Z")!.instant

    @Test("A fraction of 1 to 9 digits is read to the millisecond (4 to 9 digits used to trap)", arguments: [
        (".1", 100), (".12", 120), (".123", 123), (".1234", 123), (".12345", 123), (".123456", 123), (".1234567", 123),
        (".12345678", 123), (".123456789", 123), (".999999999", 999), (".5", 500), (".000000001", 0),
    ])
    func fractions(fraction: String, millis: Int64) throws {
        let parsed = try #require(Instant.parseRFC3339("2025-01-01T00:00:00\(fraction)Z"))
        #expect(parsed.instant.millisecondsSinceEpoch - Self.base.millisecondsSinceEpoch == millis)
        #expect(parsed.offsetSeconds == 0)
    }

    @Test("No fraction digits, or 10, is not RFC 3339 as the formats take it", arguments: [".", ".1234567890", ".x"])
    func badFractions(fraction: String) {
        #expect(Instant.parseRFC3339("2025-01-01T00:00:00\(fraction)Z") == nil)
    }

    @Test("The date-time as written and the UTC instant after the offset must both lie in the years 0001 to 9999", arguments: [
        ("9999-12-31T23:59:59Z", true), ("9999-12-31T23:59:59.999999999Z", true), ("0001-01-01T00:00:00Z", true),
        ("9999-12-31T23:59:59-14:00", false), ("9999-12-31T10:00:00-14:00", false), ("9999-12-31T09:59:59-14:00", true),
        ("0001-01-01T00:00:00+14:00", false), ("0001-01-01T13:59:59+14:00", false), ("0001-01-01T14:00:00+14:00", true),
        ("0000-12-31T23:00:00-01:00", false), ("0000-12-31T23:59:00-00:01", false), ("0000-12-31T22:59:59-01:00", false),
        ("0000-01-01T00:00:00Z", false), ("9999-12-31T00:00:59-23:59", true), ("0001-01-01T23:59:00+23:59", true),
    ])
    func range(text: String, accepted: Bool) {
        let parsed = Instant.parseRFC3339(text)
        #expect((parsed != nil) == accepted, "\(text)")
        if let parsed { #expect(parsed.instant.isSupported) }
    }

    /// Texts near the shape: a date-time, a fraction of 0 to 20 digits (or junk), an offset or junk.
    static let nearlyTimes = zip(
        Gen<Character?>.element(of: Array("0123456789")).array(of: 0...20),
        Gen<String?>.element(of: ["Z", "+14:00", "-14:00", "-00:00", "+23:59", "+1", "", "Zx", "z", "+24:00", "-05:3"]),
        Gen<String?>.element(of: ["2025-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00", "0000-02-29T00:00:00", "2025-02-30T00:00:00", "2025-1-1T0:0:0"]),
        Gen<Bool>.bool
    ).map { digits, offset, stem, dot in stem! + (dot ? "." : "") + String(digits.compactMap { $0 }) + offset! }

    /// Any scalars at all, short.
    static let anyText = Gen<Character?>.element(of: Array("0123456789-:T.Z+ zé\u{0}\u{85}")).array(of: 0...40).map { String($0.compactMap { $0 }) }

    @Test("Any text gives a value or nil, never a trap; what is accepted is in range and reads back")
    func neverTraps() async {
        await propertyCheck(count: 2000, input: Self.nearlyTimes) { text in
            if let parsed = Instant.parseRFC3339(text) {
                #expect(parsed.instant.isSupported)
                guard let dot = text.firstIndex(of: ".") else { return }
                let fraction = text[text.index(after: dot)...].prefix { $0.isNumber }
                #expect((1...9).contains(fraction.count), "\(text)")
                let whole = text[..<dot] + text[text.index(after: dot)...].dropFirst(fraction.count)
                let expected = Int64(String((fraction + "000").prefix(3)))!
                #expect(Instant.parseRFC3339(String(whole)).map { parsed.instant.millisecondsSinceEpoch - $0.instant.millisecondsSinceEpoch } == expected, "\(text)")
            }
        }
        await propertyCheck(count: 2000, input: Self.anyText) { text in
            if let parsed = Instant.parseRFC3339(text) { #expect(parsed.instant.isSupported) }
        }
    }
}
