public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsSQLite

/// `purchase-actions outbox`: the outbox's rows, its dead letters, and trying one again
/// (Docs/cli.md, "`purchase-actions outbox`"; Docs/operations.md, "The outbox").
public struct ShowOutbox: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Print the outbox (effects waiting for delivery, delivered, dead letters); --retry sends a dead one again.",
        discussion: """
            One line per outbox row: its idempotency key, the kind of effect (send-email, send-sms, \
            http-post, ...), its state (pending, delivered, dead), the attempts made, the next \
            attempt and the last error, oldest first. --dead lists only the dead letters: rows whose \
            delivery failed 8 times or was refused for good; --pending only the rows still to \
            deliver. --limit N prints the newest N rows of those (default 10,000; still oldest first, \
            like tail). \
            --retry KEY makes a dead (or failed) row pending \
            again, due now: the next run delivers it, with the same key. --json prints each row as \
            an object (key, kind, details, state, attempts, nextAttemptAt, lastError, createdAt).

            Examples:
              purchase-actions outbox
              purchase-actions outbox --dead --json
              purchase-actions outbox --pending --limit 20
              purchase-actions outbox --retry e-5/3/action-set.as-order-thanks:as-order-thanks.mail

            Exit codes: 0 ok, 64 usage, 65 a database written by a newer version, 66 the database \
            missing or no dead or failed row has the key given to --retry, 74 the database cannot be \
            read or written (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Flag(help: "Only the dead letters.")
    var dead = false

    @Flag(help: "Only the rows still to deliver (pending).")
    var pending = false

    @Option(help: ArgumentHelp("Print only the newest this many rows (1 to 1,000,000; default 10,000), oldest first.", valueName: "n"))
    var limit: Int?

    /// The rows printed without `--limit`: the newest 10,000, as `log`, `enrollments` and the
    /// dunning commands do, so a large outbox is never read whole.
    static let defaultLimit = 10_000

    @Option(help: ArgumentHelp("Make this dead (or failed) row pending again, due now.", valueName: "key"))
    var retry: String?

    @OptionGroup var output: JSONFlag

    public func validate() throws {
        if dead && pending { throw ValidationError("give one of --dead or --pending, not both") }
        if let limit, !(1...1_000_000).contains(limit) { throw ValidationError("--limit must be 1 to 1,000,000 (got \(limit))") }
        if retry != nil && (dead || pending || limit != nil) { throw ValidationError("--retry goes alone (without --dead, --pending or --limit)") }
    }

    public func run() throws {
        let store = try retry == nil ? database.openForReading() : database.open(creating: false)
        if let retry {
            guard try store.retry(key: retry) else {
                Terminal.error("error: no dead or failed outbox row has the key '\(DisplayText.escape(retry))' (purchase-actions outbox --dead lists them)")
                throw ExitStatus.missingInput
            }
            Terminal.line("\(retry): pending again; the next purchase-actions run delivers it")
            // A checkpoint's failure after the commit is reported, not dropped at close.
            try store.finish()
            return
        }
        var table = Table("key", "kind", "state", "attempts", "next attempt", "last error")
        let entries = try store.outbox(state: dead ? .dead : pending ? .pending : nil, last: limit ?? Self.defaultLimit)
        for entry in entries {
            if output.json {
                Terminal.jsonLine(Self.json(entry).compactText)
            } else {
                table.add(
                    entry.key, entry.kind, entry.state.rawValue, "\(entry.attempts)", entry.nextAttemptAt?.description ?? "-", entry.lastError ?? "")
            }
        }
        if !output.json { table.print(empty: dead ? "no dead letters" : pending ? "nothing pending" : "the outbox is empty") }
    }

    /// One row as JSON.
    static func json(_ entry: OutboxEntry) -> JSONValue {
        .members([
            "key": entry.key.json, "kind": entry.kind.json, "details": entry.details, "state": entry.state.rawValue.json,
            "attempts": entry.attempts.json, "nextAttemptAt": entry.nextAttemptAt?.description.json, "lastError": entry.lastError.json,
            "createdAt": entry.createdAt.description.json,
        ])
    }
}
