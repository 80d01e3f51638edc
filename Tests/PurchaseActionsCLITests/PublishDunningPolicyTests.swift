import CommandLineTesting
import Foundation
import Testing

@Suite("purchase-actions publish stores dunning-policy.yaml; stats shows it")
struct PublishDunningPolicyTests {
    static func policy(gaps: String = "[2d, 2d]") -> String {
        """
        format: 1
        id: legacy-billing
        name: "Legacy billing defaults"
        version: 3
        retries: {gaps: \(gaps)}

        """
    }

    @Test("new, unchanged, then changed after an edit; stats shows the current version, also as JSON")
    func publishesPolicy() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        try scene.write(Self.policy(), to: "migration/dunning-policy.yaml")
        let first = try scene.run(["publish", "migration"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.hasSuffix("dunning policy legacy-billing: new, version 1 (file version 3)\n"), "\(first.output)")
        let again = try scene.run(["publish", "migration", "--json"])
        let lines = try DurableScene.objects(again.output)
        #expect(lines.last?["dunningPolicy"] as? String == "legacy-billing")
        #expect(lines.last?["change"] as? String == "unchanged")
        #expect(lines.last?["version"] as? Int == 1)

        try scene.write(Self.policy(gaps: "[1d, 3d, 5d]"), to: "migration/dunning-policy.yaml")
        let changed = try scene.run(["publish", "migration"])
        #expect(changed.output.contains("dunning policy legacy-billing: changed, version 2 (file version 3)"), "\(changed.output)")

        let stats = try scene.run(["stats"])
        #expect(stats.status == 0, "\(stats.errors)")
        #expect(stats.output.contains("dunning policy legacy-billing: version 2 (file version 3), published "), "\(stats.output)")
        let json = try DurableScene.objects(try scene.run(["stats", "--json"]).output)
        let policy = try #require(json.first { $0["dunningPolicy"] != nil })
        #expect(policy["version"] as? Int == 2)
        #expect((policy["digest"] as? String)?.count == 64)
        #expect(json.contains { $0["workflow"] as? String == "welcome" })
    }

    @Test("a folder without dunning-policy.yaml publishes as before: no policy line")
    func withoutPolicy() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let published = try scene.run(["publish", "migration"])
        #expect(published.status == 0, "\(published.errors)")
        #expect(!published.output.contains("dunning policy"))
        #expect(!(try scene.run(["stats"])).output.contains("dunning policy"))
    }

    @Test("a policy that is not valid is refused with exit 65, its file, line and JSON path; nothing is stored")
    func invalidPolicy() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        try scene.write(Self.policy(gaps: "[0d]"), to: "migration/dunning-policy.yaml")
        let refused = try scene.run(["publish", "migration"])
        #expect(refused.status == 65, "\(refused.output) \(refused.errors)")
        #expect(refused.errors.contains("dunning-policy.yaml:5:"), "\(refused.errors)")
        #expect(refused.errors.contains("$.retries.gaps[0]"), "\(refused.errors)")
        #expect(!FileManager.default.fileExists(atPath: scene.folder.appendingPathComponent("purchase-actions.sqlite").path))
    }
}
