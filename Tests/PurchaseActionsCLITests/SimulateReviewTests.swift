import CommandLineTesting
import Foundation
import Testing

/// Review 1 of issue 10 at the command line: times with long fractions or outside 0001–9999 after
/// the offset (events, workflows, `--until`), workflow errors with file, line and JSON path, an
/// event that goes back named at `$.occurredAt`, and `--until`'s exact maximum and wording.
@Suite("purchase-actions simulate: times, --until, workflow error places")
struct SimulateReviewTests {
    /// A workflow file, one member per line: `version` on line 5, `accountTimezone` on line 11.
    static func workflow(version: String = "1", zone: String = "UTC", steps: String = "[]") -> String {
        """
        {
          "formatVersion": 1,
          "id": "w",
          "name": "W",
          "version": \(version),
          "status": "published",
          "priority": 0,
          "triggers": [{"id": "t", "event": "tag.added", "filters": []}],
          "steps": \(steps),
          "settings": {"allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account",
            "accountTimezone": "\(zone)"}
        }
        """
    }

    static func event(_ id: String, at time: String) -> String {
        #"{"id": "\#(id)", "type": "tag.added", "occurredAt": "\#(time)", "contact": {"id": "c-1"}, "tag": "t"}"#
    }

    /// Runs `simulate --workflows <scratch>/w --events <scratch>/e.jsonl` plus `extra`.
    static func run(workflow: String = workflow(), events: [String] = [event("e1", at: "2025-01-01T09:00:00Z")], _ extra: [String] = []) throws
        -> BuiltProducts.Result
    {
        let scratch = try BuiltProducts.scratch("pa-review")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("w")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(workflow.utf8).write(to: folder.appendingPathComponent("w.json"))
        try Data(events.joined(separator: "\n").utf8).write(to: scratch.appendingPathComponent("e.jsonl"))
        return try BuiltProducts.run("purchase-actions", ["simulate", "--workflows", "w", "--events", "e.jsonl"] + extra, in: scratch)
    }

    @Test("Fractions of 4 to 9 digits run (they trapped, exit 132): in an event, a wait date and --until")
    func longFractions() throws {
        let event = try Self.run(events: [Self.event("e1", at: "2025-01-01T00:00:00.1234Z")])
        #expect(event.status == 0, "\(event.errors)")
        let wait = try Self.run(
            workflow: Self.workflow(steps: #"[{"id": "s", "type": "wait", "wait": {"until": "date", "date": "2025-06-01T00:00:00.123456789Z"}}]"#),
            ["--until", "2025-06-01T00:00:00.1234Z"])
        #expect(wait.status == 0, "\(wait.errors)")
        #expect(wait.output.contains("2025-06-01"), "the wait ended at its date: \(wait.output)")
    }

    @Test("A time whose UTC instant leaves 0001–9999 is refused: event (65, $.occurredAt), wait date (65, with its line), --until (64)")
    func outOfRange() throws {
        let event = try Self.run(events: [Self.event("e1", at: "9999-12-31T23:59:59-14:00")])
        #expect(event.status == 65)
        #expect(event.errors.hasPrefix("e.jsonl:1: error: $.occurredAt: "), "\(event.errors)")
        let early = try Self.run(events: [Self.event("e1", at: "0001-01-01T00:00:00+14:00")])
        #expect(early.status == 65 && early.errors.contains("$.occurredAt"))
        let wait = try Self.run(workflow: Self.workflow(steps: #"[{"id": "s", "type": "wait", "wait": {"until": "date", "date": "9999-12-31T23:59:59-14:00"}}]"#))
        #expect(wait.status == 65)
        #expect(wait.errors.hasPrefix("w/w.json:9: error: $.steps[0].wait.date: "), "\(wait.errors)")
        let until = try Self.run(["--until", "9999-12-31T23:59:59-14:00"])
        #expect(until.status == 64 && until.errors.contains("0001 to 9999"), "\(until.errors)")
    }

    @Test("Workflow errors give file, line and JSON path: a range error, an unknown timezone")
    func workflowErrorPlaces() throws {
        let version = try Self.run(workflow: Self.workflow(version: "2147483648"))
        #expect(version.status == 65)
        #expect(version.errors.hasPrefix("w/w.json:5: error: $.version: 2147483648 is more than 2147483647"), "\(version.errors)")
        let zone = try Self.run(workflow: Self.workflow(zone: "Mars/Olympus"))
        #expect(zone.status == 65)
        #expect(zone.errors.hasPrefix("w/w.json:11: error: $.settings.accountTimezone: unknown timezone 'Mars/Olympus'"), "\(zone.errors)")
    }

    @Test("An event before the clock is named at $.occurredAt")
    func eventGoesBack() throws {
        let result = try Self.run(events: [Self.event("e1", at: "2025-01-01T09:00:00Z"), Self.event("e2", at: "2025-01-01T08:59:59Z")])
        #expect(result.status == 65)
        #expect(
            result.errors == "e.jsonl:2: error: $.occurredAt: event 'e2' happened at 2025-01-01T08:59:59Z, before the engine's clock (2025-01-01T09:00:00Z); events must come in time order\n"
                + "note: the run stopped at line 2 of e.jsonl, the first bad line: nothing after it ran (--keep-going skips bad lines and runs the rest)\n",
            "\(result.errors)")
    }

    @Test("--until takes 0 to 36500d (876000h, 52560000m): at the maximum it runs, one past is exit 64", arguments: [
        ("36500d", 0), ("876000h", 0), ("52560000m", 0), ("0d", 0), ("36501d", 64), ("876001h", 64), ("52560001m", 64), ("36600d", 64),
    ])
    func untilMaximum(span: String, status: Int32) throws {
        let result = try Self.run(["--until", span])
        #expect(result.status == status, "\(span): \(result.errors)")
        if status == 64 { #expect(result.errors.contains("0 to 36500d (or 876000h, 52560000m)")) }
    }

    @Test("--until -1d says what --until takes, not 'Missing value'; --help states the exact maximum")
    func untilWording() throws {
        let negative = try Self.run(["--until", "-1d"])
        #expect(negative.status == 64)
        #expect(!negative.errors.contains("Missing value"), "\(negative.errors)")
        #expect(negative.errors.contains("--until takes a span from the first event, 0 to 36500d") && negative.errors.contains("(got '-1d')"))
        let help = try Tool.run("purchase-actions", ["simulate", "--help"])
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("at most 36500d, 876000h or 52560000m"), "\(help.output)")
    }
}
