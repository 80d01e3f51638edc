public import ArgumentParser
import CommandLineSupport
import Logging
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDelivery
import PurchaseActionsDunning
import PurchaseActionsEngine
import PurchaseActionsSQLite
import ServiceLifecycle
import UnixSignals

/// `purchase-actions run`: the worker. Reads events into the store, fires wake-ups, delivers the
/// outbox (Docs/cli.md, "`purchase-actions run`"; Docs/operations.md).
public struct Run: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Run the worker: ingest events into the database, fire the wake-ups that come due, charge a published dunning policy's retries, deliver the outbox.",
        discussion: """
            The worker runs the workflows published to the database (purchase-actions publish). It \
            reads events (JSON Lines, Docs/events.md) from a folder's *.jsonl files in name order, or \
            from standard input with --events -. Files are never deleted or changed: the worker \
            stores how far it has read each one in the same transaction as the events, so a restart \
            (or a crash) resumes where it stopped, and an event id seen before does nothing. A line is \
            read once it ends with a line feed (with --drain, a file's last line without one too).

            Wake-ups fire on the real clock, or with --clock on a virtual clock standing at that \
            instant (set after the events are read: every wait due by then fires). Each effect (an \
            email, an SMS, a POST, a charge) leaves through the outbox with its idempotency key: \
            --record appends one JSON line per delivery attempt to a file, --deliver-to POSTs it as \
            JSON with the key in an Idempotency-Key header. Without either, the outbox keeps the rows \
            for a later run. Failed deliveries are tried again with backoff (30 s doubling, at most 1 \
            h) and end as dead letters after 8 attempts (purchase-actions outbox --dead, --retry).

            A published dunning policy (dunning-policy.yaml in the folder given to publish) charges \
            its retries through a payment gateway: --gateway URL speaks the HTTP contract of \
            Docs/payment-gateway.md (a JSON POST with the attempt's idempotency key, status look-ups \
            by GET), --gateway-script script.json a simulated gateway answering from a gateway script \
            (Docs/dunning-simulation.md; for demos and tests: it lives in the worker's memory). Give \
            one or neither. Without either, due charges wait in the outbox for a run with a gateway. \
            Each charge re-reads the invoice first (paid another way: nothing charged), is sent once \
            with its key, and its outcome is recorded with the outbox row in one transaction; a crash \
            between the two sends the same key again, which the gateway answers with its first \
            result: never a second charge. purchase-actions dunning invoices and dunning timeline \
            show the invoices and what happened to them.

            Without --drain the worker runs until SIGTERM or SIGINT (Ctrl-C): it starts no new \
            delivery, cancels the one in flight (not recorded: the next run sends it again with the \
            same key), finishes the commit in progress and exits 0. A second signal exits at once \
            (130); what was committed is kept. --drain reads what is there, fires what is due, delivers, and \
            exits (for scripts, cron and tests). Log lines go to standard error; with --drain, a \
            summary line goes to standard output.

            One worker per database: run holds a lock on DATABASE.lock (beside the database) while it \
            runs, and a second run on the same database is refused at once (exit 74). publish, \
            migrate-enrollments and the read commands may run meanwhile.

            Retention runs on the worker's clock: replaying old events without --clock prunes their \
            log rows and ended enrollments at once (an info line says what); give --retention none \
            or --clock to keep them.

            A bad event line stops the worker with file:line and the JSON path (exit 65): the events \
            before it are committed, the line and those after it are not, so a run after the line is \
            fixed resumes at it. On the real clock, an event more than a day after now (--max-ahead) \
            stops it the same way: a time in the far future would move the engine's clock there for \
            good and fire every wait at once.

            Examples:
              purchase-actions run --events inbox/        (until SIGTERM)
              purchase-actions run --events inbox/ --drain --record deliveries.jsonl
              purchase-actions run --events Fixtures/events/worker --drain \\
                --clock 2025-04-30T00:00:00Z --record deliveries.jsonl
              tail -f events.jsonl | purchase-actions run --events - \\
                --deliver-to https://mail.example.com/outbox
              purchase-actions run --events inbox/ --deliver-to https://hooks.example.com/pa \
                --header 'Authorization: Bearer s3cret' --delivery-timeout 5
              purchase-actions run --events inbox/ --record deliveries.jsonl \
                --gateway https://billing.example.com/charges \
                --gateway-header 'Authorization: Bearer s3cret' --gateway-timeout 30
              purchase-actions run --events failures/ --drain --clock 2026-03-01T00:00:00Z \
                --gateway-script Fixtures/dunning/scripts/recovers-second-attempt.json

            Exit codes: 0 done (or stopped by a signal), 64 usage (--gateway with --gateway-script, a \
            gateway URL or header that is not usable), 65 a bad event line, a gateway script that is \
            not valid or a database written by a newer version, 66 the events folder, database or \
            gateway script missing, 74 the database cannot \
            be written (disk full, read-only) or read, or another worker runs on it, 75 (--drain with \
            a gateway) charges left not sent (the gateway was not reached: run again later), 130 a second \
            signal (Docs/cli.md, Docs/operations.md).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("A folder of events files (*.jsonl, read in name order), or - for standard input. Without it, no events are read: wake-ups and deliveries only.", valueName: "dir|-"))
    var events: String?

    @Flag(help: "Read what is there, fire what is due, deliver, and exit.")
    var drain = false

    @Option(
        help: ArgumentHelp(
            "Run on a virtual clock standing at this instant (RFC 3339, such as 2025-03-06T00:00:00Z), set after the events: the waits due by then fire. Without it, the real clock.",
            valueName: "time"))
    var clock: String?

    @Option(help: ArgumentHelp("Deliver by POSTing each outbox row as JSON to this URL (http or https), the idempotency key in an Idempotency-Key header.", valueName: "url"))
    var deliverTo: String?

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp(
            "With --deliver-to: a header sent with every POST, 'Name: value' (repeatable; not Idempotency-Key, Content-Type, Content-Length, Transfer-Encoding, Host or Connection).",
            valueName: "name: value"))
    var headers: [String] = []

    @Option(
        help: ArgumentHelp(
            "With --deliver-to: how long one POST may take to get an answer, in seconds (above 0, at most 3600; default 10).", valueName: "seconds"))
    var deliveryTimeout: Double?

    @Option(help: ArgumentHelp("Deliver by appending one JSON line per attempt to this file (created if missing).", valueName: "path"))
    var record: String?

    @Option(
        help: ArgumentHelp(
            "Charge a published dunning policy's retries through this payment gateway (http or https; Docs/payment-gateway.md). Without --gateway or --gateway-script, due charges wait in the outbox.",
            valueName: "url"))
    var gateway: String?

    @Option(
        name: .customLong("gateway-header"),
        help: ArgumentHelp(
            "With --gateway: a header sent with every charge and look-up, 'Name: value' (repeatable; not Idempotency-Key, Content-Type, Content-Length, Transfer-Encoding, Host, Connection or Accept).",
            valueName: "name: value"))
    var gatewayHeaders: [String] = []

    @Option(
        help: ArgumentHelp(
            "With --gateway: how long one charge or look-up may take to get an answer, in seconds (above 0, at most 600; default 30).",
            valueName: "seconds"))
    var gatewayTimeout: Double?

    @Option(
        help: ArgumentHelp(
            "Charge through a simulated gateway answering from this gateway script (JSON, Docs/dunning-simulation.md), for demos and tests; not with --gateway.",
            valueName: "script.json"))
    var gatewayScript: String?

    // `.unconditional`: a value starting with "-" (`-1d`) is the option's value, refused as a span
    // by validate() with the option's own words, not "missing value".
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Delete log rows, and enrollments that finished or exited, older than this span before the clock (90d, 24h, 30m; default 90d), checked once an hour; none keeps everything.",
            valueName: "span|none"))
    var retention: String = "90d"

    /// The shortest `--retention` taken (1 hour): a shorter one deletes history as soon as it is written.
    static let minimumRetentionSeconds: Int64 = 3_600

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "On the real clock, refuse an event that happened more than this span after now (1d, 12h, 30m; default 1d), stopping at its line as at a bad line; none takes any time. Not applied with --clock.",
            valueName: "span|none"))
    var maxAhead: String = "1d"

    @Option(help: ArgumentHelp("Most events committed in one transaction (1 to 100,000; default 1,000).", valueName: "n"))
    var batchSize: Int = 1_000

    @Option(help: ArgumentHelp("The least severe log line printed: trace, debug, info, notice, warning, error or critical (default info).", valueName: "level"))
    var logLevel: String = "info"

    public func validate() throws {
        if let clock, Instant.parseRFC3339(clock) == nil {
            throw ValidationError("--clock takes an RFC 3339 time in the years 0001 to 9999, such as 2025-03-06T00:00:00Z (got '\(DisplayText.escape(clock))')")
        }
        if deliverTo != nil && record != nil { throw ValidationError("give one of --deliver-to or --record, not both") }
        if deliverTo == nil && (!headers.isEmpty || deliveryTimeout != nil) {
            throw ValidationError("--header and --delivery-timeout go with --deliver-to")
        }
        for header in headers where Self.header(header) == nil {
            throw ValidationError("--header takes 'Name: value', such as 'Authorization: Bearer s3cret' (got '\(DisplayText.escape(header))')")
        }
        if gateway != nil && gatewayScript != nil {
            throw ValidationError(
                "give one of --gateway (a real payment gateway's URL) or --gateway-script (a simulated gateway, for demos and tests), not both")
        }
        if gateway == nil && (!gatewayHeaders.isEmpty || gatewayTimeout != nil) {
            throw ValidationError("--gateway-header and --gateway-timeout go with --gateway")
        }
        for header in gatewayHeaders where Self.header(header) == nil {
            throw ValidationError(
                "--gateway-header takes 'Name: value', such as 'Authorization: Bearer s3cret' (got '\(DisplayText.escape(header))')")
        }
        if let gatewayTimeout, !(gatewayTimeout > 0 && gatewayTimeout <= 600) {
            throw ValidationError("--gateway-timeout takes seconds above 0 and at most 600 (got \(gatewayTimeout))")
        }
        if let deliveryTimeout, !(deliveryTimeout > 0 && deliveryTimeout <= 3600) {
            throw ValidationError("--delivery-timeout takes seconds above 0 and at most 3600 (got \(deliveryTimeout))")
        }
        if retention != "none", Horizon(retention)?.span == nil {
            throw ValidationError(
                "--retention takes a span such as 90d, 24h or 30m (at most \(Horizon.maximumDays)d), or none (got '\(DisplayText.escape(retention))')")
        }
        if retention != "none", let span = Horizon(retention)?.span, span < Self.minimumRetentionSeconds {
            throw ValidationError(
                "--retention is at least 1h: a shorter one deletes the log, ended enrollments and delivered outbox rows as soon as they are written (got '\(DisplayText.escape(retention))'); give none to keep everything")
        }
        if maxAhead != "none", Horizon(maxAhead)?.span == nil {
            throw ValidationError(
                "--max-ahead takes a span such as 1d, 12h or 30m (at most \(Horizon.maximumDays)d), or none (got '\(DisplayText.escape(maxAhead))')")
        }
        if !(1...100_000).contains(batchSize) { throw ValidationError("--batch-size must be 1 to 100,000 (got \(batchSize))") }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level takes trace, debug, info, notice, warning, error or critical (got '\(DisplayText.escape(logLevel))')")
        }
    }

    /// The payment gateway of `--gateway` or `--gateway-script`, or none. A URL or header that is
    /// not usable is a `DeliveryError` (exit 64); a script that is not valid exit 65, a missing
    /// one 66.
    func paymentGateway() throws -> (gateway: (any PaymentGateway)?, simulated: SimulatedGateway?, http: HTTPPaymentGateway?) {
        if let gateway {
            let timeout = Duration.milliseconds(Int64(((gatewayTimeout ?? 30) * 1000).rounded(.up)))
            let client = try HTTPPaymentGateway(url: gateway, timeout: timeout, headers: gatewayHeaders.compactMap(Self.header))
            return (client, nil, client)
        }
        if let gatewayScript {
            let simulated = SimulatedGateway(script: try DunningInput.script(gatewayScript, option: "--gateway-script"))
            return (simulated, simulated, nil)
        }
        return (nil, nil, nil)
    }

    /// The drain summary's charges: `; charges: 2 approved, 1 declined, 0 unknown` (and `, N not
    /// charged (paid another way)`, `, N not sent (...)` when some were); without a gateway, the charges waiting in the
    /// outbox when there are some; else nothing.
    static func chargesSummary(_ report: Worker.Report, gatewayGiven: Bool, waiting: Int) -> String {
        if gatewayGiven {
            var text = "; charges: \(report.chargesApproved) approved, \(report.chargesDeclined) declined, \(report.chargesUnknown) unknown"
            if report.chargesAlreadyPaid > 0 { text += ", \(report.chargesAlreadyPaid) not charged (paid another way)" }
            if report.chargesNotSent > 0 { text += ", \(report.chargesNotSent) not sent (the gateway was not reached: tried again later)" }
            return text
        }
        guard waiting > 0 else { return "" }
        return "; \(waiting) charges wait in the outbox (no --gateway or --gateway-script)"
    }

    /// `Name: value` split at the first colon, spaces around the value dropped; nil without a
    /// colon or a name.
    static func header(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = String(text[..<colon])
        let value = String(text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        return name.isEmpty ? nil : (name, value)
    }

    public func run() throws {
        let input: Worker.Input? = try events.map { events throws -> Worker.Input in
            events == "-" ? .standardInput : .folder(try EventsFolder(events))
        }
        // The gateway first: a URL, header or script that is not usable stops the run before the
        // database is created or locked.
        let charging = try paymentGateway()
        // Closed on every way out (AsyncHTTPClient requires it); a second shutdown only throws, ignored.
        defer { if let client = charging.http { _ = try? Blocking.run { try? await client.shutdown() } } }
        // One worker per database: refused at once while another `run` holds the lock.
        let lock = try WorkerLock(database: database.database)
        defer { withExtendedLifetime(lock) {} }
        let store = try database.open(creating: true)
        let deliverer: (any Deliverer)?
        let http: HTTPPostDeliverer?
        if let record {
            deliverer = try RecordingDeliverer(path: record)
            http = nil
        } else if let deliverTo {
            let timeout = Duration.milliseconds(Int64(((deliveryTimeout ?? 10) * 1000).rounded(.up)))
            let client = try HTTPPostDeliverer(url: deliverTo, timeout: timeout, headers: headers.compactMap(Self.header))
            deliverer = client
            http = client
        } else {
            deliverer = nil
            http = nil
        }
        var settings = Worker.Settings()
        settings.input = input
        settings.drain = drain
        settings.batchSize = batchSize
        settings.retentionSeconds = retention == "none" ? nil : Horizon(retention)?.span
        settings.maxAheadSeconds = maxAhead == "none" ? nil : Horizon(maxAhead)?.span
        let workerClock = clock.flatMap { Instant.parseRFC3339($0) }.map { WorkerClock.fixed($0.instant) } ?? .real
        let logger = TerminalLogHandler.logger(level: Logger.Level(rawValue: logLevel) ?? .info)
        let runtime = try DurableRuntime(store: store)
        if let simulated = charging.simulated { try Blocking.run { try await Self.restore(simulated, from: store) } }
        let worker = Worker(
            store: store, runtime: runtime, deliverer: deliverer, gateway: charging.gateway, simulated: charging.simulated, settings: settings,
            clock: workerClock, logger: logger)
        if deliverer == nil { logger.notice("no deliverer (--record or --deliver-to): the outbox keeps its rows for a later run") }
        if workerClock.isFixed {
            let instant = workerClock.now()
            let stored = try Blocking.run { await runtime.now }
            if stored > instant {
                logger.notice(
                    "--clock is before the database's clock: time never goes back, so this run stays at the database's clock",
                    metadata: ["clock": "\(instant)", "database-clock": "\(stored)"])
            }
        }
        try Blocking.run {
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup)], logger: logger))
            // SIGTERM / SIGINT: the first stops the worker gracefully (no new delivery, the one in
            // flight cancelled, the commit in progress finished); a second exits at once (130).
            let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
            var failure: (any Error)?
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    await StopSignals.watch(
                        signals,
                        first: { signal in
                            logger.notice("stopping", metadata: ["signal": "\(signal)", "note": "a second signal stops at once (exit 130)"])
                            await group.triggerGracefulShutdown()
                        },
                        second: { StopSignals.exitAtOnce() })
                }
                do { try await group.run() } catch { failure = error }
                tasks.cancelAll()
            }
            try? await http?.shutdown()
            if let failure { throw failure }
        }
        if let failure = worker.failure {
            if let bad = failure as? BadEventLine {
                Terminal.error(bad.diagnostic)
                Terminal.error(bad.note)
                throw ExitStatus.invalidData
            }
            throw failure
        }
        // A checkpoint that failed after the last commit (the disk filled while the log was
        // copied): reported (exit 74) after the run's own summary, never dropped at close.
        let checkpointFailure: StoreError?
        do { try store.finish(); checkpointFailure = nil } catch { checkpointFailure = error }
        if drain {
            let report = worker.report
            let now = try Blocking.run { await runtime.now }
            let source = events == "-" ? "standard input" : report.files == 1 ? "1 file" : "\(report.files) files"
            let retry = report.failedAttempts - report.dead
            var line =
                "run: \(report.eventsRead) events read (\(source)), clock at \(now), \(report.logRecords) log records (\(max(0, report.logRecords - report.wakeUpRecords - report.wakeUpRecordsWhileReading)) from the events, \(report.wakeUpRecordsWhileReading) from wake-ups due between them, \(report.wakeUpRecords) from wake-ups fired after them), \(report.delivered) delivered, \(retry) failed to retry, \(report.dead) dead"
            let waiting = charging.gateway == nil ? try store.outboxCount(state: .pending, kind: Worker.chargeKind) : 0
            line += Self.chargesSummary(report, gatewayGiven: charging.gateway != nil, waiting: waiting)
            let notSent = charging.gateway == nil ? nil : try store.notSentCharges()
            line += notSent.map(Worker.notSentSummary) ?? ""
            let pruned = report.prunedRows
            if pruned != PruneResult() {
                line += "; retention pruned \(pruned.logRows) log rows, \(pruned.enrollments) enrollments, \(pruned.deliveredOutboxRows) delivered outbox rows, \(pruned.dunningEntries) dunning timeline entries"
            }
            Terminal.line(line)
            if let checkpointFailure { throw checkpointFailure }
            if let notSent, notSent.count > 0 { throw ExitStatus.tryAgainLater }
        }
        if let checkpointFailure { throw checkpointFailure }
    }
}
