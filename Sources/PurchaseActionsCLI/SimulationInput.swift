import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine

/// The workflows to run, loaded by the library's loaders (``LoadedAutomation``), and what
/// `simulate` prints about them before the run.
struct SimulationInput {
    /// The automation and what loading it found.
    var loaded: LoadedAutomation
    let effects = RecordingEffectSink()
    /// What reading and compiling the input found, printed to standard error before the run:
    /// the reader's warnings and the compiler's findings that change what runs, as `import-actions`
    /// prints them (Docs/cli.md, "Warnings").
    var notes: [String] = []
    /// Workflows a compiler finding already names as over the work budget (not warned about twice).
    var overBudgetNoted: Set<String> = []

    /// The automation the engine runs.
    var automation: Automation { loaded.automation }
    /// The workflows.
    var workflows: [Workflow] { loaded.automation.workflows }
    /// The product each plan sells: an export's, or none for workflow files.
    var productOfPlan: [String: String] { loaded.automation.productOfPlan }
    /// The company and users templates read: an export's, or none for workflow files.
    var account: AccountProfile { loaded.automation.account }
    /// The file each workflow came from, for warnings (`--workflows`).
    var files: [String: String] { loaded.files }

    /// The compiler findings `simulate` prints: those that make the run differ from what the
    /// legacy system did (the rest are in the migration report `import-actions` writes).
    static let findingsShown: Set<MigrationFinding.Code> = [
        .legacyAction, .queuedFulfillmentList, .sendTimeIgnored, .missingReference, .valueOutOfRange, .headerLineBreak, .expansionOverBudget,
    ]

    /// Compiles an export as `import-actions` does, within the reader's limits.
    static func fromExport(_ path: String, limits: ExportLimits) throws -> SimulationInput {
        try InputPath.check(path, is: .file, takes: "--export takes an export file (XML)")
        var input = SimulationInput(loaded: try LoadedAutomation(exportFile: path, limits: limits))
        let shown = input.loaded.findings.filter { findingsShown.contains($0.code) }
        input.notes = input.loaded.warnings.map(\.description) + shown.map(\.description)
        input.overBudgetNoted = Set(shown.filter { $0.code == .expansionOverBudget }.map(\.workflowID))
        return input
    }

    /// Loads a folder of workflow files, or the output folder of `import-actions`
    /// (``LoadedAutomation/init(folder:limits:)`` has the checks and limits).
    static func fromFolder(_ path: String, limits: WorkflowFolderLimits) throws -> SimulationInput {
        try InputPath.check(path, is: .folder, takes: "--workflows takes a folder of workflow files (<id>.json)")
        return SimulationInput(loaded: try LoadedAutomation(folder: path, limits: limits))
    }
}
