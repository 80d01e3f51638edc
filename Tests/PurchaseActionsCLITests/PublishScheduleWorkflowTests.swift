import CommandLineTesting
import Foundation
import Testing

/// `purchase-actions publish` stores the two workflows compiled from the folder's dunning policy
/// (Docs/dunning.md, "The schedule on the engine"): new, then unchanged on a second publish of
/// the same folder, and a new version of the schedule when the policy's schedule changes.
@Suite("purchase-actions publish stores the policy's compiled schedule workflows, versioned by content")
struct PublishScheduleWorkflowTests {
    static func changes(_ output: String) throws -> [String: String] {
        var byID: [String: String] = [:]
        for line in try DurableScene.objects(output) {
            guard let id = line["workflow"] as? String, id.hasPrefix("dunning.") else { continue }
            byID[id] = "\(line["change"] ?? "?") \(line["version"] ?? "?")"
        }
        return byID
    }

    @Test("same folder twice: unchanged; a changed schedule: a new version of dunning.<id>, the decline workflow unchanged")
    func versions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        try scene.write(PublishDunningPolicyTests.policy(), to: "migration/dunning-policy.yaml")
        let first = try scene.run(["publish", "migration", "--json"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(try Self.changes(first.output) == ["dunning.legacy-billing": "new 1", "dunning.legacy-billing.decline": "new 1"])
        let again = try scene.run(["publish", "migration", "--json"])
        #expect(again.status == 0, "\(again.errors)")
        #expect(try Self.changes(again.output) == ["dunning.legacy-billing": "unchanged 1", "dunning.legacy-billing.decline": "unchanged 1"])
        try scene.write(PublishDunningPolicyTests.policy(gaps: "[1d, 3d, 5d]"), to: "migration/dunning-policy.yaml")
        let changed = try scene.run(["publish", "migration", "--json"])
        #expect(changed.status == 0, "\(changed.errors)")
        #expect(try Self.changes(changed.output) == ["dunning.legacy-billing": "changed 2", "dunning.legacy-billing.decline": "unchanged 1"])
    }

    @Test("an import's output folder with a policy validates and publishes, twice the same")
    func importedFolder() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let target = scene.folder.appendingPathComponent("imported")
        try FileManager.default.copyItem(at: BuiltProducts.root.appendingPathComponent("Fixtures/expected/course-creator"), to: target)
        let validated = try scene.run(["validate", "imported"])
        #expect(validated.status == 0, "\(validated.errors)")
        let first = try scene.run(["publish", "imported", "--json"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(try Self.changes(first.output) == ["dunning.legacy-billing": "new 1", "dunning.legacy-billing.decline": "new 1"])
        let again = try scene.run(["publish", "imported", "--json"])
        #expect(try Self.changes(again.output) == ["dunning.legacy-billing": "unchanged 1", "dunning.legacy-billing.decline": "unchanged 1"])
        // import-actions does not write them: they are derived at publish.
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("workflows/dunning.legacy-billing.json").path))
    }
}
