import CommandLineTesting
import Foundation
import Testing

/// A scratch folder with a one-workflow migration (wait two days, then an email), an events
/// folder and a database, and the `purchase-actions` commands run in it.
struct DurableScene {
    let folder: URL

    static let event1 =
        #"{"id":"ev-1","type":"payment.succeeded","occurredAt":"2025-03-01T10:00:00Z","contact":{"id":"c-1","firstName":"Ana","lastName":"Silva","email":"ana@example.com"},"order":{"id":"o-1","source":"cart","lines":[{"product":"p-1","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":100,"currency":"USD"}}}"#
    static let event2 =
        #"{"id":"ev-2","type":"payment.succeeded","occurredAt":"2025-03-01T11:00:00Z","contact":{"id":"c-2","firstName":"Ben","lastName":"Okoro","email":"ben@example.com"},"order":{"id":"o-2","source":"cart","lines":[{"product":"p-1","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":100,"currency":"USD"}}}"#

    /// The workflow file: `subject` is what a changed version changes.
    static func workflow(subject: String = "Thanks, {{contact.FirstName}}") -> String {
        """
        {"formatVersion":1,"id":"welcome","name":"Welcome","priority":10,
         "settings":{"accountTimezone":"UTC","allowReentry":false,"onePerOrder":false,"stopOnResponse":false,"timezone":"account"},
         "status":"published",
         "steps":[
          {"id":"hold","type":"wait","wait":{"calendarDays":false,"delay":{"days":2},"from":"now","until":"delay"}},
          {"id":"mail","type":"action","action":{"type":"send-email","to":{"type":"contact"},"from":{"name":"Shop","address":"shop@example.com"},"subject":"\(subject)","text":"Your order is on its way."}}
         ],
         "triggers":[{"event":"payment.succeeded","filters":[],"id":"paid"}],
         "version":1}
        """
    }

    init() throws {
        folder = try BuiltProducts.scratch("pa-durable")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("migration/workflows"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("events"), withIntermediateDirectories: true)
        try write(Self.workflow(), to: "migration/workflows/welcome.json")
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(path))
    }

    func append(_ text: String, to path: String) throws {
        let url = folder.appendingPathComponent(path)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func read(_ path: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    /// Runs `purchase-actions` in the scratch folder.
    func run(_ arguments: [String]) throws -> BuiltProducts.Result {
        try BuiltProducts.runProgram(
            BuiltProducts.folder(holding: "purchase-actions").appendingPathComponent("purchase-actions"), arguments, in: folder)
    }

    /// `run --events events --drain --clock CLOCK --record deliveries.jsonl`.
    func drain(clock: String) throws -> BuiltProducts.Result {
        try run(["run", "--events", "events", "--drain", "--clock", clock, "--record", "deliveries.jsonl"])
    }

    /// The lines of `--json` output, each parsed as a JSON object.
    static func objects(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(value as? [String: Any], "not a JSON object: \(line)")
        }
    }

    /// The recorded deliveries, one object a line.
    func deliveries() throws -> [[String: Any]] { try Self.objects(read("deliveries.jsonl")) }
}

@Suite("purchase-actions publish, run, log, enrollments, outbox, stats: end to end")
struct DurableRunTests {
    @Test("publish, then run --drain with --clock three days later delivers the email once; a second run delivers nothing new")
    func deliversOnce() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        try scene.write(DurableScene.event1 + "\n", to: "events/2025-03-01.jsonl")
        let published = try scene.run(["publish", "migration"])
        #expect(published.status == 0, "\(published.errors)")
        #expect(published.output.contains("new") && published.output.contains("welcome"), "\(published.output)")

        let before = try scene.drain(clock: "2025-03-02T10:00:00Z")
        #expect(before.status == 0, "\(before.errors)")
        #expect(try scene.deliveries().isEmpty, "the wait of two days is not over after one")

        let first = try scene.drain(clock: "2025-03-04T10:00:00Z")
        #expect(first.status == 0, "\(first.errors)")
        let delivered = try scene.deliveries()
        #expect(delivered.count == 1, "\(delivered)")
        #expect(delivered.first?["kind"] as? String == "send-email")
        #expect(delivered.first?["key"] is String)

        let again = try scene.drain(clock: "2025-03-04T10:00:00Z")
        #expect(again.status == 0, "\(again.errors)")
        #expect(try scene.deliveries().count == 1, "a second run delivers nothing new")
        let outbox = try DurableScene.objects(try scene.run(["outbox", "--json"]).output)
        #expect(outbox.count == 1 && outbox.first?["state"] as? String == "delivered", "\(outbox)")
    }

    @Test("A restart resumes each file where it stopped: events appended later are read, earlier ones not again")
    func resumesPositions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let first = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("1 events read"), "\(first.output)")
        try scene.append(DurableScene.event2 + "\n", to: "events/a.jsonl")
        let second = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(second.status == 0, "\(second.errors)")
        #expect(second.output.contains("1 events read"), "only the appended line is read: \(second.output)")
        let enrollments = try DurableScene.objects(try scene.run(["enrollments", "--json"]).output)
        #expect(enrollments.count == 2, "\(enrollments)")
        let third = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(third.output.contains("0 events read"), "\(third.output)")
    }

    @Test("A bad event line stops the worker with file:line and the JSON path, exit 65; the lines before it are committed")
    func badLine() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n\n" + #"{"id":"ev-x","type":"payment.succeeded","occurredAt":"not a time"}"# + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        let result = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(result.status == 65)
        #expect(result.errors.contains("events/a.jsonl:3: error: $."), "\(result.errors)")
        #expect(result.errors.contains("note: the worker stopped at line 3 of events/a.jsonl"), "\(result.errors)")
        let enrollments = try DurableScene.objects(try scene.run(["enrollments", "--json"]).output)
        #expect(enrollments.count == 1, "the event before the bad line is committed, the one after is not: \(enrollments)")
        // Fixed, the line is read again and so is the rest.
        try scene.write(DurableScene.event1 + "\n\n" + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        let fixed = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(fixed.status == 0, "\(fixed.errors)")
        #expect(try DurableScene.objects(try scene.run(["enrollments", "--json"]).output).count == 2)
    }

    @Test("An events file rewritten shorter than its stored position stops the worker (exit 65) saying so")
    func truncatedFile() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let result = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(result.status == 65)
        #expect(result.errors.contains("events/a.jsonl: error: the file is shorter"), "\(result.errors)")
    }

    @Test("log, enrollments, outbox and stats --json print one JSON object a line")
    func jsonLines() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-05T00:00:00Z").status == 0)
        for command in ["log", "enrollments", "outbox", "stats"] {
            let result = try scene.run([command, "--json"])
            #expect(result.status == 0, "\(command): \(result.errors)")
            let objects = try DurableScene.objects(result.output)
            #expect(!objects.isEmpty, "\(command) printed nothing")
        }
        let stats = try DurableScene.objects(try scene.run(["stats", "--json"]).output)
        #expect(stats.first?["workflow"] as? String == "welcome")
        #expect(stats.first?["entered"] as? Int == 2)
        #expect((stats.first?["effects"] as? [String: Any])?["send-email"] as? Int == 2, "\(stats)")
        let log = try DurableScene.objects(try scene.run(["log", "--contact", "c-1", "--json"]).output)
        #expect(!log.isEmpty && log.allSatisfy { $0["contact"] as? String == "c-1" && $0["sequence"] is Int })
        let table = try scene.run(["log"])
        #expect(table.output.hasPrefix("at"), "a table for people: \(table.output)")
    }

    @Test("publish of a changed folder gives version 2; a waiting enrollment stays on 1; migrate-enrollments --dry-run changes nothing")
    func versions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)

        let unchanged = try DurableScene.objects(try scene.run(["publish", "migration", "--json"]).output)
        #expect(unchanged.first?["change"] as? String == "unchanged" && unchanged.first?["version"] as? Int == 1, "\(unchanged)")
        try scene.write(DurableScene.workflow(subject: "Thank you, {{contact.FirstName}}"), to: "migration/workflows/welcome.json")
        let changed = try DurableScene.objects(try scene.run(["publish", "migration", "--json"]).output)
        #expect(changed.first?["change"] as? String == "changed" && changed.first?["version"] as? Int == 2, "\(changed)")

        let waiting = try DurableScene.objects(try scene.run(["enrollments", "--state", "waiting", "--json"]).output)
        #expect(waiting.count == 1 && waiting.first?["version"] as? Int == 1, "\(waiting)")

        let dryRun = try scene.run(["migrate-enrollments", "--workflow", "welcome", "--to", "2", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.errors)")
        #expect(dryRun.output.contains("would move"), "\(dryRun.output)")
        let still = try DurableScene.objects(try scene.run(["enrollments", "--state", "waiting", "--json"]).output)
        #expect(still.first?["version"] as? Int == 1, "--dry-run changed nothing: \(still)")

        let moved = try scene.run(["migrate-enrollments", "--workflow", "welcome", "--to", "2"])
        #expect(moved.status == 0, "\(moved.errors)")
        let after = try DurableScene.objects(try scene.run(["enrollments", "--state", "waiting", "--json"]).output)
        #expect(after.first?["version"] as? Int == 2, "\(after)")
        // The email the moved enrollment sends is version 2's.
        #expect(try scene.drain(clock: "2025-03-04T00:00:00Z").status == 0)
        let mail = try scene.deliveries()
        #expect(mail.count == 1)
        let details = mail.first?["details"].map { String(describing: $0) } ?? ""
        #expect(details.contains("Thank you"), "\(mail)")
    }

    @Test("Read commands refuse a missing database (exit 66) instead of creating an empty one; unknown workflow is exit 64")
    func missingDatabase() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        for command in ["log", "enrollments", "outbox", "stats"] {
            let result = try scene.run([command, "--database", "nowhere.sqlite"])
            #expect(result.status == 66, "\(command): \(result.errors)")
            #expect(!FileManager.default.fileExists(atPath: scene.folder.appendingPathComponent("nowhere.sqlite").path))
        }
        _ = try scene.run(["publish", "migration"])
        let unknown = try scene.run(["migrate-enrollments", "--workflow", "nope", "--to", "2"])
        #expect(unknown.status == 64, "\(unknown.errors)")
    }

    @Test("A negative span is the option's value, refused as a span (not 'missing value')")
    func negativeSpans() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        for option in ["--max-ahead", "--retention"] {
            let result = try scene.run(["run", option, "-1d"])
            #expect(result.status == 64, "\(option): \(result.errors)")
            #expect(result.errors.contains("\(option) takes a span"), "\(option): \(result.errors)")
            #expect(result.errors.contains("got '-1d'"), "\(option): \(result.errors)")
        }
    }

    @Test("Bad option values are usage errors (exit 64) naming the option")
    func usage() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let cases: [([String], String)] = [
            (["run", "--clock", "tomorrow"], "--clock"),
            (["run", "--retention", "forever"], "--retention"),
            (["run", "--record", "a", "--deliver-to", "http://127.0.0.1:9/"], "--deliver-to"),
            (["run", "--batch-size", "0"], "--batch-size"),
            (["log", "--status", "nope"], "--status"),
            (["log", "--since", "yesterday"], "--since"),
            (["enrollments", "--state", "sleeping"], "--state"),
            (["migrate-enrollments", "--workflow", "w", "--to", "0"], "--to"),
        ]
        for (arguments, option) in cases {
            let result = try scene.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.errors)")
            #expect(result.errors.contains(option), "\(arguments): \(result.errors)")
        }
    }

    @Test("Events from standard input (--events -) are ingested; ids seen before do nothing")
    func standardInput() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event1 + "\n", to: "twice.jsonl")
        let process = Process()
        process.executableURL = BuiltProducts.folder(holding: "purchase-actions").appendingPathComponent("purchase-actions")
        process.arguments = ["run", "--events", "-", "--drain", "--clock", "2025-03-01T12:00:00Z"]
        process.currentDirectoryURL = scene.folder
        process.standardInput = try FileHandle(forReadingFrom: scene.folder.appendingPathComponent("twice.jsonl"))
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let enrollments = try DurableScene.objects(try scene.run(["enrollments", "--json"]).output)
        #expect(enrollments.count == 1, "the same event id twice enrolls once: \(enrollments)")
    }
}
