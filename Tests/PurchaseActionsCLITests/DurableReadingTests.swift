import CommandLineTesting
import Foundation
import GRDB
import Testing

/// Issue 13, reading the store: the step an enrollment is at, one workflow's stored versions, a
/// late event's contact, an unreadable enrollment listed as an error, and the `--drain` summary's
/// wake-ups split by when they fired.
@Suite("purchase-actions enrollments, workflows --versions, log, run --drain: what the store says")
struct DurableReadingTests {
    /// `event2` happening at `time`.
    static func event2(at time: String) -> String {
        DurableScene.event2.replacing("2025-03-01T11:00:00Z", with: time)
    }

    @Test("enrollments shows the step each enrollment is at: the wait it waits at; none for one that finished")
    func stepColumn() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n" + Self.event2(at: "2025-03-04T00:00:00Z") + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-04T00:00:00Z").status == 0)
        let table = try scene.run(["enrollments"]).output
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("contact  step  state") == true, "\(table)")
        #expect(lines.contains { $0.contains("c-1  ") && $0.contains(" -  ") && $0.contains("finished") }, "\(table)")
        #expect(lines.contains { $0.contains("c-2") && $0.contains("hold") && $0.contains("waiting until 2025-03-06T00:00:00Z") }, "\(table)")
        let json = try DurableScene.objects(try scene.run(["enrollments", "--json"]).output)
        #expect(json.map { $0["step"] as? String } == [nil, "hold"], "\(json)")
    }

    @Test("workflows --versions ID lists each stored version; an unknown id is exit 64")
    func versions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.workflow(subject: "Changed"), to: "migration/workflows/welcome.json")
        #expect(try scene.run(["publish", "migration"]).status == 0)
        let table = try scene.run(["workflows", "--versions", "welcome"])
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(table.output)")
        #expect(lines.first?.hasPrefix("version  file version  published") == true, "\(table.output)")
        #expect(lines.last?.contains("yes") == true && lines[1].contains("yes") == false, "version 2 is current: \(table.output)")
        let json = try DurableScene.objects(try scene.run(["workflows", "--versions", "welcome", "--json"]).output)
        #expect(json.map { $0["number"] as? Int } == [1, 2])
        #expect(json.map { $0["current"] as? Bool } == [false, true])
        #expect(json.allSatisfy { ($0["digest"] as? String)?.count == 64 && $0["steps"] as? Int == 2 && $0["running"] as? Int == 0 }, "\(json)")
        let unknown = try scene.run(["workflows", "--versions", "nope"])
        #expect(unknown.status == 64, "\(unknown.output)")
        #expect(unknown.errors.contains("holds no workflow 'nope' (published: 'welcome')"), "\(unknown.errors)")
    }

    @Test("A late event whose buyer is matched by name and email: its late record names the contact, so log --contact finds it")
    func lateRecordContact() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        let late = DurableScene.event1.replacing("\"id\":\"ev-1\"", with: "\"id\":\"ev-3\"").replacing("\"id\":\"c-1\",", with: "")
            .replacing("2025-03-01T10:00:00Z", with: "2025-03-01T09:00:00Z").replacing("\"o-1\"", with: "\"o-3\"")
        try scene.write(DurableScene.event1 + "\n" + late + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        let records = try DurableScene.objects(try scene.run(["log", "--status", "late", "--json"]).output)
        #expect(records.count == 1 && records.first?["contact"] as? String == "c-1", "\(records)")
        let mine = try DurableScene.objects(try scene.run(["log", "--contact", "c-1", "--json"]).output)
        #expect(mine.contains { $0["status"] as? String == "late" }, "\(mine)")
    }

    @Test("An enrollment whose stored JSON was damaged: the worker sets it aside and goes on; enrollments --state error lists it; the log says what to do")
    func unreadableEnrollment() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        let database = try DatabaseQueue(path: scene.folder.appendingPathComponent("purchase-actions.sqlite").path)
        try database.write { db in try db.execute(sql: "UPDATE enrollment SET json = '{\"id\": broken' WHERE contact_id = 'c-1'") }
        try database.close()
        // Listed before the worker meets it: as an error, the listing does not fail.
        let before = try scene.run(["enrollments"])
        #expect(before.status == 0 && before.output.contains("error: the stored enrollment"), "\(before.output)")
        let run = try scene.drain(clock: "2025-03-05T00:00:00Z")
        #expect(run.status == 0, "the worker goes on: \(run.output)")
        #expect(try scene.deliveries().map { $0["key"] as? String ?? "" }.count == 1, "c-2's email is sent")
        let errors = try DurableScene.objects(try scene.run(["enrollments", "--state", "error", "--json"]).output)
        #expect(errors.count == 1 && errors.first?["contactID"] as? String == "c-1" && errors.first?["state"] as? String == "error", "\(errors)")
        let log = try DurableScene.objects(try scene.run(["log", "--status", "error", "--json"]).output)
        #expect(log.count == 1, "\(log)")
        let message = log.first?["message"] as? String ?? ""
        #expect(message.contains("does not read back") && message.contains("restore the database from a backup"), "\(message)")
        let stats = try DurableScene.objects(try scene.run(["stats", "--json"]).output)
        #expect(stats.first?["errors"] as? Int == 1, "\(stats)")
    }

    @Test("A log record damaged by hand: log prints the others that match, names it on standard error, and exits 65 (review 6, finding 4)")
    func unreadableLogRecord() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        let before = try DurableScene.objects(try scene.run(["log", "--json"]).output)
        let database = try DatabaseQueue(path: scene.folder.appendingPathComponent("purchase-actions.sqlite").path)
        let damaged = try database.write { db in
            let sequence = try Int64.fetchOne(db, sql: "SELECT min(sequence) FROM log_batch WHERE contact_id = 'c-1'") ?? 0
            try db.execute(sql: "UPDATE log_batch SET records = 'x' || substr(records, 2) WHERE sequence = ?", arguments: [sequence])
            return sequence
        }
        for arguments in [["log", "--json"], ["log", "--status", "entered", "--json"], ["log", "--contact", "c-1", "--json"], ["log"]] {
            let listed = try scene.run(arguments)
            #expect(listed.status == 65, "\(arguments): \(listed.errors)")
            #expect(listed.errors.contains("batch at sequence \(damaged) ") && listed.errors.contains("1 log record or batch could not be read"), "\(arguments): \(listed.errors)")
            #expect(listed.errors.contains("purchase-actions.sqlite: error:"), "\(arguments): \(listed.errors)")
        }
        let after = try DurableScene.objects(try scene.run(["log", "--json"]).output)
        #expect(after.count == before.count - 1, "every record but the damaged one is listed")
        let c2 = try scene.run(["log", "--contact", "c-2", "--json"])
        #expect(c2.status == 0 && c2.errors.isEmpty && !c2.output.isEmpty, "a filter that does not select the batch reads clean: \(c2.errors)")
        // Both streams to one pipe (`2>&1`): the records come first, whole, then the errors (review 7, finding 4).
        let program = BuiltProducts.folder(holding: "purchase-actions").appendingPathComponent("purchase-actions").path
        let both = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" log --json 2>&1", program], in: scene.folder)
        #expect(both.status == 65)
        let lines = both.output.split(separator: "\n")
        #expect(lines.count == before.count - 1 + 2, "\(both.output)")
        #expect(lines.prefix(before.count - 1).allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") }, "\(both.output)")
        #expect(lines.suffix(2).allSatisfy { $0.contains("purchase-actions.sqlite: error:") }, "\(both.output)")
    }

    @Test("run --drain: wake-ups due between events count apart from the events' records and from those fired after")
    func drainSummary() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        // c-1's wait ends on 03-03: before c-2's event of 03-04 runs, so while the events are read.
        try scene.write(DurableScene.event1 + "\n" + Self.event2(at: "2025-03-04T00:00:00Z") + "\n", to: "events/a.jsonl")
        let run = try scene.drain(clock: "2025-03-10T00:00:00Z")
        #expect(run.status == 0)
        let line = run.output.split(separator: "\n").last.map(String.init) ?? ""
        let pattern = /(\d+) log records \((\d+) from the events, (\d+) from wake-ups due between them, (\d+) from wake-ups fired after them\)/
        let match = try #require(line.firstMatch(of: pattern), "\(line)")
        let (total, events, between, after) = (Int(match.1) ?? -1, Int(match.2) ?? -1, Int(match.3) ?? -1, Int(match.4) ?? -1)
        #expect(between > 0 && after > 0 && events > 0, "\(line)")
        #expect(total == events + between + after, "\(line)")
        #expect(between == after, "one wake-up each, the same records: \(line)")
    }
    @Test("outbox without --limit prints the newest 10,000 rows, as log does; --limit takes more")
    func outboxDefaultLimit() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        let database = try DatabaseQueue(path: scene.folder.appendingPathComponent("purchase-actions.sqlite").path)
        try database.write { db in
            let insert = try db.makeStatement(
                sql: "INSERT INTO outbox (key, kind, details_json, state, attempts, created_at) VALUES (?, 'webhook', '{}', 'delivered', 1, 0)")
            for n in 1...10_001 { try insert.execute(arguments: ["row-\(n)"]) }
        }
        try database.close()
        let shown = try DurableScene.objects(try scene.run(["outbox", "--json"]).output)
        #expect(shown.count == 10_000)
        #expect(shown.first?["key"] as? String == "row-2", "the newest 10,000, oldest first")
        #expect(try DurableScene.objects(try scene.run(["outbox", "--json", "--limit", "10001"]).output).count == 10_001)
    }
}
