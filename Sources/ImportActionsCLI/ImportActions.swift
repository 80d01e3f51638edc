public import ArgumentParser
import CommandLineSupport

/// `import-actions`: turns an export of legacy purchase actions into workflows.
public struct ImportActions: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "import-actions",
        abstract: "Turn an export of legacy (Infusionsoft / Keap Max Classic) purchase actions into workflows.",
        discussion: """
            An export is one XML file in export format v1 (Docs/export-format.md): the account, its \
            catalogue, follow-up sequences, action sets, purchase-action slots and billing automation. \
            Each becomes a workflow file in workflow format v1 (Docs/workflow-format.md). The \
            output folder is one migration: workflows/, templates/ (each template once), \
            account.json, and the report, migration-report.md and .html for people and \
            migration-report.json for programs, naming everything not mapped exactly, with its \
            line (Docs/mapping.md says how each construct maps). Then check it with \
            purchase-actions validate <dir> and run events through it with purchase-actions \
            simulate --migration <dir>.

            Examples:
              import-actions Fixtures/exports/course-creator.xml
                (writes course-creator/: workflows/, templates/, account.json, migration-report.md, .html, .json)
              purchase-actions validate course-creator --strict     (the next step: check it)
              import-actions export.xml -o migrated --force
              import-actions Fixtures/exports/course-creator.xml --check
              import-actions export.xml --check --strict
              import-actions export.xml --pictures     (pictures/<id>.dot and .svg)
              import-actions diff old.xml new.xml      (what changed between them: two exports or two output folders)

            Exit codes: 0 ok, 1 findings (--check / --strict) or differences (diff), 64 usage, 65 invalid export, \
            66 missing input or the wrong kind (a folder for a file), 70 internal error, 73 output exists, 74 I/O error \
            (Docs/cli.md).
            """,
        version: "0.1.0",
        subcommands: [Import.self, Diff.self],
        defaultSubcommand: Import.self
    )
}

extension ImportActions {
    /// Runs the command with the process's arguments and exits.
    public static func runAsMain() { mainEscapingErrors() }
}
