import CommandLineTesting
import Foundation
import Testing

/// The review of issue 12 on `purchase-actions validate`: an import's own output passes `--strict`;
/// a file inside a migration's `workflows/` folder is checked with its templates and account; every
/// problem has a JSON path; problems are sorted before `--max-problems` cuts them.
@Suite("purchase-actions validate, review of issue 12")
struct ValidateReviewTests {
    static func validate(_ arguments: [String]) throws -> BuiltProducts.Result { try Tool.run("purchase-actions", ["validate"] + arguments) }

    /// The bundled exports, and the second version of course-creator, whose template tpl-masterclass no action uses.
    static let exports = [
        "Fixtures/exports/course-creator.xml", "Fixtures/exports/membership-site.xml", "Fixtures/exports/physical-goods-store.xml",
        "Fixtures/exports-v2/course-creator.xml",
    ]

    @Test("An import's fresh output passes validate --strict (its unused templates are no problem there), and its workflows/ alone", arguments: exports)
    func importPassesStrict(export: String) throws {
        try Tool.withScratch { scratch in
            let out = scratch.appendingPathComponent("out").path
            let imported = try Tool.run("import-actions", [export, "-o", out, "-q"])
            #expect(imported.status == 0, "\(imported.errors)")
            for path in [out, out + "/workflows"] {
                let result = try Self.validate([path, "--strict"])
                #expect(result.status == 0, "\(path): \(result.errors)\(result.output)")
                #expect(result.output.hasPrefix("0 errors, 0 warnings in "), "\(result.output)")
            }
        }
    }

    @Test("The same templates without migration-report.json: an unused template is a warning (exit 1 with --strict)")
    func unusedTemplateOutsideAnImport() throws {
        try Tool.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            #expect(try Tool.run("import-actions", ["Fixtures/exports-v2/course-creator.xml", "-o", out.path, "-q"]).status == 0)
            try FileManager.default.removeItem(at: out.appendingPathComponent("migration-report.json"))
            let result = try Self.validate([out.path, "--strict"])
            #expect(result.status == 1)
            #expect(result.errors.contains("/templates/tpl-masterclass.json:") && result.errors.contains("[unused-template] (at $.id)"), "\(result.errors)")
        }
    }

    @Test("One file inside a migration's workflows/ folder: read with its templates/ and account.json, its calls known; exit 0 with --strict")
    func fileInsideWorkflows() throws {
        let folder = "Fixtures/expected/course-creator/workflows"
        let names = try FileManager.default.contentsOfDirectory(atPath: Tool.root.appendingPathComponent(folder).path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count > 3)
        for name in names {
            let result = try Self.validate([folder + "/" + name, "--strict"])
            #expect(result.status == 0, "\(name): \(result.errors)")
            #expect(result.output.hasSuffix("in 1 workflow file (7 templates, account.json)\n"), "\(name): \(result.output)")
        }
        // Two files of it together: one set, with the same templates and account.
        let two = try Self.validate([folder + "/" + names[0], folder + "/" + names[1]])
        #expect(two.status == 0 && two.output == "0 errors, 0 warnings in 2 workflow files (7 templates, account.json)\n", "\(two.output)")
    }

    @Test("simulate --workflows on a migration's workflows/ folder gives what the whole folder gives")
    func simulateWorkflowsFolder() throws {
        let events = "Fixtures/events/course-creator.jsonl"
        let whole = try Tool.simulate(["--workflows", "Fixtures/expected/course-creator", "--events", events, "--until", "30d"])
        let alone = try Tool.simulate(["--workflows", "Fixtures/expected/course-creator/workflows", "--events", events, "--until", "30d"])
        #expect(whole.status == 0 && alone.status == 0, "\(alone.errors)")
        #expect(alone.output == whole.output && alone.errors == whole.errors)
    }

    @Test("Every problem carries a JSON path: `{}` is at $ (the root)")
    func rootPath() throws {
        try Tool.withScratch { scratch in
            try Data("{}".utf8).write(to: scratch.appendingPathComponent("odd.json"))
            try Data("{".utf8).write(to: scratch.appendingPathComponent("syntax.json"))
            let result = try BuiltProducts.run("purchase-actions", ["validate", "odd.json", "syntax.json"], in: scratch)
            #expect(result.status == 65)
            #expect(result.errors.contains("odd.json:1: error: the member 'formatVersion' is required here [schema] (at $)\n"), "\(result.errors)")
            #expect(result.errors.contains("[invalid-json] (at $)\n"), "\(result.errors)")
            let json = try BuiltProducts.run("purchase-actions", ["validate", "odd.json", "syntax.json", "--json"], in: scratch)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let problems = try #require(object["problems"] as? [[String: Any]])
            #expect(problems.count == 2 && problems.allSatisfy { $0["path"] as? String == "$" })
        }
    }

    @Test("--max-problems cuts the problems sorted by file, line, column and path, whatever order they were found in")
    func sortedBeforeTheCut() throws {
        try Tool.withScratch { scratch in
            // b.json's schema error is found while reading; a.json's warning only at the end (nothing starts it).
            let lonely = """
                {"formatVersion": 1, "id": "a", "name": "A", "priority": 0, "status": "published", "version": 1, "triggers": [],
                 "steps": [{"id": "end", "type": "exit"}],
                 "settings": {"accountTimezone": "UTC", "allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account"}}
                """
            try Data(lonely.utf8).write(to: scratch.appendingPathComponent("a.json"))
            try Data("{}".utf8).write(to: scratch.appendingPathComponent("b.json"))
            let all = try BuiltProducts.run("purchase-actions", ["validate", "."], in: scratch)
            let lines = all.errors.split(separator: "\n").map(String.init)
            #expect(lines.count == 2 && lines[0].hasPrefix("./a.json:1: warning:") && lines[1].hasPrefix("./b.json:1: error:"), "\(all.errors)")
            let one = try BuiltProducts.run("purchase-actions", ["validate", ".", "--max-problems", "1"], in: scratch)
            #expect(one.errors.split(separator: "\n").map(String.init) == [lines[0]])
            // Two output folders given in reverse order: still sorted by file.
            for name in ["x", "y"] {
                let folder = scratch.appendingPathComponent(name + "/workflows")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data("{}".utf8).write(to: folder.appendingPathComponent("w.json"))
            }
            let reversed = try BuiltProducts.run("purchase-actions", ["validate", "y", "x", "--max-problems", "1"], in: scratch)
            #expect(reversed.errors.hasPrefix("x/workflows/w.json:1: error:"), "\(reversed.errors)")
        }
    }
}
