public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
import PurchaseActionsSQLite

/// `purchase-actions log`: the execution log the worker wrote, filtered (Docs/cli.md,
/// "`purchase-actions log`").
public struct ShowLog: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the execution log in the database: what ran, when and why.",
        discussion: """
            One line per log record, oldest first: the time, the status, the workflow and its \
            version, the contact, the step and what happened. --json prints each record as the \
            engine writes it (Docs/engine.md, "The execution log"), with its "sequence" number in the \
            store added. --limit N prints the newest N matching records (default 10,000), still \
            oldest first, as tail does.

            Statuses: \(LogRecord.Status.allCases.map(\.rawValue).joined(separator: ", ")).

            Examples:
              purchase-actions log
              purchase-actions log --contact ff-c-1 --workflow welcome
              purchase-actions log --status error --since 24h --json
              purchase-actions log --since 2025-03-01T00:00:00Z

            A record that cannot be read (edited by hand or damaged) never hides the others: \
            those that can be read are printed, then each unreadable one is named on standard \
            error, and the exit is 65.

            Exit codes: 0 ok, 64 usage, 65 a database written by a newer version or a log record \
            that cannot be read, 66 the database missing, 74 it cannot be read (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("Only this contact's records.", valueName: "id"))
    var contact: String?

    @Option(help: ArgumentHelp("Only this workflow's records.", valueName: "id"))
    var workflow: String?

    @Option(help: ArgumentHelp("Only records with this status (entered, completed, waiting, error, ...).", valueName: "status"))
    var status: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Only records at or after this time: RFC 3339 (2025-03-01T00:00:00Z), or a span before now on the real clock (24h, 7d, 30m).",
            valueName: "time|span"))
    var since: String?

    @Option(help: ArgumentHelp("Print the newest this many records, oldest first, as tail does (1 to 1,000,000; default 10,000).", valueName: "n"))
    var limit: Int = 10_000

    @OptionGroup var output: JSONFlag

    public func validate() throws {
        if let status, LogRecord.Status(rawValue: status) == nil {
            throw ValidationError(
                "--status takes one of \(LogRecord.Status.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(DisplayText.escape(status))')")
        }
        if let since, SinceOption.instant(since) == nil {
            throw ValidationError(
                "--since takes an RFC 3339 time such as 2025-03-01T00:00:00Z, or a span before now such as 24h, 7d or 30m (got '\(DisplayText.escape(since))')")
        }
        if !(1...1_000_000).contains(limit) { throw ValidationError("--limit must be 1 to 1,000,000 (got \(limit))") }
    }

    public func run() throws {
        let store = try database.openForReading()
        let query = LogQuery(
            contactID: contact, workflowID: workflow, status: status.flatMap(LogRecord.Status.init(rawValue:)),
            since: since.flatMap(SinceOption.instant), limit: limit)
        let listing = try store.logListing(query)
        let records = listing.records
        var table = Table("at", "status", "workflow", "contact", "step", "message")
        for stored in records {
            if output.json {
                Terminal.jsonLine(stored.record.adding(["sequence": Int(stored.sequence).json]).compactText)
                continue
            }
            let record = stored.record
            let workflow = [record.string("workflow"), record.int("version").map { "v\($0)" }].compactMap { $0 }.joined(separator: " ")
            table.add(
                record.string("at") ?? "", record.string("status") ?? "", workflow, record.string("contact") ?? "", record.string("step") ?? "",
                record.string("message") ?? "")
        }
        if !output.json { table.print(empty: listing.unreadableCount == 0 ? "no log records" : "no readable log records") }
        try Self.failOnUnreadable(listing, database: database.database)
    }

    /// After the records that could be read: each unreadable one named on standard error (the
    /// first `LogListing.unreadableKept` the reading met: the newest, as `--limit` reads from the end), then exit 65 — a damaged record never hides the others,
    /// and never goes unnoticed by a script.
    static func failOnUnreadable(_ listing: LogListing, database: String) throws(StoreError) {
        guard listing.unreadableCount > 0 else { return }
        for var error in listing.unreadable {
            error.path = error.path ?? database
            Terminal.error(error.diagnostic)
        }
        let more = listing.unreadableCount - listing.unreadable.count
        if more > 0 { Terminal.error("\(database): error: and \(more) more unreadable log record\(more == 1 ? "" : "s") or batch\(more == 1 ? "" : "es")") }
        let count = listing.unreadableCount
        throw StoreError(
            .notADatabase,
            "\(count) log record\(count == 1 ? "" : "s") or batch\(count == 1 ? "" : "es") could not be read (named above; a batch that cannot be split counts once; the records listed are the others that matched): the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")",
            path: database)
    }
}

/// `--since`: an RFC 3339 time, or a span before now on the real clock.
enum SinceOption {
    static func instant(_ text: String) -> Instant? {
        if let parsed = Instant.parseRFC3339(text) { return parsed.instant }
        guard let horizon = Horizon(text), let span = horizon.span else { return nil }
        return WorkerClock.systemNow().adding(seconds: -span)
    }
}

extension JSONValue {
    /// The member `key` of an object when it is a string.
    func string(_ key: String) -> String? {
        guard case .object(let members) = self, case .string(let value)? = members[key] else { return nil }
        return value
    }

    /// The member `key` of an object when it is an integer.
    func int(_ key: String) -> Int? {
        guard case .object(let members) = self, case .integer(let value)? = members[key] else { return nil }
        return value
    }
}
