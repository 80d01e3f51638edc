import Logging
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsSQLite
import ServiceLifecycle

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
    func fireDueAndCharge() async throws -> (fired: Int, charged: Int) {
        guard gateway != nil else { return (try await fireDue(), 0) }
        guard clock.isFixed else {
            let fired = try await fireDue()
            return (fired, try await chargeDue(at: nil))
        }
        let target = clock.now()
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

    /// Makes the charges due at `instant` (the clock when nil) through the gateway and records
    /// each; returns how many were recorded. A signal stops new charges; the one in flight is
    /// cancelled, and a charge cut short (its outcome not a clear answer) is not recorded: the next
    /// run sends it again with the same key.
    func chargeDue(at instant: Instant?) async throws -> Int {
        guard let gateway else { return 0 }
        var recorded = 0
        var approved = 0
        var declined = 0
        var unknown = 0
        let lookups = settings.lookups
        let fixed = clock.isFixed
        let runtime = runtime
        while !stopping && recorded < settings.chargesPerPass {
            let dueAt: Instant
            if let instant { dueAt = instant } else { dueAt = await deliveryInstant() }
            let due = try await runtime.dueCharges(at: dueAt, limit: min(100, settings.chargesPerPass - recorded))
            if due.isEmpty { break }
            for charge in due {
                if stopping { break }
                logger.debug("charging", metadata: ["key": "\(charge.request.idempotencyKey)", "outbox-key": "\(charge.outboxKey)"])
                let request = charge.request
                let result = await cancelWhenGracefulShutdown {
                    await SafeCharger.charge(
                        request, gateway: gateway, isPaid: { await runtime.isInvoiceSettled(request.invoice) }, lookups: lookups,
                        pauseBeforeLookup: { lookup in await Self.pause(beforeLookup: lookup, fixedClock: fixed) })
                }
                if stopping, !Self.isClear(result) {
                    logger.info("charge cut short by the shutdown, not recorded: the next run sends the same key", metadata: ["key": "\(request.idempotencyKey)"])
                    break
                }
                let at: Instant
                if let instant { at = instant } else { at = await deliveryInstant() }
                try await runtime.recordCharge(result, outboxKey: charge.outboxKey, at: at)
                recorded += 1
                switch result.resolution {
                case .approved: approved += 1
                case .declined: declined += 1
                case .notFound, .unknown: unknown += 1
                case .alreadyPaid: break
                }
                update {
                    switch result.resolution {
                    case .approved: $0.chargesApproved += 1
                    case .declined: $0.chargesDeclined += 1
                    case .notFound, .unknown: $0.chargesUnknown += 1
                    case .alreadyPaid: $0.chargesAlreadyPaid += 1
                    }
                }
                logger.info("charge", metadata: ["key": "\(request.idempotencyKey)", "result": "\(result.name)", "detail": "\(result.detail)"])
            }
        }
        if recorded > 0 {
            logger.info("charges", metadata: ["approved": "\(approved)", "declined": "\(declined)", "unknown": "\(unknown)"])
        }
        return recorded
    }

    /// Whether a charge's result is a clear answer worth recording even while stopping: approved,
    /// declined, or not charged because paid. An unknown one while stopping is the cancelled
    /// charge's own doing, so it is left for the next run.
    static func isClear(_ result: ChargeAttemptResult) -> Bool {
        switch result.resolution {
        case .approved, .declined, .alreadyPaid: true
        case .notFound, .unknown: false
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
