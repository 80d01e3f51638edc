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
            wake-up, version, workflow, contact) disagree with it. --restore ID puts back an \
            enrollment the store set aside, once its cause is fixed: its row is made again from its \
            JSON. With --dry-run both report and change nothing (Docs/operations.md, "Unreadable \
            enrollments").

            Examples:
              purchase-actions enrollments --state waiting
              purchase-actions enrollments --workflow welcome --contact ff-c-1 --json
              purchase-actions enrollments --check
              purchase-actions enrollments --restore e-1 --dry-run

            Exit codes: 0 ok, 1 --check found rows that cannot run, 64 usage, 65 a database written \
            by a newer version, or an enrollment --restore refuses (the message says why and what to \
            do), 66 the database missing or no enrollment has the id given to --restore, 74 it \
            cannot be read or written (Docs/cli.md).
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

    @Flag(help: "Read every stored enrollment and set aside those whose stored JSON does not read back or disagrees with its indexed columns.")
    var check = false

    @Option(help: ArgumentHelp("Put back an enrollment the store set aside, once its cause is fixed (its row is made again from its JSON).", valueName: "id"))
    var restore: String?

    @Flag(help: "With --check or --restore: report, and change nothing.")
    var dryRun = false

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

    /// `--check`: a line per row found, then how many were read; exit 1 when any was found.
    private func runCheck() throws {
        let store = try dryRun ? database.openForReading() : database.open(creating: false)
        let check = try store.checkEnrollments(dryRun: dryRun)
        for finding in check.findings {
            if output.json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "enrollment": finding.enrollmentID.json, "kind": finding.kind.json, "problem": finding.problem.json,
                        "result": (dryRun ? "would-set-aside" : "set-aside").json,
                    ]).compactText)
            } else {
                Terminal.line("\(dryRun ? "would set aside" : "set aside")  \(DisplayText.escape(finding.enrollmentID))  \(finding.problem)")
            }
        }
        if !output.json {
            let found = check.findings.count
            let verb = dryRun ? "would be set aside" : "set aside now"
            let tail = dryRun ? " (--dry-run: nothing changed)" : found > 0 ? " (purchase-actions enrollments --restore ID puts one back once fixed)" : ""
            Terminal.line("\(check.checked) enrollments read: \(found) \(verb), \(check.setAsideBefore) set aside before\(tail)")
        }
        if !check.findings.isEmpty { throw ExitStatus.findings }
    }

    /// `--restore ID`: the enrollment put back (or that would be), or why not.
    private func runRestore(_ id: String) throws {
        let store = try dryRun ? database.openForReading() : database.open(creating: false)
        guard let restored = try store.restoreEnrollment(id: id, dryRun: dryRun) else {
            Terminal.error("error: the database has no enrollment '\(DisplayText.escape(id))' (purchase-actions enrollments --state error lists those set aside)")
            throw ExitStatus.missingInput
        }
        let row = StoredEnrollment(enrollment: restored.enrollment, updatedAt: restored.updatedAt)
        if output.json {
            var steps = StepNames(store: store)
            Terminal.jsonLine(Self.json(row, step: try steps.stepID(of: restored.enrollment)).compactText)
            return
        }
        let enrollment = restored.enrollment
        let what = "\(DisplayText.escape(enrollment.id))  \(DisplayText.escape(enrollment.workflowID)) v\(enrollment.version)  \(DisplayText.escape(enrollment.contactID))  \(Self.describe(row))"
        Terminal.line(dryRun ? "would put back  \(what) (--dry-run: nothing changed)" : "put back  \(what); the next purchase-actions run goes on with it")
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
