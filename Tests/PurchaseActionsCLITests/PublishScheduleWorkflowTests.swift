import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// `purchase-actions publish` stores the two workflows compiled from the folder's dunning policy
/// (Docs/dunning.md, "The schedule on the engine"): new, then unchanged on a second publish of
/// the same folder; a changed schedule is a new version of `dunning.<id>`, and changed declines a
/// new decline workflow (its id carries its content's digest), the old one kept.
@Suite("purchase-actions publish stores the policy's compiled schedule workflows, versioned by content")
struct PublishScheduleWorkflowTests {
    /// The `dunning.` lines of `publish --json`: id → "change version".
    static func changes(_ output: String) throws -> [String: String] {
        var byID: [String: String] = [:]
        for line in try DurableScene.objects(output) {
            guard let id = line["workflow"] as? String, id.hasPrefix("dunning.") else { continue }
            byID[id] = "\(line["change"] ?? "?") \(line["version"] ?? "?")"
        }
        return byID
    }

    /// The decline workflow's id the policy text compiles to: `dunning.legacy-billing.decline-<16 hex digits>`.
    static func declineID(_ yaml: String) throws -> String {
        let id = try DunningPolicyFile.policy(Array(yaml.utf8), file: "dunning-policy.yaml").declineWorkflowID
        let digest = id.dropFirst("dunning.legacy-billing.decline-".count)
        #expect(id.hasPrefix("dunning.legacy-billing.decline-") && digest.count == 16 && digest.allSatisfy(\.isHexDigit) && digest.lowercased() == digest, "\(id)")
        return id
    }

    @Test("same folder twice: unchanged; a changed schedule: a new version of dunning.<id>, the decline workflow the same id, unchanged")
    func versions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let policy = PublishDunningPolicyTests.policy()
        let decline = try Self.declineID(policy)
        try scene.write(policy, to: "migration/dunning-policy.yaml")
        let first = try scene.run(["publish", "migration", "--json"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(try Self.changes(first.output) == ["dunning.legacy-billing": "new 1", decline: "new 1"])
        let again = try scene.run(["publish", "migration", "--json"])
        #expect(again.status == 0, "\(again.errors)")
        #expect(try Self.changes(again.output) == ["dunning.legacy-billing": "unchanged 1", decline: "unchanged 1"])
        let gaps = PublishDunningPolicyTests.policy(gaps: "[1d, 3d, 5d]")
        #expect(try Self.declineID(gaps) == decline)
        try scene.write(gaps, to: "migration/dunning-policy.yaml")
        let changed = try scene.run(["publish", "migration", "--json"])
        #expect(changed.status == 0, "\(changed.errors)")
        #expect(try Self.changes(changed.output) == ["dunning.legacy-billing": "changed 2", decline: "unchanged 1"])
    }

    @Test("changed declines: a new decline workflow (a new id, version 1) and a new schedule version calling it; the old decline workflow is kept")
    func changedDeclines() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let policy = PublishDunningPolicyTests.policy()
        let old = try Self.declineID(policy)
        try scene.write(policy, to: "migration/dunning-policy.yaml")
        #expect(try scene.run(["publish", "migration", "--json"]).status == 0)
        let hard = policy + "declines: {unknown: hard}\n"
        let new = try Self.declineID(hard)
        #expect(new != old)
        try scene.write(hard, to: "migration/dunning-policy.yaml")
        let changed = try scene.run(["publish", "migration", "--json"])
        #expect(changed.status == 0, "\(changed.errors)")
        #expect(try Self.changes(changed.output) == ["dunning.legacy-billing": "changed 2", new: "new 1", old: "kept 1"])
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
        let decline = try Self.declineID(String(contentsOf: target.appendingPathComponent("dunning-policy.yaml"), encoding: .utf8))
        #expect(try Self.changes(first.output) == ["dunning.legacy-billing": "new 1", decline: "new 1"])
        let again = try scene.run(["publish", "imported", "--json"])
        #expect(try Self.changes(again.output) == ["dunning.legacy-billing": "unchanged 1", decline: "unchanged 1"])
        // import-actions does not write them: they are derived at publish.
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("workflows/dunning.legacy-billing.json").path))
    }
}
