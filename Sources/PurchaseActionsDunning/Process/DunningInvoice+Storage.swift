public import PurchaseActionsCore

extension DunningInvoice {
    /// The version of ``storageJSON``'s layout, its `format` member: 1.
    public static let storageFormat = 1

    /// The most tags stored with an invoice for its contact: 10,000 (an event's `contact.tags` holds
    /// at most 1,000, Docs/events.md; a policy's `add-tag` actions name at most 7,600 more:
    /// 50 stages, 100 attempt rules, `recovered` and `final`, 50 actions each).
    public static let maxStoredTags = 10_000

    /// The invoice's whole state, the process's own bookkeeping included, as JSON: what the
    /// durable runtime stores, and ``init(storageJSON:limits:)`` reads back exactly.
    ///
    /// One object (write it with `compactText`: keys sorted, so the same state gives the same
    /// bytes); members without a value are left out. Times are integers, milliseconds since the
    /// epoch (exact, whatever the instant); declines, actions and the schedule are in their policy
    /// forms. `contactTags` (`{"tags": [...], "written": n}`) is there only in the invoices
    /// ``DunningProcess/takeChangedInvoices()`` returns for a policy with tag conditions.
    /// `waitingOn` (`card:<id>` or `invoice:<id>`) and `waitingSince` (ms) are there while the
    /// invoice's attempt waits in its card's line for the network budget; an invoice stored
    /// without them (before the line existed) reads as not waiting. `enrollment` (the engine
    /// enrollment id) is there once one is attached; an invoice stored without it reads as `nil`.
    ///
    /// ```json
    /// {"amount": 2900, "attemptsFailed": 1, "attemptsMade": 1, "id": "inv-1", "format": 1, "sequence": 0, "status": "open",
    ///  "wakeAt": 1767398400000, "...": "..."}
    /// ```
    public var storageJSON: JSONValue {
        .members([
            "format": Self.storageFormat.json, "sequence": sequence.json, "id": id.json, "contact": contact.json,
            "subscription": subscription.json, "plan": plan.json, "amount": amount.json, "currency": currency.json, "card": card.json,
            "network": network.rawValue.json, "cardFromUpdate": cardFromUpdate.json, "firstFailureAt": StoredValue.json(firstFailureAt),
            "firstDecline": firstDecline.json, "lastDecline": lastDecline.json, "attemptsMade": attemptsMade.json,
            "attemptsFailed": attemptsFailed.json, "charges": charges.json, "deferrals": deferrals.json, "budgetSkips": budgetSkips.json,
            "status": status.rawValue.json, "stage": stage.json, "cardBlocked": cardBlocked.json,
            "nextAttemptAt": nextAttemptAt.map(StoredValue.json), "finalKind": finalKind?.rawValue.json, "endedAt": endedAt.map(StoredValue.json),
            "recoveredAttempt": recoveredAttempt.json, "schedule": schedule.json, "slot": slot.json, "seriesStart": StoredValue.json(seriesStart),
            "inFlight": inFlight.map(StoredValue.json), "inFlightNetwork": inFlightNetwork.rawValue.json, "repeatAttempt": repeatAttempt.json,
            "unknownRepeats": unknownRepeats.json, "unknownRequest": unknownRequest.map(StoredValue.json),
            "unknownNetwork": unknownNetwork.rawValue.json, "stageFailuresBase": stageFailuresBase.json,
            "stageAnchorDay": .integer(Int(stageAnchorDay)), "nextStageCheck": nextStageCheck.map(StoredValue.json),
            "pendingMessages": .array(pendingMessages.map(\.storageJSON)), "ageLimitAt": ageLimitAt.map(StoredValue.json),
            "entryCount": entryCount.json, "entryLimitHit": entryLimitHit.json, "wakeAt": wakeAt.map(StoredValue.json),
            "declineIsCurrent": declineIsCurrent.json, "waitingOn": waitingOn.map { .string($0.storageText) },
            "waitingSince": waitingSince.map(StoredValue.json), "enrollment": enrollment.json,
            "contactTags": storedTags.map { .members(["tags": .array($0.tags.map(JSONValue.string)), "written": $0.written.json]) },
        ])
    }

    /// Reads an invoice written by ``storageJSON``. A document that is not one throws
    /// `invalid-stored-invoice` with the JSON path: a member missing, unknown or of the wrong
    /// kind, an unknown word (status, network, decline class, action type), or a number out of
    /// its bound. The bounds, with `limits` (the process's, standard by default):
    ///
    /// - times: `Instant.saturatedEarliest...Instant.saturatedLatest` in milliseconds; a
    ///   `stageAnchorDay` within ±60,000,000,000 days (the days of those instants);
    /// - attempt numbers (`attemptsMade`, `repeatAttempt`, a request's `attempt`): 0 to
    ///   `maxAttempts` + 1; `unknownRepeats`: 0 to `maxUnknownRepeats`; `entryCount` 0 to `maxEntries`;
    /// - the other counts (`attemptsFailed`, `charges`, `deferrals`, `budgetSkips`,
    ///   `stageFailuresBase`): 0 to `maxEntries` + `maxAttempts` + 1 (each grows with the timeline,
    ///   which `maxEntries` bounds);
    /// - `slot`: -1 to the schedule's attempts; a schedule of at most
    ///   `DunningLimits.standard.maxAttempts` (100) attempts, durations within its `maxDurationAmount`;
    /// - `pendingMessages`: at most `maxEntries` × 50 (each came from a list of at most 50 actions
    ///   run by an entry), oldest first; `contactTags`: at most ``maxStoredTags``;
    /// - `sequence` and `written`: 0 to 2^62.
    public init(storageJSON: JSONValue, limits: ProcessLimits = .standard) throws(DunningError) {
        do {
            self = try StoredInvoiceReader(limits: limits).invoice(storageJSON)
        } catch {
            throw DunningError("invalid-stored-invoice", "a stored dunning invoice is not valid: \(error.message)", path: error.path)
        }
    }
}

extension DunningInvoice.PendingMessage {
    /// `{"at": ms, "action": {...}, "source": "stage s1", "keepWhenPaid": false}`.
    var storageJSON: JSONValue {
        .members(["at": StoredValue.json(at), "action": action.json, "source": source.json, "keepWhenPaid": keepWhenPaid.json])
    }
}

/// The stored forms of times and charge requests, and the checked readers of stored values.
enum StoredValue {
    /// The most a stored `sequence` or `written` may be: 2^62 (adding one never overflows).
    static let maxCounter = 1 << 62
    /// Days of the instants `Instant.saturatedEarliest...Instant.saturatedLatest`, with room.
    static let dayRange: ClosedRange<Int> = -60_000_000_000...60_000_000_000

    static func json(_ time: Instant) -> JSONValue { .integer(Int(time.millisecondsSinceEpoch)) }

    /// `{"key": "inv-1/attempt-2", "invoice": "inv-1", "attempt": 2, "contact": "c-1", "card": "card-1", "amount": 2900, "currency": "USD"}`.
    static func json(_ request: ChargeRequest) -> JSONValue {
        .members([
            "key": request.idempotencyKey.json, "invoice": request.invoice.json, "attempt": request.attempt.json, "contact": request.contact.json,
            "card": request.card.json, "amount": request.amount.json, "currency": request.currency.json,
        ])
    }

    static func integer(_ value: JSONValue, at path: JSONPath, _ range: ClosedRange<Int>) throws(JSONError) -> Int {
        let number = try value.integer(at: path)
        guard range.contains(number) else {
            throw JSONError(.invalidValue, "\(number) is outside \(range.lowerBound)...\(range.upperBound), the stored bound", at: path)
        }
        return number
    }

    /// Milliseconds since the epoch within `Instant.saturatedEarliest...Instant.saturatedLatest`.
    static func time(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Instant {
        let range = Int(Instant.saturatedEarliest.millisecondsSinceEpoch)...Int(Instant.saturatedLatest.millisecondsSinceEpoch)
        return Instant(millisecondsSinceEpoch: Int64(try integer(value, at: path, range)))
    }

    static func word<T: RawRepresentable>(_ value: JSONValue, at path: JSONPath, _ type: T.Type, _ words: [String]) throws(JSONError) -> T
    where T.RawValue == String {
        let text = try value.string(at: path)
        guard let result = T(rawValue: text) else {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not one of \(words.joined(separator: ", "))", at: path)
        }
        return result
    }
}

/// Reads ``DunningInvoice/storageJSON``: every member checked, every number bounded (the bounds of
/// ``DunningInvoice/init(storageJSON:limits:)``), so a restored process cannot trap or loop on it.
struct StoredInvoiceReader {
    let limits: ProcessLimits
    let policyLimits = DunningLimits.standard
    static let members = [
        "format", "sequence", "id", "contact", "subscription", "plan", "amount", "currency", "card", "network", "cardFromUpdate",
        "firstFailureAt", "firstDecline", "lastDecline", "attemptsMade", "attemptsFailed", "charges", "deferrals", "budgetSkips", "status",
        "stage", "cardBlocked", "nextAttemptAt", "finalKind", "endedAt", "recoveredAttempt", "schedule", "slot", "seriesStart", "inFlight",
        "inFlightNetwork", "repeatAttempt", "unknownRepeats", "unknownRequest", "unknownNetwork", "stageFailuresBase", "stageAnchorDay",
        "nextStageCheck", "pendingMessages", "ageLimitAt", "entryCount", "entryLimitHit", "wakeAt", "declineIsCurrent", "contactTags",
        "waitingOn", "waitingSince", "enrollment",
    ]

    var attemptRange: ClosedRange<Int> { 0...(limits.maxAttempts.addingReportingOverflow(1).overflow ? Int.max : limits.maxAttempts + 1) }
    var countRange: ClosedRange<Int> {
        let (sum, overflow) = limits.maxEntries.addingReportingOverflow(limits.maxAttempts)
        return 0...(overflow || sum == Int.max ? Int.max : sum + 1)
    }
    var maxPendingMessages: Int {
        let (product, overflow) = max(0, limits.maxEntries).multipliedReportingOverflow(by: policyLimits.maxActions)
        return overflow ? Int.max : product
    }

    func invoice(_ value: JSONValue) throws(JSONError) -> DunningInvoice {
        var object = try JSONObjectReader(value, at: .root)
        let path = JSONPath.root
        func required(_ name: String) throws(JSONError) -> (JSONValue, JSONPath) { (try object.required(name), path.member(name)) }
        func optional(_ name: String) -> (JSONValue, JSONPath)? {
            guard let value = object.optional(name), value != .null else { return nil }
            return (value, path.member(name))
        }
        func int(_ name: String, _ range: ClosedRange<Int>) throws(JSONError) -> Int {
            let (value, at) = try required(name)
            return try StoredValue.integer(value, at: at, range)
        }
        func optionalInt(_ name: String, _ range: ClosedRange<Int>) throws(JSONError) -> Int? {
            guard let (value, at) = optional(name) else { return nil }
            return try StoredValue.integer(value, at: at, range)
        }
        func string(_ name: String) throws(JSONError) -> String { try object.string(name) }
        func optionalString(_ name: String) throws(JSONError) -> String? {
            guard let (value, at) = optional(name) else { return nil }
            return try value.string(at: at)
        }
        func bool(_ name: String) throws(JSONError) -> Bool { try object.bool(name) }
        func time(_ name: String) throws(JSONError) -> Instant {
            let (value, at) = try required(name)
            return try StoredValue.time(value, at: at)
        }
        func optionalTime(_ name: String) throws(JSONError) -> Instant? {
            guard let (value, at) = optional(name) else { return nil }
            return try StoredValue.time(value, at: at)
        }
        func network(_ name: String) throws(JSONError) -> CardNetwork {
            let (value, at) = try required(name)
            return try StoredValue.word(value, at: at, CardNetwork.self, CardNetwork.allCases.map(\.rawValue))
        }
        func request(_ name: String) throws(JSONError) -> ChargeRequest? {
            guard let (value, at) = optional(name) else { return nil }
            return try chargeRequest(value, at: at)
        }

        let format = try int("format", 0...Int.max)
        guard format == DunningInvoice.storageFormat else {
            throw JSONError(.invalidValue, "format \(format) is not one this reader knows (\(DunningInvoice.storageFormat))", at: path.member("format"))
        }
        let (scheduleValue, schedulePath) = try required("schedule")
        let schedule = try self.schedule(scheduleValue, at: schedulePath)
        let (firstDecline, firstPath) = try required("firstDecline")
        let (lastDecline, lastPath) = try required("lastDecline")
        let statusWords = DunningInvoice.Status.allCases.map(\.rawValue)
        let (statusValue, statusPath) = try required("status")
        var finalKind: FinalAction.Kind?
        if let (value, at) = optional("finalKind") {
            finalKind = try StoredValue.word(value, at: at, FinalAction.Kind.self, FinalAction.Kind.allCases.map(\.rawValue))
        }
        var invoice = DunningInvoice(
            id: try string("id"), contact: try string("contact"), subscription: try optionalString("subscription"), plan: try optionalString("plan"),
            amount: try object.integer("amount"), currency: try string("currency"), card: try optionalString("card"), network: try network("network"),
            cardFromUpdate: try bool("cardFromUpdate"), firstFailureAt: try time("firstFailureAt"),
            firstDecline: try decline(firstDecline, at: firstPath), lastDecline: try decline(lastDecline, at: lastPath),
            attemptsMade: try int("attemptsMade", attemptRange), attemptsFailed: try int("attemptsFailed", countRange),
            charges: try int("charges", countRange), deferrals: try int("deferrals", countRange), budgetSkips: try int("budgetSkips", countRange),
            status: try StoredValue.word(statusValue, at: statusPath, DunningInvoice.Status.self, statusWords), stage: try optionalString("stage"),
            cardBlocked: try bool("cardBlocked"), nextAttemptAt: try optionalTime("nextAttemptAt"), finalKind: finalKind,
            endedAt: try optionalTime("endedAt"), recoveredAttempt: try optionalInt("recoveredAttempt", Int.min...Int.max), schedule: schedule,
            slot: try int("slot", -1...schedule.totalAttempts), seriesStart: try time("seriesStart"), inFlight: try request("inFlight"),
            repeatAttempt: try optionalInt("repeatAttempt", attemptRange), unknownRepeats: try int("unknownRepeats", 0...max(0, limits.maxUnknownRepeats)),
            stageFailuresBase: try int("stageFailuresBase", countRange), stageAnchorDay: Int64(try int("stageAnchorDay", StoredValue.dayRange)),
            nextStageCheck: try optionalTime("nextStageCheck"), pendingMessages: [], ageLimitAt: try optionalTime("ageLimitAt"),
            entryCount: try int("entryCount", 0...max(0, limits.maxEntries)), entryLimitHit: try bool("entryLimitHit"), wakeAt: try optionalTime("wakeAt"))
        invoice.declineIsCurrent = try bool("declineIsCurrent")
        invoice.unknownRequest = try request("unknownRequest")
        invoice.unknownNetwork = try network("unknownNetwork")
        invoice.inFlightNetwork = try network("inFlightNetwork")
        invoice.sequence = try int("sequence", 0...StoredValue.maxCounter)
        let (messages, messagesPath) = try required("pendingMessages")
        invoice.pendingMessages = try pendingMessages(messages, at: messagesPath)
        if let (value, at) = optional("contactTags") { invoice.storedTags = try tags(value, at: at) }
        // Absent in invoices stored before the budget lines (read as not waiting); both or neither.
        if let (value, at) = optional("waitingOn") {
            let text = try value.string(at: at)
            guard let key = CardAttemptLedger.Key(storageText: text) else {
                throw JSONError(.invalidValue, "'\(DisplayText.escape(text))' is not a budget key (card:<id> or invoice:<id>)", at: at)
            }
            invoice.waitingOn = key
            invoice.waitingSince = try time("waitingSince")
        } else if optional("waitingSince") != nil {
            throw JSONError(.invalidValue, "waitingSince without waitingOn", at: path.member("waitingSince"))
        }
        invoice.enrollment = try optionalString("enrollment")
        try object.finish()
        return invoice
    }

    func chargeRequest(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> ChargeRequest {
        var object = try JSONObjectReader(value, at: path)
        let attempt = try StoredValue.integer(try object.required("attempt"), at: path.member("attempt"), attemptRange)
        var request = ChargeRequest(
            invoice: try object.string("invoice"), attempt: attempt, contact: try object.string("contact"), card: try object.optionalString("card"),
            amount: try object.integer("amount"), currency: try object.string("currency"))
        request.idempotencyKey = try object.string("key")
        try object.finish()
        return request
    }

    func decline(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Decline {
        var object = try JSONObjectReader(value, at: path)
        let code = try object.string("code")
        let advice = try object.optionalString("adviceCode")
        let declineClass = try StoredValue.word(try object.required("class"), at: path.member("class"), DeclineClass.self, DeclineClass.allCases.map(\.rawValue))
        let retryAfter = try object.optional("retryAfter").map { (value) throws(JSONError) in try duration(value, at: path.member("retryAfter")) }
        let reason = try object.string("reason")
        try object.finish()
        return Decline(code: code, adviceCode: advice, declineClass: declineClass, retryAfter: retryAfter, reason: reason)
    }

    func duration(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> PolicyDuration {
        try PolicyDecoder(limits: policyLimits).duration(value, at: path)
    }

    /// `"none"`, `{"gaps": [...]}` or `{"attempts": n, "within": d}`, at most `maxAttempts` attempts.
    func schedule(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> RetrySchedule {
        if case .string("none") = value { return .none }
        var object = try JSONObjectReader(value, at: path)
        if let gaps = object.optional("gaps") {
            guard case .array(let items) = gaps else { throw JSONError(.wrongType, "expected an array of gaps, found \(gaps.kindName)", at: path.member("gaps")) }
            guard items.count < policyLimits.maxAttempts else {
                throw JSONError(.invalidValue, "\(items.count) gaps: a schedule has at most \(policyLimits.maxAttempts) attempts", at: path.member("gaps"))
            }
            var list: [PolicyDuration] = []
            for (index, item) in items.enumerated() { list.append(try duration(item, at: path.member("gaps").index(index))) }
            try object.finish()
            return .gaps(list)
        }
        let attempts = try StoredValue.integer(try object.required("attempts"), at: path.member("attempts"), 1...policyLimits.maxAttempts)
        let window = try duration(try object.required("within"), at: path.member("within"))
        try object.finish()
        return .within(attempts: attempts, window: window)
    }

    func pendingMessages(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> [DunningInvoice.PendingMessage] {
        guard case .array(let items) = value else { throw JSONError(.wrongType, "expected an array of messages, found \(value.kindName)", at: path) }
        guard items.count <= maxPendingMessages else {
            throw JSONError(.invalidValue, "\(items.count) waiting messages, more than \(maxPendingMessages) (maxEntries × 50 actions)", at: path)
        }
        var messages: [DunningInvoice.PendingMessage] = []
        messages.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let itemPath = path.index(index)
            var object = try JSONObjectReader(item, at: itemPath)
            let at = try StoredValue.time(try object.required("at"), at: itemPath.member("at"))
            if let last = messages.last, at < last.at { throw JSONError(.invalidValue, "the waiting messages are not in time order", at: itemPath.member("at")) }
            let action = try self.action(try object.required("action"), at: itemPath.member("action"))
            messages.append(DunningInvoice.PendingMessage(at: at, action: action, source: try object.string("source"), keepWhenPaid: try object.bool("keepWhenPaid")))
            try object.finish()
        }
        return messages
    }

    /// An action in its policy form (``DunningAction/json``), read back without the policy's
    /// checks of names and texts: the stored action is the one the policy had.
    func action(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> DunningAction {
        var object = try JSONObjectReader(value, at: path)
        let types = PolicyDecoder.actionTypes
        let type = try object.choice("type", types)
        let action: DunningAction
        switch type {
        case "email": action = .email(template: try object.string("template"))
        case "sms": action = .sms(text: try object.string("text"))
        case "task":
            let due = try object.optional("dueInDays").map { (value) throws(JSONError) in try value.integer(at: path.member("dueInDays")) }
            action = .task(title: try object.string("title"), assignee: try object.optionalString("assignee"), dueInDays: due)
        case "notify": action = .notify(to: try object.string("to"), text: try object.string("text"))
        case "add-tag": action = .addTag(try object.string("tag"))
        case "remove-tag": action = .removeTag(try object.string("tag"))
        case "set-field": action = .setField(field: try object.string("field"), value: try object.string("value"))
        case "webhook": action = .webhook(url: try object.string("url"))
        case "suspend-access": action = .suspendAccess
        case "restore-access": action = .restoreAccess
        default: action = .runWorkflow(try object.string("workflow"))
        }
        try object.finish()
        return action
    }

    func tags(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> DunningInvoice.StoredTags {
        var object = try JSONObjectReader(value, at: path)
        let list = try object.required("tags")
        guard case .array(let items) = list else { throw JSONError(.wrongType, "expected an array of tags, found \(list.kindName)", at: path.member("tags")) }
        guard items.count <= DunningInvoice.maxStoredTags else {
            throw JSONError(.invalidValue, "\(items.count) tags, more than \(DunningInvoice.maxStoredTags)", at: path.member("tags"))
        }
        var tags: [String] = []
        tags.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { tags.append(try item.string(at: path.member("tags").index(index))) }
        let written = try StoredValue.integer(try object.required("written"), at: path.member("written"), 0...StoredValue.maxCounter)
        try object.finish()
        return DunningInvoice.StoredTags(tags: tags, written: written)
    }
}
