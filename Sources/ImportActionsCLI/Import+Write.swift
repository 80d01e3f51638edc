import ArgumentParser
import CommandLineSupport
import LegacyImport
import PurchaseActionsCore

extension Import {
    /// Reads the export, compiles each part as it arrives and writes the workflow files.
    func runImport() throws {
        let stream = try Self.open(ExportReader(limits: limits.limits), export)
        let folder = outputFolder
        let directory: OutputDirectory
        do {
            directory = try OutputDirectory(destination: folder, force: force, input: export)
        } catch {
            Terminal.error(error.description)
            throw error.exitCode
        }
        var run = MigrationRun()
        do {
            while let item = try stream.next() {
                for output in run.add(item) {
                    try directory.write(output.workflow.json.canonicalBytes, to: "workflows/\(output.workflow.id).json")
                }
            }
            try directory.write(run.report.canonicalBytes, to: "migration-report.json")
        } catch let error as ImportError {
            directory.abandon()
            throw Self.fail(error)
        } catch let error as CommandError {
            directory.abandon()
            Terminal.error(error.description)
            throw error.exitCode
        }
        var failure: CommandError?
        do {
            try directory.commit()
        } catch {
            directory.abandon()
            // Written, but the old output is left over: still say what was written, then why it failed.
            guard error.code == .oldOutputLeft else {
                Terminal.error(error.description)
                throw error.exitCode
            }
            failure = error
        }
        if !quiet {
            for warning in stream.warnings { Terminal.error(warning.description) }
            for finding in Migration.documentOrder(run.findings) { Terminal.error(finding.description) }
            Terminal.line("\(export) → \(folder): \(run.summary(warnings: stream.warnings.count))")
        }
        if let failure {
            Terminal.error(failure.description)
            throw failure.exitCode
        }
        if strict, !stream.warnings.isEmpty || !run.findings.isEmpty { throw ExitStatus.findings }
    }
}

/// The workflows of an export compiled one streamed item at a time, with the counts and findings the
/// summary and report need.
///
/// The reader hands out the account first and the catalogue when its section ends, before any
/// sequence, action set, slot or rule; the compiler is made from both when the first of those arrives.
struct MigrationRun {
    private var settings: AccountSettings?
    private var catalogue = Catalogue()
    private var compiler: LegacyCompiler?
    private(set) var workflowIDs: [String] = []
    private(set) var findings: [MigrationFinding] = []
    private var counts: [String: Int] = [:]

    /// Compiles one item; the account and catalogue only prepare the compiler.
    mutating func add(_ item: ExportItem) -> [LegacyCompiler.Output] {
        let output: LegacyCompiler.Output
        switch item {
        case .account(let value):
            settings = value
            findings += value.extensions.map { LegacyCompiler.notCarried($0, workflowID: "") }
            return []
        case .catalogue(let value):
            catalogue = value
            findings += value.extensions.map { LegacyCompiler.notCarried($0, workflowID: "") }
            return []
        case .extension(let part):
            findings.append(LegacyCompiler.notCarried(part, workflowID: ""))
            return []
        case .sequence(let value): output = prepared().compile(value); counts["sequence", default: 0] += 1
        case .actionSet(let value): output = prepared().compile(value); counts["action set", default: 0] += 1
        case .slot(let value): output = prepared().compile(value); counts["slot", default: 0] += 1
        case .billingRule(let value): output = prepared().compile(value); counts["billing rule", default: 0] += 1
        }
        workflowIDs.append(output.workflow.id)
        findings += output.findings
        return [output]
    }

    private mutating func prepared() -> LegacyCompiler {
        if let compiler { return compiler }
        let settings = settings ?? AccountSettings(id: "", name: "", timezone: "UTC", currency: "", location: SourceLocation(file: ""))
        let compiler = LegacyCompiler(settings: settings, catalogue: catalogue)
        self.compiler = compiler
        return compiler
    }

    /// The migration report.
    var report: JSONValue { Migration.report(workflowIDs: workflowIDs, findings: findings) }

    /// `11 workflows (6 action sets, 4 slots, 1 billing rule); 1 warning; 2 not mapped exactly (listed in
    /// migration-report.json)`. "all mapped exactly" only when there were no warnings (from the
    /// reader: `warnings`) and no findings.
    func summary(warnings: Int) -> String {
        let parts = ["action set", "slot", "sequence", "billing rule"].compactMap { kind -> String? in
            guard let count = counts[kind], count > 0 else { return nil }
            return "\(count) \(kind)\(count == 1 ? "" : "s")"
        }
        var notes: [String] = []
        if warnings > 0 { notes.append("\(warnings) warning\(warnings == 1 ? "" : "s") (above)") }
        if !findings.isEmpty { notes.append("\(findings.count) not mapped exactly (listed in migration-report.json)") }
        let tail = notes.isEmpty ? "all mapped exactly" : notes.joined(separator: "; ")
        return "\(workflowIDs.count) workflow\(workflowIDs.count == 1 ? "" : "s") (\(parts.joined(separator: ", "))); \(tail)"
    }
}
