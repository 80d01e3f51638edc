import Foundation
import PropertyBased
import PurchaseActionsCore
import Testing

/// Zone files and small helpers shared by the timezone tests.
enum TimeZoneFixtures {
    static let folder = "/usr/share/zoneinfo"
    static let names = ["Australia/Sydney", "Australia/Lord_Howe", "Asia/Kathmandu", "America/New_York", "Europe/Dublin", "Pacific/Chatham",
                        "America/Sao_Paulo"]

    /// A zone read from the system's zone files (Debian package `tzdata`).
    static func zone(_ name: String) throws -> TimeZoneRules {
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)") else {
            throw TimeZoneError("\(folder)/\(name) is missing: install the zone files (Debian: apt-get install tzdata)")
        }
        return try TimeZoneRules(name: name, tzif: [UInt8](data))
    }

    static let loaded: [TimeZoneRules] = names.compactMap { try? zone($0) }

    /// `2025-10-05T02:30:00` as a civil date-time.
    static func wall(_ text: String) -> CivilDateTime {
        let n = text.split(whereSeparator: { "-T:".contains($0) }).map { Int($0)! }
        return CivilDateTime(year: n[0], month: n[1], day: n[2], hour: n[3], minute: n[4], second: n.count > 5 ? n[5] : 0)
    }

    /// An RFC 3339 instant.
    static func at(_ text: String) -> Instant { Instant.parseRFC3339(text)!.instant }

    /// A TZif file built by hand: a version 1 block with 32-bit times, then for version 2 the same
    /// data with 64-bit times (or `v2Offsets` instead) and the footer.
    static func tzif(version: UInt8, times: [Int64], types: [UInt8], offsets: [Int32], v2Offsets: [Int32]? = nil, footer: String? = nil,
                     leapCount: Int = 0) -> [UInt8] {
        func be(_ value: Int64, _ size: Int) -> [UInt8] { (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func part(_ size: Int, _ offsets: [Int32]) -> [UInt8] {
            var bytes = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            for count in [0, 0, leapCount, times.count, offsets.count, 2] { bytes += be(Int64(count), 4) }
            for time in times { bytes += be(time, size) }
            bytes += types
            for offset in offsets { bytes += be(Int64(offset), 4) + [0, 0] }
            return bytes + Array("X\0".utf8) + [UInt8](repeating: 0, count: leapCount * (size + 4))
        }
        var bytes = part(4, offsets)
        if version != 0 { bytes += part(8, v2Offsets ?? offsets) + Array("\n\(footer ?? "")\n".utf8) }
        return bytes
    }
}

@Suite("TimeZoneRules: reading TZif files")
struct TimeZoneTZifTests {
    typealias F = TimeZoneFixtures

    @Test("A version 1 file: type 0 before the first transition, then each transition's type")
    func versionOne() throws {
        let rules = try TimeZoneRules(name: "Test/V1", tzif: F.tzif(version: 0, times: [0, 1000], types: [1, 0], offsets: [3600, 7200]))
        #expect(rules.offset(at: Instant(secondsSinceEpoch: -1)) == 3600)
        #expect(rules.offset(at: Instant(secondsSinceEpoch: 0)) == 7200)
        #expect(rules.offset(at: Instant(secondsSinceEpoch: 999)) == 7200)
        #expect(rules.offset(at: Instant(secondsSinceEpoch: 1000)) == 3600)
        #expect(rules.transitions(from: Instant(secondsSinceEpoch: -5), to: Instant(secondsSinceEpoch: 1000)) == [Instant(secondsSinceEpoch: 0)])
    }

    @Test("A version 2+ file is read from its 64-bit block, not the version 1 block")
    func versionTwoBlock() throws {
        for version in Array("234".utf8) {
            let bytes = F.tzif(version: version, times: [], types: [], offsets: [0], v2Offsets: [20_700], footer: "<+0545>-5:45")
            let rules = try TimeZoneRules(name: "Test/V2", tzif: bytes)
            #expect(rules.offset(at: F.at("2026-01-01T00:00:00Z")) == 20_700)
        }
    }

    @Test("A slim file (one transition, then the footer) answers as the system's Sydney file")
    func slimFile() throws {
        let sydney = try F.zone("Australia/Sydney")
        let slim = try TimeZoneRules(name: "Test/SlimSydney", tzif: F.tzif(version: 50, times: [946_684_800], types: [1], offsets: [36_000, 39_600],
                                                                            footer: "AEST-10AEDT,M10.1.0,M4.1.0/3"))
        let (from, to) = (F.at("2024-01-01T00:00:00Z"), F.at("2031-01-01T00:00:00Z"))
        #expect(slim.transitions(from: from, to: to) == sydney.transitions(from: from, to: to))
        #expect(slim.transitions(from: from, to: to).count == 14)
        for step in stride(from: from.secondsSinceEpoch, to: to.secondsSinceEpoch, by: 86_400 * 3 + 3_607) {
            #expect(slim.offset(at: Instant(secondsSinceEpoch: step)) == sydney.offset(at: Instant(secondsSinceEpoch: step)))
        }
    }

    @Test("Malformed files are refused with the zone's name and the reason", arguments: [
        (F.tzif(version: 0, times: [], types: [], offsets: [0]).dropLast(3).map { $0 }, "cut short"),
        (Array("TZjf".utf8) + F.tzif(version: 0, times: [], types: [], offsets: [0]).dropFirst(4), "magic"),
        (F.tzif(version: 50, times: [], types: [], offsets: [0], leapCount: 1), "leap seconds"),
        (F.tzif(version: 50, times: [], types: [], offsets: [0]).dropLast().map { $0 }, "footer"),
        (F.tzif(version: 50, times: [5], types: [3], offsets: [0]), "time type 3"),
        (F.tzif(version: 50, times: [5, 5], types: [0, 0], offsets: [0]), "ascending"),
        (F.tzif(version: 50, times: [], types: [], offsets: [0], footer: "EST5EDT,M13.1.0,M1.1.0"), "rule"),
    ])
    func malformed(bytes: [UInt8], reason: String) {
        #expect {
            _ = try TimeZoneRules(name: "Test/Bad", tzif: bytes)
        } throws: { error in
            let message = (error as? TimeZoneError)?.message ?? ""
            return message.hasPrefix("Test/Bad: ") && message.contains(reason)
        }
    }

    @Test("Every zone file on this machine reads; the right/ (leap second) ones are refused")
    func everySystemZone() throws {
        let files = FileManager.default.enumerator(atPath: F.folder)?.compactMap { $0 as? String } ?? []
        var read = 0
        for path in files where !path.hasPrefix("posix/") {
            guard let data = FileManager.default.contents(atPath: "\(F.folder)/\(path)"), data.starts(with: Array("TZif".utf8)) else { continue }
            #expect(TimeZoneRules.isValidName(path), "\(path)")
            do {
                let rules = try TimeZoneRules(name: path, tzif: [UInt8](data))
                #expect(!path.hasPrefix("right/"), "\(path) has leap seconds but was read")
                #expect(abs(rules.offset(at: F.at("2026-06-01T00:00:00Z"))) <= 14 * 3600, "\(path)")
                read += 1
            } catch {
                #expect(path.hasPrefix("right/"), "\(path): \(error)")
            }
        }
        #expect(read > 300, "zone files under \(F.folder): install tzdata")
    }

    @Test("Zone names that are safe to look up, and ones that are not")
    func names() {
        for name in ["UTC", "Europe/Dublin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "America/Port-au-Prince", "EST5EDT"] {
            #expect(TimeZoneRules.isValidName(name), "\(name)")
        }
        for name in ["", "/etc/passwd", "../etc/passwd", "Europe/../../etc", "Europe//Dublin", "Europe/Dublin/", "Asia/Kolkata\0", "Ásia/X", "-x"] {
            #expect(!TimeZoneRules.isValidName(name), "\(name)")
        }
        #expect(TimeZoneRules.utc.offset(at: F.at("2025-10-05T02:30:00Z")) == 0)
        #expect(TimeZoneRules.utc.name == "UTC")
    }
}

@Suite("TimeZoneRules: POSIX TZ footer rules")
struct TimeZonePOSIXTests {
    typealias F = TimeZoneFixtures

    /// The transitions of a TZ string in a UTC year, as RFC 3339 text.
    static func changes(_ tz: String, year: Int) throws -> [String] {
        let rules = try TimeZoneRules(name: "Test/POSIX", posixTZ: tz)
        return rules.transitions(from: F.at("\(year)-01-01T00:00:00Z"), to: F.at("\(year + 1)-01-01T00:00:00Z")).map(\.description)
    }

    @Test("Hand-written rules: hemispheres, J and n days, negative and over-24 times, defaults", arguments: [
        // Southern hemisphere: daylight time runs across the new year; ends at 03:00 daylight time.
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", 2025, ["2025-04-05T16:00:00Z", "2025-10-04T16:00:00Z"]),
        // Lord Howe: a 30-minute shift, both changes at 02:00 local.
        ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2025, ["2025-04-05T15:00:00Z", "2025-10-04T15:30:00Z"]),
        // Chatham: daylight offset left out (an hour more), changes at 02:45 and 03:45.
        ("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2025, ["2025-04-05T14:00:00Z", "2025-09-27T14:00:00Z"]),
        // Dublin: standard time is summer (+1) and "daylight" winter (0), a negative saving.
        ("IST-1GMT0,M10.5.0,M3.5.0/1", 2025, ["2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z"]),
        // Nuuk: a negative transition time (-1:00, the evening before).
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2025, ["2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z"]),
        // Israel: 26:00 on the Thursday, i.e. 02:00 on the Friday.
        ("IST-2IDT,M3.4.4/26,M10.5.0", 2025, ["2025-03-28T00:00:00Z", "2025-10-25T23:00:00Z"]),
        // J60 is March 1 in every year, leap or not; 59 (zero-based) is February 29 in a leap year.
        ("XST3XDT,J60/0,J300", 2024, ["2024-03-01T03:00:00Z", "2024-10-27T04:00:00Z"]),
        ("XST3XDT,J60/0,J300", 2025, ["2025-03-01T03:00:00Z", "2025-10-27T04:00:00Z"]),
        ("XST3XDT,59/0,300", 2024, ["2024-02-29T03:00:00Z", "2024-10-27T04:00:00Z"]),
        ("XST3XDT,59/0,300", 2025, ["2025-03-01T03:00:00Z", "2025-10-28T04:00:00Z"]),
        // Week 5 is the last such weekday of the month (February 2026 has four Sundays).
        ("XST3XDT,M2.5.0,M11.5.0", 2026, ["2026-02-22T05:00:00Z", "2026-11-29T04:00:00Z"]),
        // No rule: tzcode's default, US rules since 2007.
        ("EST5EDT", 2025, ["2025-03-09T07:00:00Z", "2025-11-02T06:00:00Z"]),
        // Daylight time all year (starts January 1 00:00, ends December 31 25:00): no change at all.
        ("EST5EDT,0/0,J365/25", 2025, []),
        // Standard time only.
        ("<+0545>-5:45", 2025, []),
        ("<-03>3", 2025, []),
    ])
    func rule(tz: String, year: Int, expected: [String]) throws {
        #expect(try Self.changes(tz, year: year) == expected, "\(tz)")
    }

    @Test("Offsets from hand-written rules")
    func offsets() throws {
        let sydney = try TimeZoneRules(name: "Test/Sydney", posixTZ: "AEST-10AEDT,M10.1.0,M4.1.0/3")
        #expect(sydney.offset(at: F.at("2025-01-01T00:00:00Z")) == 39_600)
        #expect(sydney.offset(at: F.at("2025-07-01T00:00:00Z")) == 36_000)
        #expect(sydney.offset(at: F.at("2025-12-31T23:59:59Z")) == 39_600)
        #expect(sydney.offset(at: F.at("2025-04-05T15:59:59Z")) == 39_600)
        #expect(sydney.offset(at: F.at("2025-04-05T16:00:00Z")) == 36_000)
        let kathmandu = try TimeZoneRules(name: "Test/Kathmandu", posixTZ: "<+0545>-5:45")
        #expect(kathmandu.offset(at: F.at("2300-01-01T00:00:00Z")) == 20_700)
        let always = try TimeZoneRules(name: "Test/Always", posixTZ: "EST5EDT,0/0,J365/25")
        for text in ["2025-01-01T00:00:00Z", "2025-01-01T05:00:00Z", "2025-06-01T00:00:00Z", "2025-12-31T23:59:59Z"] {
            #expect(always.offset(at: F.at(text)) == -14_400, "\(text)")
        }
        let dublin = try TimeZoneRules(name: "Test/Dublin", posixTZ: "IST-1GMT0,M10.5.0,M3.5.0/1")
        #expect(dublin.offset(at: F.at("2025-01-15T12:00:00Z")) == 0)
        #expect(dublin.offset(at: F.at("2025-07-15T12:00:00Z")) == 3600)
    }

    @Test("Malformed TZ strings are refused", arguments: [
        "", "A", "EST", "ES5", "EST5EDT,M3.2.0", "EST5EDT,M13.1.0,M1.1.0", "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0",
        "EST5EDT,J0,J365", "EST5EDT,J366,J1", "EST5EDT,366,1", "EST5EDT,M3.2.0/168,M11.1.0", "<+05", "<>5", "EST25", "EST5:60",
        "EST5EDT,M3.2.0,M11.1.0x", "EST5 EDT",
    ])
    func malformed(tz: String) {
        #expect(throws: TimeZoneError.self, "\(tz)") { _ = try TimeZoneRules(name: "Test/Bad", posixTZ: tz) }
    }
}

@Suite("TimeZoneRules: instants and wall clocks")
struct TimeZoneRoundTripTests {
    typealias F = TimeZoneFixtures

    @Test("The seven zones' files are installed")
    func installed() {
        #expect(F.loaded.count == F.names.count, "zone files missing under \(F.folder): install tzdata")
    }

    /// The amount by which `second` is into an overlap's second occurrence (0 if it is not in one).
    static func secondOccurrence(_ rules: TimeZoneRules, _ second: Int64) -> Int64 {
        let nearby = rules.transitions(from: Instant(secondsSinceEpoch: second - 3 * 86_400), to: Instant(secondsSinceEpoch: second + 1))
        for change in nearby {
            let fallBack = Int64(rules.offset(at: change.adding(seconds: -1)) - rules.offset(at: change))
            if fallBack > 0, change.secondsSinceEpoch <= second, second < change.secondsSinceEpoch + fallBack { return fallBack }
        }
        return 0
    }

    /// Each zone's transitions from 1850 to 2150 (the footer rule's too), where the rule matters.
    static let changes: [[Int64]] = F.loaded.map {
        $0.transitions(from: F.at("1850-01-01T00:00:00Z"), to: F.at("2150-01-01T00:00:00Z")).map(\.secondsSinceEpoch)
    }

    /// A zone and a second: half of them within three hours of one of the zone's transitions.
    static let probes = zip(Gen.int(in: 0...6), Gen.bool(), Gen.int64(in: -7_000_000_000...8_000_000_000), Gen.int(in: 0...100_000),
                            Gen.int64(in: -10_800...10_800))

    static func probe(_ value: (Int, Bool, Int64, Int, Int64)) -> (TimeZoneRules, Int64) {
        let index = value.0 % F.loaded.count
        let changes = Self.changes[index]
        guard value.1, !changes.isEmpty else { return (F.loaded[index], value.2) }
        return (F.loaded[index], changes[value.3 % changes.count] + value.4)
    }

    @Test("civil(at:) then instant(for:) gives the instant back, except in an overlap's second occurrence")
    func instantRoundTrip() async {
        await propertyCheck(count: 4000, input: Self.probes) { value in
            let (rules, second) = Self.probe(value)
            let civil = rules.civil(at: Instant(secondsSinceEpoch: second))
            let back = rules.instant(for: civil)
            #expect(back.secondsSinceEpoch == second - Self.secondOccurrence(rules, second), "\(rules.name) \(second) \(civil)")
            #expect(rules.civil(at: back) == civil)
            #expect(civil.secondsSinceEpoch - second == Int64(rules.offset(at: Instant(secondsSinceEpoch: second))))
        }
    }

    @Test("instant(for:) then civil(at:) gives the wall time back, except in a gap, which it passes by the time into it")
    func wallRoundTrip() async {
        await propertyCheck(count: 4000, input: Self.probes) { value in
            let (rules, second) = Self.probe(value)
            // A wall time near the transition: the probe's second read with the offset a day before.
            let civil = CivilDateTime(secondsSinceEpoch: second + Int64(rules.offset(at: Instant(secondsSinceEpoch: second - 86_400))))
            let instant = rules.instant(for: civil)
            let shown = rules.civil(at: instant)
            if shown != civil {
                // In a gap: the wall time was read with the offset before, so it shows the time after.
                let shift = shown.secondsSinceEpoch - civil.secondsSinceEpoch
                let before = rules.offset(at: instant.adding(seconds: -shift - 1))
                #expect(shift > 0 && Int(shift) == rules.offset(at: instant) - before, "\(rules.name) \(civil) shows \(shown)")
                #expect(rules.transitions(from: instant.adding(seconds: -shift), to: instant.adding(seconds: 1)).count == 1)
            }
        }
    }

    @Test("Worked examples of the gap and overlap rule (as in Docs/time.md)", arguments: [
        ("Australia/Sydney", "2025-10-05T02:30:00", "2025-10-04T16:30:00Z"),   // gap 02:00→03:00: 03:30 AEDT
        ("Australia/Sydney", "2025-04-06T02:30:00", "2025-04-05T15:30:00Z"),   // overlap 03:00→02:00: first, AEDT
        ("Australia/Lord_Howe", "2025-10-05T02:15:00", "2025-10-04T15:45:00Z"), // gap 02:00→02:30: 02:45 +11
        ("Australia/Lord_Howe", "2025-04-06T01:45:00", "2025-04-05T14:45:00Z"), // overlap 02:00→01:30: first, +11
        ("Europe/Dublin", "2025-03-30T01:30:00", "2025-03-30T01:30:00Z"),       // gap 01:00→02:00: 02:30 IST
        ("Europe/Dublin", "2025-10-26T01:30:00", "2025-10-26T00:30:00Z"),       // overlap 02:00→01:00: first, IST
        ("Asia/Kathmandu", "2025-06-01T09:00:00", "2025-06-01T03:15:00Z"),
        ("America/New_York", "2025-03-09T02:30:00", "2025-03-09T07:30:00Z"),
        ("America/New_York", "2025-11-02T01:30:00", "2025-11-02T05:30:00Z"),
        ("Pacific/Chatham", "2025-09-28T03:00:00", "2025-09-27T14:15:00Z"),     // gap 02:45→03:45
        ("Pacific/Chatham", "2025-04-06T03:00:00", "2025-04-05T13:15:00Z"),     // overlap 03:45→02:45
    ])
    func workedExample(zone: String, wall: String, expected: String) throws {
        #expect(try F.zone(zone).instant(for: F.wall(wall)).description == expected)
    }
}

@Suite("ZonedCalendar: calendar days, dates and send windows across gaps and overlaps")
struct TimeZoneCalendarTests {
    typealias F = TimeZoneFixtures

    static func calendar(_ name: String) throws -> ZonedCalendar { ZonedCalendar(rules: try F.zone(name)) }

    @Test("Calendar days: the next date at the same wall time or at a time, then the gap/overlap rule", arguments: [
        // Sydney springs forward 2025-10-05 02:00→03:00: 02:30 the day before + 1 day → 03:30 AEDT.
        ("Australia/Sydney", "2025-10-03T16:30:00Z", 1, nil, "2025-10-04T16:30:00Z"),
        // 23:50 on Saturday + 1 day at 08:30 → 08:30 AEDT on Sunday, 7 h 40 min later.
        ("Australia/Sydney", "2025-10-04T13:50:00Z", 1, "08:30", "2025-10-04T21:30:00Z"),
        // Noon + 1 day is 23 hours across the spring-forward night ...
        ("Australia/Sydney", "2025-10-04T02:00:00Z", 1, nil, "2025-10-05T01:00:00Z"),
        // ... and 25 across the fall-back night (2025-04-06 03:00→02:00).
        ("Australia/Sydney", "2025-04-05T01:00:00Z", 1, nil, "2025-04-06T02:00:00Z"),
        // 02:30 + 1 day into the overlap → its first occurrence (AEDT).
        ("Australia/Sydney", "2025-04-04T15:30:00Z", 1, nil, "2025-04-05T15:30:00Z"),
        // From 02:30's second occurrence (AEST): today is the first occurrence, tomorrow 02:30 AEST.
        ("Australia/Sydney", "2025-04-05T16:30:00Z", 0, nil, "2025-04-05T15:30:00Z"),
        ("Australia/Sydney", "2025-04-05T16:30:00Z", 1, nil, "2025-04-06T16:30:00Z"),
        // Lord Howe: noon + 1 day is 23½ hours; 02:15 in the 02:00→02:30 gap → 02:45.
        ("Australia/Lord_Howe", "2025-10-04T01:30:00Z", 1, nil, "2025-10-05T01:00:00Z"),
        ("Australia/Lord_Howe", "2025-10-04T01:30:00Z", 1, "02:15", "2025-10-04T15:45:00Z"),
        // Dublin: 23:50 Monday + 1 day at 08:30 (Docs/workflow-format.md's example), winter and summer.
        ("Europe/Dublin", "2025-01-06T23:50:00Z", 1, "08:30", "2025-01-07T08:30:00Z"),
        ("Europe/Dublin", "2025-07-07T22:50:00Z", 1, "08:30", "2025-07-08T07:30:00Z"),
        // Kathmandu: +05:45 all year; a week later at 19:00; and backwards over a month end.
        ("Asia/Kathmandu", "2025-05-30T20:00:00Z", 7, "19:00", "2025-06-07T13:15:00Z"),
        ("Asia/Kathmandu", "2025-03-01T00:00:00Z", -1, nil, "2025-02-28T00:00:00Z"),
    ] as [(String, String, Int, String?, String)])
    func calendarDays(zone: String, start: String, days: Int, at: String?, expected: String) throws {
        let time = at.map { ZonedCalendar.parseTimeOfDay($0)! }
        #expect(try Self.calendar(zone).addingCalendarDays(days, to: F.at(start), at: time)?.description == expected)
    }

    @Test("Calendar days keep the milliseconds of the wall time they copy")
    func milliseconds() throws {
        let sydney = try Self.calendar("Australia/Sydney")
        let start = Instant(millisecondsSinceEpoch: F.at("2025-10-04T02:00:00Z").millisecondsSinceEpoch + 123)
        #expect(sydney.addingCalendarDays(1, to: start, at: nil)?.description == "2025-10-05T01:00:00.123Z")
        #expect(sydney.addingCalendarDays(1, to: start, at: (hour: 9, minute: 0))?.description == "2025-10-04T22:00:00Z")
    }

    @Test("A date field plus offset days at a time, or at the default time")
    func dateField() throws {
        let sydney = try Self.calendar("Australia/Sydney")
        #expect(sydney.instant(date: (2025, 10, 7), offsetDays: -2, at: (2, 30), defaultTime: (9, 0))?.description == "2025-10-04T16:30:00Z")
        #expect(sydney.instant(date: (2025, 10, 7), offsetDays: -2, at: nil, defaultTime: (9, 0))?.description == "2025-10-04T22:00:00Z")
        #expect(sydney.instant(date: (2024, 3, 1), offsetDays: -1, at: nil, defaultTime: (0, 0))?.description == "2024-02-28T13:00:00Z")
        #expect(sydney.instant(date: (2025, 12, 31), offsetDays: 1, at: (0, 0), defaultTime: (9, 0))?.description == "2025-12-31T13:00:00Z")
    }

    @Test("Times of day and dates are read strictly")
    func parsing() {
        #expect(ZonedCalendar.parseTimeOfDay("08:30")! == (8, 30))
        #expect(ZonedCalendar.parseTimeOfDay("23:59")! == (23, 59))
        #expect(ZonedCalendar.parseTimeOfDay("00:00")! == (0, 0))
        for text in ["24:00", "8:30", "08:60", "08-30", "08:30:00", "", "ab:cd", "+8:30"] { #expect(ZonedCalendar.parseTimeOfDay(text) == nil, "\(text)") }
        #expect(ZonedCalendar.parseDate("2024-02-29")! == (2024, 2, 29))
        for text in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "2025-01-01T00:00:00Z", "25-01-01", "2025/01/01"] {
            #expect(ZonedCalendar.parseDate(text) == nil, "\(text)")
        }
    }

    static let everyDay: Set<Int> = [0, 1, 2, 3, 4, 5, 6]

    @Test("Send windows: now if open, else the next opening; openings in a gap open at its end", arguments: [
        // Sydney, [02:30, 04:00) every day, from Saturday noon: Sunday's 02:30 is in the gap → 03:00 AEDT.
        ("Australia/Sydney", everyDay, "02:30", "04:00", "2025-10-04T02:00:00Z", "2025-10-04T16:00:00Z"),
        // A Sunday window wholly in the gap does not open that day: the next Sunday.
        ("Australia/Sydney", [0], "02:00", "02:59", "2025-10-04T02:00:00Z", "2025-10-11T15:00:00Z"),
        // Over the fall-back overlap the window is open in both 02:00–03:00 hours.
        ("Australia/Sydney", [0], "02:00", "03:00", "2025-04-05T01:00:00Z", "2025-04-05T15:00:00Z"),
        ("Australia/Sydney", [0], "02:00", "03:00", "2025-04-05T16:00:00Z", "2025-04-05T16:00:00Z"),
        ("Australia/Sydney", [0], "02:00", "03:00", "2025-04-05T16:59:59Z", "2025-04-05T16:59:59Z"),
        ("Australia/Sydney", [0], "02:00", "03:00", "2025-04-05T17:00:00Z", "2025-04-12T16:00:00Z"),
        // Weekdays 08:00–20:00 in New York: Saturday → Monday 08:00; Friday 19:59:59 is open, 20:00 not.
        ("America/New_York", [1, 2, 3, 4, 5], "08:00", "20:00", "2025-06-07T14:00:00Z", "2025-06-09T12:00:00Z"),
        ("America/New_York", [1, 2, 3, 4, 5], "08:00", "20:00", "2025-06-06T23:59:59Z", "2025-06-06T23:59:59Z"),
        ("America/New_York", [1, 2, 3, 4, 5], "08:00", "20:00", "2025-06-07T00:00:00Z", "2025-06-09T12:00:00Z"),
        // Kathmandu from Sunday: Monday 09:00 +05:45.
        ("Asia/Kathmandu", [1, 2, 3, 4, 5], "09:00", "17:00", "2025-06-01T00:00:00Z", "2025-06-02T03:15:00Z"),
        // Dublin's spring gap 01:00→02:00: a 01:30 opening opens at 02:00 IST.
        ("Europe/Dublin", everyDay, "01:30", "03:00", "2025-03-30T00:00:00Z", "2025-03-30T01:00:00Z"),
        // Lord Howe's gap 02:00→02:30: a 02:10 opening opens at 02:30 (+11).
        ("Australia/Lord_Howe", everyDay, "02:10", "05:00", "2025-10-04T12:00:00Z", "2025-10-04T15:30:00Z"),
    ] as [(String, Set<Int>, String, String, String, String)])
    func window(zone: String, days: Set<Int>, from: String, to: String, start: String, expected: String) throws {
        let calendar = try Self.calendar(zone)
        let opening = calendar.nextOpening(days: days, from: ZonedCalendar.parseTimeOfDay(from)!, to: ZonedCalendar.parseTimeOfDay(to)!,
                                           atOrAfter: F.at(start))
        #expect(opening.description == expected)
    }

    @Test("An open window returns the very instant asked about, milliseconds and all")
    func openNow() throws {
        let start = Instant(millisecondsSinceEpoch: F.at("2025-06-06T15:00:00Z").millisecondsSinceEpoch + 999)
        #expect(try Self.calendar("America/New_York").nextOpening(days: [5], from: (8, 0), to: (20, 0), atOrAfter: start) == start)
    }
}
