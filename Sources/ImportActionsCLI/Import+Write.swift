import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore

extension Import {
    /// Reads the export, compiles each part as it arrives and writes the workflow files.
    func runImport(clock: ImportClock = .system) throws {
        let started = clock.now()
        let stream = try Self.open(ExportReader(limits: limits.limits), export)
        let folder = outputFolder
        let directory = try OutputDirectory(destination: folder, force: force, input: export)
        var run = MigrationRun(retainingFindings: false)
        let findings = try FindingSpill()
        var progress = ImportProgress(total: stream.size, start: started, enabled: ImportProgress.isWanted(quiet: quiet))
        defer { ImportProgress.draw(progress.finish()) }
        let writer = BackgroundWriter(directory)
        do {
            while let item = try stream.next() {
                let kept = run.findings.count
                if let output = run.add(item) {
                    try writer.write(to: "workflows/\(output.workflow.id).json") { output.workflow.json }
                    try findings.append(output.findings)
                }
                try findings.append(Array(run.findings[kept...]))
                ImportProgress.draw(progress.update(bytesRead: stream.bytesRead, now: clock.now()))
            }
            ImportProgress.draw(progress.finish())
            try writer.finish()
            try ImportReportStream.write(to: directory.staging + "/migration-report.json", findings: findings, workflowIDs: run.workflowIDs)
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
            for line in ImportConsole.findingLines(findings.tally) { Terminal.error(line) }
            Terminal.line(
                ImportConsole.finalLine(export: export, folder: folder, summary: run.summary(warnings: stream.warnings.count), elapsed: clock.now() - started))
        }
        if let failure { throw failure }
        if strict, !stream.warnings.isEmpty || run.findingCount > 0 { throw ExitStatus.findings }
    }
}

