import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore
import Synchronization

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
        // The catalogue's templates, each one's members sorted once for every workflow file.
        var templates: TemplateReferences?
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
            // Opened once: each workflow file is created in it by name.
            let workflowFolder = try Self.openFolder("workflows", in: directory)
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
                    if templates == nil { templates = TemplateReferences(run.templatesByID, sorted: true) }
                    let referenced = templates ?? TemplateReferences([:])
                    let workflow = output.workflow
                    // Its canonical text goes from the writer's buffer to the file, with no array made.
                    try writer.write(workflow.id + ".json", in: workflowFolder, shownFolder: "workflows") { create throws(FileSystem.Failure) in
                        try workflow.withCanonicalBytes(referencing: referenced, create)
                    }
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
            let note = Self.dunningPolicyNote(policy)
            report.with { $0.add(dunningPolicy: note) }
            drawing?.makeSVGs(quiet: quiet)
            // The templates' findings, once each with the actions using it, after the last part.
            try findings.add(run.templateFindings)
            try findings.close()
            let inlineSVG = drawing?.inlineSVG
            try report.with { writer throws(CommandError) in
                try writer.finish(findings: findings, warnings: warnings, inlineSVG: inlineSVG, digest: digest)
            }
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

    /// A folder of the staging folder held open, to create its files by name.
    private static func openFolder(_ name: String, in directory: OutputDirectory) throws(CommandError) -> FileSystem.Folder {
        do {
            return try FileSystem.Folder(directory.staging + "/" + name)
        } catch {
            throw CommandError(.io, "cannot write \(directory.destination)/\(name): \(error.reason)")
        }
    }
}

/// The report writer, shared with the thread that joins its per-workflow work (``ReportPipeline``):
/// that thread uses it until ``BackgroundWriter/finish()`` returns, then the command's thread; in
/// between, the command's thread reads it only after ``BackgroundWriter/drain()``.
///
/// `@unchecked Sendable` (the writer holds open files, so it is not `Sendable`, and the compiler
/// cannot see the hand-over), so its one accessor is checked in every build: ``with(_:)`` marks
/// the writer in use for the call, and a second use while one runs (two threads at once, or a
/// nested use) is a programming error that stops the program (`SharedBoxTests`). The marks are
/// acquire-release, so each use sees what the one before it wrote.
final class ReportBox: @unchecked Sendable {
    private var writer: ReportWriter
    private let inUse = Atomic(false)

    init(_ writer: ReportWriter) { self.writer = writer }

    /// Runs `body` on the writer; no other use may run at the same time.
    func with<Result, Failure: Error>(_ body: (inout ReportWriter) throws(Failure) -> Result) throws(Failure) -> Result {
        let (first, _) = inUse.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        precondition(first, "ReportBox used by two threads at once")
        defer { inUse.store(false, ordering: .releasing) }
        return try body(&writer)
    }
}
