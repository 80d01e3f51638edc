import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore

extension Import {
    /// Reads the export, compiles each part as it arrives and writes the migration folder: the
    /// workflow files (on a background thread), the templates and account file, the dunning policy
    /// (`dunning-policy.yaml`), the pictures with `--pictures`, and the report.
    func runImport(
        clock: ImportClock = .system, reportWorkers: Int = ReportPipeline.defaultWorkers, reportChunkSize: Int = ReportPipeline.defaultChunkSize
    ) throws {
        let started = clock.now()
        // Optional so that the reader, and its index of every action-set id (what still grows with
        // the export), is freed before the report is written (Benchmarks/README.md, "Import throughput").
        var reading: ExportStream? = try Self.open(ExportReader(limits: limits.limits), export)
        let folder = outputFolder
        let directory = try OutputDirectory(destination: folder, force: force, input: export)
        // The findings go to a file as they are found (the report lists them all in document order,
        // Benchmarks/README.md, "Import throughput"); the run keeps only those about the account.
        var run = MigrationRun(retainingFindings: false)
        let findings = try FindingSpill(in: directory)
        var drawing: Pictures?
        var templates: [String: WorkflowTemplate]?
        // The report's per-workflow work (outline, Markdown with its picture, HTML, JSON) runs on
        // threads of their own, joined in order; `report` is touched by them only until they finish.
        var reporting = ReportPipeline(
            ReportWriter(directory: directory, export: export), directory: directory, workers: reportWorkers, chunkSize: reportChunkSize)
        let report = reporting.report
        var tookTemplateFindings = false
        var progress = ImportProgress(total: reading?.size ?? 0, start: started, enabled: ImportProgress.isWanted(quiet: quiet))
        defer { ImportProgress.draw(progress.finish()) }
        let writer = BackgroundWriter(directory)
        var warnings: [ImportWarning] = []
        do {
            if pictures { drawing = try Pictures(in: directory) }
            while let stream = reading, let item = try stream.next() {
                switch item {
                case .account, .catalogue: try reporting.add(item)
                default: break
                }
                let kept = run.retainedFindings.count
                let output = run.add(item)
                try findings.add((output?.findings ?? []) + run.retainedFindings[kept...])
                if let output {
                    // The catalogue, and so every template, precedes the first part (export format v1).
                    if templates == nil { templates = run.templatesByID }
                    let referenced = templates ?? [:]
                    try writer.write(to: "workflows/\(output.workflow.id).json") { Self.workflowFile(output.workflow, templates: referenced) }
                    try drawing?.add(output.workflow, to: directory)
                    // Asked once, here, before the first workflow is reported (as the report asks).
                    let templateFindings = tookTemplateFindings ? [] : run.templateFindings
                    tookTemplateFindings = true
                    try reporting.add(output, templateFindings: templateFindings)
                }
                ImportProgress.draw(progress.update(bytesRead: stream.bytesRead, now: clock.now()))
            }
            warnings = reading?.warnings ?? []
            reading = nil
            ImportProgress.draw(progress.finish())
            // What needs neither the workflow files nor the report is done while their threads
            // finish the work queued (Benchmarks/README.md, "Import throughput"): the export's
            // digest, the templates, the account and the dunning policy.
            let digest = try ReportWriter.digest(export)
            try Self.writeTemplatesAndAccount(run, to: directory)
            // The billing settings as a dunning policy, which the report names (Docs/mapping.md, "Billing automation").
            let policy = Self.dunningPolicy(run)
            try Self.writeDunningPolicy(policy, to: directory)
            try writer.finish()
            try reporting.finish()
            report.writer.add(dunningPolicy: Self.dunningPolicyNote(policy))
            drawing?.makeSVGs(quiet: quiet)
            // The templates' findings, once each with the actions using it, after the last part.
            try findings.add(run.templateFindings)
            try findings.close()
            try report.writer.finish(findings: findings, warnings: warnings, inlineSVG: drawing?.inlineSVG, digest: digest)
        } catch {
            writer.cancel()
            reporting.cancel()
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
            for line in ImportConsole.warningLines(warnings) { Terminal.error(line) }
            for line in ImportConsole.findingLines(findings.summary) { Terminal.error(line) }
            Terminal.line(
                ImportConsole.finalLine(export: export, folder: folder, summary: run.summary(warnings: warnings.count), elapsed: clock.now() - started))
        }
        if let failure { throw failure }
        if strict, !warnings.isEmpty || run.findingCount > 0 { throw ExitStatus.findings }
    }
}

/// The report writer, shared with the thread that joins its per-workflow work (``ReportPipeline``):
/// only that thread uses it until ``BackgroundWriter/finish()`` returns, then only the command's
/// thread; in between, the command's thread reads it only after ``BackgroundWriter/drain()``.
final class ReportBox: @unchecked Sendable {
    var writer: ReportWriter

    init(_ writer: ReportWriter) { self.writer = writer }
}
