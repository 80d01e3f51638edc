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
        var first = true
        // The keys are plain ASCII: written as they are, quoted.
        func key(_ name: String) {
            output.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: "\":".utf8)
        }
        func string(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONValue.writeString(value, to: &output)
        }
        func value(_ name: String, _ value: JSONValue?) {
            guard let value else { return }
            key(name)
            output.append(contentsOf: value.compactText.utf8)
        }
        value("autocharge", autocharge?.json)
        string("callName", callName)
        value("card", card?.json)
        value("changed", changed?.json)
        string("channel", channel)
        key("contact")
        contact.appendCompactJSON(to: &output)
        value("email", email?.json)
        value("error", error?.json)
        string("id", id)
        string("integration", integration)
        string("link", link)
        string("occurredAt", occurredAt.rfc3339(offsetSeconds: offsetSeconds))
        if let order {
            key("order")
            order.appendCompactJSON(to: &output)
        }
        if let payment {
            key("payment")
            payment.appendCompactJSON(to: &output)
        }
        value("subscription", subscription?.json)
        string("tag", tag)
        string("type", type.rawValue)
        output.append(UInt8(ascii: "}"))
    }
}

extension ContactReference {
    /// Appends `json.compactText` (``Event/appendCompactJSON(to:)``).
    func appendCompactJSON(to output: inout [UInt8]) {
        var first = true
        func key(_ name: String) {
            output.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: "\":".utf8)
        }
        func string(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONValue.writeString(value, to: &output)
        }
        string("email", email)
        if !fields.isEmpty {
            key("fields")
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
        string("firstName", firstName)
        string("id", id)
        string("lastName", lastName)
        if !tags.isEmpty {
            key("tags")
            for (index, tag) in tags.enumerated() {
                output.append(index == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
                JSONValue.writeString(tag, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        string("timezone", timezone)
        // An empty reference is `{}`.
        if first { output.append(UInt8(ascii: "{")) }
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
