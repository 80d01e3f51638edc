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

            --versions ID lists one workflow's stored versions, one line each: the store's \
            number, the file's version, when it was published, whether it is current, the \
            enrollments active or waiting on it, its name, its steps and the first 12 digits of \
            its digest (what publish compares). --json prints one object per version: workflow, \
            number, fileVersion, publishedAt, current, running, name, steps, digest. A workflow \
            the database does not hold is exit 64.

            Examples:
              purchase-actions workflows
              purchase-actions workflows --json
              purchase-actions workflows --versions welcome
              purchase-actions migrate-enrollments --workflow slot.successful --to 3 --dry-run

            Exit codes: 0 ok, 64 usage (--versions of a workflow the database does not hold), 65 not \
            a purchase-actions database (or one written by a newer \
            version), 66 the database missing, 74 it cannot be read (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("List this workflow's stored versions, one line each.", valueName: "id"))
    var versions: String?

    @OptionGroup var output: JSONFlag

    public func run() throws {
        let store = try database.openForReading()
        if let versions { return try listVersions(of: versions, in: store) }
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

extension ShowWorkflows {
    /// `--versions ID`: the workflow's stored versions, oldest first.
    func listVersions(of id: String, in store: SQLiteStore) throws {
        let stored = try store.versions(workflowID: id)
        guard !stored.isEmpty else {
            let known = try store.workflowSummaries().map(\.workflowID)
            let hint = known.isEmpty ? "none is published" : "published: \(known.prefix(20).map { "'\(DisplayText.escape($0))'" }.joined(separator: ", "))\(known.count > 20 ? ", ..." : "")"
            Terminal.error("\(store.path): error: the database holds no workflow '\(DisplayText.escape(id))' (\(hint))")
            throw ExitStatus.usage
        }
        let running = try store.workflowSummaries().first { $0.workflowID == id }?.versions ?? []
        var table = Table("version", "file version", "published", "current", "running", "name", "steps", "digest")
        for version in stored {
            let count = running.first { $0.number == version.number }?.running ?? 0
            let steps = version.workflow.steps.count
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "workflow": id.json, "number": version.number.json, "fileVersion": version.fileVersion.json,
                        "publishedAt": version.publishedAt.description.json, "current": version.isCurrent.json, "running": count.json,
                        "name": version.workflow.name.json, "steps": steps.json, "digest": version.digest.json,
                    ]).compactText)
            } else {
                table.add(
                    "\(version.number)", "\(version.fileVersion)", version.publishedAt.description, version.isCurrent ? "yes" : "", "\(count)",
                    version.workflow.name, "\(steps)", String(version.digest.prefix(12)))
            }
        }
        if !output.json { table.print(empty: "no versions") }
    }
}
