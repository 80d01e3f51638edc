import CommandLineTesting
import Foundation
import Testing

/// `simulate --workflows DIR` on an import's output folder reads it whole (workflows, templates,
/// account.json) and runs exactly as the export does: the same bytes, text and JSON; `--migration`
/// is the same option.
@Suite("simulate on a migration folder: the same log as the export")
struct SimulateMigrationTests {
    static let exports = ["course-creator", "membership-site", "physical-goods-store"]

    @Test("simulate --workflows on each golden folder prints the export's simulation byte for byte (text and --json); --migration too", arguments: exports)
    func sameAsExport(name: String) throws {
        for extra in [[], ["--json"]] {
            let common = ["--events", "Fixtures/events/\(name).jsonl", "--until", "30d"] + extra
            let fromExport = try Tool.run("purchase-actions", ["simulate", "--export", "Fixtures/exports/\(name).xml"] + common)
            #expect(fromExport.status == 0, "\(fromExport.errors)")
            for option in ["--workflows", "--migration"] {
                let fromFolder = try Tool.run("purchase-actions", ["simulate", option, "Fixtures/expected/\(name)"] + common)
                #expect(fromFolder.status == 0, "\(fromFolder.errors)")
                #expect(fromFolder.output == fromExport.output, "\(option) \(extra)")
            }
            // The migration's workflows/ given by itself reads the templates and account beside it.
            let fromWorkflows = try Tool.run("purchase-actions", ["simulate", "--workflows", "Fixtures/expected/\(name)/workflows"] + common)
            #expect(fromWorkflows.output == fromExport.output, "workflows/ \(extra)")
        }
    }

    @Test("A migration folder whose template is gone: exit 65 with the workflow file, line and the template member's path")
    func missingTemplate() throws {
        let scratch = try BuiltProducts.scratch("pa-sim-migration")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("m")
        try FileManager.default.copyItem(at: Tool.root.appendingPathComponent("Fixtures/expected/course-creator"), to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("templates/tpl-receipt.json"))
        let result = try Tool.run(
            "purchase-actions", ["simulate", "--migration", folder.path, "--events", "Fixtures/events/course-creator.jsonl"])
        #expect(result.status == 65)
        #expect(result.errors.contains("/workflows/action-set.as-receipt.json:"))
        #expect(result.errors.contains("error: $.steps[0].action.template: "))
        #expect(result.errors.contains("which is not in templates/"))
    }
}
