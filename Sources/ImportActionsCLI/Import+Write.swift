import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore

extension Import {
    /// Reads the export, compiles each part as it arrives and writes the migration folder: the
    /// workflow files (on a background thread), the templates and account file, the pictures with
    /// `--pictures`, and the report.
    func runImport(clock: ImportClock = .system) throws {
        let started = clock.now()
        let stream = try Self.open(ExportReader(limits: limits.limits), export)
        let folder = outputFolder
        let directory = try OutputDirectory(destination: folder, force: force, input: export)
        // The report lists every finding in document order, so the run keeps them: templates are
        // stored once and their findings reported once, which keeps the list far shorter than the
        // actions (Benchmarks/README.md, "Import").
        var run = MigrationRun()
        var drawing: Pictures?
        var templates: [String: WorkflowTemplate]?
        var report = ReportWriter(directory: directory, export: export)
        var progress = ImportProgress(total: stream.size, start: started, enabled: ImportProgress.isWanted(quiet: quiet))
        defer { ImportProgress.draw(progress.finish()) }
        let writer = BackgroundWriter(directory)
        do {
            if pictures { drawing = try Pictures(in: directory) }
            while let item = try stream.next() {
                report.add(item)
                if let output = run.add(item) {
                    // The catalogue, and so every template, precedes the first part (export format v1).
                    if templates == nil { templates = run.templatesByID }
                    let referenced = templates ?? [:]
                    try writer.write(to: "workflows/\(output.workflow.id).json") { output.workflow.json(referencing: referenced) }
                    try drawing?.add(output.workflow, to: directory)
                    try report.add(output, templateFindings: { run.templateFindings })
                }
                ImportProgress.draw(progress.update(bytesRead: stream.bytesRead, now: clock.now()))
            }
            ImportProgress.draw(progress.finish())
            try writer.finish()
            try Self.writeTemplatesAndAccount(run, to: directory)
            drawing?.makeSVGs(quiet: quiet)
            try report.finish(findings: run.findings, warnings: stream.warnings, inlineSVG: drawing?.inlineSVG)
        } catch {
            writer.cancel()
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
            for line in ImportConsole.findingLines(run.findings) { Terminal.error(line) }
            Terminal.line(
                ImportConsole.finalLine(export: export, folder: folder, summary: run.summary(warnings: stream.warnings.count), elapsed: clock.now() - started))
        }
        if let failure { throw failure }
        if strict, !stream.warnings.isEmpty || run.findingCount > 0 { throw ExitStatus.findings }
    }
}
