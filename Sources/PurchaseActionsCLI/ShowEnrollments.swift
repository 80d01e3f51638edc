public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
import PurchaseActionsSQLite

/// `purchase-actions enrollments`: the enrollments in the database, filtered (Docs/cli.md,
/// "`purchase-actions enrollments`").
public struct ShowEnrollments: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "enrollments",
        abstract: "Print the enrollments in the database: which contact is where in which workflow version.",
        discussion: """
            One line per enrollment: its id, the workflow and the version it is pinned to, the \
            contact, the step it is at (the wait it waits at, the call it is inside; "-" for one \
            that ended, one before its first step, or one whose version is not stored), its state (running, waiting with the wake-up time, finished, exited, or error \
            with why) and when it last changed. --json prints each enrollment as the store keeps it \
            (Docs/operations.md), with "step", "updatedAt" and "error" added. At most --limit are printed \
            (default 10,000). Finished and exited enrollments are deleted after the worker's \
            --retention.

            --check reads every stored enrollment and sets aside (as error, as the worker does where \
            it meets one) each whose stored JSON does not read back or whose indexed columns (state, \
            wake-up, version, workflow, contact, id, sequence) disagree with it; a row whose \
            updated_at is not a time is stamped with the stored clock (it still runs). It prints a \
            line per row found, then how many were read (--json: an object per row found, then \
            one summary object {"checked","dryRun","found","result","setAsideBefore"}, "result" \
            "clean" or "found").

            --restore ID puts back an enrollment the store set aside, once its cause is fixed: its \
            row is made again from its JSON, and the next run goes on where its JSON says. An older \
            JSON runs its steps again: it is refused when the log shows more actions of the \
            enrollment than its JSON's "performed" (an email is not sent twice, its outbox key being \
            the same, but the log shows it twice and tags and fields are changed again). It is \
            refused too when the contact has another running enrollment in the workflow that does \
            not allow re-entry (both would run, and the contact get its emails twice). --force \
            puts it back despite those two, with a warning. With --dry-run, --check and --restore \
            report and change nothing (Docs/operations.md, "Unreadable enrollments").

            Examples:
              purchase-actions enrollments --state waiting
              purchase-actions enrollments --workflow welcome --contact ff-c-1 --json
              purchase-actions enrollments --check
              purchase-actions enrollments --restore e-1 --dry-run

            Exit codes: 0 ok, 1 --check found rows (set aside or stamped), 64 usage, 65 a database \
            written by a newer version, or an enrollment --restore refuses (the message says why and \
            what to do), 66 the database missing or no enrollment has the id given to --restore, 74 \
            it cannot be read or written (Docs/cli.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("Only enrollments in this workflow.", valueName: "id"))
    var workflow: String?

    @Option(help: ArgumentHelp("Only this contact's enrollments.", valueName: "id"))
    var contact: String?

    @Option(help: ArgumentHelp("Only enrollments in this state: running, waiting, finished, exited or error.", valueName: "state"))
    var state: String?

    @Option(help: ArgumentHelp("Most enrollments printed (1 to 1,000,000; default 10,000).", valueName: "n"))
    var limit: Int?

    @Flag(help: "Read every stored enrollment and set aside those whose stored JSON does not read back or disagrees with its indexed columns; exit 1 when any is found.")
    var check = false

    @Option(
        help: ArgumentHelp(
            "Put back an enrollment the store set aside, once its cause is fixed (its row is made again from its JSON); refused when its JSON is behind its log or its contact runs the workflow again.",
            valueName: "id"))
    var restore: String?

    @Flag(help: "With --check or --restore: report, and change nothing.")
    var dryRun = false

    @Flag(
        help:
            "With --restore: put it back even when its JSON is behind what the log shows it did (its steps run again), or its contact has another running enrollment in a workflow that does not allow re-entry (both run); a warning says so.")
    var force = false

    @OptionGroup var output: JSONFlag

    public func validate() throws {
        if let state, EnrollmentQuery.State(rawValue: state) == nil {
            throw ValidationError("--state takes running, waiting, finished, exited or error (got '\(DisplayText.escape(state))')")
        }
        if let limit, !(1...1_000_000).contains(limit) { throw ValidationError("--limit must be 1 to 1,000,000 (got \(limit))") }
        if check || restore != nil {
            if check && restore != nil { throw ValidationError("give one of --check or --restore, not both") }
            if workflow != nil || contact != nil || state != nil || limit != nil {
                throw ValidationError("\(check ? "--check" : "--restore") goes alone (without --workflow, --contact, --state or --limit)")
            }
        } else if dryRun {
            throw ValidationError("--dry-run goes with --check or --restore")
        }
        if force && restore == nil { throw ValidationError("--force goes with --restore") }
    }

    public func run() throws {
        if check { return try runCheck() }
        if let restore { return try runRestore(restore) }
        let store = try database.openForReading()
        let rows = try store.enrollments(
            EnrollmentQuery(workflowID: workflow, contactID: contact, state: state.flatMap(EnrollmentQuery.State.init(rawValue:)), limit: limit ?? 10_000))
        var steps = StepNames(store: store)
        var table = Table("enrollment", "workflow", "contact", "step", "state", "updated")
        for row in rows {
            let step = try steps.stepID(of: row.enrollment)
            if output.json {
                Terminal.jsonLine(Self.json(row, step: step).compactText)
                continue
            }
            let enrollment = row.enrollment
            table.add(
                enrollment.id, "\(enrollment.workflowID) v\(enrollment.version)", enrollment.contactID, step ?? "-", Self.describe(row),
                row.updatedAt.description)
        }
        if !output.json { table.print(empty: "no enrollments") }
    }

    /// `--check`: a line per row found, then how many were read (`--json`: an object per row
    /// found, then always a summary object); exit 1 when any was found.
    private func runCheck() throws {
        let store = try dryRun ? database.openForReading() : database.open(creating: false)
        let check = try store.checkEnrollments(dryRun: dryRun)
        for finding in check.findings {
            let (result, words) =
                finding.setsAside
                ? (dryRun ? ("would-set-aside", "would set aside") : ("set-aside", "set aside")) : (dryRun ? ("would-stamp", "would stamp") : ("stamped", "stamped"))
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "enrollment": finding.enrollmentID.json, "kind": finding.kind.json, "problem": finding.problem.json, "result": result.json,
                    ]).compactText)
            } else {
                Terminal.line("\(words)  \(DisplayText.escape(finding.enrollmentID))  \(finding.problem)")
            }
        }
        let setAside = check.findings.filter(\.setsAside).count, stamped = check.findings.count - setAside
        if output.json {
            // Always last, so a script tells "read, nothing found" from "did not run".
            Terminal.jsonLine(
                JSONValue.members([
                    "checked": check.checked.json, "found": check.findings.count.json, "setAsideBefore": check.setAsideBefore.json,
                    "dryRun": dryRun.json, "result": (check.findings.isEmpty ? "clean" : "found").json,
                ]).compactText)
        } else {
            let verb = dryRun ? "would be set aside" : "set aside now"
            let stamps = stamped == 0 ? "" : ", \(stamped) \(dryRun ? "would be stamped" : "stamped") (updated_at)"
            let tail = dryRun ? " (--dry-run: nothing changed)" : setAside > 0 ? " (purchase-actions enrollments --restore ID puts one back once fixed)" : ""
            Terminal.line("\(check.checked) enrollments read: \(setAside) \(verb), \(check.setAsideBefore) set aside before\(stamps)\(tail)")
        }
        // A checkpoint's failure after the commit is reported, not dropped at close.
        try store.finish()
        if !check.findings.isEmpty { throw ExitStatus.findings }
    }

    /// `--restore ID`: the enrollment put back (or that would be), or why not; with `--force`, a
    /// warning on standard error for each refusal it overrode.
    private func runRestore(_ id: String) throws {
        let store = try dryRun ? database.openForReading() : database.open(creating: false)
        guard let restored = try store.restoreEnrollment(id: id, dryRun: dryRun, force: force) else {
            Terminal.error(
                "\(database.database): error: the database has no enrollment '\(DisplayText.escape(id))' (purchase-actions enrollments --state error lists those set aside)")
            throw ExitStatus.missingInput
        }
        for warning in restored.warnings { Terminal.error("\(database.database): warning: \(warning) (--force: \(dryRun ? "it would be put back" : "put back") all the same)") }
        let row = StoredEnrollment(enrollment: restored.enrollment, updatedAt: restored.updatedAt)
        if output.json {
            var steps = StepNames(store: store)
            Terminal.jsonLine(Self.json(row, step: try steps.stepID(of: restored.enrollment)).compactText)
            try store.finish()
            return
        }
        let enrollment = restored.enrollment
        let what = "\(DisplayText.escape(enrollment.id))  \(DisplayText.escape(enrollment.workflowID)) v\(enrollment.version)  \(DisplayText.escape(enrollment.contactID))  \(Self.describe(row))"
        Terminal.line(dryRun ? "would put back  \(what) (--dry-run: nothing changed)" : "put back  \(what); the next purchase-actions run goes on with it")
        // A checkpoint's failure after the commit is reported, not dropped at close.
        try store.finish()
    }

    /// One enrollment as JSON: id, workflowID, version, contactID, orderID, step (the step id it is
    /// at, left out when none), state (running, waiting, finished, exited, error), wakeAt,
    /// startedAt, updatedAt, error.
    static func json(_ row: StoredEnrollment, step: String? = nil) -> JSONValue {
        let enrollment = row.enrollment
        let state: String
        var wakeAt: Instant?
        switch enrollment.state {
        case .active: state = "running"
        case .waiting(_, let at, _):
            state = "waiting"
            wakeAt = at
        case .finished: state = "finished"
        case .exited: state = "exited"
        }
        return .members([
            "id": enrollment.id.json, "workflowID": enrollment.workflowID.json, "version": enrollment.version.json,
            "contactID": enrollment.contactID.json, "orderID": enrollment.orderID.json, "step": step.json, "state": (row.error == nil ? state : "error").json,
            "wakeAt": wakeAt?.description.json, "startedAt": enrollment.startedAt.description.json,
            "updatedAt": row.updatedAt.description.json, "error": row.error.json,
        ])
    }

    /// The state in words: `waiting until <time>`, `error: <why>`, ...
    static func describe(_ row: StoredEnrollment) -> String {
        if let error = row.error { return "error: \(error)" }
        switch row.enrollment.state {
        case .active: return "running"
        case .waiting(_, let wakeAt, _): return wakeAt.map { "waiting until \($0)" } ?? "waiting"
        case .finished: return "finished"
        case .exited: return "exited"
        }
    }
}

/// The step ids of enrollments, each workflow version read from the store once
/// (`StepLocator`, PurchaseActionsEngine).
struct StepNames {
    let store: SQLiteStore
    /// By workflow id and version (`nil`: the current one); `nil` when the store has no such version.
    private var locators: [String: [Int?: StepLocator?]] = [:]

    init(store: SQLiteStore) { self.store = store }

    /// The id of the step the enrollment's innermost frame is at, or `nil`.
    mutating func stepID(of enrollment: Enrollment) throws -> String? {
        guard let frame = enrollment.frames.last else { return nil }
        let (id, version) = (frame.workflowID, frame.version)
        let locator: StepLocator?
        if let known = locators[id]?[version] {
            locator = known
        } else {
            locator = try store.workflow(id: id, version: version).map(StepLocator.init)
            locators[id, default: [:]][version] = .some(locator)
        }
        guard let locator else { return nil }
        return locator.stepID(atPosition: frame.position)
    }
}
