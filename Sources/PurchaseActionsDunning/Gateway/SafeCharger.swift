/// Charges one attempt safely: the invoice is read again just before charging, the charge carries
/// the attempt's idempotency key, and an unknown outcome is resolved by asking the gateway, never by
/// charging again (Docs/payment-gateway.md, "Charging safely").
///
/// One call makes, in this order:
/// 1. `isPaid()`: when the invoice is paid (another way), nothing else → ``ChargeAttemptResult/Resolution/alreadyPaid``;
/// 2. one `gateway.attemptCharge(request)` with the request's idempotency key: approved or declined →
///    that; not sent (the request certainly never reached the gateway) → ``ChargeAttemptResult/Resolution/notSent(reason:)``,
///    no look-up (there is nothing to look up), nothing to record;
/// 3. only when the charge's outcome is unknown: up to `lookups` calls of
///    `gateway.status(idempotencyKey:)` (clamped to 0…``maximumLookups``), each after
///    `pauseBeforeLookup(n)`, stopping at the first clear answer (approved, declined, not found).
///    Still unknown after them → ``ChargeAttemptResult/Resolution/unknown(reason:)`` with the last reason.
///
/// `charge` is never called twice for one request in a call: an attempt whose outcome stays
/// unknown is tried again later by the dunning process with the same key (which a gateway
/// answers with the first result), never with a new one. A cancelled task makes no further look-ups.
///
/// ```swift
/// let result = await SafeCharger.charge(request, gateway: gateway, isPaid: { await invoices.isPaid(request.invoice) })
/// switch result.outcome {
/// case nil: print("paid another way: nothing charged")
/// case let outcome?: print(result.name, outcome)   // record it: DunningProcess.record(_:outcome:at:)
/// }
/// ```
public enum SafeCharger: Sendable {
    /// The most status look-ups one attempt makes: 10 (a larger `lookups` is cut to it).
    public static let maximumLookups = 10

    /// Charges `request` once, after checking the invoice is not paid, and resolves an unknown
    /// outcome with bounded status look-ups (see the type's summary).
    ///
    /// - Parameters:
    ///   - request: the attempt; its ``ChargeRequest/idempotencyKey`` is what the gateway sees.
    ///   - gateway: the payment gateway.
    ///   - isPaid: reads the invoice again: `true` when it was paid another way (then nothing is charged).
    ///   - lookups: how many status look-ups an unknown outcome may take, 0…``maximumLookups`` (default 3).
    ///   - pauseBeforeLookup: awaited before look-up `n` (1-based), to space them out; by default
    ///     none. Time is the caller's: tests pass a closure that records the calls.
    public static func charge(
        _ request: ChargeRequest,
        gateway: some PaymentGateway,
        isPaid: () async -> Bool,
        lookups: Int = 3,
        pauseBeforeLookup: (_ lookup: Int) async -> Void = { _ in }
    ) async -> ChargeAttemptResult {
        let key = request.idempotencyKey
        if await isPaid() {
            return ChargeAttemptResult(
                request: request, resolution: .alreadyPaid, charged: false, lookups: 0,
                detail: "not charged: the invoice was paid before attempt \(request.attempt)")
        }
        let reason: String
        let outcome: ChargeOutcome
        switch await gateway.attemptCharge(request) {
        case .notSent(let why):
            return ChargeAttemptResult(
                request: request, resolution: .notSent(reason: why), charged: false, lookups: 0,
                detail: "not sent: \(why); nothing was charged, the same key is sent again later")
        case .sent(let answer):
            outcome = answer
        }
        switch outcome {
        case .approved(let charge):
            return ChargeAttemptResult(
                request: request, resolution: .approved(charge: charge), charged: true, lookups: 0,
                detail: "charged: \(charge)")
        case .declined(let code, let adviceCode):
            return ChargeAttemptResult(
                request: request, resolution: .declined(code: code, adviceCode: adviceCode), charged: true, lookups: 0,
                detail: "declined: \(code)" + (adviceCode.map { " (advice \($0))" } ?? ""))
        case .unknown(let why):
            reason = why
        }
        let allowed = min(max(lookups, 0), maximumLookups)
        var lastReason = reason
        var made = 0
        while made < allowed, !Task.isCancelled {
            made += 1
            await pauseBeforeLookup(made)
            switch await gateway.status(idempotencyKey: key) {
            case .approved(let charge):
                return ChargeAttemptResult(
                    request: request, resolution: .approved(charge: charge), charged: true, lookups: made,
                    detail: "charged: \(charge) (outcome unknown: \(reason); found by status look-up \(made))")
            case .declined(let code, let adviceCode):
                return ChargeAttemptResult(
                    request: request, resolution: .declined(code: code, adviceCode: adviceCode), charged: true, lookups: made,
                    detail: "declined: \(code)" + (adviceCode.map { " (advice \($0))" } ?? "")
                        + " (outcome unknown: \(reason); found by status look-up \(made))")
            case .notFound:
                return ChargeAttemptResult(
                    request: request, resolution: .notFound, charged: true, lookups: made,
                    detail: "outcome unknown (\(reason)); status look-up \(made) found no charge with the key: the same key is tried again later")
            case .unknown(let why):
                lastReason = why
            }
        }
        return ChargeAttemptResult(
            request: request, resolution: .unknown(reason: lastReason), charged: true, lookups: made,
            detail: "outcome unknown after \(made) status look-up\(made == 1 ? "" : "s"): \(lastReason); the same key is tried again later")
    }
}
