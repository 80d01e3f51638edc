public import ArgumentParser
import LegacyImport

/// `import-actions import`: reads an export, checks it and summarises it.
public struct Import: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read an export, check it, and summarise what it holds (the default command).",
        discussion: """
            The reader streams the file: only the catalogue is held in memory, so exports of any size \
            can be read. It never processes a DOCTYPE, an entity, a DTD or an XInclude, and never \
            touches the network.

            Without --check it reads and summarises the export; writing workflows from it comes \
            with the next version. --check also validates against the XML Schema \
            (Docs/export-format.xsd) and reports warnings as findings (exit 1); --strict makes \
            warnings findings without --check too.

            Examples:
              import-actions Fixtures/exports/membership-site.xml --check

              Faster on exports of hundreds of megabytes (the reader's own checks only):
              import-actions export.xml --check --no-schema

              Allow email bodies of up to 4 MiB:
              import-actions export.xml --max-text-bytes 4194304
            """
    )

    @Argument(help: ArgumentHelp("The export to read (XML, export format v1).", valueName: "export.xml"))
    var export: String

    @Flag(help: "Validate only: check structure, references and the XML Schema, print a summary, write nothing.")
    var check = false

    @Flag(help: "Treat warnings as findings: exit 1 if there are any.")
    var strict = false

    @Flag(help: "With --check, skip the XML Schema and rely on the reader's own checks.")
    var noSchema = false

    @Flag(name: .shortAndLong, help: "Print errors and warnings only, no summary.")
    var quiet = false

    @OptionGroup(title: "Reader limits")
    var limits: ReaderLimitOptions

    public func run() throws {
        let reader = ExportReader(limits: limits.limits, validatesSchema: check && !noSchema)
        var summary = ExportSummary()
        let stream: ExportStream
        do {
            stream = try reader.stream(file: export)
            while let item = try stream.next() { summary.add(item) }
        } catch {
            Output.error(error.description)
            throw Self.exitCode(for: error)
        }
        for warning in stream.warnings { Output.error(warning.description) }
        if !quiet {
            Output.line("\(export): \(check ? "valid export" : "read export"), format v1")
            for line in summary.lines { Output.line("  \(line)") }
            if !check {
                Output.line("  workflows: not written yet (the compiler arrives with the next version); nothing was changed")
            }
            if !stream.warnings.isEmpty { Output.line("  warnings: \(stream.warnings.count)") }
        }
        if !stream.warnings.isEmpty, check || strict { throw ExitStatus.findings }
    }

    static func exitCode(for error: ImportError) -> ExitCode {
        switch error.code {
        case .missingInput: ExitStatus.missingInput
        case .io: ExitStatus.io
        default: ExitStatus.invalidData
        }
    }
}
