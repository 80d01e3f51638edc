import PurchaseActionsCore

/// An event held by reference: the enrollments one event makes, and what their log records say
/// about it, share one copy.
final class EventBox: Hashable, Sendable {
    let event: Event

    init(_ event: Event) { self.event = event }

    static func == (lhs: EventBox, rhs: EventBox) -> Bool { lhs === rhs || lhs.event == rhs.event }

    func hash(into hasher: inout Hasher) { hasher.combine(event) }
}
