public import ArgumentParser
import CommandLineSupport
import LegacyImport
import MigrationReport
import PurchaseActions
import PurchaseActionsCore

/// `import-actions import`: reads an export and writes its workflows, or checks it with `--check`.
public struct Import: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn an export into workflow files (the default command), or check it with --check.",
        discussion: """
            Writes one file per workflow, <output>/workflows/<workflow-id>.json, in workflow format \
            v1 (Docs/workflow-format.md), each template of the export once, \
            <output>/templates/<template-id>.json (used or not), the account's settings and \
            catalogue, <output>/account.json, and the migration report: migration-report.md and \
            migration-report.html for people (what fires each workflow, each step exact, \
            approximated or not mappable with its line, the behaviour changes) and \
            migration-report.json for programs. The output folder is the \
            export's name without .xml (with .workflows added if it has no .xml), in the current \
            folder, unless -o names another. Files are \
            byte-identical on every run and machine: keys sorted, ids taken from the export, the \
            export's path kept as given.

            Nothing is half-written: the files go to a hidden folder that replaces the output only \
            when all are written. An existing output is replaced only with --force, and only if it \
            holds nothing but what import-actions writes: workflows/, templates/, pictures/, \
            account.json and migration-report.json, .md and .html (Docs/cli.md, "Replacing an \
            output with --force").

            Next: purchase-actions validate <output> checks the workflows and every reference \
            (an import's fresh output passes --strict); purchase-actions simulate --migration \
            <output> runs events through it; import-actions diff OLD NEW compares two migrations.

            The reader streams the file and never processes a DOCTYPE, an entity, a DTD or an \
            XInclude, and never touches the network. --check validates instead of writing: the \
            reader's checks plus the XML Schema (Docs/export-format.xsd); warnings make it exit 1. \
            --check --strict also compiles the export (writing nothing) and exits 1 on anything \
            not mapped exactly, as --strict does when writing.

            Examples:
              import-actions Fixtures/exports/course-creator.xml
                (writes course-creator/workflows/*.json, templates/*.json, account.json and
                 migration-report.md, .html and .json)
              purchase-actions validate course-creator --strict      (then check what it wrote)

              import-actions export.xml -o migrated --force
                (replaces migrated/ from an earlier run)

              import-actions export.xml --pictures              (also pictures/<id>.dot and .svg)
              import-actions export.xml --check
              import-actions export.xml --check --no-schema     (faster on exports of hundreds of MB)
              import-actions export.xml --strict                (exit 1 if anything is not mapped exactly)
              import-actions export.xml --check --strict        (the same exit code, nothing written)
            """
    )

    @Argument(help: ArgumentHelp("The export to read (XML, export format v1).", valueName: "export.xml"))
    var export: String

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The folder to write (default: the export's name without .xml, in the current folder).", valueName: "dir"))
    var output: String?

    @Flag(help: "Replace the output folder if it exists (only one holding nothing but what this command writes).")
    var force = false

    @Flag(help: "Validate only: check structure, references and the XML Schema, print a summary, write nothing.")
    var check = false

    @Flag(help: "Exit 1 if the export has warnings or anything is not mapped exactly (with --check too: it then compiles, writing nothing).")
    var strict = false

    @Flag(help: "With --check, skip the XML Schema and rely on the reader's own checks.")
    var noSchema = false

    @Flag(help: "Also draw each workflow: pictures/<workflow-id>.dot (Graphviz DOT), and .svg beside each when Graphviz's dot is installed.")
    var pictures = false

    @Flag(name: .shortAndLong, help: "Print errors only: no summary, warnings or migration notes.")
    var quiet = false

    @OptionGroup(title: "Reader limits")
    var limits: ReaderLimitOptions

    public func validate() throws {
        if check, output != nil || force { throw ValidationError("--check writes nothing; leave out -o and --force") }
        if noSchema, !check { throw ValidationError("--no-schema applies to --check only") }
        if pictures, check { throw ValidationError("--check writes nothing; leave out --pictures") }
        if let output, output.isEmpty { throw ValidationError("-o needs a folder name") }
    }

    public func run() throws {
        if check { try runCheck() } else { try runImport() }
    }

    /// The output folder: `-o`, or the export's file name without `.xml`.
    var outputFolder: String {
        if let output { return output }
        let name = export.split(separator: "/").last.map(String.init) ?? export
        let stem = name.lowercased().hasSuffix(".xml") ? String(name.dropLast(4)) : name + ".workflows"
        return stem.isEmpty || stem.hasPrefix(".") ? "workflows-output" : stem
    }

    private func runCheck() throws {
        let reader = ExportReader(limits: limits.limits, validatesSchema: !noSchema)
        var summary = ExportSummary()
        let stream = try Self.open(reader, export)
        // With --strict, each part is also compiled (nothing is written), so that constructs not
        // mapped exactly fail the check as they fail a write (Docs/cli.md, "Exit codes").
        var run = MigrationRun(retainingFindings: false)
        var findings = FindingSummary()
        func count(_ new: [MigrationFinding]) { for finding in new { findings.add(finding, order: findings.total) } }
        while let item = try stream.next() {
            summary.add(item)
            if strict { count(run.addCounting(item)) }
        }
        if strict { count(run.templateFindings) }
        if !quiet {
            let warnings = stream.warnings
            for line in ImportConsole.warningLines(warnings, listed: "are listed by an import without --check, in migration-report.json") {
                Terminal.error(line)
            }
            for line in ImportConsole.findingLines(findings) { Terminal.error(line) }
            Terminal.line("\(export): valid export, format v1")
            for line in summary.lines { Terminal.line("  \(line)") }
            if !warnings.isEmpty { Terminal.line("  warnings: \(warnings.count)") }
            if findings.total > 0 { Terminal.line("  not mapped exactly: \(findings.total)") }
        }
        if !stream.warnings.isEmpty || findings.total > 0 { throw ExitStatus.findings }
    }

    /// The export's stream, once the path is checked: a folder or a missing file is exit 66 with
    /// a message naming it.
    static func open(_ reader: ExportReader, _ export: String) throws -> ExportStream {
        try InputPath.check(export, is: .file, takes: "import-actions takes an export file (XML)")
        return try reader.stream(file: export)
    }
}
