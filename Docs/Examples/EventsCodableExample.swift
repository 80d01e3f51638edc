// The sample of Docs/events.md, "From Swift: Codable", compiled; MergedAPISampleTests runs it.
import Foundation
import PurchaseActions

/// An app's outbox of events for the engine, stored as JSON.
struct PendingEvents: Codable {
    var events: [Event]
}

func pendingEvents(_ data: Data) throws -> [Event] {
    try JSONDecoder().decode(PendingEvents.self, from: data).events
}

/// One event built in code, as a line of an events file.
func tagAdded(contactID: String, tag: String, at date: Date) -> Data {
    var event = Event(id: "tag/\(contactID)/\(tag)", type: .tagAdded, occurredAt: Instant(date), contact: ContactReference(id: contactID))
    event.tag = tag
    return event.canonicalLine
}
