public import ArgumentParser
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine

/// `purchase-actions simulate`: runs events through workflows on a virtual clock and shows what
/// ran, when and why. Nothing is sent.
public struct Simulate: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Run an events file through workflows on a virtual clock; print what runs, when and why.",
        discussion: """
            The workflows come from an export (compiled as import-actions would), from the output \
            folder of import-actions read whole (workflows/, templates/, account.json), or from a \
            folder of workflow files (an export or a migration's account.json also gives templates \
            the company's name and its users, for {{company.Name}} and {{owner.Email}}). Events are JSON Lines (Docs/events.md), one event \
            per line, in time order. \
            Virtual time starts at the first event; each event moves the clock to its time. Without \
            --until the run ends at the last event, and waits not over by then do not run. --until \
            runs the clock on, firing every wake-up due at or before it: a span counts from the FIRST \
            event (--until 30d: 30 days after it), or give a time (2026-03-01T00:00:00Z); a follow-up \
            sequence over weeks takes milliseconds. Enrollments still waiting at the end are a \
            warning on standard error with the next wake-up (the exit status is unchanged). Nothing \
            is sent: every email, SMS, POST and charge is only printed.

            For each event and each wake-up, the output names the workflows entered and every step \
            with its effect and the reason: the trigger filters and branch conditions with the values \
            compared. --json prints the execution log instead, one JSON record per line.

            A bad event line is reported with its line number and JSON path, and nothing after it \
            runs (exit 65; the summary counts what ran, and a note names the line) unless \
            --keep-going, which skips bad lines and still exits 65 at the end. A folder of workflows \
            copied out of a migration needs its templates/ beside it: give the whole output folder.

            Examples:
              purchase-actions simulate --export Fixtures/exports/physical-goods-store.xml \\
                --events Fixtures/events/physical-goods-store.jsonl --until 30d
              purchase-actions simulate --migration migrated --events day.jsonl --json
              purchase-actions simulate --export export.xml --events e.jsonl --until 2026-03-01T00:00:00Z
            """
    )

    @Option(help: ArgumentHelp("An export to compile and run (export format v1).", valueName: "export.xml"))
    var export: String?

    @Option(
        name: [.customLong("workflows"), .customLong("migration")],
        help: ArgumentHelp(
            "A migration folder (the output of import-actions, holding workflows/, templates/ and account.json) or a folder of workflow files (*.json, workflow format v1) to run; --migration is the same option.",
            valueName: "dir"))
    var workflows: String?

    @Option(help: ArgumentHelp("The events to run, JSON Lines (events format v1).", valueName: "events.jsonl"))
    var events: String

    // Unconditional: `--until -1d` reaches validate() (and its message) instead of being taken for an option.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Run the clock on after the last event to this point, firing the wake-ups due by then: a span counted from the first event (90d, 24h, 30m; at most \(Horizon.maximumDays)d, \(Horizon.maximumDays * 24)h or \(Horizon.maximumDays * 1440)m) or an RFC 3339 time in the years 0001 to 9999. Without it the run ends at the last event.",
            valueName: "span|time"))
    var until: String?

    @Flag(help: "Print the execution log as JSON Lines instead of text.")
    var json = false

    @Flag(help: "Skip bad event lines (each still reported) instead of stopping at the first.")
    var keepGoing = false

    @Flag(help: "An event naming a product, plan or action set the workflows do not know is a bad line (exit 65), not a warning.")
    var strict = false

    @Option(help: ArgumentHelp("With --workflows: most bytes one workflow file may hold (default 16 MiB).", valueName: "bytes"))
    var maxWorkflowBytes: Int = WorkflowLimits.fileBytes

    @Option(help: ArgumentHelp("With --workflows: most workflow files the folder may hold (default 100,000).", valueName: "n"))
    var maxWorkflowFiles: Int = WorkflowLimits.filesPerFolder

    @Option(
        help: ArgumentHelp(
            "Most work (steps, enrollments and wake-ups) the wake-ups of one stretch of the clock may do (default 1,000,000).", valueName: "n"))
    var maxAdvanceWork: Int = Engine.defaultAdvanceBudget

    @OptionGroup(title: "Reader limits (with --export)")
    var limits: ReaderLimitOptions

    public func validate() throws {
        guard (export == nil) != (workflows == nil) else { throw ValidationError("give one of --export or --workflows") }
        for (name, value) in [("--max-workflow-bytes", maxWorkflowBytes), ("--max-workflow-files", maxWorkflowFiles), ("--max-advance-work", maxAdvanceWork)] where value < 1 {
            throw ValidationError("\(name) must be 1 or more (got \(value)).")
        }
        if let until, Horizon(until) == nil {
            throw ValidationError(
                "--until takes a span from the first event, 0 to \(Horizon.maximumDays)d (or \(Horizon.maximumDays * 24)h, \(Horizon.maximumDays * 1440)m) such as 90d, 24h or 30m, or an RFC 3339 time in the years 0001 to 9999 such as 2026-03-01T00:00:00Z (got '\(DisplayText.escape(until))')")
        }
    }

    public func run() throws {
        try InputPath.check(events, is: .file, takes: "--events takes an events file (JSON Lines)")
        let input =
            try export.map { path in try SimulationInput.fromExport(path, limits: limits.limits) }
            ?? SimulationInput.fromFolder(workflows!, limits: WorkflowFolderLimits(fileBytes: maxWorkflowBytes, files: maxWorkflowFiles))
        // What the reader and compiler found, as import-actions prints it (Docs/cli.md, "Warnings").
        for note in input.notes { Terminal.error(note) }
        var unknown = UnknownNames(
            catalogue: try input.catalogue(export: export, limits: limits.limits), workflowIDs: Set(input.workflows.map(\.id)), strict: strict)
        var printer = SimulationPrinter(json: json)
        var file = try EventsFile(path: events)
        var failures = 0
        var engine: Engine?
        var first: Instant?
        while let line = try file.next() {
            let number = line.number
            let event: Event
            switch line.result {
            case .success(let value):
                event = value
                if refusesUnknownNames(event, line: number, &unknown) {
                    failures += 1
                    if keepGoing { continue }
                    throw stopAtBadLine(number, printer: printer, engine: engine, effects: input.effects)
                }
            case .failure(let error):
                // One form for every bad line, the loaders' (Docs/cli.md, "Grammar"): file:line[:column]: error: $.path: message.
                let column = error.line != nil && error.path.components.isEmpty ? error.column : nil
                Terminal.error(LoadError(error, file: events, line: number, column: column).description)
                failures += 1
                if keepGoing { continue }
                throw stopAtBadLine(number, printer: printer, engine: engine, effects: input.effects)
            }
            if engine == nil {
                first = event.occurredAt
                engine = try makeEngine(input, start: event.occurredAt)
            }
            do {
                // Decoded from the file just now, so checked already.
                let records = try engine!.ingest(unchecked: event)
                printer.event(event, records)
            } catch {
                // What ran before the event was refused (wake-ups due before it) is still shown.
                printer.timers(engine!.log)
                if error.code == .advanceBudgetSpent {
                    // The clock cannot reach the event: nothing after it can run (not even with --keep-going).
                    Terminal.error("\(events):\(number): error: \(stopped(engine!, before: "event '\(event.id)'"))")
                    throw ExitStatus.invalidData
                }
                // An event before the clock is a bad line: reported at its occurredAt, as the decoder's errors are
                // (in the file's words: the engine's message names an option a file cannot set).
                let line =
                    error.code == .eventInThePast
                    ? LoadError(
                        .invalid,
                        "event '\(DisplayText.escape(event.id))' happened at \(event.occurredAt), before the engine's clock (\(engine!.now)); events must come in time order",
                        file: events, line: number, jsonPath: JSONPath.root.member("occurredAt"))
                    : LoadError(.invalid, error.message, file: events, line: number)
                Terminal.error(line.description)
                failures += 1
                if keepGoing { continue }
                throw stopAtBadLine(number, printer: printer, engine: engine, effects: input.effects)
            }
        }
        if let engine, let first, let until, let horizon = Horizon(until) {
            let target = horizon.instant(from: first)
            let records = engine.advance(to: target)
            printer.timers(records)
            if engine.unreachedTarget != nil {
                printer.summary(engine: engine, effects: input.effects)
                Terminal.error("error: \(stopped(engine, before: "--until (\(target))"))")
                throw ExitStatus.invalidData
            }
        }
        printer.summary(engine: engine, effects: input.effects)
        // Enrollments still waiting at the end: a warning on standard error (Docs/cli.md, "`--until`").
        if let engine, let first { warnIfWaiting(engine, untilTarget: until.flatMap(Horizon.init).map { $0.instant(from: first) }) }
        if failures > 0 { throw ExitStatus.invalidData }
    }

    /// Ends the run at the bad event line `number` (without `--keep-going`): the summary of what
    /// ran before it on standard output, a note saying where and why the run stopped on standard
    /// error (Docs/cli.md, "`purchase-actions simulate`"), and exit 65.
    private func stopAtBadLine(_ number: Int, printer: SimulationPrinter, engine: Engine?, effects: RecordingEffectSink) -> ExitStatus {
        printer.summary(engine: engine, effects: effects)
        Terminal.error(
            "note: the run stopped at line \(number) of \(events), the first bad line: nothing after it ran (--keep-going skips bad lines and runs the rest)"
        )
        return ExitStatus.invalidData
    }

    /// Why the run stopped at the advance budget, before `what`.
    private func stopped(_ engine: Engine, before what: String) -> String {
        "the simulation stopped at \(engine.now), before \(what): the wake-ups due did \(maxAdvanceWork) steps, enrollments and wake-ups, the most one stretch of the clock may do (--max-advance-work; Docs/engine.md, \"Running enrollments\")"
    }

    private func makeEngine(_ input: SimulationInput, start: Instant) throws -> Engine {
        do {
            // Each call's records are printed as they come: the engine keeps neither the log nor
            // ended enrollments, so memory holds what is still running.
            let engine = try Engine(
                Automation(workflows: input.workflows, productOfPlan: input.productOfPlan, account: input.account), start: start,
                options: Engine.Options(keepsLog: false, advanceBudget: maxAdvanceWork),
                ports: Engine.Ports(effects: input.effects, store: InMemoryEnrollmentStore(keepsFinished: false)))
            for id in engine.workflowsOverBudget where !input.overBudgetNoted.contains(id) {
                let expansion = engine.expansion[id] ?? 0
                let count = expansion == Int.max ? "without end (a cycle of calls or enroll steps)" : "\(expansion) times"
                Terminal.error(
                    "\(input.files[id] ?? id): warning: workflow '\(id)' runs steps and enrollments, with repetitions, \(count): more than the \(Engine.defaultWorkBudget) the engine runs for one event, so a run of it stops part way (Docs/engine.md, \"The work budget\")")
            }
            return engine
        } catch {
            Terminal.error("error: \(error.message)")
            throw ExitStatus.invalidData
        }
    }
}

/// How far `--until` runs the clock: a span from the first event, or a moment.
struct Horizon {
    let span: Int64?
    let moment: Instant?

    init?(_ text: String) {
        if let parsed = Instant.parseRFC3339(text) {
            span = nil
            moment = parsed.instant
            return
        }
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0 else { return nil }
        let unitSeconds: Int64
        switch unit {
        case "d": unitSeconds = 86_400
        case "h": unitSeconds = 3600
        case "m": unitSeconds = 60
        default: return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: unitSeconds)
        guard !overflow, seconds <= Self.maximumDays * 86_400 else { return nil }
        span = seconds
        moment = nil
    }

    /// The longest span: 36,500 days (876,000 hours, 52,560,000 minutes), 100 years as the
    /// formats count them (``WorkflowLimits/days``; Docs/cli.md).
    static let maximumDays = Int64(WorkflowLimits.days)

    /// The moment to run to: the time given, or the span after the first event, at most the last
    /// instant the engine computes with (9999-12-31T23:59:59.999Z, ``Instant/supported``).
    func instant(from first: Instant) -> Instant { moment ?? min(first.adding(seconds: span ?? 0), Instant.supported.upperBound) }
}
