import CommandLineTesting
import Foundation
import PurchaseActionsCore
import Testing

/// Python's `zoneinfo` as an independent oracle: every transition of seven zones in 2025–2027 (and
/// 2037–2039, past the files' explicit transitions) and pseudo-random instants and wall times,
/// answered by both and compared (Tools/tz-oracle.py).
@Suite("TimeZone oracle: Python's zoneinfo agrees, 2025–2027 and 2037–2039")
struct TimeZoneOracleTests {
    typealias F = TimeZoneFixtures

    /// The years asked about: 2025–2027, and 2037–2039, where this machine's (fat) zone files end
    /// their explicit transitions and the footer TZ string takes over.
    static let ranges = [(F.at("2025-01-01T00:00:00Z"), F.at("2028-01-01T00:00:00Z")), (F.at("2037-01-01T00:00:00Z"), F.at("2040-01-01T00:00:00Z"))]
    /// Offset changes per zone in each range: three years' spring and fall, or none.
    static let expectedCounts = ["Australia/Sydney": 6, "Australia/Lord_Howe": 6, "Asia/Kathmandu": 0, "America/New_York": 6,
                                 "Europe/Dublin": 6, "Pacific/Chatham": 6, "America/Sao_Paulo": 0]

    @Test("Offsets, wall times, instants for wall times, calendar days, send windows and transitions match zoneinfo", .requires(.pythonZoneinfo))
    func agreesWithPython() throws {
        let zones: [TimeZoneRules]
        do {
            zones = try F.names.map { try F.zone($0) }
        } catch {
            Issue.record("\(error) — the oracle test needs the zone files (Debian/Ubuntu: apt-get install tzdata)")
            return
        }
        var probes: [Probe] = []
        var transitions: [String: [Int64]] = [:]
        for (index, rules) in zones.enumerated() {
            var builder = ProbeBuilder(rules: rules)
            var random = SplitMix64(seed: 0x2025_2027 + UInt64(index))
            for (number, (from, to)) in Self.ranges.enumerated() {
                let found = rules.transitions(from: from, to: to).map(\.secondsSinceEpoch)
                transitions[rules.name, default: []] += found
                #expect(found.count == Self.expectedCounts[rules.name], "\(rules.name) from \(from): \(found)")
                for transition in found { builder.aroundTransition(transition) }
                builder.random(&random, from: from.secondsSinceEpoch, to: to.secondsSinceEpoch, scale: number == 0 ? 1 : 3)
            }
            probes += builder.probes
        }
        let request: [String: Any] = [
            "zoneinfo": F.folder, "zones": F.names, "ranges": Self.ranges.map { [$0.0.secondsSinceEpoch, $0.1.secondsSinceEpoch] },
            "cases": probes.map(\.fields),
        ]
        guard let reply = try Self.askPython(request) else { return }
        let pythonTransitions = reply["transitions"] as? [String: [Int64]] ?? [:]
        for name in F.names {
            #expect(transitions[name] == pythonTransitions[name], "\(name) transitions: Swift \(transitions[name] ?? []), Python \(pythonTransitions[name] ?? [])")
        }
        let answers = reply["answers"] as? [String] ?? []
        try #require(answers.count == probes.count, "Python answered \(answers.count) of \(probes.count) cases")
        let mismatches = zip(probes, answers).filter { $0.answer != $1 }.map { "\($0.label): Swift \($0.answer), Python \($1)" }
        let report = mismatches.prefix(40).joined(separator: "\n")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(probes.count) cases differ:\n\(report)")
        #expect(probes.count > 5000)
        print("TimeZone oracle: \(probes.count) cases in \(F.names.count) zones, \(transitions.values.map(\.count).reduce(0, +)) transitions, all compared")
    }

    /// Writes the cases to a temporary file, runs Tools/tz-oracle.py once, and returns its JSON reply
    /// (nil after recording an issue when Python is missing or fails).
    static func askPython(_ request: [String: Any]) throws -> [String: Any]? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("tz-oracle-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tools/tz-oracle.py").path, input.path]
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("tz-oracle-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        do {
            try process.run()
        } catch {
            Issue.record("could not run python3 (\(error)): install Python 3.9 or later (Debian/Ubuntu: apt-get install python3)")
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let hint = process.terminationStatus == 127 ? "python3 is not installed: " : "Tools/tz-oracle.py failed: "
            Issue.record("\(hint)install Python 3.9 or later with zoneinfo (Debian/Ubuntu: apt-get install python3) and tzdata.\n\(stderr)")
            return nil
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}

extension TimeZoneOracleTests {
    /// One question for both sides: its JSON for Python, a label for people, Swift's answer.
    struct Probe {
        var fields: [String: Any]
        var label: String
        var answer: String
    }

    /// A fixed-seed generator (SplitMix64), so the "random" cases are the same on every run.
    struct SplitMix64 {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int64>) -> Int64 { range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1)) }
    }


    /// Builds the oracle's cases for one zone, each with Swift's answer.
    struct ProbeBuilder {
        let rules: TimeZoneRules
        let calendar: ZonedCalendar
        var probes: [Probe] = []

        init(rules: TimeZoneRules) {
            self.rules = rules
            calendar = ZonedCalendar(rules: rules)
        }

        static func hhmm(_ time: (hour: Int, minute: Int)) -> String {
            (time.hour < 10 ? "0" : "") + "\(time.hour):" + (time.minute < 10 ? "0" : "") + "\(time.minute)"
        }

        /// The time of day of a wall-clock second, to the minute (rounded down).
        static func timeOfDay(_ wall: Int64) -> (hour: Int, minute: Int) {
            let civil = CivilDateTime(secondsSinceEpoch: wall)
            return (civil.hour, civil.minute)
        }

        mutating func add(_ kind: String, _ fields: [String: Any], label: String, answer: String) {
            var fields = fields
            fields["kind"] = kind
            fields["zone"] = rules.name
            probes.append(Probe(fields: fields, label: "\(rules.name) \(kind) \(label)", answer: answer))
        }

        /// The offset and the wall time at an instant.
        mutating func instant(_ second: Int64) {
            let instant = Instant(secondsSinceEpoch: second)
            add("offset", ["t": second], label: "at \(instant)", answer: String(rules.offset(at: instant)))
            add("civil", ["t": second], label: "at \(instant)", answer: rules.civil(at: instant).description)
        }

        /// The instant of a wall-clock time (seconds since 1970-01-01T00:00 local).
        mutating func wall(_ local: Int64) {
            let civil = CivilDateTime(secondsSinceEpoch: local)
            add("instant", ["wall": civil.description], label: "of wall \(civil)", answer: String(rules.instant(for: civil).secondsSinceEpoch))
        }

        /// Calendar days from an instant, at a time or at the same wall time.
        mutating func days(_ second: Int64, _ days: Int, at time: (hour: Int, minute: Int)?) {
            let start = Instant(secondsSinceEpoch: second)
            let result = calendar.addingCalendarDays(days, to: start, at: time)
            let at = time.map(Self.hhmm)
            add("days", ["t": second, "days": days, "at": at ?? NSNull()], label: "\(start) + \(days) days at \(at ?? "same time")",
                answer: result.map { String($0.secondsSinceEpoch) } ?? "out of range")
        }

        /// The next opening of a send window.
        mutating func window(_ second: Int64, weekdays: Set<Int>, from: (hour: Int, minute: Int), to: (hour: Int, minute: Int)) {
            let start = Instant(secondsSinceEpoch: second)
            let result = calendar.nextOpening(days: weekdays, from: from, to: to, atOrAfter: start)
            add("window", ["t": second, "weekdays": weekdays.sorted(), "from": Self.hhmm(from), "to": Self.hhmm(to)],
                label: "from \(start) days \(weekdays.sorted()) \(Self.hhmm(from))–\(Self.hhmm(to))", answer: String(result.secondsSinceEpoch))
        }

        /// Instants, wall times, calendar days and windows around one transition.
        mutating func aroundTransition(_ transition: Int64) {
            let before = Int64(rules.offset(at: Instant(secondsSinceEpoch: transition - 1)))
            let after = Int64(rules.offset(at: Instant(secondsSinceEpoch: transition)))
            for delta: Int64 in [-3600, -1, 0, 1, 3600] { instant(transition + delta) }
            // The gap or overlap on the wall clock is [low, high).
            let (low, high) = (transition + min(before, after), transition + max(before, after))
            let middle = (low + high) / 2
            for local in [low - 3600, low - 1, low, low + 1, middle, high - 1, high, high + 1, high + 3600] {
                for day: Int64 in 0...2 { wall(local + day * 86_400) }
                for day in 1...2 {
                    days(rules.instant(for: CivilDateTime(secondsSinceEpoch: local - Int64(day) * 86_400)).secondsSinceEpoch, day, at: nil)
                    days(rules.instant(for: CivilDateTime(secondsSinceEpoch: local)).secondsSinceEpoch, day, at: nil)
                }
            }
            for delta: Int64 in [-86_400, -43_200, -1, 0, 1, 43_200] {
                days(transition + delta, 1, at: (2, 30))
                days(transition + delta, 1, at: Self.timeOfDay(middle))
                days(transition + delta, 1, at: nil)
            }
            days(transition + 43_200, 0, at: (2, 30))
            days(transition + 43_200, -1, at: Self.timeOfDay(middle))
            let everyDay: Set<Int> = [0, 1, 2, 3, 4, 5, 6]
            let weekday = CivilDateTime(secondsSinceEpoch: middle).weekday
            let (opening, gapStart, gapEnd) = (Self.timeOfDay(middle), Self.timeOfDay(low), Self.timeOfDay(high))
            for start in [transition - 86_400, transition - 1, transition + 1] {
                if opening.hour < 22 { window(start, weekdays: everyDay, from: opening, to: (opening.hour + 2, opening.minute)) }
                if gapStart < gapEnd { window(start, weekdays: everyDay, from: gapStart, to: gapEnd) }
                window(start, weekdays: [weekday], from: (1, 0), to: (4, 0))
                if gapEnd.hour < 23 { window(start, weekdays: [weekday], from: gapEnd, to: (23, 59)) }
            }
        }

        /// Pseudo-random instants, wall times, calendar days and windows between `from` and `to`
        /// (`scale` divides the counts).
        mutating func random(_ random: inout SplitMix64, from: Int64, to: Int64, scale: Int) {
            for _ in 0..<(300 / scale) { instant(random.int(from...(to - 1))) }
            for _ in 0..<(300 / scale) { wall(random.int(from...(to - 1))) }
            for _ in 0..<(150 / scale) {
                let time = random.int(0...2) == 0 ? nil : (hour: Int(random.int(0...23)), minute: Int(random.int(0...59)))
                days(random.int(from...(to - 86_400 * 45)), Int(random.int(-3...40)), at: time)
            }
            for _ in 0..<(30 / scale) {
                var weekdays = Set((0..<7).filter { _ in random.int(0...2) == 0 })
                if weekdays.isEmpty { weekdays = [Int(random.int(0...6))] }
                let opening = Int(random.int(0...1400))
                let closing = Int(random.int(Int64(opening + 1)...1439))
                window(random.int(from...(to - 86_400 * 10)), weekdays: weekdays, from: (opening / 60, opening % 60), to: (closing / 60, closing % 60))
            }
        }
    }
}
