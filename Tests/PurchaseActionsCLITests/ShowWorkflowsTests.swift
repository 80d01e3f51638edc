import CommandLineTesting
import Foundation
import Testing

@Suite("purchase-actions workflows: stored versions and the enrollments on each")
struct ShowWorkflowsTests {
    @Test("After a second publish, the waiting enrollment stays on version 1 and version 2 is current")
    func versions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let empty = try scene.run(["workflows", "--database", "none.sqlite"])
        #expect(empty.status == 66, "\(empty.errors)")
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        try scene.write(DurableScene.workflow(subject: "Hello again"), to: "migration/workflows/welcome.json")
        #expect(try scene.run(["publish", "migration"]).status == 0)

        let json = try scene.run(["workflows", "--json"])
        #expect(json.status == 0, "\(json.errors)")
        let objects = try DurableScene.objects(json.output)
        #expect(objects.count == 1)
        #expect(objects.first?["workflow"] as? String == "welcome")
        #expect(objects.first?["name"] as? String == "Welcome")
        #expect(objects.first?["current"] as? Int == 2)
        let versions = try #require(objects.first?["versions"] as? [[String: Any]])
        #expect(versions.map { $0["number"] as? Int } == [1, 2])
        #expect(versions.map { $0["running"] as? Int } == [1, 0], "the enrollment waits on the version it started on")

        let table = try scene.run(["workflows"])
        #expect(table.output.contains("welcome") && table.output.contains("1 (1), 2 (0)"), "\(table.output)")
    }
}
