import ArgumentParser
import CommandLineSupport
import Foundation
import LegacyImport
import PurchaseActions
import PurchaseActionsEngine

/// A failure loading the simulation's input, with its exit code.
struct InputFailure: Error {
    var message: String
    var exitCode: ExitCode
}

/// The workflows to run and what the engine needs to know about the catalogue.
struct SimulationInput {
    var workflows: [Workflow]
    var productOfPlan: [String: String]
    /// The company and users templates read: an export's, or none for workflow files.
    var account = AccountProfile()
    let effects = RecordingEffectSink()

    /// Compiles an export as `import-actions` does, within the reader's limits.
    static func fromExport(_ path: String, limits: ExportLimits) throws -> SimulationInput {
        try require(path, is: .file, takes: "--export takes an export file (XML)")
        do {
            let document = try ExportReader(limits: limits).read(file: path)
            let migration = LegacyCompiler.compile(document.account)
            let plans = document.account.catalogue.subscriptionPlans.mapValues(\.productID)
            return SimulationInput(workflows: migration.workflows, productOfPlan: plans, account: AccountProfile(document.account))
        } catch {
            let status =
                switch error.code {
                case .missingInput: ExitStatus.missingInput
                case .io: ExitStatus.io
                default: ExitStatus.invalidData
                }
            throw InputFailure(message: error.description, exitCode: status)
        }
    }

    /// Loads every `<id>.json` file of a folder as a workflow. The output folder of
    /// `import-actions` (holding `workflows/` and `migration-report.json`) is read from its
    /// `workflows/` folder. Hidden files (such as macOS's `._name.json`) and files not ending in
    /// `.json` are not workflows and are skipped; a `.json` file whose name is not its workflow's
    /// id is refused.
    static func fromFolder(_ given: String) throws -> SimulationInput {
        try require(given, is: .folder, takes: "--workflows takes a folder of workflow files (<id>.json)")
        var path = given
        let isMigration = { (folder: String) in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/workflows", isDirectory: &isFolder) && isFolder.boolValue
                && FileManager.default.fileExists(atPath: folder + "/migration-report.json")
        }
        if isMigration(path) { path += path.hasSuffix("/") ? "workflows" : "/workflows" }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw InputFailure(message: "error: cannot read the folder \(path)", exitCode: ExitStatus.io)
        }
        var workflows: [Workflow] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = path + (path.hasSuffix("/") ? "" : "/") + name
            try require(file, is: .file, takes: "a folder given to --workflows holds workflow files (<id>.json)")
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputFailure(message: "\(file): error: cannot read the file", exitCode: ExitStatus.io)
            }
            let workflow: Workflow
            do {
                workflow = try Workflow.load([UInt8](data))
            } catch {
                throw InputFailure(message: "\(file):\(error.line.map { "\($0):" } ?? "") error: \(error.path): \(error.message)", exitCode: ExitStatus.invalidData)
            }
            guard name == workflow.id + ".json" else {
                throw InputFailure(
                    message: "\(file): error: $.id: the file of workflow '\(workflow.id)' must be named \(workflow.id).json (Docs/workflow-format.md, \"Checks beyond the schema\")",
                    exitCode: ExitStatus.invalidData)
            }
            workflows.append(workflow)
        }
        guard !workflows.isEmpty else {
            throw InputFailure(message: "\(path): error: no workflow files (<id>.json) in the folder", exitCode: ExitStatus.invalidData)
        }
        return SimulationInput(workflows: workflows, productOfPlan: [:])
    }

    /// Fails with exit 66 when `path` is missing or the wrong kind.
    static func require(_ path: String, is expected: InputPath.Expected, takes: String) throws {
        do {
            try InputPath.check(path, is: expected, takes: takes)
        } catch {
            throw InputFailure(message: error.description, exitCode: error.exitCode)
        }
    }
}
