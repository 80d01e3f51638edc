import PurchaseActionsCore
import PurchaseActionsDunning

/// The worker's circuit breaker for the payment gateway: after ``threshold`` charges in a row that
/// were not sent or stayed unknown (the gateway unreachable, timing out, answering 5xx), the worker
/// stops charging for a pause (``firstPauseSeconds``, doubled after each failed trial, at most
/// ``maximumPauseSeconds``), so an outage does not spend a timeout on every due charge. After the
/// pause one charge tries the gateway: a clear answer (approved, declined, not found, paid another
/// way) closes the breaker, another failure opens it again for twice the pause.
///
/// Times are the worker's instants (the real clock, or the virtual one of `--clock`). Charges left
/// while it is open stay pending in the outbox, untouched: nothing reaches the dunning process.
struct GatewayBreaker: Sendable {
    /// Charges in a row not sent or unknown that open the breaker: 3.
    static let threshold = 3
    /// The first pause: 30 seconds.
    static let firstPauseSeconds: Int64 = 30
    /// The longest pause: 10 minutes.
    static let maximumPauseSeconds: Int64 = 600

    /// What a result changed, for the worker's log.
    enum Change: Equatable, Sendable {
        /// It opened: charging paused until then.
        case opened(until: Instant, failures: Int)
        /// The trial after the pause failed too: paused again until then.
        case stillOpen(until: Instant)
        /// The trial after the pause got a clear answer: charging goes on.
        case closed
    }

    /// Not sent or unknown results in a row.
    private(set) var failures = 0
    /// Until when charging is paused, `nil` when closed.
    private(set) var openUntil: Instant?
    /// The next pause's length.
    private var pauseSeconds = firstPauseSeconds

    /// Whether a charge may be made at `now`: closed, or the pause is over (a trial).
    func allows(at now: Instant) -> Bool {
        guard let openUntil else { return true }
        return now >= openUntil
    }

    /// Takes a charge's result made at `now`; says when the breaker changed.
    mutating func note(_ result: ChargeAttemptResult, at now: Instant) -> Change? {
        switch result.resolution {
        case .approved, .declined, .notFound, .alreadyPaid:
            let wasOpen = openUntil != nil
            failures = 0
            openUntil = nil
            pauseSeconds = Self.firstPauseSeconds
            return wasOpen ? .closed : nil
        case .notSent, .unknown:
            failures += 1
            if openUntil != nil {
                pauseSeconds = min(Self.maximumPauseSeconds, pauseSeconds * 2)
                let until = now.adding(seconds: pauseSeconds)
                openUntil = until
                return .stillOpen(until: until)
            }
            guard failures >= Self.threshold else { return nil }
            let until = now.adding(seconds: pauseSeconds)
            openUntil = until
            return .opened(until: until, failures: failures)
        }
    }
}
