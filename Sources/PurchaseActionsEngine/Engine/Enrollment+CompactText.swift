import PurchaseActionsCore

extension Enrollment {
    /// The enrollment's JSON on one line, keys sorted: byte for byte `json.compactText`, written
    /// straight to bytes without composing the `JSONValue` object nor sorting its members (only the
    /// event, and the state of an enrollment waiting for an event or a condition, go through
    /// `compactText`). What a durable store keeps of a run.
    ///
    /// A stored enrollment starts `{"chain":0,"contactID":"c-1",`.
    public var compactJSONText: String {
        var writer = EnrollmentJSONWriter()
        var output: [UInt8] = []
        output.reserveCapacity(512)
        writer.append(self, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

/// Writes enrollments as ``Enrollment/compactJSONText`` does, keeping the text of the events they
/// were started by: the enrollments one event starts share it (an order of three lines, three
/// enrollments), so it is made once. It keeps at most ``eventsKept`` events' text.
public struct EnrollmentJSONWriter {
    /// The most events whose text a writer keeps (then it forgets them all and starts again).
    public static let eventsKept = 4_096

    /// Each event's text, by the identity of the box the enrollments share (the box is kept, so
    /// its identity is not reused while it is here).
    private var events: [ObjectIdentifier: (box: EventBox, text: [UInt8])] = [:]

    /// The last `startedAt` written, and its JSON text.
    private var lastStart: (instant: Instant, text: [UInt8])?

    /// Creates a writer that keeps nothing yet.
    public init() {}

    /// Forgets the events' text kept.
    public mutating func removeAll() { events.removeAll(keepingCapacity: true) }

    /// Appends the enrollment's compact JSON (``Enrollment/compactJSONText``) to `output`.
    public mutating func append(_ enrollment: Enrollment, to output: inout [UInt8]) {
        // Members in code-point order of their keys; `nil` members left out, as `JSONValue.members` does.
        output.append(contentsOf: #"{"chain":"#.utf8)
        output.append(contentsOf: String(enrollment.chain).utf8)
        output.append(contentsOf: #","contactID":"#.utf8)
        JSONValue.writeString(enrollment.contactID, to: &output)
        if let box = enrollment.cause {
            output.append(contentsOf: #","event":"#.utf8)
            appendEvent(box, to: &output)
        }
        output.append(contentsOf: #","frames":["#.utf8)
        for (index, frame) in enrollment.frames.enumerated() {
            output.append(contentsOf: (index == 0 ? #"{"position":"# : #",{"position":"#).utf8)
            output.append(contentsOf: String(frame.position).utf8)
            if let version = frame.version {
                output.append(contentsOf: #","version":"#.utf8)
                output.append(contentsOf: String(version).utf8)
            }
            output.append(contentsOf: #","workflowID":"#.utf8)
            JSONValue.writeString(frame.workflowID, to: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: #"],"holdsOrder":"#.utf8)
        output.append(contentsOf: (enrollment.holdsOrder ? "true" : "false").utf8)
        output.append(contentsOf: #","id":"#.utf8)
        JSONValue.writeString(enrollment.id, to: &output)
        if let order = enrollment.orderID {
            output.append(contentsOf: #","orderID":"#.utf8)
            JSONValue.writeString(order, to: &output)
        }
        output.append(contentsOf: #","performed":"#.utf8)
        output.append(contentsOf: String(enrollment.performed).utf8)
        output.append(contentsOf: #","startedAt":"#.utf8)
        // The enrollments an event starts start at the same instant: its text made once.
        if enrollment.startedAt != lastStart?.instant {
            var text: [UInt8] = []
            JSONValue.writeString(enrollment.startedAt.description, to: &text)
            lastStart = (enrollment.startedAt, text)
        }
        output.append(contentsOf: lastStart?.text ?? [])
        output.append(contentsOf: #","state":"#.utf8)
        Self.appendState(enrollment.state, to: &output)
        output.append(contentsOf: #","version":"#.utf8)
        output.append(contentsOf: String(enrollment.version).utf8)
        output.append(contentsOf: #","workflowID":"#.utf8)
        JSONValue.writeString(enrollment.workflowID, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// The event's compact text, made once per box.
    private mutating func appendEvent(_ box: EventBox, to output: inout [UInt8]) {
        let key = ObjectIdentifier(box)
        if let kept = events[key] { return output.append(contentsOf: kept.text) }
        var text: [UInt8] = []
        text.reserveCapacity(384)
        box.event.appendCompactJSON(to: &text)
        if events.count >= Self.eventsKept { events.removeAll(keepingCapacity: true) }
        events[key] = (box, text)
        output.append(contentsOf: text)
    }

    /// `state`: `{"kind":...}`, or for a wait `{"for":...,"kind":"waiting","timeout":...,"wakeAt":...}`
    /// (a wait for an event or a condition through `compactText`: its members interleave).
    private static func appendState(_ state: Enrollment.State, to output: inout [UInt8]) {
        switch state {
        case .active: output.append(contentsOf: #"{"kind":"active"}"#.utf8)
        case .finished: output.append(contentsOf: #"{"kind":"finished"}"#.utf8)
        case .exited: output.append(contentsOf: #"{"kind":"exited"}"#.utf8)
        case .waiting(let waiting, let wakeAt, let timeout):
            let kind: String
            switch waiting {
            case .time: kind = "time"
            case .window: kind = "window"
            case .event, .condition: return output.append(contentsOf: state.json.compactText.utf8)
            }
            output.append(contentsOf: #"{"for":""#.utf8)
            output.append(contentsOf: kind.utf8)
            output.append(contentsOf: #"","kind":"waiting""#.utf8)
            if let timeout {
                output.append(contentsOf: #","timeout":"#.utf8)
                output.append(contentsOf: String(timeout).utf8)
            }
            if let wakeAt {
                output.append(contentsOf: #","wakeAt":"#.utf8)
                JSONValue.writeString(wakeAt.description, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}

extension Event {
    /// Appends `json.compactText` of the event, byte for byte, without composing the `JSONValue`
    /// tree: members in code-point order of their keys, `nil` ones (and empty contact `fields` and
    /// `tags`) left out, as `JSONValue.members` and `compactText` do. The members events rarely
    /// carry (an error, a subscription, a card, ...) go through their `json`.
    func appendCompactJSON(to output: inout [UInt8]) {
        var members = CompactMembers()
        output.append(UInt8(ascii: "{"))
        if let autocharge { members.raw("autocharge", autocharge.json.compactText, &output) }
        members.string("callName", callName, &output)
        if let card { members.raw("card", card.json.compactText, &output) }
        if let changed { members.raw("changed", changed.json.compactText, &output) }
        members.string("channel", channel, &output)
        members.key("contact", &output)
        contact.appendCompactJSON(to: &output)
        if let email { members.raw("email", email.json.compactText, &output) }
        if let error { members.raw("error", error.json.compactText, &output) }
        members.string("id", id, &output)
        members.string("integration", integration, &output)
        members.string("link", link, &output)
        members.string("occurredAt", occurredAt.rfc3339(offsetSeconds: offsetSeconds), &output)
        if let order {
            members.key("order", &output)
            order.appendCompactJSON(to: &output)
        }
        if let payment {
            members.key("payment", &output)
            payment.appendCompactJSON(to: &output)
        }
        if let subscription { members.raw("subscription", subscription.json.compactText, &output) }
        members.string("tag", tag, &output)
        members.string("type", type.rawValue, &output)
        output.append(UInt8(ascii: "}"))
    }
}

extension ContactReference {
    /// Appends `json.compactText` (``Event/appendCompactJSON(to:)``); an empty reference is `{}`.
    func appendCompactJSON(to output: inout [UInt8]) {
        var members = CompactMembers()
        output.append(UInt8(ascii: "{"))
        members.string("email", email, &output)
        if !fields.isEmpty {
            members.key("fields", &output)
            var inner = true
            for name in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                output.append(inner ? UInt8(ascii: "{") : UInt8(ascii: ","))
                inner = false
                JSONValue.writeString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                JSONValue.writeString(fields[name] ?? "", to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        members.string("firstName", firstName, &output)
        members.string("id", id, &output)
        members.string("lastName", lastName, &output)
        if !tags.isEmpty {
            members.key("tags", &output)
            for (index, tag) in tags.enumerated() {
                output.append(index == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
                JSONValue.writeString(tag, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        members.string("timezone", timezone, &output)
        output.append(UInt8(ascii: "}"))
    }
}

extension Order {
    /// Appends `json.compactText` (``Event/appendCompactJSON(to:)``).
    func appendCompactJSON(to output: inout [UInt8]) {
        output.append(contentsOf: #"{"chargeMode":"#.utf8)
        JSONValue.writeString(chargeMode.rawValue, to: &output)
        if let gateway {
            output.append(contentsOf: #","gateway":"#.utf8)
            JSONValue.writeString(gateway, to: &output)
        }
        output.append(contentsOf: #","id":"#.utf8)
        JSONValue.writeString(id, to: &output)
        output.append(contentsOf: #","lines":["#.utf8)
        for (index, line) in lines.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            switch line.item {
            case .product(let product, let priceOption):
                output.append(UInt8(ascii: "{"))
                if let priceOption {
                    output.append(contentsOf: #""priceOption":"#.utf8)
                    JSONValue.writeString(priceOption, to: &output)
                    output.append(UInt8(ascii: ","))
                }
                output.append(contentsOf: #""product":"#.utf8)
                JSONValue.writeString(product, to: &output)
                output.append(contentsOf: #","quantity":"#.utf8)
                output.append(contentsOf: String(line.quantity).utf8)
            case .subscriptionPlan(let plan):
                output.append(UInt8(ascii: "{"))
                if line.quantity != 1 {
                    output.append(contentsOf: #""quantity":"#.utf8)
                    output.append(contentsOf: String(line.quantity).utf8)
                    output.append(UInt8(ascii: ","))
                }
                output.append(contentsOf: #""subscriptionPlan":"#.utf8)
                JSONValue.writeString(plan, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        if let paymentPlan {
            output.append(contentsOf: #","paymentPlan":"#.utf8)
            JSONValue.writeString(paymentPlan, to: &output)
        }
        output.append(contentsOf: #","source":"#.utf8)
        JSONValue.writeString(source.rawValue, to: &output)
        output.append(UInt8(ascii: "}"))
    }
}

extension Payment {
    /// Appends `json.compactText` (``Event/appendCompactJSON(to:)``).
    func appendCompactJSON(to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        if let adviceCode {
            output.append(contentsOf: #""adviceCode":"#.utf8)
            JSONValue.writeString(adviceCode, to: &output)
            output.append(UInt8(ascii: ","))
        }
        output.append(contentsOf: #""amount":{"currency":"#.utf8)
        JSONValue.writeString(currency, to: &output)
        output.append(contentsOf: #","minor":"#.utf8)
        output.append(contentsOf: String(amount).utf8)
        output.append(UInt8(ascii: "}"))
        if let declineCode {
            output.append(contentsOf: #","declineCode":"#.utf8)
            JSONValue.writeString(declineCode, to: &output)
        }
        output.append(contentsOf: #","index":"#.utf8)
        output.append(contentsOf: String(index).utf8)
        if let invoice {
            output.append(contentsOf: #","invoice":"#.utf8)
            JSONValue.writeString(invoice, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
