/// The name of an event, in the one dotted vocabulary events and triggers share (Docs/events.md).
public struct EventType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The dotted name, such as `payment.succeeded`.
    public var rawValue: String

    /// Creates an event type from its dotted name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The dotted name.
    public var description: String { rawValue }

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Not an event: the workflow is run by id, like the legacy "run action set".
    public static let manual = EventType(rawValue: "manual")
    /// A customer logged in to the multi-step cart.
    public static let cartLogin = EventType(rawValue: "cart.login")
    /// A contact was created.
    public static let contactCreated = EventType(rawValue: "contact.created")
    /// An order was placed, before any charge.
    public static let orderSubmitted = EventType(rawValue: "order.submitted")
    /// A payment of an order was accepted: a card charged, a payment recorded by hand, or an order
    /// taken with no card.
    public static let paymentSucceeded = EventType(rawValue: "payment.succeeded")
    /// An order's card charge was declined.
    public static let paymentFailed = EventType(rawValue: "payment.failed")
    /// Something other than a decline stopped an order (gateway down, invalid data).
    public static let orderErrored = EventType(rawValue: "order.errored")
    /// A subscription's later payment was accepted.
    public static let subscriptionRenewed = EventType(rawValue: "subscription.renewed")
    /// An automatic charge of an invoice failed.
    public static let autochargeFailed = EventType(rawValue: "payment.autocharge_failed")
    /// An automatic charge succeeded after an earlier failure.
    public static let autochargeRecovered = EventType(rawValue: "payment.autocharge_recovered")
    /// A card on file expires soon.
    public static let cardExpiring = EventType(rawValue: "card.expiring")
    /// A contact's card or other payment method was replaced.
    public static let paymentMethodUpdated = EventType(rawValue: "payment_method.updated")
    /// A subscription was cancelled.
    public static let subscriptionCancelled = EventType(rawValue: "subscription.cancelled")
    /// A tag was added to a contact.
    public static let tagAdded = EventType(rawValue: "tag.added")
    /// A tag was removed from a contact.
    public static let tagRemoved = EventType(rawValue: "tag.removed")
    /// A contact field changed.
    public static let contactUpdated = EventType(rawValue: "contact.updated")
    /// A contact opened an email.
    public static let emailOpened = EventType(rawValue: "email.opened")
    /// A contact clicked a link in an email.
    public static let emailClicked = EventType(rawValue: "email.clicked")
    /// A contact replied (email or SMS).
    public static let contactReplied = EventType(rawValue: "contact.replied")
    /// An app achieved an API goal (the legacy `FunnelService.achieveGoal`).
    public static let goalAchieved = EventType(rawValue: "goal.achieved")

    /// An internal event: the dunning runtime says an invoice's next attempt is due. The engine's
    /// ``internalTypes`` are never read from an events file; a workflow waits for one only when its
    /// id starts with `dunning.` (Docs/events.md, "Internal event types").
    public static let dunningAttemptDue = EventType(rawValue: "dunning.attempt_due")

    /// The event types the runtime gives one enrollment (``dunningAttemptDue``), sorted: not in
    /// ``all``, so an events file naming one is refused; a trigger on one is refused, and a wait on
    /// one is allowed only in a workflow whose id starts with ``internalWorkflowPrefix``.
    public static let internalTypes: [EventType] = [dunningAttemptDue]

    /// The prefix of the ids of the workflows that may wait for an internal event type: `dunning.`.
    public static let internalWorkflowPrefix = "dunning."

    /// Whether the type is one of ``internalTypes``.
    public var isInternal: Bool { Self.internalTypes.contains(self) }

    /// Every event type of events format v1, sorted.
    public static let all: [EventType] = [
        cartLogin, contactCreated, orderSubmitted, paymentSucceeded, paymentFailed, orderErrored, subscriptionRenewed,
        autochargeFailed, autochargeRecovered, cardExpiring, paymentMethodUpdated, subscriptionCancelled, tagAdded, tagRemoved,
        contactUpdated, emailOpened, emailClicked, contactReplied, goalAchieved,
    ].sorted()
}
