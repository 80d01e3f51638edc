/// An ``Automation`` loaded from files, with what loading it found: the export reader's warnings
/// and the compiler's findings (for an export), and the file each workflow came from (for a folder).
///
/// ``Automation/init(exportFile:limits:)-(String,_)`` and ``Automation/init(folder:limits:)-(String,_)`` give the
/// automation alone; this is for a tool that shows what was found, as `purchase-actions simulate`
/// does:
///
/// ```swift
/// let loaded = try LoadedAutomation(exportFile: "Fixtures/exports/course-creator.xml")
/// for warning in loaded.warnings { print(warning) }
/// for finding in loaded.findings { print(finding) }
/// let engine = try Engine(workflows: loaded.automation.workflows, start: start)
/// ```
public struct LoadedAutomation: Sendable {
    /// The workflows, the product of each plan and the account profile.
    public var automation: Automation
    /// The export reader's warnings, in document order (none for a folder).
    public var warnings: [ImportWarning]
    /// Every construct of the export not mapped exactly (`MigrationFinding`), in document order
    /// (none for a folder).
    public var findings: [MigrationFinding]
    /// The file each workflow was read from, by workflow id (for a folder; empty for an export).
    public var files: [String: String]
    /// The templates the workflows' actions took members from, by id: an import's output folder's
    /// `templates/` (empty for a folder of bare workflow files and for an export, whose workflows
    /// are compiled whole).
    public var templates: [String: WorkflowTemplate]
    /// The account an import's output folder describes (`account.json`); `nil` for a folder of bare
    /// workflow files or one without `account.json`, and for an export.
    public var account: AccountFile?

    /// Creates a loaded automation from its parts.
    public init(
        automation: Automation, warnings: [ImportWarning] = [], findings: [MigrationFinding] = [], files: [String: String] = [:],
        templates: [String: WorkflowTemplate] = [:], account: AccountFile? = nil
    ) {
        self.automation = automation
        self.warnings = warnings
        self.findings = findings
        self.files = files
        self.templates = templates
        self.account = account
    }
}

extension Automation {
    /// Reads an export (export format v1, Docs/export-format.md) within `limits` and compiles it
    /// as `import-actions` does: its workflows, the product each plan sells and the account
    /// profile templates read. ``LoadedAutomation/init(exportFile:limits:)-(String,_)`` also gives the
    /// reader's warnings and the compiler's findings.
    ///
    /// - Throws: ``LoadError``: `missing` or `wrong-kind` for a path that is not a file,
    ///   `invalid` or `limit-exceeded` (with the line, column and element path) for an export
    ///   that is not valid, `io` when it cannot be read.
    public init(exportFile path: String, limits: ExportLimits = .default) throws(LoadError) {
        self = try LoadedAutomation(exportFile: path, limits: limits).automation
    }

    /// Reads a folder of workflow files (Docs/workflow-format.md): the output folder of
    /// `import-actions` (holding `workflows/` and `migration-report.json`), read from its
    /// `workflows/` folder, or a folder of `<id>.json` files. See
    /// ``LoadedAutomation/init(folder:limits:)-(String,_)`` for the checks and limits.
    public init(folder path: String, limits: WorkflowFolderLimits = WorkflowFolderLimits()) throws(LoadError) {
        self = try LoadedAutomation(folder: path, limits: limits).automation
    }
}
