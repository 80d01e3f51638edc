// README.md's short sample ("To read and compile an export without running it"), compiled (run from
// the repository root, as README says). README's program is Tools/AppCheck/Sources/MyApp/App.swift,
// built and run by Tools/check-app-package.sh.
import PurchaseActions

/// Reads and compiles a bundled export, printing each workflow and finding; returns the workflow ids.
func readmeCompileExport() throws -> [String] {
    let document = try ExportReader().read(file: "Fixtures/exports/course-creator.xml")
    let migration = LegacyCompiler.compile(document.account)
    for workflow in migration.workflows { print(workflow.id, workflow.triggers.map(\.event)) }
    for finding in migration.findings { print(finding) }   // file:line:column: note: ... [code]
    return migration.workflows.map(\.id)
}
