import ArgumentParser
import CommandLineSupport
import Foundation
import LegacyImport
import PurchaseActionsCore
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
    /// What reading and compiling the input found, printed to standard error before the run:
    /// the reader's warnings and the compiler's findings that change what runs, as `import-actions`
    /// prints them (Docs/cli.md, "Warnings").
    var notes: [String] = []
    /// Workflows a compiler finding already names as over the work budget (not warned about twice).
    var overBudgetNoted: Set<String> = []
    /// The file each workflow came from, for warnings (`--workflows`).
    var files: [String: String] = [:]

    /// The compiler findings `simulate` prints: those that make the run differ from what the
    /// legacy system did (the rest are in the migration report `import-actions` writes).
    static let findingsShown: Set<MigrationFinding.Code> = [
        .legacyAction, .queuedFulfillmentList, .sendTimeIgnored, .missingReference, .valueOutOfRange, .headerLineBreak, .expansionOverBudget,
    ]

    /// Compiles an export as `import-actions` does, within the reader's limits.
    static func fromExport(_ path: String, limits: ExportLimits) throws -> SimulationInput {
        try require(path, is: .file, takes: "--export takes an export file (XML)")
        do {
            let document = try ExportReader(limits: limits).read(file: path)
            let migration = LegacyCompiler.compile(document.account)
            let plans = document.account.catalogue.subscriptionPlans.mapValues(\.productID)
            var input = SimulationInput(workflows: migration.workflows, productOfPlan: plans, account: AccountProfile(document.account))
            let shown = migration.findings.filter { findingsShown.contains($0.code) }
            input.notes = document.warnings.map(\.description) + shown.map(\.description)
            input.overBudgetNoted = Set(shown.filter { $0.code == .expansionOverBudget }.map(\.workflowID))
            return input
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
    ///
    /// At most `maxFiles` workflow files are read, each of at most `maxBytes` bytes
    /// (``WorkflowLimits/filesPerFolder``, ``WorkflowLimits/fileBytes``); past either, exit 65
    /// before any is decoded or read whole.
    static func fromFolder(
        _ given: String, maxBytes: Int = WorkflowLimits.fileBytes, maxFiles: Int = WorkflowLimits.filesPerFolder
    ) throws -> SimulationInput {
        try require(given, is: .folder, takes: "--workflows takes a folder of workflow files (<id>.json)")
        var path = given
        let isMigration = { (folder: String) in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/workflows", isDirectory: &isFolder) && isFolder.boolValue
                && FileManager.default.fileExists(atPath: folder + "/migration-report.json")
        }
        if isMigration(path) { path += path.hasSuffix("/") ? "workflows" : "/workflows" }
        let names = try workflowNames(in: path, maxFiles: maxFiles)
        var input = SimulationInput(workflows: [], productOfPlan: [:])
        let zones = SystemTimeZoneDatabase()
        for name in names.sorted() {
            let file = path + (path.hasSuffix("/") ? "" : "/") + name
            try require(file, is: .file, takes: "a folder given to --workflows holds workflow files (<id>.json)")
            let data = try contents(of: file, maxBytes: maxBytes)
            let workflow: Workflow
            do {
                workflow = try Workflow.load(data)
            } catch {
                throw InputFailure(message: "\(file):\(error.line.map { "\($0):" } ?? "") error: \(error.path): \(error.message)", exitCode: ExitStatus.invalidData)
            }
            guard name == workflow.id + ".json" else {
                throw InputFailure(
                    message: "\(file): error: $.id: the file of workflow '\(workflow.id)' must be named \(workflow.id).json (Docs/workflow-format.md, \"Checks beyond the schema\")",
                    exitCode: ExitStatus.invalidData)
            }
            // The engine needs the zone's rules: an unknown one is this file's error, with its place.
            let zone = workflow.settings.accountTimezone
            if zones.rules(named: zone) == nil {
                let path = JSONPath.root.member("settings").member("accountTimezone")
                let line = JSONValue.position(of: path, in: data).map { "\($0.line):" } ?? ""
                throw InputFailure(
                    message: "\(file):\(line) error: \(path): unknown timezone '\(DisplayText.escape(zone))': no such zone in the system's timezone database (/usr/share/zoneinfo; is the tzdata package installed?)",
                    exitCode: ExitStatus.invalidData)
            }
            input.workflows.append(workflow)
            input.files[workflow.id] = file
        }
        guard !input.workflows.isEmpty else {
            throw InputFailure(message: "\(path): error: no workflow files (<id>.json) in the folder", exitCode: ExitStatus.invalidData)
        }
        return input
    }

    /// The names of the workflow files in a folder (`*.json`, not hidden), listed one entry at a
    /// time, so a folder of millions of entries is refused without holding their names.
    static func workflowNames(in path: String, maxFiles: Int) throws -> [String] {
        guard
            let entries = FileManager.default.enumerator(
                at: URL(fileURLWithPath: path, isDirectory: true), includingPropertiesForKeys: nil, options: [.skipsSubdirectoryDescendants])
        else {
            throw InputFailure(message: "error: cannot read the folder \(path)", exitCode: ExitStatus.io)
        }
        var names: [String] = []
        for case let entry as URL in entries {
            let name = entry.lastPathComponent
            guard name.hasSuffix(".json"), !name.hasPrefix(".") else { continue }
            guard names.count < maxFiles else {
                throw InputFailure(
                    message: "\(path): error: the folder holds more than \(maxFiles) workflow files (*.json), the most --workflows reads (Docs/workflow-format.md, \"Limits\")",
                    exitCode: ExitStatus.invalidData)
            }
            names.append(name)
        }
        return names
    }

    /// A file's bytes, refused (exit 65) past `maxBytes` without reading more than one byte past it.
    static func contents(of file: String, maxBytes: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw InputFailure(message: "\(file): error: cannot read the file", exitCode: ExitStatus.io)
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: maxBytes == Int.max ? maxBytes : maxBytes + 1)
        } catch {
            throw InputFailure(message: "\(file): error: cannot read the file", exitCode: ExitStatus.io)
        }
        let bytes = [UInt8](data ?? Data())
        guard bytes.count <= maxBytes else {
            throw InputFailure(
                message: "\(file): error: the file is larger than \(maxBytes) bytes, the most a workflow file may hold (Docs/workflow-format.md, \"Limits\")",
                exitCode: ExitStatus.invalidData)
        }
        return bytes
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
