// Reading workflow format v1 (Docs/workflow-format.md): the exact inverse of Workflow+JSON.swift.
// Every object is closed (JSONObjectReader.finish()), and every error names the offending member's path.

extension Workflow {
    /// Decodes a workflow from its format v1 JSON form, refusing anything the format does not allow.
    ///
    /// Checks shapes, types, enums and patterns as Docs/workflow-format.schema.json does, and also
    /// what the schema cannot say (Docs/workflow-format.md, "Checks beyond the schema"): unique step,
    /// trigger and condition ids, goals at the top level, emails with a body and a sender, send
    /// windows that open before they close.
    public init(json: JSONValue) throws(JSONError) {
        var object = try JSONObjectReader(json, at: .root)
        let formatVersion = try object.integer("formatVersion")
        guard formatVersion == Self.formatVersion else {
            throw JSONError(
                .invalidValue, "formatVersion \(formatVersion) is not one this reader knows: it reads formatVersion \(Self.formatVersion)",
                at: object.path.member("formatVersion"))
        }
        let id = try object.id("id")
        let name = try object.nonEmptyString("name")
        let description = try object.optionalString("description")
        let version = try object.integer("version", in: 1...WorkflowLimits.version)
        let status = try object.enumeration("status", Status.self)
        let priority = try object.integer("priority", in: WorkflowLimits.priority)
        let triggers = try object.array("triggers", Trigger.init(json:at:))
        let steps = try object.array("steps", Step.init(json:at:))
        let settings = try object.decode("settings", WorkflowSettings.init(json:at:))
        let source = try object.optionalDecode("source", SourceTrace.init(json:at:))
        try object.finish()
        try Step.checkUniqueIDs(steps, at: object.path.member("steps"))
        self.init(
            id: id, name: name, description: description, version: version, status: status, priority: priority, triggers: triggers,
            steps: steps, settings: settings, source: source)
        try checkBeyondSchema()
    }

    /// Parses and decodes one workflow file (UTF-8 JSON). Every error has a line: a syntax
    /// error where the reader stopped, any other the line of the value at its path (of the object
    /// holding a missing member). An action naming a template is read as written (no template
    /// gives it members): ``load(_:templates:)`` reads files that refer to templates.
    public static func load(_ bytes: [UInt8]) throws(JSONError) -> Workflow {
        try load(bytes, templates: [:])
    }
}

extension SourceTrace {
    /// Decodes `{"file", "path", "line"}`.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let file = try object.string("file")
        let elementPath = try object.string("path")
        let line = try object.integer("line", in: 0...WorkflowLimits.line)
        try object.finish()
        self.init(file: file, path: elementPath, line: line)
    }
}

extension Trigger {
    /// Decodes `{"id", "event", "filters", "source"}`; a `manual` trigger has no filters.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let id = try object.id("id")
        let event = try object.eventType("event", allowingManual: true)
        let filters = try object.array("filters", Condition.init(json:at:))
        if event == .manual, !filters.isEmpty {
            throw JSONError(.invalidValue, "a manual trigger has no filters (\"filters\": []): it is run by id", at: path.member("filters"))
        }
        let source = try object.optionalDecode("source", SourceTrace.init(json:at:))
        try object.finish()
        self.init(id: id, event: event, filters: filters, source: source)
    }
}

extension WorkflowSettings {
    /// Decodes the settings object.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let allowReentry = try object.bool("allowReentry")
        let onePerOrder = try object.bool("onePerOrder")
        let stopOnResponse = try object.bool("stopOnResponse")
        let timezone = try object.enumeration("timezone", TimezoneChoice.self)
        let accountTimezone = try object.string(
            "accountTimezone", where: FormatText.isTimezone, "an IANA timezone name of at most 64 characters, such as America/Denver")
        let sendWindow = try object.optionalDecode("sendWindow", SendWindow.init(json:at:))
        let defaultSender = try object.optionalDecode("defaultSender", Sender.init(json:at:))
        try object.finish()
        self.init(
            allowReentry: allowReentry, onePerOrder: onePerOrder, stopOnResponse: stopOnResponse, timezone: timezone,
            accountTimezone: accountTimezone, sendWindow: sendWindow, defaultSender: defaultSender)
    }
}

extension SendWindow {
    /// Decodes `{"days", "from", "to"}`: at least one day, each at most once.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        var seen: Set<Day> = []
        let days = try object.array("days") { (value, path) throws(JSONError) -> Day in
            let name = try value.string(at: path)
            guard let day = Day(rawValue: name) else {
                throw JSONError(.invalidValue, "'\(DisplayText.escape(name))' is not one of \(Day.allCases.map(\.rawValue).joined(separator: ", "))", at: path)
            }
            guard seen.insert(day).inserted else { throw JSONError(.invalidValue, "'\(DisplayText.escape(name))' is listed twice", at: path) }
            return day
        }
        guard !days.isEmpty else { throw JSONError(.invalidValue, "a send window is open on at least one day", at: path.member("days")) }
        let from = try object.time("from")
        let to = try object.time("to")
        try object.finish()
        self.init(days: days, from: from, to: to)
    }
}

extension Sender {
    /// Decodes `{"name", "address"}`.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let name = try object.headerText("name")
        let address = try object.email("address")
        try object.finish()
        self.init(name: name, address: address)
    }
}

extension Delay {
    /// Decodes `{"days", "hours", "minutes"}`, each optional (0 when left out), at least 0 and at
    /// most 100 years (``WorkflowLimits``).
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let days = try object.optionalInteger("days", in: 0...WorkflowLimits.days) ?? 0
        let hours = try object.optionalInteger("hours", in: 0...WorkflowLimits.hours) ?? 0
        let minutes = try object.optionalInteger("minutes", in: 0...WorkflowLimits.minutes) ?? 0
        try object.finish()
        self.init(days: days, hours: hours, minutes: minutes)
    }
}

extension Condition {
    /// The fields conditions may test besides `contact.fields.<Name>`: exactly those of
    /// Docs/events.md, "Fields" (the schema's `fieldName`).
    public static let knownFields: Set<String> = [
        "autocharge.attempt", "callName", "card.daysUntilExpiry", "channel", "contact.tags", "integration", "order.chargeMode",
        "order.gateway", "order.paymentPlan", "order.priceOptions", "order.products", "order.source", "order.subscriptionPlans",
        "payment.adviceCode", "payment.amount", "payment.currency", "payment.declineClass", "payment.declineCode", "payment.index", "payment.kind",
        "payment.status", "tag",
    ]

    /// The prefix of a contact field's name in conditions and waits: `contact.fields.`.
    public static let contactFieldPrefix = "contact.fields."

    /// Whether a condition may test `field`: one of ``knownFields`` or a contact field path.
    public static func isKnownField(_ field: String) -> Bool {
        knownFields.contains(field) || isContactFieldPath(field)
    }

    /// Whether `field` is `contact.fields.<Name>`, `<Name>` a contact field name such as `_ShirtSize`.
    public static func isContactFieldPath(_ field: String) -> Bool {
        field.hasPrefix(contactFieldPrefix) && FormatText.isContactFieldName(String(field.dropFirst(contactFieldPrefix.count)))
    }

    /// Decodes exactly one of `{"field", "op", "value"}`, `{"all"}`, `{"any"}` or `{"not"}`, with an
    /// optional `id` and `source`.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let shapes = ["field", "all", "any", "not"].filter { object.has($0) }
        guard shapes.count == 1, let shape = shapes.first else {
            let found = shapes.isEmpty ? "none" : shapes.joined(separator: " and ")
            throw JSONError(
                shapes.isEmpty ? .missingMember : .invalidValue,
                "a condition has exactly one of 'field', 'all', 'any' or 'not'; this one has \(found)", at: path)
        }
        let id = try object.optionalID("id")
        let source = try object.optionalDecode("source", SourceTrace.init(json:at:))
        let test: Test
        switch shape {
        case "all": test = .all(try object.array("all", Condition.init(json:at:)))
        case "any": test = .any(try object.array("any", Condition.init(json:at:)))
        case "not": test = .not(try object.decode("not", Condition.init(json:at:)))
        default: test = try Self.comparison(&object)
        }
        try object.finish()
        self.init(id: id, test, source: source)
    }

    /// `{"field", "op", "value"}`: `value` required when the operator takes one, refused otherwise.
    private static func comparison(_ object: inout JSONObjectReader) throws(JSONError) -> Test {
        let field = try object.string("field", where: isKnownField, "a field of Docs/events.md, 'Fields', or contact.fields.<Name>")
        let op = try object.enumeration("op", ConditionOperator.self)
        guard op.takesValue else {
            if object.optional("value") != nil {
                throw JSONError(.invalidValue, "'\(op.rawValue)' takes no value: leave 'value' out", at: object.path.member("value"))
            }
            return .compare(field: field, op: op, value: nil)
        }
        let value = try object.decode("value") { (json, path) throws(JSONError) in try ConditionValue(json: json, at: path, for: op) }
        return .compare(field: field, op: op, value: value)
    }
}

extension ConditionValue {
    /// Decodes the value for `op`: a non-empty array of strings for `in` and `not-in`, a date
    /// (`YYYY-MM-DD`, years 0001 to 9999) for `before` and `after`, a string or an integer for the others.
    public init(json: JSONValue, at path: JSONPath = .root, for op: ConditionOperator) throws(JSONError) {
        switch op {
        case .in, .notIn:
            let values = try json.array(at: path) { (value, path) throws(JSONError) in try value.string(at: path) }
            guard !values.isEmpty else { throw JSONError(.invalidValue, "'\(op.rawValue)' takes one or more strings", at: path) }
            self = .list(values)
        case .before, .after:
            let text = try json.string(at: path)
            guard FormatText.isDate(text) else {
                throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not a date YYYY-MM-DD in the years 0001 to 9999", at: path)
            }
            self = .text(text)
        default:
            switch json {
            case .string(let text): self = .text(text)
            case .integer(let value): self = .integer(value)
            default: throw JSONError(.wrongType, "expected a string or an integer, found \(json.kindName)", at: path)
            }
        }
    }
}

// MARK: - Reading members of the format's kinds

extension JSONObjectReader {
    /// A required member decoded by `decode` at its own path.
    mutating func decode<T>(_ name: String, _ decode: (JSONValue, JSONPath) throws(JSONError) -> T) throws(JSONError) -> T {
        try decode(required(name), path.member(name))
    }

    /// An optional member decoded by `decode` at its own path; `nil` if left out.
    mutating func optionalDecode<T>(_ name: String, _ decode: (JSONValue, JSONPath) throws(JSONError) -> T) throws(JSONError) -> T? {
        guard let value = optional(name) else { return nil }
        return try decode(value, path.member(name))
    }

    /// A required string that passes `check`; `expected` says what would, for the error (which
    /// shows the text with control characters escaped).
    mutating func string(_ name: String, where check: (String) -> Bool, _ expected: String) throws(JSONError) -> String {
        let text = try string(name)
        guard check(text) else { throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not \(expected)", at: path.member(name)) }
        return text
    }

    /// A required string that goes into a message header (a subject, a sender's name, an SMS
    /// sender): no line break (CR, LF, U+0085, U+2028, U+2029) or NUL, which could end the header
    /// and start another; the export reader refuses the same (``FormatText/isHeaderText(_:)``).
    mutating func headerText(_ name: String) throws(JSONError) -> String {
        let text = try string(name)
        if let bad = text.unicodeScalars.first(where: FormatText.breaksHeader) {
            throw JSONError(
                .invalidValue,
                "'\(name)' holds a line break or a NUL (\(FormatText.headerBreaks); found \(FormatText.codePoint(bad))), which may not be in a message header: '\(DisplayText.escape(text))'",
                at: path.member(name))
        }
        return text
    }

    /// An optional string that goes into a message header (``headerText(_:)``).
    mutating func optionalHeaderText(_ name: String) throws(JSONError) -> String? {
        guard has(name) else { return nil }
        return try headerText(name)
    }

    /// An optional string that passes `check`.
    mutating func optionalString(_ name: String, where check: (String) -> Bool, _ expected: String) throws(JSONError) -> String? {
        guard has(name) else { return nil }
        return try string(name, where: check, expected)
    }

    /// A required id (or reference): ``Workflow/isValidID(_:)``.
    mutating func id(_ name: String) throws(JSONError) -> String { try string(name, where: Workflow.isValidID, FormatText.idRule) }

    /// An optional id (or reference).
    mutating func optionalID(_ name: String) throws(JSONError) -> String? {
        try optionalString(name, where: Workflow.isValidID, FormatText.idRule)
    }

    /// A required string that is not empty.
    mutating func nonEmptyString(_ name: String) throws(JSONError) -> String {
        let text = try string(name)
        guard !text.isEmpty else { throw JSONError(.invalidValue, "'\(name)' may not be empty", at: path.member(name)) }
        return text
    }

    /// A required time of day, `HH:MM`.
    mutating func time(_ name: String) throws(JSONError) -> String { try string(name, where: FormatText.isTime, FormatText.timeRule) }

    /// An optional time of day, `HH:MM`.
    mutating func optionalTime(_ name: String) throws(JSONError) -> String? {
        try optionalString(name, where: FormatText.isTime, FormatText.timeRule)
    }

    /// A required email address.
    mutating func email(_ name: String) throws(JSONError) -> String { try string(name, where: FormatText.isEmail, FormatText.emailRule) }

    /// An optional email address.
    mutating func optionalEmail(_ name: String) throws(JSONError) -> String? {
        try optionalString(name, where: FormatText.isEmail, FormatText.emailRule)
    }

    /// A required integer of at least `minimum`.
    mutating func integer(_ name: String, atLeast minimum: Int) throws(JSONError) -> Int {
        let value = try integer(name)
        guard value >= minimum else { throw JSONError(.invalidValue, "\(value) is less than \(minimum), the least allowed", at: path.member(name)) }
        return value
    }

    /// An optional integer of at least `minimum`.
    mutating func optionalInteger(_ name: String, atLeast minimum: Int) throws(JSONError) -> Int? {
        guard has(name) else { return nil }
        return try integer(name, atLeast: minimum)
    }

    /// A required integer in `range` (the schema's `minimum` and `maximum`).
    mutating func integer(_ name: String, in range: ClosedRange<Int>) throws(JSONError) -> Int {
        let value = try integer(name, atLeast: range.lowerBound)
        guard value <= range.upperBound else {
            throw JSONError(
                .invalidValue, "\(value) is more than \(range.upperBound), the most allowed (Docs/workflow-format.md, \"Limits\")",
                at: path.member(name))
        }
        return value
    }

    /// An optional integer in `range`.
    mutating func optionalInteger(_ name: String, in range: ClosedRange<Int>) throws(JSONError) -> Int? {
        guard has(name) else { return nil }
        return try integer(name, in: range)
    }

    /// A required string naming a case of `type`.
    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(JSONError) -> E
    where E.RawValue == String {
        let text = try choice(name, E.allCases.map(\.rawValue))
        guard let value = E(rawValue: text) else { throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not allowed here", at: path.member(name)) }
        return value
    }

    /// An optional string naming a case of `type`.
    mutating func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(JSONError) -> E?
    where E.RawValue == String {
        guard has(name) else { return nil }
        return try enumeration(name, type)
    }

    /// A required event type of ``EventType/all``, or ``EventType/manual`` when `allowingManual`,
    /// or one of ``EventType/internalTypes`` when `allowingInternal` (a wait's: whether the workflow
    /// may wait for it is checked with the workflow's id, `checkBeyondSchema`). An internal type
    /// where none is allowed is refused saying it is internal.
    mutating func eventType(_ name: String, allowingManual: Bool, allowingInternal: Bool = false) throws(JSONError) -> EventType {
        let event = EventType(rawValue: try string(name))
        if event.isInternal {
            guard allowingInternal else {
                let what = allowingManual ? "a trigger" : "this"
                throw JSONError(
                    .invalidValue,
                    "'\(event.rawValue)' is an internal event type: the runtime gives it to one enrollment, no event source sends it, so \(what) cannot use it; only a wait of a workflow whose id starts with '\(EventType.internalWorkflowPrefix)' may wait for it (Docs/events.md, \"Internal event types\")",
                    at: path.member(name))
            }
            return event
        }
        guard EventType.all.contains(event) || (allowingManual && event == .manual) else {
            let manual = event == .manual ? " ('manual' is for triggers only)" : ""
            throw JSONError(
                .invalidValue, "'\(event.rawValue)' is not an event type of events format v1\(manual) (Docs/events.md)", at: path.member(name))
        }
        return event
    }
}

/// The text patterns of the format (Docs/workflow-format.schema.json), checked without regular expressions.
enum FormatText {
    static let idRule = "a valid id: 1 to 128 characters from A-Z a-z 0-9 . _ : -, starting with a letter or digit"
    static let timeRule = "a time of day, HH:MM from 00:00 to 23:59"
    static let emailRule = "an email address with one @, no spaces and no control characters, line breaks or bidi marks"
    static let contactFieldRule = "a contact field name: a letter or _, then letters, digits or _"

    /// `HH:MM`, `00:00` to `23:59`.
    static func isTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"), let hour = number(bytes[0..<2]), let minute = number(bytes[3..<5]) else {
            return false
        }
        return hour <= 23 && minute <= 59
    }

    /// `YYYY-MM-DD`, a date that exists, in the years 0001 to 9999 (Docs/time.md, "Range"):
    /// `0000-01-01` is refused, as the engine reads no field date in the year 0000.
    static func isDate(_ text: String) -> Bool {
        ZonedCalendar.parseDate(text) != nil
    }

    /// Something, one `@`, something, with no spaces and no control character: no C0 or C1
    /// control, DEL, line or paragraph separator, bidi mark or override, or U+FEFF
    /// (``DisplayText/isControl(_:)``), so nothing that can end a header or reorder what is shown.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty } && !text.contains(where: \.isWhitespace)
            && !text.unicodeScalars.contains(where: DisplayText.isControl)
    }

    /// Text that may go into a message header: no CR, LF, NUL, U+0085 (NEL), U+2028 or U+2029
    /// (``breaksHeader(_:)``), as the export reader's header fields.
    static func isHeaderText(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: breaksHeader)
    }

    /// What may not be in a header field: CR, LF, NUL and the Unicode line breaks U+0085, U+2028, U+2029.
    static func breaksHeader(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00, 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// The characters ``breaksHeader(_:)`` refuses, as messages name them.
    static let headerBreaks = "CR, LF, NUL, U+0085, U+2028 or U+2029"

    /// `U+000D`.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }


    /// An IANA name: segments of `A-Z a-z 0-9 _ + -` separated by `/`.
    static func isTimezone(_ text: String) -> Bool {
        text.utf8.count <= 64 && text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty
                && segment.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        }
    }

    /// A contact field as the account names it: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isContactFieldName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !isDigit(first) else { return false }
        return text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    /// `http://` or `https://`, a host, then anything without spaces after `/`, `?` or `#`.
    static func isURL(_ text: String) -> Bool {
        let rest: Substring
        if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        guard let first = rest.first, !"/?#".contains(first) else { return false }
        return !rest.contains(where: \.isWhitespace)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
