public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsSQLite

/// `purchase-actions migrate-enrollments`: moves a workflow's running enrollments to another
/// stored version by step id (Docs/cli.md, "`purchase-actions migrate-enrollments`").
public struct MigrateEnrollments: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "migrate-enrollments",
        abstract: "Move a workflow's running enrollments to another stored version, by step id.",
        discussion: """
            Enrollments stay on the version they started on when a new one is published. This moves \
            the waiting and running enrollments of --workflow to version --to (a number publish \
            printed): each goes to the step with the same id in that version. An enrollment sitting \
            on a step the version no longer has is left where it is and listed (step-removed). \
            --dry-run reports the same and changes nothing.

            Examples:
              purchase-actions migrate-enrollments --workflow welcome --to 2 --dry-run
              purchase-actions migrate-enrollments --workflow welcome --to 2

            Exit codes: 0 done (even when some were left where they are), 64 usage or a workflow or \
            version the database does not hold, 65 a database written by a newer version, 66 the \
            database missing, 74 it cannot be read or written (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("The workflow whose enrollments move.", valueName: "id"))
    var workflow: String

    @Option(help: ArgumentHelp("The stored version number they move to.", valueName: "n"))
    var to: Int

    @Flag(help: "Report what would move and what would stay, and change nothing.")
    var dryRun = false

    @OptionGroup var output: JSONFlag

    public func validate() throws {
        if to < 1 { throw ValidationError("--to takes a version number, 1 or more (got \(to))") }
    }

    public func run() throws {
        let store = try database.open(creating: false)
        let migration = try store.migrateEnrollments(workflowID: workflow, to: to, dryRun: dryRun)
        MigrationPrinter(json: output.json, dryRun: dryRun).print(migration, workflow: workflow, to: to)
        // A checkpoint's failure after the commit is reported, not dropped at close.
        try store.finish()
    }
}
