import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore

extension Import {
    /// Reads the export, compiles each part as it arrives and writes the workflow files.
    func runImport() throws {
        let stream = try Self.open(ExportReader(limits: limits.limits), export)
        let folder = outputFolder
        let directory = try OutputDirectory(destination: folder, force: force, input: export)
        var run = MigrationRun()
        var drawing: Pictures?
        var templates: [String: WorkflowTemplate]?
        var report = ReportWriter(directory: directory, export: export)
        do {
            if pictures { drawing = try Pictures(in: directory) }
            while let item = try stream.next() {
                report.add(item)
                if let output = run.add(item) {
                    // The catalogue, and so every template, precedes the first part (export format v1).
                    if templates == nil { templates = run.templatesByID }
                    try directory.write(Self.workflowFile(output.workflow, templates: templates ?? [:]), to: "workflows/\(output.workflow.id).json")
                    try drawing?.add(output.workflow, to: directory)
                    try report.add(output)
                }
            }
            try Self.writeTemplatesAndAccount(run, to: directory)
            drawing?.makeSVGs(quiet: quiet)
            try report.finish(findings: run.findings, warnings: stream.warnings, inlineSVG: drawing?.inlineSVG)
        } catch {
            directory.abandon()
            throw error
        }
        var failure: CommandError?
        do {
            try directory.commit()
        } catch {
            directory.abandon()
            // Written, but the old output is left over: still say what was written, then why it failed.
            guard error.code == .oldOutputLeft else { throw error }
            failure = error
        }
        if !quiet {
            for warning in stream.warnings { Terminal.error(warning.description) }
            for finding in Migration.documentOrder(run.findings) { Terminal.error(finding.description) }
            Terminal.line("\(export) → \(folder): \(run.summary(warnings: stream.warnings.count))")
        }
        if let failure { throw failure }
        if strict, !stream.warnings.isEmpty || !run.findings.isEmpty { throw ExitStatus.findings }
    }
}

