// An enrollment's JSON form (Docs/engine.md, "Enrollments as JSON"): what a durable store keeps of
// a run, every member, read back equal.

public import PurchaseActionsCore

extension Enrollment: JSONRepresentable {
    /// `{"id", "workflowID", "version", "contactID", "orderID", "holdsOrder", "event", "startedAt",
    /// "frames", "state", "chain", "performed"}`: `orderID` and `event` left out when absent, `event`
    /// in its canonical JSON form (Docs/events.md), times in UTC, each frame
    /// `{"workflowID", "version", "position"}` (`version` left out when `nil`), and `state` one of
    /// `{"kind": "active"}`, `{"kind": "finished"}`, `{"kind": "exited"}` or
    /// `{"kind": "waiting", "for": "time" | "window" | "event" | "condition", "type", "filters",
    /// "condition", "wakeAt", "timeout"}` (`type` and `filters` for an event, `condition` for a
    /// condition, `wakeAt` and `timeout` when set).
    ///
    /// ```swift
    /// let line = enrollment.json.compactText   // {"chain":0,"contactID":"c-1","frames":[{"position":2,"version":1,"workflowID":"w"}],...}
    /// ```
    public var json: JSONValue {
        .members([
            "id": id.json, "workflowID": workflowID.json, "version": version.json, "contactID": contactID.json, "orderID": orderID.json,
            "holdsOrder": holdsOrder.json, "event": event?.json, "startedAt": startedAt.description.json,
            "frames": .array(frames.map(\.json)), "state": state.json, "chain": chain.json, "performed": performed.json,
        ])
    }

    /// The moment time alone ends its wait: `wakeAt` of a waiting state, else `nil`.
    public var wakeAt: Instant? {
        guard case .waiting(_, let wakeAt, _) = state else { return nil }
        return wakeAt
    }

    /// Decodes an enrollment from its JSON form (``json``); every error names the JSON path.
    ///
    /// The form is checked, not the place: whether each frame's workflow and version exist and its
    /// position lies in the program is for the engine that runs it to say (``Engine/check(_:)``;
    /// an engine that meets an invalid enrollment ends it with an `error` record). `chain` and
    /// `performed` are at least 0; `event` is read as `Event(json:)` reads an events file, except
    /// that its id may be up to 216 characters (an event an engine made for a checkout that creates
    /// its buyer has the checkout's id followed by `/contact.created`) and its type may be an
    /// internal one (`EventType.internalTypes`: an event ``Engine/signal(_:enrollmentID:keepingEvent:)`` gave it).
    ///
    /// ```swift
    /// let enrollment = try Enrollment(json: JSONValue.parse(stored))
    /// ```
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let id = try object.string("id")
        let workflowID = try object.string("workflowID")
        let version = try object.integer("version")
        let contactID = try object.string("contactID")
        let orderID = try object.optionalString("orderID")
        let holdsOrder = try object.bool("holdsOrder")
        let event = try object.optional("event").map { value throws(JSONError) in try Self.event(value, at: path.member("event")) }
        let startedAt = try Instant.decodeRFC3339(object.string("startedAt"), at: path.member("startedAt"))
        let frames = try object.array("frames") { value, path throws(JSONError) in try Frame(json: value, at: path) }
        let state = try object.required("state")
        let decodedState = try State(json: state, at: path.member("state"))
        let chain = try object.integer("chain")
        guard chain >= 0 else { throw JSONError(.invalidValue, "'chain' is at least 0 (found \(chain))", at: path.member("chain")) }
        let performed = try object.integer("performed")
        guard performed >= 0 else { throw JSONError(.invalidValue, "'performed' is at least 0 (found \(performed))", at: path.member("performed")) }
        try object.finish()
        self.init(
            id: id, workflowID: workflowID, version: version, contactID: contactID, orderID: orderID, holdsOrder: holdsOrder,
            cause: event.map(EventBox.init), startedAt: startedAt, frames: frames, state: decodedState, chain: chain, performed: performed)
    }

    /// The longest event id an enrollment's event may have: an events file's 200, and
    /// `/contact.created` (the event the engine makes for a checkout that creates its buyer).
    static let eventIDBytes = 200 + "/contact.created".utf8.count

    /// Reads an event as `Event(json:)` does, at `path`, its id up to ``eventIDBytes`` long.
    private static func event(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Event {
        guard case .object(var members) = value else { throw JSONError(.wrongType, "expected an object, found \(value.kindName)", at: path) }
        var id: String?
        if case .string(let given)? = members["id"] {
            let bytes = given.utf8
            guard !bytes.isEmpty, bytes.count <= eventIDBytes, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw JSONError(.invalidValue, "an id is 1 to \(eventIDBytes) printable ASCII characters with no spaces", at: path.member("id"))
            }
            id = given
            members["id"] = .string("-")
        }
        do {
            var event = try Event(json: .object(members), allowingInternal: true)
            if let id { event.id = id }
            return event
        } catch {
            var moved = error
            moved.path = JSONPath(components: path.components + error.path.components)
            throw moved
        }
    }
}

extension Enrollment.Frame: JSONRepresentable {
    /// `{"workflowID", "version", "position"}`, `version` left out when `nil`.
    public var json: JSONValue { .members(["workflowID": workflowID.json, "version": version.json, "position": position.json]) }

    /// Decodes a frame from its JSON form (``json``); the position is any integer (``Engine/check(_:)``
    /// says whether it lies in the program).
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let workflowID = try object.string("workflowID")
        let version = try object.optionalInteger("version")
        let position = try object.integer("position")
        try object.finish()
        self.init(workflowID: workflowID, version: version, position: position)
    }
}

extension Enrollment.State: JSONRepresentable {
    /// `{"kind": "active" | "finished" | "exited"}`, or `{"kind": "waiting", "for", ...}` (``Enrollment/json``).
    public var json: JSONValue {
        switch self {
        case .active: .members(["kind": "active".json])
        case .finished: .members(["kind": "finished".json])
        case .exited: .members(["kind": "exited".json])
        case .waiting(let waiting, let wakeAt, let timeout):
            waiting.json.adding(["kind": "waiting".json, "wakeAt": wakeAt?.description.json, "timeout": timeout.json])
        }
    }

    /// Decodes a state from its JSON form (``json``); every error names the JSON path.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        switch try object.choice("kind", ["active", "waiting", "finished", "exited"]) {
        case "active": self = .active
        case "finished": self = .finished
        case "exited": self = .exited
        default:
            let waiting: Enrollment.Waiting
            switch try object.choice("for", ["time", "window", "event", "condition"]) {
            case "time": waiting = .time
            case "window": waiting = .window
            case "event":
                let type = EventType(rawValue: try object.string("type"))
                let filters = try object.array("filters") { value, path throws(JSONError) in try Condition(stored: value, at: path) }
                waiting = .event(type, filters)
            default:
                waiting = .condition(try Condition(stored: object.required("condition"), at: path.member("condition")))
            }
            let wakeAt = try object.optionalString("wakeAt").map { text throws(JSONError) in try Instant.decodeRFC3339(text, at: path.member("wakeAt")) }
            let timeout = try object.optionalInteger("timeout")
            self = .waiting(waiting, wakeAt: wakeAt, timeout: timeout)
        }
        try object.finish()
    }
}

extension Enrollment.Waiting: JSONRepresentable {
    /// `{"for": "time"}`, `{"for": "window"}`, `{"for": "event", "type", "filters"}` or
    /// `{"for": "condition", "condition"}`: what ``Enrollment/State/json`` adds the rest to.
    public var json: JSONValue {
        switch self {
        case .time: .members(["for": "time".json])
        case .window: .members(["for": "window".json])
        case .event(let type, let filters): .members(["for": "event".json, "type": type.rawValue.json, "filters": filters.json])
        case .condition(let condition): .members(["for": "condition".json, "condition": condition.json])
        }
    }
}

extension Condition {
    /// Reads a condition as ``Condition/json`` wrote it, without the workflow decoder's rules on
    /// field names, ids and values: a waiting enrollment keeps the condition its workflow had, which
    /// the compiler may have made (Docs/engine.md). The shape is checked: exactly one of `field`,
    /// `all`, `any`, `not`; an operator the engine knows; a value of a kind conditions hold.
    init(stored json: JSONValue, at path: JSONPath) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let shapes = ["field", "all", "any", "not"].filter { object.has($0) }
        guard shapes.count == 1, let shape = shapes.first else {
            throw JSONError(.invalidValue, "a condition has exactly one of 'field', 'all', 'any' or 'not'", at: path)
        }
        let id = try object.optionalString("id")
        let source = try object.optional("source").map { value throws(JSONError) in try SourceTrace(json: value, at: path.member("source")) }
        let test: Test
        switch shape {
        case "all": test = .all(try object.array("all") { value, path throws(JSONError) in try Condition(stored: value, at: path) })
        case "any": test = .any(try object.array("any") { value, path throws(JSONError) in try Condition(stored: value, at: path) })
        case "not": test = .not(try Condition(stored: object.required("not"), at: path.member("not")))
        default:
            let field = try object.string("field")
            let name = try object.choice("op", ConditionOperator.allCases.map(\.rawValue))
            let op = ConditionOperator(rawValue: name)!
            var value: ConditionValue?
            switch object.optional("value") {
            case nil: value = nil
            case .string(let text)?: value = .text(text)
            case .integer(let number)?: value = .integer(number)
            case .array(let items)?:
                value = .list(try items.enumerated().map { index, item throws(JSONError) in try item.string(at: path.member("value").index(index)) })
            case let other?:
                throw JSONError(.wrongType, "expected a string, an integer or an array of strings, found \(other.kindName)", at: path.member("value"))
            }
            test = .compare(field: field, op: op, value: value)
        }
        try object.finish()
        self.init(id: id, test, source: source)
    }
}
