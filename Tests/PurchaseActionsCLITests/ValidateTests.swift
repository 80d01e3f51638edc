import CommandLineTesting
import Foundation
import Testing

/// Issue 12, item 5: `purchase-actions validate`, end to end: one line per problem, a summary, exit
/// codes 0 / 1 (--strict) / 64 / 65 / 66 (Docs/cli.md, "validate").
@Suite("purchase-actions validate, end to end")
struct ValidateTests {
    static let broken = "Fixtures/workflows/broken-migration"

    static func validate(_ arguments: [String]) throws -> BuiltProducts.Result { try Tool.run("purchase-actions", ["validate"] + arguments) }

    @Test("The broken migration: exit 65, one line per problem in the documented form, then the summary")
    func broken() throws {
        let result = try Self.validate([Self.broken])
        #expect(result.status == 65)
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines.count == 20)
        #expect(lines.contains(
            "Fixtures/workflows/broken-migration/workflows/slot.main.json:38: error: call of workflow 'action-set.gone', which is not among the workflows validated (no action-set.gone.json) [unknown-workflow] (at $.steps[2].workflow)"))
        #expect(lines.contains(
            "Fixtures/workflows/broken-migration/workflows/syntax.json:5:1: error: unexpected end of input: expected ',' or '}' [invalid-json] (at $)"))
        #expect(result.output == "17 errors, 3 warnings in 6 workflow files (4 templates, account.json)\n")
    }

    /// Every output folder under Fixtures/expected (a folder holding workflows/).
    static let goldens: [String] = {
        let expected = BuiltProducts.root.appendingPathComponent("Fixtures/expected").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: expected)) ?? []
        return names.sorted().filter { FileManager.default.fileExists(atPath: expected + "/" + $0 + "/workflows") }
    }()

    @Test("Each golden output folder under Fixtures/expected validates with exit 0", arguments: goldens)
    func golden(name: String) throws {
        let result = try Self.validate(["Fixtures/expected/\(name)"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.hasPrefix("0 errors, "))
        #expect(!result.errors.contains(": error: "))
    }

    @Test("There are golden folders to validate")
    func goldensFound() { #expect(Self.goldens.count >= 3) }

    @Test("Warnings alone: exit 0, and 1 with --strict")
    func strict() throws {
        try Tool.withScratch { scratch in
            let workflow = """
                {"formatVersion": 1, "id": "lonely", "name": "Lonely", "priority": 0, "status": "published", "version": 1, "triggers": [],
                 "steps": [{"id": "end", "type": "exit"}],
                 "settings": {"accountTimezone": "UTC", "allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account"}}
                """
            try Data(workflow.utf8).write(to: scratch.appendingPathComponent("lonely.json"))
            let plain = try Self.validate([scratch.path])
            #expect(plain.status == 0)
            #expect(plain.errors.contains("lonely.json:1: warning: workflow 'lonely' has no trigger and no other workflow calls or enrolls into it: nothing starts it [unreachable-workflow] (at $.triggers)"))
            let strict = try Self.validate([scratch.path, "--strict"])
            #expect(strict.status == 1)
        }
    }

    @Test("--json: one JSON object with the counts and every problem")
    func json() throws {
        let result = try Self.validate([Self.broken, "--json"])
        #expect(result.status == 65)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 17 && object["warnings"] as? Int == 3)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.count == 20)
        #expect(problems.allSatisfy { $0["file"] is String && $0["code"] is String && $0["line"] is Int })
    }

    @Test("--max-problems N prints N problems, then the summary counting all and the rest by code")
    func maxProblems() throws {
        let result = try Self.validate([Self.broken, "--max-problems", "2"])
        #expect(result.status == 65)
        #expect(result.errors.split(separator: "\n").count == 2)
        #expect(result.output.hasPrefix("17 errors, 3 warnings in 6 workflow files (4 templates, account.json); 18 more not shown (all: ") == true)
    }

    @Test("No path, or --max-problems 0: usage, exit 64; a missing path: exit 66")
    func usage() throws {
        #expect(try Self.validate([]).status == 64)
        #expect(try Self.validate([Self.broken, "--max-problems", "0"]).status == 64)
        let missing = try Self.validate(["no-such-folder"])
        #expect(missing.status == 66)
        #expect(missing.errors.contains("no-such-folder: error: no such file or folder; validate takes workflow files, folders of them, or an import's output folder"))
    }

    @Test("Docs/cli.md's example lines for the broken migration are what validate prints")
    func documented() throws {
        let docs = try String(contentsOf: BuiltProducts.root.appendingPathComponent("Docs/cli.md"), encoding: .utf8)
        let shown = docs.split(separator: "\n").filter { $0.hasPrefix("\(Self.broken)/") }.map(String.init)
        #expect(shown.count >= 10)
        let printed = Set(try Self.validate([Self.broken]).errors.split(separator: "\n").map(String.init))
        for line in shown { #expect(printed.contains(line), "\(line)") }
        // The clean example's summary too.
        let clean = try Self.validate(["Fixtures/expected/course-creator"]).output
        #expect(docs.contains("$ purchase-actions validate Fixtures/expected/course-creator\n" + clean))
    }
}
