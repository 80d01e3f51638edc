public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsSQLite

/// `purchase-actions publish`: stores the workflows of a migration folder (or a folder of
/// workflow files) in the database as new versions (Docs/cli.md, "`purchase-actions publish`").
public struct Publish: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Store a folder's workflows in the database; a workflow whose content changed gets the next version number.",
        discussion: """
            Give the output folder of import-actions (workflows/, templates/, account.json) or a \
            folder of workflow files. Each workflow is compared with its current version in the \
            database (the workflow with its templates merged, the account profile and the plans): \
            a new one gets version 1, a changed one the next number, an unchanged one is left as it \
            is. The file's own "version" is kept as given (shown as "file version"). A workflow \
            stored before and not in the folder stays as it is: publish adds and replaces, never \
            deletes. Enrollments already running stay on the version they started on \
            (purchase-actions migrate-enrollments moves them).

            One line per workflow: new, changed or unchanged, the id and the version number; then \
            a "kept" line for each workflow published before that the folder does not have (it \
            stays current: remove its triggers in a new version to stop it).

            A dunning-policy.yaml in the folder (Docs/dunning.md) is stored with the workflows, \
            versioned the same way (compared by its content), and reported on a last line; a \
            policy that is not valid is refused (exit 65) and nothing is stored. Each of the \
            policy's actions (an email, a task, a tag) is published as a small workflow of its own, \
            dunning-action-<digest>, with the folder's templates merged: the worker runs it for \
            the invoice's contact (Docs/dunning.md, "How actions run"). An email action naming a \
            template the folder's templates/ lacks is refused (exit 65). The worker runs the \
            policy published last; an invoice already in dunning keeps the version it started \
            under.

            Examples:
              purchase-actions publish migration
              purchase-actions publish migration --database /var/lib/purchase-actions/store.sqlite --json

            Exit codes: 0 published, 64 usage, 65 a workflow file not valid, or a database written by \
            a newer version, 66 the folder missing, 74 the database cannot be written (Docs/cli.md).
            """
    )

    @Argument(help: ArgumentHelp("An import's output folder or a folder of workflow files.", valueName: "dir"))
    var folder: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: JSONFlag

    public func run() throws {
        try InputPath.check(folder, is: .folder, takes: "publish takes a migration folder or a folder of workflow files (<id>.json)")
        let loaded = try LoadedAutomation(folder: folder)
        var automation = loaded.automation
        var document: DunningPolicyDocument?
        if let (policy, path) = try Self.dunningPolicy(in: folder) {
            // The policy's actions run as workflows on the engine: they are published with it.
            automation = try loaded.automation(addingActionsOf: policy, policyFile: path)
            document = DunningPolicyDocument(id: policy.id, fileVersion: policy.version, json: policy.json)
        }
        let store = try database.open(creating: true)
        let result = try store.publish(automation, dunningPolicy: document, at: WorkerClock.systemNow())
        var table = Table("change", "workflow", "version", "file version")
        for published in result.workflows {
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "workflow": published.id.json, "version": published.number.json, "fileVersion": published.fileVersion.json,
                        "change": published.change.rawValue.json,
                    ]).compactText)
            } else {
                table.add(published.change.rawValue, published.id, "\(published.number)", "\(published.fileVersion)")
            }
        }
        // Workflows published before and not in this folder stay current: said, never silent.
        for kept in result.kept {
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "workflow": kept.id.json, "version": kept.number.json, "fileVersion": kept.fileVersion.json, "change": "kept".json,
                    ]).compactText)
            } else {
                table.add("kept", kept.id, "\(kept.number)", "\(kept.fileVersion)")
            }
        }
        if !output.json { table.print(empty: "no workflows in \(folder)") }
        if let published = result.dunningPolicy {
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "dunningPolicy": published.id.json, "version": published.number.json, "fileVersion": published.fileVersion?.json,
                        "change": published.change.rawValue.json,
                    ]).compactText)
            } else {
                Terminal.line("dunning policy \(published.id): \(published.change.rawValue), version \(published.number)" + (published.fileVersion.map { " (file version \($0))" } ?? ""))
            }
        }
        // A checkpoint's failure after the commit is reported, not dropped at close.
        try store.finish()
    }

    /// The name of the dunning policy file a published folder may hold.
    static let policyFileName = "dunning-policy.yaml"

    /// The folder's `dunning-policy.yaml`, read and checked (Docs/dunning.md), and its path, or
    /// `nil` when the folder has none.
    static func dunningPolicy(in folder: String) throws(LoadError) -> (DunningPolicy, String)? {
        let path = (folder.hasSuffix("/") ? folder : folder + "/") + policyFileName
        guard FileSystem.kind(path) != .missing else { return nil }
        return (try DunningPolicyFile.load(path: path), path)
    }
}
