public import PurchaseActionsCore

extension LogRecord {
    /// The record's JSON on one line, keys sorted: byte for byte `json.compactText`, written
    /// straight to bytes without composing the `JSONValue` object nor sorting its members (the
    /// record's keys are fixed; only `why` and the effect's `details` go through `compactText`).
    /// A line of the durable log starts `{"at":"2025-01-01T00:00:00Z","cause":"e-1","contact":"c-1",`.
    public var compactJSONText: String {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        appendCompactJSON(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``compactJSONText``'s UTF-8 bytes to `output`; `atText`, when given, is
    /// `at.description` made beforehand (records of one event share their instant: a writer of
    /// many records formats it once).
    public func appendCompactJSON(to output: inout [UInt8], atText: String? = nil) {
        appendCompactJSON(to: &output, atText: { atText ?? $0.description }, detailsText: [:])
    }

    /// Appends ``compactJSONText``'s UTF-8 bytes to `output` and returns the members a store files
    /// the record under (read from the fields the text was written from: nothing composed twice).
    /// An external effect's `details` are taken from `detailsText` by idempotency key when there
    /// (the compact text the outbox was written with), else composed.
    @discardableResult
    func appendCompactJSON(to output: inout [UInt8], atText: (Instant) -> String, detailsText: [String: String]) -> Heading {
        // An action's record (the commonest) straight from its report, without composing its fields.
        if let report = box as? ActionReport { return report.appendCompactRecord(to: &output, atText: atText, detailsText: detailsText) }
        // An enrollment's entered, call and finished records straight from their box.
        if let record = box as? InProgram { return record.appendCompactRecord(to: &output, atText: atText) }
        // The fields once (each member's getter would compose them again).
        let fields = box.fields
        let at = fields.at, contactID = fields.contactID, effect = fields.effect, enrollmentID = fields.enrollmentID
        let status = fields.status, workflowID = fields.workflowID
        // Members in code-point order of their keys; `nil` members left out, as `JSONValue.members` does.
        var members = CompactMembers()
        output.append(UInt8(ascii: "{"))
        members.string("at", atText(at), &output)
        members.string("cause", fields.cause, &output)
        members.string("contact", contactID, &output)
        if let effect {
            members.key("effect", &output)
            var inner = CompactMembers()
            output.append(UInt8(ascii: "{"))
            inner.string("deliverAt", effect.deliverAt?.description, &output)
            inner.raw("details", effect.idempotencyKey.flatMap { detailsText[$0] } ?? effect.compactDetailsText, &output)
            inner.string("key", effect.idempotencyKey, &output)
            inner.string("kind", effect.kind, &output)
            output.append(UInt8(ascii: "}"))
        }
        members.string("enrollment", enrollmentID, &output)
        members.key("message", &output)
        Self.appendMessage(fields, to: &output)
        members.string("status", status.rawValue, &output)
        members.string("step", fields.stepID, &output)
        if let version = fields.version { members.integer("version", version, &output) }
        Self.appendWhy(fields.reason, &members, to: &output)
        members.string("workflow", workflowID, &output)
        output.append(UInt8(ascii: "}"))
        return Heading(at: at, contactID: contactID, workflowID: workflowID, enrollmentID: enrollmentID, status: status, effectKind: effect?.kind)
    }

    /// ``message`` of the fields as a JSON string, written from its parts straight to bytes.
    static func appendMessage(_ fields: Fields, to output: inout [UInt8]) {
        appendMessage(fields.text, workflowID: fields.workflowID, contactID: fields.contactID, stepID: fields.stepID, to: &output)
    }

    /// A message composed as `text` says, from the record's members, as a JSON string.
    static func appendMessage(_ text: Text, workflowID: String?, contactID: String?, stepID: String?, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        switch text {
        case .given(let text): JSONValue.writeStringContents(text, to: &output)
        case .computed(let text): JSONValue.writeStringContents(text(), to: &output)
        case .entered, .finished:
            JSONValue.writeStringContents(workflowID ?? "", to: &output)
            output.appendStatic(": ")
            JSONValue.writeStringContents(contactID ?? "", to: &output)
            if case .entered = text { output.appendStatic(" entered") } else { output.appendStatic(" finished") }
        case .call(let called):
            JSONValue.writeStringContents(stepID ?? "", to: &output)
            output.appendStatic(": call ")
            JSONValue.writeStringContents(called.id, to: &output)
        case .action(let report): report.appendMessageContents(to: &output)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `why` composed as `reason` says, as the member `"why":…` (nothing when there is none).
    static func appendWhy(_ reason: Reason, _ members: inout CompactMembers, to output: inout [UInt8]) {
        switch reason {
        case .given(let why):
            if let why {
                members.key("why", &output)
                why.appendCompactText(to: &output)
            }
        case .computed(let why):
            if let why = why() {
                members.key("why", &output)
                why.appendCompactText(to: &output)
            }
        case .trigger(let program, let trigger, let event, let contact):
            members.key("why", &output)
            TriggerIndex.appendWhy(program, trigger: trigger, event.event, contact?.contact, to: &output)
        }
    }

    /// The members a store files a record under (what its queries and counts read), given by
    /// ``LogRecord/CompactWriter`` with the record's text.
    public struct Heading: Sendable {
        /// ``LogRecord/at``.
        public var at: Instant
        /// ``LogRecord/contactID``.
        public var contactID: String?
        /// ``LogRecord/workflowID``.
        public var workflowID: String?
        /// ``LogRecord/enrollmentID``.
        public var enrollmentID: String?
        /// ``LogRecord/status``.
        public var status: Status
        /// The kind of ``LogRecord/effect``, if any.
        public var effectKind: String?
    }

    /// Writes records one after another as compact JSON (``LogRecord/compactJSONText``, byte for
    /// byte), formatting an instant once for the records in a row that share it (those of one event).
    ///
    /// ```
    /// var writer = LogRecord.CompactWriter()
    /// var bytes: [UInt8] = []
    /// let heading = writer.append(record, to: &bytes, detailsText: [:])
    /// ```
    public struct CompactWriter: Sendable {
        private var lastAt: Instant?
        private var lastAtText = ""

        /// A writer that has formatted no instant yet.
        public init() {}

        /// Appends the record's compact JSON to `output` (an external effect's `details` taken
        /// from `detailsText` by idempotency key when there, else composed) and returns its heading.
        public mutating func append(_ record: LogRecord, to output: inout [UInt8], detailsText: [String: String]) -> Heading {
            record.appendCompactJSON(
                to: &output,
                atText: { at in
                    if at != lastAt {
                        lastAt = at
                        lastAtText = at.description
                    }
                    return lastAtText
                }, detailsText: detailsText)
        }
    }
}

extension LogRecord {
    /// Every member of a record, each composed once (`why` as its compact text): what a store
    /// writing records in columns reads (``LogRecord/parts``).
    public struct Parts: Sendable {
        /// ``LogRecord/at``.
        public var at: Instant
        /// ``LogRecord/cause``.
        public var cause: String
        /// ``LogRecord/workflowID``.
        public var workflowID: String?
        /// ``LogRecord/version``.
        public var version: Int?
        /// ``LogRecord/enrollmentID``.
        public var enrollmentID: String?
        /// ``LogRecord/contactID``.
        public var contactID: String?
        /// ``LogRecord/stepID``.
        public var stepID: String?
        /// ``LogRecord/status``.
        public var status: Status
        /// ``LogRecord/effect``.
        public var effect: Effect?
        /// ``LogRecord/message``.
        public var message: String
        /// ``LogRecord/why`` as `compactText`, `nil` when there is none.
        public var whyText: String?
    }

    /// The record's members, each composed once.
    public var parts: Parts {
        let fields = box.fields
        return Parts(
            at: fields.at, cause: fields.cause, workflowID: fields.workflowID, version: fields.version, enrollmentID: fields.enrollmentID,
            contactID: fields.contactID, stepID: fields.stepID, status: fields.status, effect: fields.effect, message: Self.message(fields),
            whyText: Self.why(fields)?.compactText)
    }
}

/// Writes one JSON object's members, given in key order, on one line (the braces are the caller's).
struct CompactMembers {
    private var count = 0

    /// Writes `"key":` (with the comma before it when it is not the first member).
    mutating func key(_ key: StaticString, _ output: inout [UInt8]) {
        if count > 0 { output.append(UInt8(ascii: ",")) }
        count += 1
        output.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(UInt8(ascii: "\""))
        output.append(UInt8(ascii: ":"))
    }

    /// A string member, left out when `nil`.
    mutating func string(_ name: StaticString, _ value: String?, _ output: inout [UInt8]) {
        guard let value else { return }
        key(name, &output)
        JSONValue.writeString(value, to: &output)
    }

    /// An integer member.
    mutating func integer(_ name: StaticString, _ value: Int, _ output: inout [UInt8]) {
        key(name, &output)
        output.appendUTF8(String(value))
    }

    /// A member whose value is JSON text already.
    mutating func raw(_ name: StaticString, _ text: String, _ output: inout [UInt8]) {
        key(name, &output)
        output.appendUTF8(text)
    }
}

extension [UInt8] {
    /// Appends a literal's UTF-8 bytes, copied whole from its static storage (a `String`'s
    /// `utf8` view is appended through the generic sequence copy).
    @inline(__always)
    mutating func appendStatic(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8 bytes, copied whole from its contiguous storage.
    @inline(__always)
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
