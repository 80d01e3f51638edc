public import PurchaseActionsCore

/// One line of an invoice's dunning timeline: what happened, when, and why.
public struct DunningEntry: Hashable, Sendable {
    /// What kind of thing happened.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The first failure was recorded; the invoice is in dunning.
        case started
        /// An attempt outcome reported by the event source was recorded against its attempt.
        case reported
        /// A charge attempt was made (its outcome in `outcome`).
        case attempt
        /// A planned attempt waits for the card's network budget.
        case deferred
        /// A planned attempt was skipped (budget, invoice already paid, hard decline, invoice too old).
        case skipped
        /// An attempt whose outcome stayed unknown after the status look-up will be charged again
        /// with the same idempotency key (the time and how often so far are in `detail`): no new
        /// attempt, no new key, until its outcome is known.
        case repeatCharge = "repeat"
        /// A customer message (email, SMS).
        case message
        /// A staff task.
        case task
        /// A staff notification.
        case notification
        /// Another action (tag, field, webhook, access, workflow).
        case action
        /// The invoice entered a stage, or cleared (`stage` nil).
        case stage
        /// The card was updated.
        case cardUpdated = "card-updated"
        /// Paid another way; dunning stops.
        case paidElsewhere = "paid-elsewhere"
        /// A charge succeeded after a failure; dunning stops.
        case recovered
        /// The final action.
        case final
        /// An event that did not change the invoice (a duplicate, an initial order, a plan not managed), with the reason.
        case ignored
    }

    /// When it happened.
    public var at: Instant
    /// The invoice.
    public var invoice: String
    /// The kind.
    public var kind: Kind
    /// The attempt number, for attempts and attempt outcomes.
    public var attempt: Int?
    /// `approved`, `declined`, `unknown`, for attempts.
    public var outcome: String?
    /// The decline, for declined attempts.
    public var decline: Decline?
    /// The stage entered (for `stage`), `nil` when cleared.
    public var stage: String?
    /// The action, for messages, tasks, notifications and actions.
    public var action: DunningAction?
    /// Words for people: what and why.
    public var detail: String

    /// Creates an entry.
    public init(
        at: Instant, invoice: String, kind: Kind, attempt: Int? = nil, outcome: String? = nil, decline: Decline? = nil,
        stage: String? = nil, action: DunningAction? = nil, detail: String
    ) {
        self.at = at
        self.invoice = invoice
        self.kind = kind
        self.attempt = attempt
        self.outcome = outcome
        self.decline = decline
        self.stage = stage
        self.action = action
        self.detail = detail
    }
}
