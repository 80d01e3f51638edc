public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsSQLite

/// `purchase-actions stats`: per workflow, how many entered, completed, exited, wait, failed,
/// and the effects by kind (Docs/cli.md, "`purchase-actions stats`").
public struct ShowStats: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print per workflow: entered, completed, exited, waiting, errors and effects by kind.",
        discussion: """
            Counts over what the database holds (log rows older than the worker's --retention are \
            gone and no longer counted). --json prints one object per workflow: workflow, entered, \
            completed, exited, waiting, errors and effects ({"send-email": 3, ...}). The current \
            version of each published dunning policy follows on its own line, with its invoices by \
            status across all its versions ({"dunningPolicy": "legacy-billing", "version": 2, \
            "invoices": {"open": 3, "recovered": 12}, ...} with --json; purchase-actions dunning \
            invoices lists them).

            Examples:
              purchase-actions stats
              purchase-actions stats --json

            Exit codes: 0 ok, 65 a database written by a newer version, 66 the database missing, 74 \
            it cannot be read (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: JSONFlag

    public func run() throws {
        let store = try database.openForReading()
        var table = Table("workflow", "entered", "completed", "exited", "waiting", "errors", "effects")
        for stats in try store.stats() {
            let kinds = stats.effectsByKind.keys.sorted()
            if output.json {
                let effects = JSONValue.object(stats.effectsByKind.mapValues { .integer($0) })
                Terminal.jsonLine(
                    JSONValue.members([
                        "workflow": stats.workflowID.json, "entered": stats.entered.json, "completed": stats.completed.json,
                        "exited": stats.exited.json, "waiting": stats.waiting.json, "errors": stats.errors.json, "effects": effects,
                    ]).compactText)
            } else {
                table.add(
                    stats.workflowID, "\(stats.entered)", "\(stats.completed)", "\(stats.exited)", "\(stats.waiting)", "\(stats.errors)",
                    kinds.map { "\($0) \(stats.effectsByKind[$0]!)" }.joined(separator: ", "))
            }
        }
        if !output.json { table.print(empty: "no workflows published") }
        let invoices = try store.dunningInvoiceCounts()
        for policy in try store.dunningPolicies(currentOnly: true) {
            let counts = invoices[policy.id] ?? [:]
            let order = ["open", "recovered", "paid-elsewhere", "final", "cancelled"]
            let words = order.compactMap { status in counts[status].map { "\($0) \(status)" } }
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "dunningPolicy": policy.id.json, "version": policy.number.json, "fileVersion": policy.fileVersion?.json,
                        "digest": policy.digest.json, "publishedAt": policy.publishedAt.description.json,
                        "invoices": JSONValue.object(counts.mapValues { .integer($0) }),
                    ]).compactText)
            } else {
                Terminal.line(
                    "dunning policy \(policy.id): version \(policy.number)" + (policy.fileVersion.map { " (file version \($0))" } ?? "")
                        + ", published \(policy.publishedAt)"
                        + "; invoices: " + (words.isEmpty ? "none" : words.joined(separator: ", ")))
            }
        }
    }
}
