public import ArgumentParser

/// `purchase-actions dunning`: failed-payment dunning policies, checked and simulated
/// (Docs/dunning.md, Docs/dunning-simulation.md).
public struct Dunning: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Check a failed-payment dunning policy, simulate it over months of failures in seconds, and show what the worker's dunning did.",
        discussion: """
            A dunning policy (YAML or JSON, Docs/dunning.md) says when a failed automatic charge is \
            retried, what the customer and staff are told along the way, and how it ends. import-actions \
            writes one from the legacy billing settings (dunning-policy.yaml in its output folder).

            Examples:
              purchase-actions dunning check Fixtures/dunning/policies/saas.yaml
              purchase-actions dunning simulate \\
                --policy Fixtures/dunning/policies/saas.yaml \\
                --failures Fixtures/dunning/failures/stillwater-quarter.jsonl \\
                --gateway Fixtures/dunning/scripts/stillwater.json \\
                --compare Fixtures/dunning/policies/legacy.yaml
              purchase-actions dunning invoices --open
              purchase-actions dunning timeline inv-7

            invoices and timeline read the worker's database (a policy published with \
            purchase-actions publish and run by purchase-actions run --gateway; Docs/operations.md, \
            "Dunning on the worker").

            Exit codes: 0 ok, 1 warnings with check --strict, 64 usage, 65 a policy, failures file or \
            gateway script that is not valid (or a database written by a newer version), 66 a file \
            or the database missing, or a folder, 74 a file or the database that cannot be read \
            (Docs/cli.md).
            """,
        subcommands: [DunningCheck.self, DunningSimulate.self, DunningInvoices.self, DunningTimeline.self]
    )
}
