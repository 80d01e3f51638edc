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
        #expect(found.count == 1 && found.first?["result"] as? String == "set-aside" && found.first?["kind"] as? String == "columnMismatch", "\(found)")
        let again = try scene.run(["enrollments", "--check"])
        #expect(again.status == 0 && again.output.contains("2 enrollments read: 0 set aside now, 1 set aside before"), "\(again.output)")
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
        #expect(unknown.status == 66 && unknown.errors.contains("the database has no enrollment 'e-9'"), "\(unknown.errors)")
    }

    @Test("--check and --restore go alone; --dry-run goes with one of them", arguments: [
        ["enrollments", "--check", "--state", "waiting"], ["enrollments", "--restore", "e-1", "--limit", "5"], ["enrollments", "--dry-run"],
        ["enrollments", "--check", "--restore", "e-1"],
    ])
    func usage(_ arguments: [String]) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        let result = try scene.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.errors)")
    }
}
