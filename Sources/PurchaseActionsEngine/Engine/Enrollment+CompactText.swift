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
        JSONValue.writeString(enrollment.startedAt.description, to: &output)
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
        let text = Array(box.event.json.compactText.utf8)
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
