public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore

/// `purchase-actions validate`: checks workflow files and every reference between them, and
/// reports every problem with its file, line and JSON path (Docs/cli.md, "validate").
public struct Validate: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Check workflow files and every reference between them; report every problem with its file, line and JSON path.",
        discussion: """
            Give an import's output folder (it holds workflows/, and templates/ and account.json when \
            present), folders of workflow files, or workflow files. Every file is checked against the \
            workflow format (Docs/workflow-format.md; the first error of a file that breaks it), and \
            every reference: the workflow of each call, enroll and unenroll step, each action's \
            template (in templates/, for the same action type), the contact fields of conditions, \
            waits, update-field and notify (standard fields, or custom fields of account.json), and, \
            with account.json, every tag, product, subscription plan, bundle, payment plan and user. \
            Folders of workflow files and files given together are one set (a call in one may name a \
            workflow in another); an output folder is checked on its own, and a file inside a \
            migration's workflows/ folder with that migration's templates/ and account.json.

            One line per problem on standard error, then a summary line on standard output:
              file:line: error|warning: message [code] (at $.json.path)
              w/slot.vip.json:41: error: call of workflow 'as-gone', ... [unknown-workflow] (at $.steps[2].workflow)
            Every problem has a JSON path ($ for the whole file). Problems are sorted by file, line, \
            column and path; the first --max-problems are printed (default \(WorkflowValidation.defaultMaxProblems)); the summary counts all.

            Warnings (exit 0, or 1 with --strict): a workflow with no trigger that nothing calls or \
            enrolls into (unreachable-workflow), a template no action uses (unused-template; not in an \
            import's output, which holds every template of the export: its fresh output passes --strict), a call \
            or enroll of a draft (calls-draft), a workflow whose run may exceed the engine's work budget \
            (over-budget).

            Examples:
              purchase-actions validate migrated
              purchase-actions validate migrated --strict --json
              purchase-actions validate mine/welcome.json mine/receipt.json

            Exit codes: 0 no errors (and, with --strict, no warnings), 1 warnings with --strict, 64 usage, \
            65 errors found, 66 an input missing or not a file or folder (Docs/cli.md).
            """
    )

    @Argument(help: ArgumentHelp("An import's output folder, a folder of workflow files, or workflow files.", valueName: "dir|file"))
    var paths: [String] = []

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Flag(help: "Print the report as one JSON object instead of lines.")
    var json = false

    @Option(help: ArgumentHelp("Most problems printed (default 1,000); the summary counts all.", valueName: "n"))
    var maxProblems: Int = WorkflowValidation.defaultMaxProblems

    @Option(help: ArgumentHelp("Most bytes one workflow file may hold (default 16 MiB).", valueName: "bytes"))
    var maxWorkflowBytes: Int = WorkflowLimits.fileBytes

    @Option(help: ArgumentHelp("Most workflow files a folder may hold (default 100,000).", valueName: "n"))
    var maxWorkflowFiles: Int = WorkflowLimits.filesPerFolder

    public func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give an import's output folder, a folder of workflow files, or workflow files") }
        for (name, value) in [("--max-problems", maxProblems), ("--max-workflow-bytes", maxWorkflowBytes), ("--max-workflow-files", maxWorkflowFiles)]
        where value < 1 {
            throw ValidationError("\(name) must be 1 or more (got \(value)).")
        }
    }

    public func run() throws {
        for path in paths where FileAccess.kind(path) != .folder {
            try InputPath.check(path, is: .file, takes: "validate takes workflow files, folders of them, or an import's output folder")
        }
        let validation = WorkflowValidation(limits: WorkflowFolderLimits(fileBytes: maxWorkflowBytes, files: maxWorkflowFiles), maxProblems: maxProblems)
        let report = try validation.validate(paths)
        if json {
            Terminal.jsonLine(report.json.compactText)
        } else {
            // Problems go to standard error, as every command's errors and warnings (Docs/cli.md, "Grammar"); the summary is the result.
            for problem in report.problems { Terminal.error(problem.description) }
            Terminal.line(report.summary)
        }
        if report.errors > 0 { throw ExitStatus.invalidData }
        if strict, report.warnings > 0 { throw ExitStatus.findings }
    }
}
