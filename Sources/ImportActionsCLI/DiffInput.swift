import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore

/// One side of `import-actions diff`: the workflows and the findings of an export (compiled as
/// `import-actions` compiles it) or of a folder (an `import-actions` output folder, or a folder of
/// workflow files).
struct DiffInput {
    /// A finding of the migration report: what `diff` compares of it.
    struct Finding: Hashable {
        var code: String
        var message: String
        var workflow: String
        var file: String
        var line: Int

        /// What two findings must share to be the same finding: code, message and workflow, not the
        /// line (sources are not compared: lines moved are the same migration; the line is shown).
        var key: [String] { [code, message, workflow] }
    }

    /// The path as given.
    var path: String
    /// The workflows, by id.
    var workflows: [String: Workflow]
    /// The findings, sorted by line, code and message.
    var findings: [Finding]
    /// The dunning policy: an export's billing settings as `import-actions` writes them to
    /// `dunning-policy.yaml`, or a folder's `dunning-policy.yaml` (beside a `workflows/` folder
    /// given alone); `nil` for a folder without one (bare workflow files), which is not compared.
    var policy: Policy?

    /// A migration's dunning policy and the file it was read or compiled from.
    struct Policy {
        var policy: DunningPolicy
        /// `<folder>/dunning-policy.yaml`, or the export's path.
        var file: String
    }

    /// The most bytes of a `migration-report.json` read for its findings: 512 MiB.
    static let maxReportBytes = 512 * 1024 * 1024

    /// Reads `path`: a folder as an output folder or a folder of workflow files, anything else as
    /// an export.
    init(_ path: String, limits: ExportLimits) throws {
        self.path = path
        if FileAccess.kind(path) == .folder {
            let loaded = try LoadedAutomation(folder: path)
            workflows = Dictionary(loaded.automation.workflows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let folder = Self.reportFolder(of: path)
            findings = try Self.reportFindings(in: folder)
            let file = folder + (folder.hasSuffix("/") ? "" : "/") + Import.dunningPolicyFile
            policy = FileAccess.kind(file) == .missing ? nil : Policy(policy: try DunningPolicyFile.load(path: file), file: file)
        } else {
            try InputPath.check(path, is: .file, takes: "import-actions diff takes two exports (XML) or two output folders of import-actions")
            let stream = try ExportReader(limits: limits).stream(file: path)
            var run = MigrationRun()
            var workflows: [String: Workflow] = [:]
            while let item = try stream.next() {
                if let output = run.add(item) { workflows[output.workflow.id] = output.workflow }
            }
            self.workflows = workflows
            policy = Policy(policy: Import.dunningPolicy(run), file: path)
            findings = run.findings.map {
                Finding(code: $0.code.rawValue, message: $0.message, workflow: $0.workflowID, file: $0.location.file, line: $0.location.line)
            }
        }
        findings.sort { ($0.line, $0.code, $0.message, $0.workflow) < ($1.line, $1.code, $1.message, $1.workflow) }
    }

    /// The folder whose `migration-report.json` holds the findings of the folder `path`: `path`
    /// itself, or, for a migration's `workflows/` folder given alone (a folder named `workflows`
    /// with a `migration-report.json` beside it), the migration folder holding it, as `simulate`
    /// and `validate` read the templates and account beside it.
    static func reportFolder(of path: String) -> String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed == "workflows" || trimmed.hasSuffix("/workflows"), FileAccess.kind(path + (path.hasSuffix("/") ? "" : "/") + "migration-report.json") == .missing
        else { return path }
        let parent = String(trimmed.dropLast("workflows".count))
        let folder = parent.isEmpty ? "./" : parent
        return FileAccess.kind(folder + "migration-report.json") != .missing ? folder : path
    }

    /// The findings of `<folder>/migration-report.json` (its `findings` array: `code`, `message`,
    /// `workflow`, `source.file`, `source.line`), none when the folder has no report.
    static func reportFindings(in folder: String) throws -> [Finding] {
        let file = folder + (folder.hasSuffix("/") ? "" : "/") + "migration-report.json"
        guard FileAccess.kind(file) != .missing else { return [] }
        let bytes = try readReport(file)
        let report: JSONValue
        do {
            report = try JSONValue.parse(bytes)
        } catch {
            throw LoadError(error, file: file, line: error.line)
        }
        let root = JSONPath.root
        func refuse(_ path: JSONPath, _ what: String) -> LoadError {
            LoadError(.invalid, "\(what) (a migration report written by import-actions holds one)", file: file, line: JSONValue.position(of: path, in: bytes)?.line, jsonPath: path)
        }
        guard case .object(let members) = report, case .array(let list)? = members["findings"] else {
            throw refuse(root.member("findings"), "expected an array of findings")
        }
        return try list.enumerated().map { index, value in try finding(value, at: root.member("findings").index(index), refuse: refuse) }
    }
}
