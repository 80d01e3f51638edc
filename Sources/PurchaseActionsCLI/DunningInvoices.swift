public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsSQLite

/// `purchase-actions dunning invoices`: the invoices the worker's dunning holds, read-only on the
/// database (Docs/cli.md, "`purchase-actions dunning invoices`").
public struct DunningInvoices: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// The most rows `--limit` takes: 1,000,000.
    static let maxLimit = 1_000_000

    public static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Print the invoices in dunning on the worker: status, stage, attempts, the next attempt.",
        discussion: """
            One line per invoice the worker's dunning holds (a published dunning policy, run by \
            purchase-actions run), in the order they started: the invoice, the contact, its status \
            (open, recovered, paid-elsewhere, final, cancelled), its stage, the charges dunning sent \
            to the gateway (an attempt skipped for a blocked card or a full budget is not one; the \
            failure the event source reported is not counted), the attempts failed (attempt 1 is \
            the failure the event source reported), the next attempt planned, \
            and the policy and version it runs under. --open lists only the open ones; --limit N \
            the first N (default 10,000; 1 to 1,000,000). --json prints each invoice as one object. \
            The database is opened read-only, beside a running worker.

            Examples:
              purchase-actions dunning invoices
              purchase-actions dunning invoices --open
              purchase-actions dunning invoices --database billing.sqlite --json

            Exit codes: 0 ok, 64 usage, 65 a database written by a newer version (or not a \
            database), 66 the database missing, 74 the database cannot be read (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Flag(help: "Only the invoices still in dunning (open).")
    var open = false

    @Option(help: ArgumentHelp("Print at most this many invoices (1 to 1,000,000; default 10,000), the first started first.", valueName: "n"))
    var limit: Int = 10_000

    @OptionGroup var output: JSONFlag

    public func validate() throws {
        if !(1...Self.maxLimit).contains(limit) { throw ValidationError("--limit must be 1 to 1,000,000 (got \(limit))") }
    }

    public func run() throws {
        let store = try database.openForReading()
        let invoices = try store.dunningInvoices(openOnly: open, limit: limit)
        var table = Table("invoice", "contact", "status", "stage", "charges", "failed", "next attempt", "policy")
        for stored in invoices {
            let invoice = stored.invoice
            if output.json {
                Terminal.jsonLine(Self.json(stored).compactText)
            } else {
                table.add(
                    invoice.id, invoice.contact, invoice.status.rawValue, invoice.stage ?? "-", "\(invoice.charges)", "\(invoice.attemptsFailed)",
                    invoice.nextAttemptAt?.description ?? "-", "\(stored.policyID) v\(stored.policyVersion)")
            }
        }
        if !output.json { table.print(empty: open ? "no open invoices in dunning" : "no invoices in dunning") }
    }

    /// One invoice as JSON: what it is, where it is, how it ended, and the policy (id and
    /// version) it runs under (members without a value left out).
    static func json(_ stored: StoredDunningInvoice) -> JSONValue {
        let invoice = stored.invoice
        return .members([
            "invoice": invoice.id.json, "contact": invoice.contact.json, "subscription": invoice.subscription.json, "plan": invoice.plan.json,
            "amount": .members(["minor": invoice.amount.json, "currency": invoice.currency.json]),
            "card": invoice.card.json, "network": invoice.network.rawValue.json, "cardFromUpdate": invoice.cardFromUpdate.json,
            "cardBlocked": invoice.cardBlocked.json, "status": invoice.status.rawValue.json, "stage": invoice.stage.json,
            "firstFailureAt": invoice.firstFailureAt.description.json, "firstDecline": invoice.firstDecline.json,
            "lastDecline": invoice.lastDecline.json, "attemptsMade": invoice.attemptsMade.json, "attemptsFailed": invoice.attemptsFailed.json,
            "charges": invoice.charges.json, "deferrals": invoice.deferrals.json, "budgetSkips": invoice.budgetSkips.json,
            "nextAttemptAt": invoice.nextAttemptAt?.description.json, "finalKind": invoice.finalKind?.rawValue.json,
            "endedAt": invoice.endedAt?.description.json, "recoveredAttempt": invoice.recoveredAttempt.json,
            "policy": stored.policyID.json, "policyVersion": stored.policyVersion.json,
        ])
    }
}

/// `purchase-actions dunning timeline`: what dunning did, entry by entry, read-only on the database
/// (Docs/cli.md, "`purchase-actions dunning timeline`").
public struct DunningTimeline: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Print the dunning timeline on the worker: each attempt, decline, message, stage and final action.",
        discussion: """
            One line per timeline entry of the worker's dunning, oldest first: when, the invoice, \
            the policy and its version, what (started, attempt N, deferred, skipped, message, task, \
            notification, action, stage, card-updated, paid-elsewhere, recovered, final, ignored) and \
            the entry's words (the outcome and the decline with its class, the action, the stage). \
            Give an invoice id for its entries only. --limit N prints the newest N entries, still \
            oldest first, like tail (default 10,000; 1 to 1,000,000). --json prints each entry as \
            one object (the entry as the simulator writes it, with sequence, policy and policyVersion). \
            The database is opened read-only, beside a running worker.

            Examples:
              purchase-actions dunning timeline
              purchase-actions dunning timeline inv-7
              purchase-actions dunning timeline inv-7 --json --limit 50

            Exit codes: 0 ok, 64 usage, 65 a database written by a newer version (or not a \
            database), 66 the database missing, 74 the database cannot be read (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: ArgumentHelp("Only this invoice's entries.", valueName: "invoice"))
    var invoice: String?

    @Option(help: ArgumentHelp("Print only the newest this many entries (1 to 1,000,000; default 10,000), oldest first.", valueName: "n"))
    var limit: Int = 10_000

    @OptionGroup var output: JSONFlag

    public func validate() throws {
        if !(1...DunningInvoices.maxLimit).contains(limit) { throw ValidationError("--limit must be 1 to 1,000,000 (got \(limit))") }
    }

    public func run() throws {
        let store = try database.openForReading()
        let entries = try store.dunningTimeline(invoice: invoice, limit: limit)
        var table = Table("at", "invoice", "policy", "what", "detail")
        for stored in entries {
            if output.json {
                Terminal.jsonLine(Self.json(stored).compactText)
            } else {
                let members: [String: JSONValue]
                if case .object(let object) = stored.entry { members = object } else { members = [:] }
                var what = stored.kind
                if stored.kind == "attempt" || stored.kind == "reported", case .integer(let attempt)? = members["attempt"] { what += " \(attempt)" }
                var detail = ""
                if case .string(let text)? = members["detail"] { detail = text }
                let policy = stored.policyID.map { id in stored.policyVersion.map { "\(id) v\($0)" } ?? id } ?? "-"
                table.add(stored.at.description, stored.invoice, policy, what, detail)
            }
        }
        if !output.json {
            table.print(empty: invoice.map { "no dunning timeline entries for invoice '\(DisplayText.escape($0))'" } ?? "no dunning timeline entries")
        }
    }

    /// One stored entry as JSON: the entry's members, with `sequence`, `policy` and
    /// `policyVersion` (those two left out for an entry no policy manages).
    static func json(_ stored: StoredDunningEntry) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if case .object(let entry) = stored.entry { members = entry } else { members["entry"] = stored.entry }
        members["sequence"] = .integer(Int(clamping: stored.sequence))
        if let id = stored.policyID { members["policy"] = id.json }
        if let version = stored.policyVersion { members["policyVersion"] = version.json }
        return .object(members)
    }
}
