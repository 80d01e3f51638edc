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
            The policy's timezone must be one the system knows (/usr/share/zoneinfo).

            Examples:
              purchase-actions dunning check Fixtures/dunning/policies/saas.yaml
              purchase-actions dunning check migrated/dunning-policy.yaml --strict
              purchase-actions dunning check policy.json --json

            Exit codes: 0 valid (warnings or not), 1 warnings with --strict, 65 not valid, 66 missing \
            or a folder, 74 cannot be read (Docs/cli.md).
            """
    )

    @Argument(help: ArgumentHelp("The policy file, YAML or JSON.", valueName: "policy.yaml"))
    var policy: String

    @Flag(help: "Print one JSON document: {\"file\", \"policy\", \"warnings\": [{\"code\", \"message\", \"path\"}]}.")
    var json = false

    @Flag(help: "Exit 1 when there is a warning.")
    var strict = false

    public func run() throws {
        let loaded = try DunningInput.policy(policy, option: "dunning check takes a policy file (YAML or JSON)")
        let warnings = loaded.check()
        if json {
            let document = JSONValue.object([
                "file": .string(policy), "policy": .string(loaded.id), "warnings": .array(warnings.map(\.json)),
            ])
            Terminal.jsonLine(document.compactText)
        } else {
            for warning in warnings {
                Terminal.error("\(policy): warning: \(warning.path): \(warning.message) (\(warning.code))")
            }
            let count = warnings.count == 1 ? "1 warning" : warnings.isEmpty ? "no warnings" : "\(warnings.count) warnings"
            Terminal.line("\(policy): \(count)")
            Terminal.line("  policy \(loaded.id) \"\(loaded.name)\"\(loaded.version.map { ", version \($0)" } ?? ""), timezone \(loaded.timezone ?? "UTC (none given)")")
        }
        if strict && !warnings.isEmpty { throw ExitStatus.findings }
    }
}
