import Logging
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsSQLite
import ServiceLifecycle
import Synchronization

/// The worker's charge pass: the charges of a published dunning policy that came due (outbox rows
/// of kind `charge`) go to the payment gateway through `SafeCharger`, and each outcome is recorded
/// with its row in one transaction (`DurableRuntime.recordCharge`), so a crash between the charge
/// and the record leaves the row pending and the next run sends the same idempotency key, which the
/// gateway answers with its first result (Docs/operations.md, "Dunning on the worker").
extension Worker {
    /// The outbox kind of a dunning charge.
    static let chargeKind = "charge"

    /// The most steps one pass takes on a virtual clock (one per distinct attempt time): a bound,
    /// never reached by a policy's schedule (at most 1,000 attempts per invoice).
    static let maxClockSteps = 100_000

    /// Fires the wake-ups due by the clock and makes the charges due; returns the log records the
    /// wake-ups wrote and the charges recorded.
    ///
    /// On the real clock: one advance to now, then the charges due now, each recorded at the moment
    /// its answer came. On a virtual clock (`--clock`) with a gateway, the clock moves in steps:
    /// the charges due by the runtime's clock are made and recorded at that instant, then the clock
    /// moves to the next time dunning has something due (`DurableRuntime.nextDunningDue`: an
    /// attempt, a message waiting for the send window, a stage boundary), or to the target, and so on. The process plans the next attempt from the time an outcome is recorded, so a jump
    /// of weeks in one advance would put every retry after the first at the end of the jump instead
    /// of at the policy's gaps; and a run restarted after a crash records a charge left pending at
    /// the same instant the run before it would have.
    ///
    /// `upTo` (a virtual clock only) stops the steps there instead of at the clock: the event
    /// reading loop calls it with the next dunning due time before an event later than it
    /// (``dunningDue(before:)``), so a charge due between two events is made at its time, not at
    /// the last event's.
    func fireDueAndCharge(upTo limit: Instant? = nil) async throws -> (fired: Int, charged: Int) {
        guard gateway != nil else { return (try await fireDue(), 0) }
        guard clock.isFixed else {
            let fired = try await fireDue()
            return (fired, try await chargeDue(at: nil))
        }
        let target = limit.map { min($0, clock.now()) } ?? clock.now()
        var fired = 0
        var charged = 0
        var steps = 0
        var firedAtNow = false
        while !stopping {
            let now = await runtime.now
            charged += try await chargeDue(at: now)
            if stopping || steps >= Self.maxClockSteps { break }
            // The next time dunning has something due; one already due (planned while the clock
            // moved on, such as a card update's retry read with the events) fires at the clock.
            let next = await runtime.nextDunningDue
            let step: Instant
            if let next, next < target, next > now || !firedAtNow {
                step = max(next, now)
            } else if now < target {
                step = target
            } else {
                break
            }
            fired += try await fireDue(to: step)
            // Something due at or before the clock fires once; if it is still due after that, the
            // clock goes on to the target rather than stepping in place.
            firedAtNow = step <= now
            steps += 1
            // No progress (the clock did not move, no charge came due, nothing due left by now): stop here.
            if await runtime.now <= now, try await runtime.dueCharges(at: now, limit: 1).isEmpty, !firedAtNow { break }
        }
        return (fired, charged)
    }

    /// The time the reading loop charges at before it commits `event`, on a virtual clock with a
    /// gateway; else `nil`: the engine's clock when charges are due there and `event` is later (a
    /// charge left pending by a run that stopped between its charge and its record is recorded at
    /// the instant that run would have), else the next time dunning has something due when it
    /// comes before `event` and by the virtual clock.
    func dunningDue(before event: Event) async -> Instant? {
        guard gateway != nil, clock.isFixed else { return nil }
        let now = await runtime.now
        if event.occurredAt > now, breaker.withLock({ $0.allows(at: now) }), (try? await runtime.dueCharges(at: now, limit: 1).isEmpty) == false {
            return now
        }
        guard let due = await runtime.nextDunningDue, due < event.occurredAt, due <= clock.now(), due > now else { return nil }
        return due
    }

    /// Charges, in steps, what dunning has due before `event` (``dunningDue(before:)``), each at its
    /// time; at most ``maxClockSteps`` steps. The caller commits the events before it first.
    func chargeDue(before event: Event) async throws {
        var steps = 0
        while !stopping, steps < Self.maxClockSteps, let due = await dunningDue(before: event) {
            let before = await runtime.now
            let (fired, charged) = try await fireDueAndCharge(upTo: due)
            steps += 1
            // Nothing moved (the clock, a wake-up, a charge): stop here, the event goes on.
            if fired == 0, charged == 0, await runtime.now <= before { break }
        }
    }

    /// Makes the charges due at `instant` (the clock when nil) through the gateway and records
    /// each; returns how many were recorded or put off. A signal stops new charges; the one in
    /// flight is cancelled, and a charge cut short (its outcome not a clear answer) is not
    /// recorded: the next run sends it again with the same key.
    ///
    /// A charge not sent (the gateway not reached) is not recorded: its row is put off
    /// (`DurableRuntime.recordCharge` with a back-off) and the worker says so. The
    /// ``GatewayBreaker`` stops the pass once too many charges in a row were not sent or stayed
    /// unknown, and the rows left wait, pending, for the pause's end.
    func chargeDue(at instant: Instant?) async throws -> Int {
        guard let gateway else { return 0 }
        var made = 0
        var approved = 0
        var declined = 0
        var unknown = 0
        var notSent = 0
        let lookups = settings.lookups
        let fixed = clock.isFixed
        let runtime = runtime
        passes: while !stopping && made < settings.chargesPerPass {
            let dueAt: Instant
            if let instant { dueAt = instant } else { dueAt = await deliveryInstant() }
            guard breaker.withLock({ $0.allows(at: dueAt) }) else { break }
            let due = try await runtime.dueCharges(at: dueAt, limit: min(100, settings.chargesPerPass - made))
            if due.isEmpty { break }
            for charge in due {
                if stopping { break passes }
                let now: Instant
                if let instant { now = instant } else { now = await deliveryInstant() }
                guard breaker.withLock({ $0.allows(at: now) }) else { break passes }
                logger.debug("charging", metadata: ["key": "\(charge.request.idempotencyKey)", "outbox-key": "\(charge.outboxKey)"])
                let request = charge.request
                // Each try marks its row first: a crash before its record leaves the mark, so the row
                // is never taken for one that charged nothing (DurableRuntime+NotSent).
                guard try await runtime.noteSending(outboxKey: charge.outboxKey) else {
                    // Dropped since it was read (a card update moved the attempt to the new card): not charged.
                    logger.debug("charge no longer due, not charged", metadata: ["outbox-key": "\(charge.outboxKey)"])
                    continue
                }
                let result = await cancelWhenGracefulShutdown {
                    await SafeCharger.charge(
                        request, gateway: gateway, isPaid: { await runtime.isInvoiceSettled(request.invoice) }, lookups: lookups,
                        pauseBeforeLookup: { lookup in await Self.pause(beforeLookup: lookup, fixedClock: fixed) })
                }
                if stopping, !Self.isClear(result) {
                    logger.info("charge cut short by the shutdown, not recorded: the next run sends the same key", metadata: ["key": "\(request.idempotencyKey)"])
                    break passes
                }
                let at: Instant
                if let instant { at = instant } else { at = await deliveryInstant() }
                try await runtime.recordCharge(result, outboxKey: charge.outboxKey, at: at)
                made += 1
                switch result.resolution {
                case .approved: approved += 1
                case .declined: declined += 1
                case .notFound, .unknown: unknown += 1
                case .notSent: notSent += 1
                case .alreadyPaid: break
                }
                update {
                    switch result.resolution {
                    case .approved: $0.chargesApproved += 1
                    case .declined: $0.chargesDeclined += 1
                    case .notFound, .unknown: $0.chargesUnknown += 1
                    case .notSent: $0.chargesNotSent += 1
                    case .alreadyPaid: $0.chargesAlreadyPaid += 1
                    }
                }
                if case .notSent(let reason) = result.resolution, await runtime.isInvoiceSettled(request.invoice) {
                    logger.warning(
                        "charge not sent, and its invoice is no longer charged (past its age limit: skipped, the final action ran): nothing was charged",
                        metadata: ["key": "\(request.idempotencyKey)", "try": "\(charge.attempt)", "reason": "\(reason)"])
                } else if case .notSent(let reason) = result.resolution {
                    let next = at.adding(seconds: DurableRuntime.notSentBackoffSeconds(tries: charge.attempt))
                    logger.warning(
                        "charge not sent: the gateway was not reached, nothing was charged or recorded; the same key is sent again later",
                        metadata: ["key": "\(request.idempotencyKey)", "try": "\(charge.attempt)", "next-try": "\(next)", "reason": "\(reason)"])
                } else {
                    logger.info("charge", metadata: ["key": "\(request.idempotencyKey)", "result": "\(result.name)", "detail": "\(result.detail)"])
                }
                switch breaker.withLock({ $0.note(result, at: at) }) {
                case .opened(let until, let failures)?:
                    logger.warning(
                        "payment gateway unreachable: charging paused",
                        metadata: [
                            "charges-in-a-row": "\(failures)", "until": "\(until)",
                            "note": "due charges stay pending in the outbox, nothing is recorded; after the pause one charge tries the gateway",
                        ])
                case .stillOpen(let until)?:
                    logger.warning("payment gateway still unreachable: charging paused again", metadata: ["until": "\(until)"])
                case .closed?:
                    logger.notice("payment gateway reachable again: charging goes on")
                case nil:
                    break
                }
            }
        }
        if made > 0 {
            logger.info("charges", metadata: ["approved": "\(approved)", "declined": "\(declined)", "unknown": "\(unknown)", "not-sent": "\(notSent)"])
        }
        return made
    }

    /// Whether a charge's result is a clear answer worth recording even while stopping: approved,
    /// declined, or not charged because paid. An unknown one while stopping is the cancelled
    /// charge's own doing, so it is left for the next run.
    static func isClear(_ result: ChargeAttemptResult) -> Bool {
        switch result.resolution {
        case .approved, .declined, .alreadyPaid: true
        case .notFound, .unknown, .notSent: false
        }
    }

    /// The pause before status look-up `lookup` (1, 2, 3, …): on the real clock 1 s, 2 s, 4 s, …
    /// (at most 30 s), cut short by a shutdown; none on a virtual clock.
    static func pause(beforeLookup lookup: Int, fixedClock: Bool) async {
        guard !fixedClock else { return }
        let seconds = min(30, 1 << min(max(lookup - 1, 0), 5))
        try? await Task.sleep(for: .seconds(seconds))
    }
}

extension Worker {
    /// The drain summary's charges still not sent (``SQLiteStore/notSentCharges()``): `; 3 charges
    /// still not sent, due since 2026-03-04T09:00:00Z (last reason: cannot connect to …): tried
    /// again by the next run (exit 75)`; nothing when none.
    static func notSentSummary(_ charges: NotSentCharges) -> String {
        guard charges.count > 0 else { return "" }
        var text = "; \(charges.count) \(charges.count == 1 ? "charge" : "charges") still not sent"
        if let since = charges.since { text += ", due since \(since)" }
        if let reason = charges.lastReason { text += " (last reason: \(DisplayText.escape(reason)))" }
        return text + ": tried again by the next run (exit 75)"
    }
}
