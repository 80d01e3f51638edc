import CommandLineTesting
import Foundation
import Testing

/// The output folder is one self-describing migration: every template once under `templates/`,
/// `account.json`, workflows that refer to templates; `--force` replaces exactly what the command
/// (and its report and pictures) writes.
@Suite("import-actions, the migration folder")
struct MigrationFolderWritingTests {
    @Test("Every template of the catalogue is written once, and no workflow repeats a template's text")
    func templatesOnce() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run(["Fixtures/exports/physical-goods-store.xml", "-o", out.path])
            #expect(result.status == 0, "\(result.errors)")
            let tree = try ImportWritingTests.tree(out)
            let templates = tree.keys.filter { $0.hasPrefix("templates/") }
            let export = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/exports/physical-goods-store.xml"), encoding: .utf8)
            let declared = export.components(separatedBy: "-template id=\"").count - 1
            #expect(templates.count == declared, "one file per template element of the export")
            #expect(tree["account.json"] != nil)
            let workflows = tree.filter { $0.key.hasPrefix("workflows/") }.map { String(decoding: $0.value, as: UTF8.self) }
            // A body that only a template holds appears in no workflow file.
            let body = "Your bank declined the payment for your order"
            #expect(tree.contains { $0.key.hasPrefix("templates/") && String(decoding: $0.value, as: UTF8.self).contains(body) })
            #expect(!workflows.contains { $0.contains(body) })
        }
    }

    @Test("--force replaces an output holding every name the tools write: report files, templates, account.json, pictures")
    func forceReplacesWholeMigration() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path]).status == 0)
            try FileManager.default.createDirectory(at: out.appendingPathComponent("pictures"), withIntermediateDirectories: false)
            for file in ["migration-report.md", "migration-report.html", "pictures/slot.successful-purchase.dot", "pictures/slot.successful-purchase.svg"] {
                try Data("x".utf8).write(to: out.appendingPathComponent(file))
            }
            let forced = try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"])
            #expect(forced.status == 0, "\(forced.errors)")
            let tree = try ImportWritingTests.tree(out)
            #expect(tree.keys.contains("account.json") && tree.keys.contains { $0.hasPrefix("templates/") })
            #expect(tree["migration-report.md"] != Data("x".utf8) && !tree.keys.contains { $0.hasPrefix("pictures/") }, "the old files are gone")
        }
    }

    @Test("--force refuses a migration folder holding anything else: a foreign file in templates/ or pictures/, templates as a file", arguments: [
        "templates/notes.txt", "templates/.hidden.json", "pictures/photo.png", "templates", "account.json/x", "migration-report.md/x",
    ])
    func forceRefusesForeignEntries(entry: String) throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path]).status == 0)
            let target = out.appendingPathComponent(entry)
            if entry == "templates" {
                try FileManager.default.removeItem(at: target)
            } else if entry.hasSuffix("/x") {
                try? FileManager.default.removeItem(at: target.deletingLastPathComponent())
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            try Data("keep me".utf8).write(to: target)
            let before = try ImportWritingTests.tree(out)
            let result = try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"])
            #expect(result.status == 73, "\(entry): \(result.errors)")
            #expect(result.errors.contains("holds files this command did not write"))
            #expect(try ImportWritingTests.tree(out) == before)
        }
    }
}
