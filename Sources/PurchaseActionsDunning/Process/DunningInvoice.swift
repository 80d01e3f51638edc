public import PurchaseActionsCore

/// One invoice in dunning, as `DunningProcess` sees it: who owes what, on which card, how many
/// attempts were made and failed, the next one planned, the stage, and how it ended.
public struct DunningInvoice: Hashable, Sendable {
    /// Where the invoice is.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// In dunning: attempts are planned (or a card update awaited).
        case open
        /// A retry charged it.
        case recovered
        /// Paid another way (an event said so).
        case paidElsewhere = "paid-elsewhere"
        /// The final action ran.
        case final
        /// Its subscription was cancelled: dunning stopped.
        case cancelled
    }

    /// The invoice id.
    public internal(set) var id: String
    /// The contact (its id, else `email:<address>`).
    public internal(set) var contact: String
    /// The subscription, when the event named one.
    public internal(set) var subscription: String?
    /// The plan (`subscription.plan`, else `order.paymentPlan`).
    public internal(set) var plan: String?
    /// The amount due in minor units.
    public internal(set) var amount: Int
    /// ISO 4217 currency.
    public internal(set) var currency: String
    /// The card charged (after a card update, the new one), when known.
    public internal(set) var card: String?
    /// The card's network (`other` when not known).
    public internal(set) var network: CardNetwork
    /// Whether the card came from a `payment_method.updated` event.
    public internal(set) var cardFromUpdate: Bool
    /// When the first failure the process knows of happened.
    public internal(set) var firstFailureAt: Instant
    /// That failure's decline.
    public internal(set) var firstDecline: Decline
    /// The last decline (a charge's or a reported attempt's).
    public internal(set) var lastDecline: Decline
    /// The highest attempt number made, skipped or reported (1 is the first failure).
    public internal(set) var attemptsMade: Int
    /// Attempts that failed (declined, reported failed, or skipped over budget).
    public internal(set) var attemptsFailed: Int
    /// Charges the process asked for (a repeated unknown attempt counts once per call).
    public internal(set) var charges: Int
    /// Attempts a card-network budget deferred.
    public internal(set) var deferrals: Int
    /// Attempts a card-network budget skipped (`whenExceeded: skip`).
    public internal(set) var budgetSkips: Int
    /// Where it is.
    public internal(set) var status: Status
    /// The stage it is in, `nil` when clear.
    public internal(set) var stage: String?
    /// `true` after a hard or update-required decline, until a card update.
    public internal(set) var cardBlocked: Bool
    /// When the next attempt is planned, while open and no charge is in flight; `nil` while the
    /// attempt waits in its card's line behind another (``waitingSince``).
    public internal(set) var nextAttemptAt: Instant?
    /// While the attempt waits in its card's line for the network budget: when it became due (its
    /// place in the line, first in first out, ties by invoice id); `nil` otherwise.
    public internal(set) var waitingSince: Instant? = nil
    /// The final action's kind, once it ran.
    public internal(set) var finalKind: FinalAction.Kind?
    /// When it left dunning (recovered, paid, final, cancelled).
    public internal(set) var endedAt: Instant?
    /// The attempt that recovered it.
    public internal(set) var recoveredAttempt: Int?
    /// The id of the invoice's enrollment in the policy's schedule workflow on the engine
    /// (``DunningProcess/attach(enrollment:toInvoice:)``), `nil` until the runtime attaches one.
    public internal(set) var enrollment: String? = nil

    // MARK: Process state

    /// The schedule that applies (the plan's, else the policy's).
    var schedule: RetrySchedule
    /// The index in the current series of the last slot used (0 = the series' start: the first failure, or a card update with reset).
    var slot: Int
    /// When the current series started (for `within` windows).
    var seriesStart: Instant
    /// The charge handed out and not recorded yet.
    var inFlight: ChargeRequest?
    /// The attempt to charge again with the same key (its outcome was unknown), and how often it was.
    var repeatAttempt: Int?
    var unknownRepeats: Int
    /// Stage conditions count failures and days from here (a card update with `reset: [stage]` moves them).
    var stageFailuresBase: Int
    var stageAnchorDay: Int64
    var nextStageCheck: Instant?
    /// Customer messages waiting for the send window, in time order.
    var pendingMessages: [PendingMessage]
    /// When the invoice is older than `maxInvoiceAgeMonths`.
    var ageLimitAt: Instant?
    /// Timeline entries so far; and whether one was dropped at the bound.
    var entryCount: Int
    var entryLimitHit: Bool
    /// The wake-up time queued, if any.
    var wakeAt: Instant?
    /// The budget key of the card line the attempt waits in (with ``waitingSince``).
    var waitingOn: CardAttemptLedger.Key? = nil
    /// Whether ``lastDecline`` is the current card's: `false` after a card update until the new
    /// card is declined, so a `declineClass` stage condition no longer holds for the old card.
    var declineIsCurrent = true
    /// The charge whose outcome is unknown, charged again exactly as it was (same key, same card,
    /// same amount) before anything else: never a new key while it may have gone through.
    var unknownRequest: ChargeRequest?
    /// The network of the card ``unknownRequest`` charges (its budget is that card's, whatever card
    /// the invoice has now), and of the charge in flight.
    var unknownNetwork: CardNetwork = .other
    var inFlightNetwork: CardNetwork = .other
    /// Its place in the order the process's invoices started (a restored process keeps the order).
    var sequence = 0
    /// The contact's tags as written with the invoice (``DunningProcess/takeChangedInvoices()``
    /// fills them for a policy with tag conditions; `nil` in the process's own invoices).
    var storedTags: StoredTags?

    /// A contact's tags as stored with one of its invoices, and the number of the write
    /// (`takeChangedInvoices` call) that stored them: restoring takes each contact's latest.
    struct StoredTags: Hashable, Sendable {
        var tags: [String]
        var written: Int
    }

    /// A customer message waiting for the send window.
    struct PendingMessage: Hashable, Sendable {
        var at: Instant
        var action: DunningAction
        var source: String
        /// Sent even after the invoice is paid (recovered actions, final actions).
        var keepWhenPaid: Bool
    }

    /// Whether dunning still goes on.
    public var isOpen: Bool { status == .open }

    /// The charge ``DunningProcess/due(at:)`` handed out and no outcome was recorded for yet: the
    /// one charge a payment gateway may be asked to make for this invoice now.
    public var chargeInFlight: ChargeRequest? { inFlight }
}
