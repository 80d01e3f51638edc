import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

/// Compiling each fixture export gives exactly the files in Fixtures/expected (regenerate them with
/// Tools/update-goldens.sh after a deliberate change, and review the diff).
@Suite("Migration: golden workflow files")
struct MigrationGoldenTests {
    static func migration(_ export: String) throws -> Migration {
        let bytes = try [UInt8](Data(contentsOf: Repository.root.appendingPathComponent("Fixtures/exports/\(export)")))
        let document = try ExportReader().read(bytes: bytes, name: "Fixtures/exports/\(export)")
        return LegacyCompiler.compile(document.account)
    }

    /// The export's templates as the compiler stores them, and its account file.
    static func folderParts(_ export: String) throws -> (templates: [WorkflowTemplate], account: AccountFile) {
        let bytes = try [UInt8](Data(contentsOf: Repository.root.appendingPathComponent("Fixtures/exports/\(export)")))
        let account = try ExportReader().read(bytes: bytes, name: "Fixtures/exports/\(export)").account
        var catalogue = account.catalogue
        catalogue.templates = CatalogueTable()
        return (LegacyCompiler(settings: account.settings, catalogue: account.catalogue).templates, AccountFile(settings: account.settings, catalogue: catalogue))
    }

    static func expected(_ export: String) -> URL {
        Repository.root.appendingPathComponent("Fixtures/expected/\(export.replacing(".xml", with: ""))")
    }

    @Test("Every workflow matches its golden file byte for byte, and there are no others", arguments: Repository.exports)
    func workflowsMatchGoldens(export: String) throws {
        let migration = try Self.migration(export)
        let folder = Self.expected(export).appendingPathComponent("workflows")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == migration.workflows.map { "\($0.id).json" }.sorted())
        let templates = try Self.folderParts(export).templates
        let byID = Dictionary(uniqueKeysWithValues: templates.map { ($0.id, $0) })
        for workflow in migration.workflows {
            let golden = try String(contentsOf: folder.appendingPathComponent("\(workflow.id).json"), encoding: .utf8)
            #expect(workflow.json(referencing: byID).canonicalText == golden, "\(workflow.id) differs from its golden file")
        }
    }

    @Test("Every template of the catalogue matches its golden file (templates/<id>.json), once, and there are no others", arguments: Repository.exports)
    func templatesMatchGoldens(export: String) throws {
        let templates = try Self.folderParts(export).templates
        let folder = Self.expected(export).appendingPathComponent("templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == templates.map { "\($0.id).json" }.sorted())
        #expect(!templates.isEmpty)
        for template in templates {
            let golden = try String(contentsOf: folder.appendingPathComponent("\(template.id).json"), encoding: .utf8)
            #expect(template.json.canonicalText == golden, "\(template.id) differs from its golden file")
        }
    }

    @Test("account.json matches its golden file and reads back as the export's account", arguments: Repository.exports)
    func accountMatchesGolden(export: String) throws {
        let account = try Self.folderParts(export).account
        let golden = try Data(contentsOf: Self.expected(export).appendingPathComponent("account.json"))
        #expect(account.json.canonicalBytes == [UInt8](golden))
        #expect(try AccountFile.load([UInt8](golden)) == account)
    }

    @Test("The migration report's findings and workflows match its golden file", arguments: Repository.exports)
    func reportMatchesGolden(export: String) throws {
        let migration = try Self.migration(export)
        let golden = try JSONValue.parse(String(contentsOf: Self.expected(export).appendingPathComponent("migration-report.json"), encoding: .utf8))
        guard case .object(let report) = golden, case .object(let compiled) = migration.report else {
            Issue.record("the golden report is not an object")
            return
        }
        // The import writes format v2 (MigrationReport); its findings are the compiler's, and its
        // workflows the same ids (in the order written rather than sorted).
        #expect(report["findings"] == compiled["findings"])
        guard case .array(let written)? = report["workflows"], case .array(let sorted)? = compiled["workflows"] else {
            Issue.record("no workflows in the report")
            return
        }
        #expect(written.sorted { $0.canonicalText < $1.canonicalText } == sorted)
    }

    @Test("Two compilations give the same bytes", arguments: Repository.exports)
    func deterministic(export: String) throws {
        let first = try Self.migration(export).workflows.map(\.json.canonicalText)
        let second = try Self.migration(export).workflows.map(\.json.canonicalText)
        #expect(first == second)
    }

    @Test("Every generated step, trigger and workflow has a unique id and a source trace", arguments: Repository.exports)
    func idsAndTraces(export: String) throws {
        for workflow in try Self.migration(export).workflows {
            #expect(Workflow.isValidID(workflow.id))
            #expect(workflow.source?.file == "Fixtures/exports/\(export)")
            #expect(workflow.triggers.allSatisfy { $0.source != nil && Workflow.isValidID($0.id) })
            var ids: [String] = []
            func visit(_ steps: [Step]) {
                for step in steps {
                    ids.append(step.id)
                    #expect(step.source.map { $0.line > 0 } == true, "\(workflow.id) step \(step.id) has no source line")
                    switch step.kind {
                    case .branch(let branches, let otherwise):
                        branches.forEach { visit($0.steps) }
                        visit(otherwise)
                    case .wait(.untilCondition(_, _, let steps)), .wait(.untilEvent(_, _, _, let steps)): visit(steps)
                    default: break
                    }
                }
            }
            visit(workflow.steps)
            #expect(Set(ids).count == ids.count, "\(workflow.id) has duplicate step ids")
            #expect(ids.allSatisfy(Workflow.isValidID))
        }
    }

    @Test("Every workflow a step calls, enrolls in or removes from exists", arguments: Repository.exports)
    func referencesResolve(export: String) throws {
        let migration = try Self.migration(export)
        let ids = Set(migration.workflows.map(\.id))
        func targets(_ steps: [Step]) -> [String] {
            steps.flatMap { step -> [String] in
                switch step.kind {
                case .call(let id), .enroll(let id), .unenroll(let id): [id]
                case .branch(let branches, let otherwise): branches.flatMap { targets($0.steps) } + targets(otherwise)
                default: []
                }
            }
        }
        for workflow in migration.workflows {
            for target in targets(workflow.steps) { #expect(ids.contains(target), "\(workflow.id) refers to \(target)") }
        }
    }
}
