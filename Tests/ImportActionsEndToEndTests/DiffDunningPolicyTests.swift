import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import Testing

/// `import-actions diff` compares the two migrations' dunning policies (issue 14): an export's
/// billing settings as `import-actions` writes them, a folder's `dunning-policy.yaml`.
@Suite("import-actions diff: the dunning policy")
struct DiffDunningPolicyTests {
    static let golden = "Fixtures/expected/course-creator"

    /// A copy of the golden folder whose `dunning-policy.yaml` has each `(old, new)` replaced; `body` gets the copy.
    static func withPolicy(_ edits: [(String, String)], _ body: (URL) throws -> Void) throws {
        try ImportWritingTests.withScratch { scratch in
            let source = CLI.root.appendingPathComponent(golden)
            let copy = scratch.appendingPathComponent("copy")
            try FileManager.default.copyItem(at: source, to: copy)
            let file = copy.appendingPathComponent("dunning-policy.yaml")
            var text = try String(contentsOf: file, encoding: .utf8)
            for (old, new) in edits {
                let changed = text.replacing(old, with: new)
                #expect(changed != text, "\(old)")
                text = changed
            }
            try Data(text.utf8).write(to: file)
            try body(copy)
        }
    }

    @Test("Two folders whose policies differ in schedule, a plan and timezone: one line naming them, the counts say so; exit 1")
    func changedPolicy() throws {
        let edits = [("retries: {gaps: [2d, 2d]}", "retries: {gaps: [2d, 3d]}"), ("pp-vip-3: {retries: {gaps: [3d, 3d, 3d]}}", "pp-vip-3: {autocharge: false}"),
                     ("timezone: America/Denver", "timezone: Europe/Berlin")]
        try Self.withPolicy(edits) { copy in
            let result = try CLI.run(["diff", Self.golden, copy.path])
            #expect(result.status == 1, "\(result.errors)")
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines == [
                "~ dunning policy legacy-billing (\(Self.golden)/dunning-policy.yaml → \(copy.path)/dunning-policy.yaml): plans.pp-vip-3.autocharge, plans.pp-vip-3.retries, retries.gaps[1], timezone",
                "workflows: 0 added, 0 removed, 0 changed (steps: 0 added, 0 removed, 0 changed); findings: 0 added, 0 removed; dunning policy changed",
            ], "\(result.output)")
            let json = try CLI.run(["diff", Self.golden, copy.path, "--json"])
            #expect(json.status == 1)
            let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            let policy = object?["dunningPolicy"] as? [String: Any]
            #expect(policy?["members"] as? [String] == ["plans.pp-vip-3.autocharge", "plans.pp-vip-3.retries", "retries.gaps[1]", "timezone"], "\(json.output)")
            #expect((policy?["old"] as? [String: Any])?["id"] as? String == "legacy-billing")
        }
    }

    @Test("An export against a folder whose policy differs: the export's compiled policy is compared")
    func exportAgainstFolder() throws {
        try Self.withPolicy([("name: \"Legacy billing defaults\"", "name: \"Edited\"")]) { copy in
            let result = try CLI.run(["diff", "Fixtures/exports/course-creator.xml", copy.path])
            #expect(result.status == 1, "\(result.errors)")
            #expect(result.output.hasPrefix("~ dunning policy legacy-billing (Fixtures/exports/course-creator.xml → \(copy.path)/dunning-policy.yaml): name\n"), "\(result.output)")
        }
    }

    @Test("The same policy, and a folder without dunning-policy.yaml, compare equal; a policy that is not valid is exit 65 at its place")
    func equalAbsentAndInvalid() throws {
        try Self.withPolicy([("# Dunning policy", "# An edited comment; the same policy\n# Dunning policy")]) { copy in
            let same = try CLI.run(["diff", Self.golden, copy.path])
            #expect(same.status == 0 && same.output.isEmpty, "\(same.output)\(same.errors)")
            try FileManager.default.removeItem(at: copy.appendingPathComponent("dunning-policy.yaml"))
            let absent = try CLI.run(["diff", Self.golden, copy.path])
            #expect(absent.status == 0 && absent.output.isEmpty, "\(absent.output)\(absent.errors)")
        }
        try Self.withPolicy([("timezone: America/Denver", "timezone: [7]")]) { copy in
            let invalid = try CLI.run(["diff", Self.golden, copy.path])
            #expect(invalid.status == 65 && invalid.output.isEmpty, "\(invalid.output)")
            #expect(invalid.errors.hasPrefix("\(copy.path)/dunning-policy.yaml:5:"), "\(invalid.errors)")
        }
    }
}
