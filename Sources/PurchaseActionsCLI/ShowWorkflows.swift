public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsSQLite

/// `purchase-actions workflows`: the stored workflows, their versions, and the enrollments
/// running on each version (Docs/cli.md, "`purchase-actions workflows`").
public struct ShowWorkflows: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "workflows",
        abstract: "List the published workflows: current version, every stored version, and the enrollments running on each.",
        discussion: """
            publish stores a workflow's next version when its content changed; enrollments stay on \
            the version they started on until migrate-enrollments moves them. This lists, per \
            workflow id, the current version (the one triggers, calls and enroll steps use) and each \
            stored version with its file version, when it was published and how many enrollments \
            are active or waiting on it. --json prints one object per workflow: workflow, name, \
            current, versions ([{number, fileVersion, publishedAt, running}]).

            Examples:
              purchase-actions workflows
              purchase-actions workflows --json
              purchase-actions migrate-enrollments --workflow slot.successful --to 3 --dry-run

            Exit codes: 0 ok, 65 not a purchase-actions database (or one written by a newer \
            version), 66 the database missing, 74 it cannot be read (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: JSONFlag

    public func run() throws {
        let store = try database.openForReading()
        var table = Table("workflow", "name", "current", "versions (running enrollments)")
        for summary in try store.workflowSummaries() {
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "workflow": summary.workflowID.json, "name": summary.name.json, "current": summary.current.json,
                        "versions": .array(
                            summary.versions.map { version in
                                JSONValue.members([
                                    "number": version.number.json, "fileVersion": version.fileVersion.json,
                                    "publishedAt": version.publishedAt.description.json, "running": version.running.json,
                                ])
                            }),
                    ]).compactText)
            } else {
                table.add(
                    summary.workflowID, summary.name, "\(summary.current)",
                    summary.versions.map { "\($0.number) (\($0.running))" }.joined(separator: ", "))
            }
        }
        if !output.json { table.print(empty: "no workflows published") }
    }
}
