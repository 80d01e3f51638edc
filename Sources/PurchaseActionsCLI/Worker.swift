import CommandLineSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDelivery
import PurchaseActionsDunning
import PurchaseActionsEngine
import PurchaseActionsSQLite
import ServiceLifecycle
import Synchronization

/// The worker of `purchase-actions run`, as a swift-service-lifecycle service: reads events and
/// commits them with their input positions, fires the wake-ups due by its clock, charges the due
/// charges of a published dunning policy through the payment gateway (Worker+Charges), delivers the
/// outbox's due rows, prunes by the retention, and stops at a graceful shutdown (SIGTERM, SIGINT)
/// after the commit in progress.
///
/// Its loop never throws to the service group: a failure is kept in ``failure`` and the service
/// returns, so the command chooses the exit status (Docs/cli.md, "`purchase-actions run`").
final class Worker: Service, Sendable {
    /// What the worker reads events from.
    enum Input: Sendable {
        /// A folder of `*.jsonl` files.
        case folder(EventsFolder)
        /// Standard input (`--events -`).
        case standardInput
    }

    /// How the worker runs.
    struct Settings: Sendable {
        var input: Input?
        /// One pass, then return (`--drain`).
        var drain = false
        /// How long log rows and ended enrollments are kept (`--retention`), in seconds; nil keeps all.
        var retentionSeconds: Int64? = 90 * 86_400
        /// How far after the real clock an event may have happened (`--max-ahead`), in seconds; nil
        /// takes any time. Not applied on a virtual clock (`--clock`).
        var maxAheadSeconds: Int64? = 86_400
        /// Most events per commit.
        var batchSize = 1_000
        /// Most outbox rows one pass delivers.
        var deliveriesPerPass = 10_000
        /// Most charges one pass makes.
        var chargesPerPass = 10_000
        /// Status look-ups after a charge whose outcome is unknown (`SafeCharger`).
        var lookups = 3
        /// How long an idle worker waits before it looks again (never past the next wake-up).
        var idleWait: Duration = .seconds(1)
    }

    /// What the worker did, for the summary line.
    struct Report: Sendable {
        var eventsRead = 0
        /// Events files read this run (a file whose position moved).
        var files = 0
        /// Log records written this run (with `--drain`: measured before the retention runs).
        var logRecords = 0
        /// Log records of the wake-ups fired after the events were read.
        var wakeUpRecords = 0
        /// Log records of the wake-ups that came due between events, fired as the events were
        /// read (before the event after them): part of ``logRecords``, not of ``wakeUpRecords``.
        var wakeUpRecordsWhileReading = 0
        var delivered = 0
        /// Failed attempts, the dead ones included.
        var failedAttempts = 0
        /// Failed attempts that made their row a dead letter.
        var dead = 0
        /// Charges recorded this run, by what became of them (Worker+Charges).
        var chargesApproved = 0
        var chargesDeclined = 0
        /// Unknown after the look-ups, or not found: the same key is tried again later.
        var chargesUnknown = 0
        /// Not charged: the invoice was paid another way when read again just before.
        var chargesAlreadyPaid = 0
        /// Not sent: the gateway was not reached; not recorded, the row put off (Worker+Charges).
        var chargesNotSent = 0
        var pruned = false
        /// What the retention removed this run.
        var prunedRows = PruneResult()
    }

    let store: SQLiteStore
    let runtime: DurableRuntime
    let deliverer: (any Deliverer)?
    /// The payment gateway of `--gateway` / `--gateway-script`; nil: charges wait in the outbox.
    let gateway: (any PaymentGateway)?
    /// The simulated gateway of `--gateway-script` (also ``gateway``): it learns first declines and
    /// card networks from the events read.
    let simulated: SimulatedGateway?
    let settings: Settings
    let clock: WorkerClock
    let logger: Logger
    private let state = Mutex<(report: Report, failure: (any Error)?)>((Report(), nil))
    /// The payment gateway's circuit breaker (Worker+Charges).
    let breaker = Mutex(GatewayBreaker())

    init(
        store: SQLiteStore, runtime: DurableRuntime, deliverer: (any Deliverer)?, gateway: (any PaymentGateway)? = nil, simulated: SimulatedGateway? = nil,
        settings: Settings, clock: WorkerClock, logger: Logger
    ) {
        self.store = store
        self.runtime = runtime
        self.deliverer = deliverer
        self.gateway = gateway
        self.simulated = simulated
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// What the worker did so far.
    var report: Report { state.withLock { $0.report } }
    /// The error that stopped the worker, if one did.
    var failure: (any Error)? { state.withLock { $0.failure } }

    func run() async throws {
        do {
            try await loop()
        } catch {
            state.withLock { $0.failure = error }
        }
    }

    func update(_ change: (inout Report) -> Void) { state.withLock { change(&$0.report) } }

    /// The newest log record's sequence number (0 for an empty log).
    private func lastLogSequence() throws -> Int64 { try store.log(LogQuery(limit: 1)).last?.sequence ?? 0 }

    var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    private func loop() async throws {
        var reading = ReadingState()
        if case .standardInput = settings.input { reading.standardInput = EventLineReader(standardInput: "<stdin>") }
        var lastPrune: Instant?
        let firstSequence: Int64 = try settings.drain ? lastLogSequence() : 0
        while !stopping {
            let read = try await ingestAvailable(&reading)
            if stopping { break }
            let (fired, charged) = try await fireDueAndCharge()
            let delivered = try await deliverDue()
            if settings.drain {
                let written = Int(clamping: try lastLogSequence() &- firstSequence)
                update { $0.logRecords = max(0, written) }
            }
            if let retention = settings.retentionSeconds {
                let now = clock.now()
                if lastPrune.map({ now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch >= 3_600_000 }) ?? true {
                    let cut = now.adding(seconds: -retention)
                    let result = try store.prune(before: cut)
                    lastPrune = now
                    update {
                        $0.pruned = true
                        $0.prunedRows.logRows += result.logRows
                        $0.prunedRows.enrollments += result.enrollments
                        $0.prunedRows.deliveredOutboxRows += result.deliveredOutboxRows
                        $0.prunedRows.dunningEntries += result.dunningEntries
                    }
                    if result != PruneResult() {
                        var metadata: Logger.Metadata = [
                            "before": "\(cut)", "log-rows": "\(result.logRows)", "enrollments": "\(result.enrollments)",
                            "delivered-outbox-rows": "\(result.deliveredOutboxRows)", "dunning-entries": "\(result.dunningEntries)",
                        ]
                        if !clock.isFixed {
                            metadata["note"] = "replayed old events are pruned at once on the real clock: --retention none or --clock keeps them"
                        }
                        logger.info("retention pruned", metadata: metadata)
                    }
                }
            }
            if settings.drain { break }
            if read == 0 && fired == 0 && charged == 0 && delivered == 0 && !reading.readsStandardInput {
                try? await cancelWhenGracefulShutdown { [settings, clock, runtime] in
                    var wait = settings.idleWait
                    if !clock.isFixed, let next = await runtime.nextWakeUp {
                        let until = clock.now().duration(to: next)
                        if until < wait { wait = max(until, .milliseconds(10)) }
                    }
                    try await Task.sleep(for: wait)
                }
            }
        }
        logger.info(
            "stopped",
            metadata: [
                "events": "\(report.eventsRead)", "delivered": "\(report.delivered)",
                "charges": "\(report.chargesApproved + report.chargesDeclined + report.chargesUnknown)",
            ])
    }

    // MARK: Events

    /// Where each input has been read to, kept between passes (the worker is the only writer of
    /// the positions).
    struct ReadingState {
        var positions: [String: InputPosition] = [:]
        var standardInput: EventLineReader?
        var standardInputEnded = false
        /// The files read from this run (their position moved).
        var filesRead: Set<String> = []
        var readsStandardInput: Bool { standardInput != nil && !standardInputEnded }
    }

    /// Reads every event available now and commits them in batches with their positions.
    private func ingestAvailable(_ reading: inout ReadingState) async throws -> Int {
        switch settings.input {
        case nil:
            return 0
        case .standardInput:
            guard let reader = reading.standardInput, !reading.standardInputEnded else { return 0 }
            var total = 0
            while !stopping {
                let (count, ended) = try await ingest(from: reader, source: "-", display: "<stdin>", takeUnterminated: true)
                total += count
                if ended {
                    reading.standardInputEnded = true
                    logger.info("standard input ended")
                    break
                }
                // With --drain, standard input is read to its end; else the pass goes on to wake-ups and deliveries.
                if count == 0 && !settings.drain { break }
            }
            return total
        case .folder(let folder):
            var total = 0
            for file in try folder.files() {
                if stopping { break }
                var position = reading.positions[file.source]
                if position == nil {
                    let source = file.source
                    position = try store.inputPosition(source: source)
                }
                let start = position ?? InputPosition(source: file.source, offset: 0, line: 0)
                reading.positions[file.source] = start
                if file.size < start.offset {
                    throw LoadError(
                        .invalid,
                        "the file is shorter (\(file.size) bytes) than the position the worker stored for it (byte \(start.offset), line \(start.line)): events files are appended to, never rewritten or truncated (Docs/operations.md, \"Events\"). To recover, restore the file as it was; or move it out of the events folder and give its lines not yet read in a new file (repeated event ids are skipped, so giving a line twice is harmless)",
                        file: file.path)
                }
                if file.size == start.offset { continue }
                if let stored = start.tail, stored != (try Self.tail(of: file.path, before: start.offset)) {
                    throw LoadError(
                        .invalid,
                        "the file's bytes before the position the worker stored for it (byte \(start.offset), line \(start.line)) are not the ones it read: the file was replaced or rewritten, and reading on from that byte would skip or garble events. Events files are appended to, never rewritten (Docs/operations.md, \"Events\"). To recover, restore the file as it was; or move it out of the events folder and give its lines not yet read in a new file (repeated event ids are skipped, so giving a line twice is harmless)",
                        file: file.path)
                }
                let reader = try EventLineReader(file: file.path, name: file.path, offset: start.offset, line: start.line)
                let (count, _) = try await ingest(from: reader, source: file.source, display: file.path, takeUnterminated: settings.drain, path: file.path)
                reading.positions[file.source] = InputPosition(
                    source: file.source, offset: reader.offset, line: reader.lineNumber, tail: try Self.tail(of: file.path, before: reader.offset))
                if reader.offset > start.offset, !reading.filesRead.contains(file.source) {
                    reading.filesRead.insert(file.source)
                    update { $0.files += 1 }
                }
                if count > 0 {
                    total += count
                    logger.info("ingested", metadata: ["file": "\(file.name)", "events": "\(count)", "through-line": "\(reader.lineNumber)"])
                }
            }
            return total
        }
    }

    /// Reads what `reader` has now, committing each batch of events with the position after it.
    /// Returns the events read and whether standard input ended. A bad line commits the events
    /// before it and throws its ``LoadError`` (file:line and JSON path): the line is not
    /// acknowledged, so a restart reads it again.
    private func ingest(
        from reader: EventLineReader, source: String, display: String, takeUnterminated: Bool, path: String? = nil
    ) async throws -> (Int, Bool) {
        var total = 0
        var batch: [(event: Event, line: EventLineReader.Line)] = []
        // On a virtual clock with a gateway, dunning due between events is charged at its time
        // (Worker+Charges): the time of a dunning event in the batch, whose due times are known
        // only once it is committed.
        let chargesBetweenEvents = gateway != nil && clock.isFixed
        var dunningEventAt: Instant?
        func commit(through offset: Int64, line: Int) async throws {
            guard !batch.isEmpty else { return }
            let position = InputPosition(source: source, offset: offset, line: line, tail: try path.flatMap { try Self.tail(of: $0, before: offset) })
            try await commitBatch(batch, through: position, display: display, path: path)
            if let simulated { for (event, _) in batch { await simulated.observe(event) } }
            total += batch.count
            update { $0.eventsRead += batch.count }
            batch.removeAll(keepingCapacity: true)
        }
        while true {
            let read = try reader.next(takeUnterminated: takeUnterminated)
            switch read {
            case .line(let line):
                switch line.result {
                case .success(let event):
                    if let refusal = aheadOfClock(event) {
                        try await commit(through: line.startOffset, line: line.number - 1)
                        throw BadEventLine(error: LoadError(.invalid, refusal, file: display, line: line.number), file: display, line: line.number)
                    }
                    if chargesBetweenEvents {
                        if let at = dunningEventAt, event.occurredAt > at {
                            try await commit(through: line.startOffset, line: line.number - 1)
                            dunningEventAt = nil
                        }
                        if dunningEventAt == nil, await dunningDue(before: event) != nil {
                            try await commit(through: line.startOffset, line: line.number - 1)
                            try await chargeDue(before: event)
                            if stopping {
                                // The line is read: commit its event, since standard input cannot
                                // give it again (a file's position would, but one rule is simpler).
                                batch.append((event, line))
                                try await commit(through: reader.offset, line: reader.lineNumber)
                                return (total, false)
                            }
                        }
                        if DurableRuntime.concernsDunning(event.type) { dunningEventAt = event.occurredAt }
                    }
                    batch.append((event, line))
                    if batch.count >= settings.batchSize {
                        try await commit(through: reader.offset, line: reader.lineNumber)
                        if stopping { return (total, false) }
                    }
                case .failure(let error):
                    try await commit(through: line.startOffset, line: line.number - 1)
                    let column = error.line != nil && error.path.components.isEmpty ? error.column : nil
                    throw BadEventLine(error: LoadError(error, file: display, line: line.number, column: column), file: display, line: line.number)
                }
            case .nothing:
                try await commit(through: reader.offset, line: reader.lineNumber)
                return (total, false)
            case .end:
                try await commit(through: reader.offset, line: reader.lineNumber)
                return (total, true)
            }
        }
    }

    /// The last ``InputPosition/tailBytes`` bytes of the file before `offset`, in lower-case hex:
    /// stored with the position and compared when the file is read on, so a replaced file is
    /// noticed (Docs/operations.md, "Events").
    static func tail(of path: String, before offset: Int64) throws -> String {
        let start = max(0, offset - Int64(InputPosition.tailBytes))
        let count = Int(offset - start)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LoadError(.io, "could not open the file again to check the position: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(start) + off_t(done))
            }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else { break }
            done += read
        }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(done * 2)
        for byte in bytes[..<done] {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Why `event` is refused as too far ahead of the real clock, or nil. An event from the far
    /// future (a year 9999 typed by mistake) would move the engine's clock there for good and fire
    /// every wait at once, so on the real clock the worker refuses an event more than
    /// `maxAheadSeconds` after now (`--max-ahead`, default one day).
    private func aheadOfClock(_ event: Event) -> String? {
        guard let limit = settings.maxAheadSeconds, !clock.isFixed else { return nil }
        let now = clock.now()
        guard event.occurredAt > now.adding(seconds: limit) else { return nil }
        return "$.occurredAt: \(event.occurredAt) is more than \(Horizon.text(seconds: limit)) after the worker's clock (\(now)): an event from the future would move the engine's clock there and fire every wait due before it at once. Fix the line's time (the line and those after it are not read yet, so they may be edited), or run with --max-ahead <span> or --max-ahead none if events really come from a clock that far ahead"
    }

    /// Commits one batch; when the engine refuses an event of it, commits them one by one to
    /// find which, and stops there with its file:line.
    private func commitBatch(
        _ batch: [(event: Event, line: EventLineReader.Line)], through position: InputPosition, display: String, path: String?
    ) async throws {
        let refused: StoreError
        logger.debug("committing", metadata: ["events": "\(batch.count)", "file": "\(display)", "through-line": "\(position.line)"])
        do {
            countWakeUps(try await runtime.ingest(batch.map(\.event), through: position))
            return
        } catch {
            refused = error
        }
        guard refused.code == .engine else { throw refused }
        for (event, line) in batch {
            var failure: StoreError?
            let tail = try path.flatMap { try Self.tail(of: $0, before: line.endOffset) }
            do {
                countWakeUps(
                    try await runtime.ingest([event], through: InputPosition(source: position.source, offset: line.endOffset, line: line.number, tail: tail)))
            } catch {
                failure = error
            }
            if let failure {
                guard failure.code == .engine else { throw failure }
                let message = failure.engineError?.message ?? failure.message
                throw BadEventLine(error: LoadError(.invalid, message, file: display, line: line.number), file: display, line: line.number)
            }
        }
        try await runtime.ingest([], through: position)
    }

    /// Counts the records of wake-ups fired while events were read (``Report/wakeUpRecordsWhileReading``).
    private func countWakeUps(_ records: [LogRecord]) {
        let fired = records.count { $0.cause.hasPrefix(Self.wakeUpCausePrefix) }
        if fired > 0 { update { $0.wakeUpRecordsWhileReading += fired } }
    }

    /// The `cause` of a wake-up's records: `timer:<enrollment>`.
    static let wakeUpCausePrefix = "timer:"

    // MARK: Wake-ups and deliveries

    /// Fires the wake-ups due by `now` (the clock by default); returns how many log records they wrote.
    func fireDue(to now: Instant? = nil) async throws -> Int {
        let now = now ?? clock.now()
        guard await runtime.now < now else { return 0 }
        let records = try await runtime.advance(to: now)
        if !records.isEmpty {
            update { $0.wakeUpRecords += records.count }
            logger.info("wake-ups ran", metadata: ["to": "\(now)", "log-records": "\(records.count)"])
        }
        return records.count
    }

    /// The instant deliveries are due by and recorded at: the clock, or the engine's clock when
    /// the events read went past it (a virtual clock set before the last event: time never runs
    /// back).
    func deliveryInstant() async -> Instant { max(clock.now(), await runtime.now) }

    /// Delivers the outbox's due rows through the deliverer; returns how many attempts were made.
    /// The outcomes of each batch of due rows (at most ``deliveryBatch``) are recorded in one
    /// transaction after the batch (one fsync, not one per row): a row is marked delivered only
    /// after its deliverer returned success, and a crash before the commit delivers the batch's
    /// rows again with the same keys (receivers deduplicate: Docs/operations.md, "Exactly once").
    private func deliverDue() async throws -> Int {
        guard let deliverer else { return 0 }
        var attempts = 0
        var delivered = 0
        var failed = 0
        var deadLetters = 0
        while !stopping && attempts < settings.deliveriesPerPass {
            let due = try await runtime.dueDeliveries(at: await deliveryInstant(), limit: min(Self.deliveryBatch, settings.deliveriesPerPass - attempts))
            if due.isEmpty { break }
            let (outcomes, cutShort) = await deliver(due, through: deliverer)
            // The batch's outcomes in one commit (those returned before a shutdown cut it short too).
            try await runtime.record(outcomes, at: await deliveryInstant())
            attempts += outcomes.count
            let attemptOf = Dictionary(due.map { ($0.key, $0.attempt) }, uniquingKeysWith: { first, _ in first })
            for (key, outcome) in outcomes {
                switch outcome {
                case .delivered:
                    delivered += 1
                    update { $0.delivered += 1 }
                case .failed(let reason, let permanent):
                    let attempt = attemptOf[key] ?? 0
                    let dead = permanent || attempt >= DurableRuntime.deliveryAttempts
                    if dead { deadLetters += 1 } else { failed += 1 }
                    update {
                        $0.failedAttempts += 1
                        if dead { $0.dead += 1 }
                    }
                    logger.warning(
                        "delivery failed",
                        metadata: ["key": "\(key)", "attempt": "\(attempt)", "permanent": "\(permanent)", "dead": "\(dead)", "reason": "\(reason)"])
                }
            }
            if cutShort { break }
        }
        if attempts > 0 {
            logger.info("deliveries", metadata: ["delivered": "\(delivered)", "failed": "\(failed)", "dead": "\(deadLetters)"])
        }
        return attempts
    }

    /// Delivers one batch of due rows: at once through a ``BatchDeliverer`` (a recording: one
    /// fsync), else one after the other. Returns the outcomes to record, and whether a shutdown cut
    /// the batch short: a signal stops new attempts, the one in flight is cancelled (its task), and
    /// an attempt cut short is not recorded (the next run sends it again with the same key).
    private func deliver(_ due: [OutboxMessage], through deliverer: any Deliverer) async -> ([(key: String, outcome: DeliveryOutcome)], Bool) {
        var outcomes: [(key: String, outcome: DeliveryOutcome)] = []
        outcomes.reserveCapacity(due.count)
        if let batching = deliverer as? any BatchDeliverer {
            if stopping { return ([], true) }
            logger.debug("delivering", metadata: ["messages": "\(due.count)", "first-key": "\(due.first?.key ?? "")"])
            let answers = await cancelWhenGracefulShutdown { await batching.deliver(batch: due) }
            for (message, outcome) in zip(due, answers) where !stopping || outcome == .delivered {
                outcomes.append((message.key, outcome))
            }
            return (outcomes, stopping)
        }
        for message in due {
            if stopping { return (outcomes, true) }
            logger.debug("delivering", metadata: ["key": "\(message.key)", "attempt": "\(message.attempt)"])
            let outcome = await cancelWhenGracefulShutdown { await deliverer.deliver(message) }
            if stopping, outcome != .delivered {
                logger.info("delivery cut short by the shutdown, not recorded", metadata: ["key": "\(message.key)"])
                return (outcomes, true)
            }
            outcomes.append((message.key, outcome))
        }
        return (outcomes, false)
    }

    /// Most due rows delivered before their outcomes are committed together.
    static let deliveryBatch = 100
}

/// A bad event line: the worker stopped before it (exit 65; Docs/cli.md, "`purchase-actions run`").
struct BadEventLine: CommandLineError {
    var error: LoadError
    var file: String
    var line: Int
    var exitStatus: ExitStatus { .invalidData }
    var diagnostic: String { error.description }
    /// The note printed after the error.
    var note: String {
        "note: the worker stopped at line \(line) of \(file): the events before it are committed, this line and the rest are not (fix the line and run again: the worker resumes at it)"
    }
}

extension Horizon {
    /// A span in the largest whole unit: `1d`, `36h`, `90m`, `45s`.
    static func text(seconds: Int64) -> String {
        if seconds != 0 && seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds != 0 && seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
