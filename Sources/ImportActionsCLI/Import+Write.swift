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
        var run = MigrationRun()
        var progress = ImportProgress(total: stream.size, start: started, enabled: ImportProgress.isWanted(quiet: quiet))
        defer { ImportProgress.draw(progress.finish()) }
        do {
            while let item = try stream.next() {
                if let output = run.add(item) {
                    try directory.write(output.workflow.json.canonicalBytes, to: "workflows/\(output.workflow.id).json")
                }
                ImportProgress.draw(progress.update(bytesRead: stream.bytesRead, now: clock.now()))
            }
            ImportProgress.draw(progress.finish())
            try directory.write(run.report.canonicalBytes, to: "migration-report.json")
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
            ImportConsole.printFindings(run.findings)
            Terminal.line(
                ImportConsole.finalLine(export: export, folder: folder, summary: run.summary(warnings: stream.warnings.count), elapsed: clock.now() - started))
        }
        if let failure { throw failure }
        if strict, !stream.warnings.isEmpty || !run.findings.isEmpty { throw ExitStatus.findings }
    }
}

