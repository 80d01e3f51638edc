public import ArgumentParser
import CommandLineSupport

/// `purchase-actions`: runs workflows (compiled from an export, or written by hand) on the engine.
public struct PurchaseActionsCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "purchase-actions",
        abstract: "Run legacy purchase actions and workflows on the PurchaseActions engine: simulate, or for real on a database.",
        discussion: """
            After import-actions has written a migration folder (workflows/, templates/, \
            account.json, the report), validate checks it and every reference in it, and simulate \
            runs events through it. Give the whole folder: a workflows/ folder copied elsewhere \
            needs its templates/ beside it.

            Examples:
              purchase-actions validate course-creator --strict        (the next step after an import)
              purchase-actions simulate --export Fixtures/exports/course-creator.xml --events Fixtures/events/course-creator.jsonl
              purchase-actions simulate --migration course-creator --events events.jsonl --until 90d --json

            To run them for real, publish the folder to a database and run the worker over events \
            (Docs/operations.md):
              purchase-actions publish course-creator
              purchase-actions run --events inbox/ --record deliveries.jsonl
              purchase-actions log --contact ff-c-1

            Failed-payment dunning: check a policy, and simulate it over months of failures \
            (Docs/dunning-simulation.md):
              purchase-actions dunning check Fixtures/dunning/policies/saas.yaml
              purchase-actions dunning simulate \\
                --policy Fixtures/dunning/policies/saas.yaml \\
                --failures Fixtures/dunning/failures/stillwater-quarter.jsonl

            Exit codes: 0 ok, 1 warnings with validate --strict, 64 usage, 65 invalid input (export, workflow or event), 66 missing input or a folder where a \
            file is expected (or the reverse), 70 internal error, 74 I/O error (Docs/cli.md).
            """,
        version: "0.1.0",
        subcommands: [
            Simulate.self, Validate.self, Publish.self, Run.self, MigrateEnrollments.self, ShowLog.self, ShowEnrollments.self, ShowOutbox.self,
            ShowStats.self, ShowWorkflows.self, Dunning.self,
        ]
    )
}

extension PurchaseActionsCommand {
    /// Runs the command with the process's arguments and exits.
    public static func runAsMain() { mainEscapingErrors() }
}
