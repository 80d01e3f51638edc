public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine

/// `purchase-actions dunning check POLICY`: reads a dunning policy and prints what is allowed but
/// probably not meant (Docs/dunning-simulation.md, "`purchase-actions dunning check POLICY`").
public struct DunningCheck: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a dunning policy file: errors with their line and JSON path, then warnings.",
        discussion: """
            Reads the policy (YAML or JSON, Docs/dunning.md). A policy that is not valid is one error \
            with its file, line and column, and its JSON path (exit 65). A valid one is checked for \
            what is allowed but probably not meant, one warning a line with its JSON path and code:
              budget-exceeded-alone     one invoice's own schedule can exceed a card network's budget
              attempts-after-age-limit  attempts planned after maxInvoiceAgeMonths (they are skipped)
              unreachable-stage         a stage after one whose condition always holds first
              attempt-rule-never-runs   an attempts rule for an attempt the schedule never reaches
            Then errors (exit 65), what publish or the worker would refuse or ignore:
              missing-template          an email whose template is not in templates/ (publish refuses it)
              invalid-template          an email template that does not make a whole email
              invalid-tag-id            a tag that is not a tag id (the worker changes no tag)
            Email templates are checked when the argument is an import's output folder, with \
            --templates DIR, or when a templates/ folder is beside the policy file.
            The policy's timezone must be one the system knows (/usr/share/zoneinfo).

            Examples:
              purchase-actions dunning check Fixtures/dunning/policies/saas.yaml
              purchase-actions dunning check migrated/dunning-policy.yaml --strict
              purchase-actions dunning check policy.json --json
              purchase-actions dunning check migrated
              purchase-actions dunning check policy.yaml --templates migrated

            Exit codes: 0 valid (warnings or not), 1 warnings with --strict, 65 not valid or an error \
            above, 66 missing, \
            74 cannot be read (Docs/cli.md).
            """
    )

    @Argument(help: ArgumentHelp("The policy file, YAML or JSON, or an import's output folder (its dunning-policy.yaml and templates/).", valueName: "policy.yaml"))
    var policy: String

    @Option(help: ArgumentHelp("Check the policy's email templates against this folder: an import's output folder (templates/) or a templates folder (<id>.json). By default the templates/ beside the policy file, when there is one.", valueName: "dir"))
    var templates: String?

    @Flag(help: "Print one JSON document: {\"file\", \"policy\", \"templates\", \"errors\": [...], \"warnings\": [{\"code\", \"message\", \"path\"}]}.")
    var json = false

    @Flag(help: "Exit 1 when there is a warning.")
    var strict = false

    public func run() throws {
        var file = policy
        var templatesFolder = templates
        if FileSystem.kind(policy) == .directory {
            // An import's output folder: its policy, and its templates unless --templates says otherwise.
            file = (policy.hasSuffix("/") ? policy : policy + "/") + Publish.policyFileName
            if templatesFolder == nil { templatesFolder = policy }
        } else if templatesFolder == nil {
            let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            let beside = (folder.isEmpty ? "." : folder) + "/templates"
            if FileSystem.kind(beside) == .directory { templatesFolder = folder.isEmpty ? "." : folder }
        }
        let loaded = try DunningInput.policy(file, option: "dunning check takes a policy file (YAML or JSON) or an import's output folder holding dunning-policy.yaml")
        var templateSet: [String: WorkflowTemplate]?
        if let templatesFolder {
            try InputPath.check(templatesFolder, is: .folder, takes: "--templates takes an import's output folder (templates/) or a templates folder")
            templateSet = try DunningPolicyFile.templates(folder: templatesFolder)
        }
        let errors = loaded.checkErrors(templates: templateSet)
        let warnings = loaded.check()
        if json {
            let document = JSONValue.object([
                "file": .string(file), "policy": .string(loaded.id), "templates": templatesFolder.map(JSONValue.string) ?? .null,
                "errors": .array(errors.map(\.json)), "warnings": .array(warnings.map(\.json)),
            ])
            Terminal.jsonLine(document.compactText)
        } else {
            for error in errors {
                Terminal.error("\(file): error: \(error.path): \(error.message) (\(error.code))")
            }
            for warning in warnings {
                Terminal.error("\(file): warning: \(warning.path): \(warning.message) (\(warning.code))")
            }
            let count = warnings.count == 1 ? "1 warning" : warnings.isEmpty ? "no warnings" : "\(warnings.count) warnings"
            let errorCount = errors.count == 1 ? "1 error, " : errors.isEmpty ? "" : "\(errors.count) errors, "
            Terminal.line("\(file): \(errorCount)\(count)")
            Terminal.line("  policy \(loaded.id) \"\(loaded.name)\"\(loaded.version.map { ", version \($0)" } ?? ""), timezone \(loaded.timezone ?? "UTC (none given)")")
            Terminal.line(templatesFolder.map { "  email templates checked against \($0)" }
                ?? "  email templates not checked (give the import's output folder, or --templates DIR)")
        }
        if !errors.isEmpty { throw ExitStatus.invalidData }
        if strict && !warnings.isEmpty { throw ExitStatus.findings }
    }
}
