public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine

/// `purchase-actions dunning simulate`: runs a file of failed automatic charges through a dunning
/// policy and a scripted gateway on a virtual clock, and prints every invoice's timeline and the
/// totals (Docs/dunning-simulation.md). Nothing is charged or sent.
public struct DunningSimulate: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run failed automatic charges through a dunning policy on a virtual clock: each invoice's timeline, then the totals.",
        discussion: """
            The failures file is events (JSON Lines, Docs/events.md) in time order: \
            payment.autocharge_failed (the first failure of each invoice, with its card, amount and \
            decline code), and what happened next: payment_method.updated (a new card), \
            payment.autocharge_recovered, payment.succeeded or subscription.renewed naming the invoice \
            (paid elsewhere), subscription.cancelled. Other event types are skipped (a note counts them).

            The gateway script (JSON, Docs/gateway-script.schema.json) says how the simulated gateway \
            answers each retry: rules by invoice, contact, card, network, attempt number, amount or the \
            first decline code, first match wins. Without --gateway every retry declines as the \
            invoice's first failure did.

            The clock starts at the first failure and runs until every invoice has ended, or 366 days \
            on; --until 60d (or 36h; at most 3660d) stops it that long after the first failure. Times \
            are in the policy's timezone (UTC when it names none).

            For each invoice: its attempts with outcome and decline class, messages, staff tasks, stage \
            changes and the final action. Then the totals: invoices recovered and their amount, \
            attempts per recovery, retries a card-network budget deferred. --compare runs a second \
            policy on the same failures and script and prints both totals side by side and the \
            invoices whose outcome differs. --json prints one JSON document instead.

            Examples:
              purchase-actions dunning simulate \\
                --policy Fixtures/dunning/policies/saas.yaml \\
                --failures Fixtures/dunning/failures/stillwater-quarter.jsonl \\
                --gateway Fixtures/dunning/scripts/stillwater.json
              purchase-actions dunning simulate --policy migrated/dunning-policy.yaml \\
                --failures failures.jsonl --until 90d \\
                --compare Fixtures/dunning/policies/saas.yaml
              purchase-actions dunning simulate --policy p.yaml --failures f.jsonl --json

            Exit codes: 0 done, 64 usage, 65 a policy, failures line or script that is not valid \
            (file:line and JSON path), 66 a file missing or a folder, 74 a file that cannot be read \
            (Docs/cli.md).
            """
    )

    @Option(help: ArgumentHelp("The dunning policy, YAML or JSON (Docs/dunning.md).", valueName: "policy.yaml"))
    var policy: String

    @Option(help: ArgumentHelp("The failures: events, JSON Lines, in time order (Docs/dunning-simulation.md).", valueName: "failures.jsonl"))
    var failures: String

    @Option(help: ArgumentHelp("How the simulated gateway answers each retry (Docs/gateway-script.schema.json). Default: decline as the first failure.", valueName: "script.json"))
    var gateway: String?

    // Unconditional: `--until -1d` reaches validate() (and its message) instead of being taken for an option.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Stop the clock this long after the first failure: 60d or 36h, at most \(DunningInput.maxUntilDays)d. Default: when every invoice has ended, at most 366 days.",
            valueName: "span"))
    var until: String?

    @Option(help: ArgumentHelp("A second policy to run on the same failures; prints both totals and the invoices whose outcome differs.", valueName: "other.yaml"))
    var compare: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Most events the failures file may hold.", valueName: "n"))
    var maxEvents: Int = DunningInput.defaultMaxEvents

    public func validate() throws {
        if let until, DunningInput.until(until) == nil {
            throw ValidationError(
                "--until takes a span from the first failure: days or hours, 0 to \(DunningInput.maxUntilDays)d (\(DunningInput.maxUntilDays * 24)h), such as 60d or 36h (got '\(DisplayText.escape(until))')")
        }
        if maxEvents < 1 { throw ValidationError("--max-events must be 1 or more (got \(maxEvents)).") }
    }

    public func run() throws {
        // Every input is read and checked before anything runs: a bad one prints nothing else.
        let first = try DunningInput.policy(policy, option: "--policy takes a policy file (YAML or JSON)")
        let other = try compare.map { path in try DunningInput.policy(path, option: "--compare takes a policy file (YAML or JSON)") }
        let script = try gateway.map(DunningInput.script) ?? DunningInput.defaultScript()
        let (events, unused) = try DunningInput.failures(failures, maxEvents: maxEvents)
        if unused > 0 {
            Terminal.error(
                "\(failures): note: \(unused) event\(unused == 1 ? "" : "s") of types the simulator does not use were skipped (Docs/dunning-simulation.md, \"The failures file\")")
        }
        let span = until.flatMap(DunningInput.until)
        let zones = SystemTimeZoneDatabase()
        let calendar = try DunningInput.calendar(for: first, file: policy, zones: zones)
        // The entries go to a temporary file as they happen, in the form they are printed in; each
        // invoice's are read back when it is printed (sorted by id, which needs every outcome first).
        let printer = DunningPrinter(calendar: calendar)
        let spill = try DunningTimelineSpill()
        func spilling(_ spill: DunningTimelineSpill, json: Bool) -> (DunningEntry) -> Void {
            { entry in
                if json {
                    spill.append(entry.invoice, DunningPrinter.spilledJSON(entry, first: !spill.has(entry.invoice)))
                } else {
                    spill.append(entry.invoice, printer.spilledLine(entry))
                }
            }
        }
        let result = DunningSimulation.run(
            policy: first, failures: events, script: script, until: span, calendar: calendar, entry: spilling(spill, json: json))
        if let stopped = result.stopped { throw LoadError(.limitExceeded, stopped, file: failures) }
        guard let other, let compare else {
            if json {
                try DunningPrinter.json(result, spill: spill, terminator: "\n")
            } else {
                try printer.timelines(result, spill: spill)
                printer.totals(result, policy: first)
            }
            return
        }
        let otherCalendar = try DunningInput.calendar(for: other, file: compare, zones: zones)
        // The second run's timelines are printed only with --json.
        let otherSpill: DunningTimelineSpill? = try (json ? DunningTimelineSpill() : nil)
        let second = DunningSimulation.run(policy: other, failures: events, script: script, until: span, calendar: otherCalendar) { entry in
            otherSpill.map { spilling($0, json: true)(entry) }
        }
        if let stopped = second.stopped { throw LoadError(.limitExceeded, "with --compare: " + stopped, file: failures) }
        let comparison = SimulationComparison(result, second)
        if json, let otherSpill {
            try DunningPrinter.json(comparison, left: spill, right: otherSpill)
        } else {
            try printer.timelines(result, spill: spill)
            printer.comparison(comparison, first: (first, result), second: (other, second))
        }
    }
}
