import CommandLineTesting
import Foundation
import GRDB
import Testing

/// Issue 13: `enrollments --check` finds the rows nothing reads whose columns disagree with their
/// JSON, and `enrollments --restore ID` puts a set-aside enrollment back (Docs/operations.md,
/// "Unreadable enrollments").
@Suite("purchase-actions enrollments --check and --restore")
struct EnrollmentCheckRestoreTests {
    @Test("A wake-up column cleared by hand: --check (dry run, then for real) sets it aside, exit 1; --restore puts it back; the next run sends its email")
    func checkThenRestore() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        let database = try DatabaseQueue(path: scene.folder.appendingPathComponent("purchase-actions.sqlite").path)
        try database.write { db in try db.execute(sql: "UPDATE enrollment SET wake_at = NULL WHERE id = 'e-1'") }
        try database.close()

        let dry = try scene.run(["enrollments", "--check", "--dry-run"])
        #expect(dry.status == 1, "\(dry.output)\(dry.errors)")
        #expect(dry.output.contains("would set aside  e-1  column wake_at is NULL, its JSON says 1740996000000 (2025-03-03T10:00:00Z)"), "\(dry.output)")
        #expect(dry.output.contains("2 enrollments read: 1 would be set aside, 0 set aside before (--dry-run: nothing changed)"), "\(dry.output)")
        let json = try scene.run(["enrollments", "--check", "--json"])
        #expect(json.status == 1)
        let found = try DurableScene.objects(json.output)
        #expect(found.count == 2 && found.first?["result"] as? String == "set-aside" && found.first?["kind"] as? String == "columnMismatch", "\(found)")
        #expect(json.output.hasSuffix("\n{\"checked\":2,\"dryRun\":false,\"found\":1,\"result\":\"found\",\"setAsideBefore\":0}\n"), "the summary last: \(json.output)")
        let again = try scene.run(["enrollments", "--check"])
        #expect(again.status == 0 && again.output.contains("2 enrollments read: 0 set aside now, 1 set aside before"), "\(again.output)")
        // Nothing found: --json still prints its summary, so a script tells "clean" from "did not run".
        let clean = try scene.run(["enrollments", "--check", "--json"])
        #expect(clean.status == 0)
        #expect(clean.output == "{\"checked\":2,\"dryRun\":false,\"found\":0,\"result\":\"clean\",\"setAsideBefore\":1}\n", "\(clean.output)")
        let errors = try DurableScene.objects(try scene.run(["enrollments", "--state", "error", "--json"]).output)
        #expect(errors.map { $0["id"] as? String } == ["e-1"])

        let wouldRestore = try scene.run(["enrollments", "--restore", "e-1", "--dry-run"])
        #expect(wouldRestore.status == 0)
        #expect(wouldRestore.output.contains("would put back  e-1  welcome v1  c-1  waiting until 2025-03-03T10:00:00Z (--dry-run: nothing changed)"), "\(wouldRestore.output)")
        let restore = try scene.run(["enrollments", "--restore", "e-1"])
        #expect(restore.status == 0 && restore.output.contains("put back  e-1"), "\(restore.output)\(restore.errors)")
        #expect(try scene.run(["enrollments", "--state", "error"]).output.contains("no enrollments"))
        #expect(try scene.drain(clock: "2025-03-05T00:00:00Z").status == 0)
        #expect(try scene.deliveries().count == 2, "both emails sent")

        // Not set aside any more (finished): refused, exit 65; an unknown id: exit 66.
        let refused = try scene.run(["enrollments", "--restore", "e-1"])
        #expect(refused.status == 65 && refused.errors.contains("was not set aside by the store (its state is 'finished')"), "\(refused.errors)")
        let unknown = try scene.run(["enrollments", "--restore", "e-9"])
        #expect(unknown.status == 66 && unknown.errors.hasPrefix("purchase-actions.sqlite: error: the database has no enrollment 'e-9'"), "\(unknown.errors)")
    }

    @Test("--restore refuses an enrollment whose contact entered the workflow again (no re-entry) while it was set aside, exit 65 naming the other; --force puts it back with a warning")
    func restoreWhileAnotherRuns() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        let database = try DatabaseQueue(path: scene.folder.appendingPathComponent("purchase-actions.sqlite").path)
        try database.write { db in try db.execute(sql: "UPDATE enrollment SET version = 2 WHERE id = 'e-1'") }
        try database.close()
        // c-1 pays again, twice: the first event sets e-1 aside, and c-1 enters welcome again.
        for (id, time) in [("ev-3", "12:30"), ("ev-4", "12:40")] {
            let line = DurableScene.event1.replacingOccurrences(of: "\"ev-1\"", with: "\"\(id)\"")
                .replacingOccurrences(of: "2025-03-01T10:00:00Z", with: "2025-03-01T\(time):00Z").replacingOccurrences(of: "\"o-1\"", with: "\"o-\(id)\"")
            try scene.append(line + "\n", to: "events/a.jsonl")
        }
        #expect(try scene.drain(clock: "2025-03-01T13:00:00Z").status == 0)
        let listed = try DurableScene.objects(try scene.run(["enrollments", "--contact", "c-1", "--json"]).output)
        #expect(listed.map { "\($0["id"] as? String ?? "") \($0["state"] as? String ?? "")" } == ["e-1 error", "e-2 waiting"], "\(listed)")

        for arguments in [["enrollments", "--restore", "e-1"], ["enrollments", "--restore", "e-1", "--dry-run"]] {
            let refused = try scene.run(arguments)
            #expect(refused.status == 65, "\(arguments): \(refused.errors)")
            #expect(refused.errors.hasPrefix("purchase-actions.sqlite: error: the contact 'c-1' of enrollment 'e-1' has another running enrollment in workflow 'welcome' (e-2)"), "\(refused.errors)")
            #expect(refused.errors.contains("or give --force to put it back anyway (both run)"), "\(refused.errors)")
        }
        let forced = try scene.run(["enrollments", "--restore", "e-1", "--force"])
        #expect(forced.status == 0, "\(forced.errors)")
        #expect(forced.output.hasPrefix("put back  e-1"), "\(forced.output)")
        #expect(forced.errors.hasPrefix("purchase-actions.sqlite: warning: the contact 'c-1' of enrollment 'e-1' has another running enrollment"), "\(forced.errors)")
        #expect(forced.errors.contains("(--force: put back all the same)"), "\(forced.errors)")
        #expect(try scene.drain(clock: "2025-03-05T00:00:00Z").status == 0)
        #expect(try scene.deliveries().count == 2, "both run, as --force said")
    }

    @Test("enrollments --help teaches --check's summary, --restore's two refusals and --force")
    func help() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let help = try scene.run(["enrollments", "--help"])
        #expect(help.status == 0)
        let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in [
            "one summary object", "\"result\" \"clean\" or \"found\"", "An older JSON runs its steps again",
            "does not allow re-entry", "--force", "updated_at is not a time",
        ] {
            #expect(text.contains(phrase), "\(phrase): \(text)")
        }
    }

    @Test("--check and --restore go alone; --dry-run goes with one of them", arguments: [
        ["enrollments", "--check", "--state", "waiting"], ["enrollments", "--restore", "e-1", "--limit", "5"], ["enrollments", "--dry-run"],
        ["enrollments", "--check", "--restore", "e-1"], ["enrollments", "--force"], ["enrollments", "--check", "--force"],
    ])
    func usage(_ arguments: [String]) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        let result = try scene.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.errors)")
    }
}
