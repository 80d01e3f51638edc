public import PurchaseActionsCore

extension Engine {
    /// Takes one event: fires due wake-ups up to its time, resolves its contact, resumes waits and
    /// goals it satisfies, then enrolls the contact in every workflow whose trigger it fires, in
    /// priority order, and runs them up to their first wait.
    ///
    /// The same event id twice runs once: the second is logged as a duplicate.
    ///
    /// The event is first checked as the events decoder checks its JSON form (`Event.validate()`):
    /// an event built in code that breaks a rule (a `payment.succeeded` with no order or payment, a
    /// quantity of 0, ...) throws ``EngineError`` with code `invalid-event` and the JSON path of the
    /// member at fault (``EngineError/jsonPath``); nothing runs and the event is not recorded as seen.
    ///
    /// An event earlier than the clock is refused (`event-in-the-past`) or run at the clock's time,
    /// as ``Options/lateEvents`` says (Docs/engine.md, "Late events").
    @discardableResult
    public func ingest(_ event: Event) throws(EngineError) -> [LogRecord] {
        do {
            try event.validate()
        } catch {
            throw EngineError(
                .invalidEvent, "event '\(DisplayText.escape(event.id))' is not a valid \(event.type) event: \(error.path): \(error.message)",
                jsonPath: error.path)
        }
        return try ingest(unchecked: event)
    }

    /// ``ingest(_:)`` without its check of the event: for an event the events decoder has just
    /// read (`Event.load`, `EventsFile`), which it checked already (the check costs about 8 % of
    /// an event, Benchmarks/README.md). An event built or changed in code goes through
    /// ``ingest(_:)``; given here unchecked, what it runs is not defined.
    @discardableResult
    public func ingest(unchecked event: Event) throws(EngineError) -> [LogRecord] {
        let start = beginBatch()
        // Wake-ups due first, within the advance budget. Stopped short, the event does not run and
        // is not recorded as seen: given again (after `advance(to:)`), it runs.
        if event.occurredAt >= now, store.nextWakeUp(atOrBefore: event.occurredAt) != nil, !store.hasProcessed(eventID: event.id) {
            nested = true
            let reached = fire(upTo: event.occurredAt)
            nested = false
            guard reached else {
                let (clock, budget) = (now, advanceBudget)
                throw EngineError(
                    .advanceBudgetSpent,
                    "event '\(DisplayText.escape(event.id))' did not run: the wake-ups due before it did the most work one advance does (\(budget) steps, enrollments and wake-ups) and the clock stopped at \(clock); call advance(to:) and give the event again")
            }
        }
        // A re-delivered event is a duplicate, whenever it happened; only a new one must not go back
        // (unless late events run at the clock). One that may run is recorded as seen at once (one
        // lookup); one that will be refused only looked up.
        let late = event.occurredAt < now
        let runs = !late || options.lateEvents == .runAtClock
        let isNew = runs ? store.markProcessed(eventID: event.id) : !store.hasProcessed(eventID: event.id)
        guard isNew else {
            append(LogRecord(at: now, cause: event.id, status: .duplicate, message: "event \(event.id) was seen before; nothing runs"))
            return batch(from: start)
        }
        if late {
            guard runs else {
                throw EngineError(
                    .eventInThePast,
                    "event '\(DisplayText.escape(event.id))' happened at \(event.occurredAt), before the engine's clock (\(now)); events must come in time order, or run late events at the clock's time: Engine.Options(lateEvents: .runAtClock) (a WorkflowRuntime does unless its options say .refuse)")
            }
            append(lateRecord(event))
        }
        // The late record's place, to name the buyer once resolved (matched by name and email).
        let lateIndex = late && event.contact.id == nil ? log.count - 1 : nil
        // Every wake-up due by the event's time has fired (above): the clock moves to it.
        now = max(now, event.occurredAt)
        cause = event.id
        work = 0
        let (contactID, created) = resolve(event.contact)
        if let lateIndex { nameContact(contactID, onRecordAt: lateIndex) }
        if event.type == .contactReplied { stopOnResponse(contactID: contactID) }
        resumeWaits(for: event, contactID: contactID)
        if created, event.type != .contactCreated, Self.isCheckout(event) {
            // A checkout that creates its buyer creates the contact first (Docs/engine.md).
            var creation = Event(
                id: event.id + "/contact.created", type: .contactCreated, occurredAt: event.occurredAt, offsetSeconds: event.offsetSeconds,
                contact: ContactReference(id: contactID))
            creation.order = event.order
            cause = creation.id
            fireTriggers(creation, contactID: contactID)
            runPending()
            cause = event.id
        }
        if event.type == .contactCreated, !created {
            append(
                LogRecord(
                    at: now, cause: event.id, contactID: contactID, status: .skipped,
                    message: "\(contactID) was already a contact: contact.created runs nothing"))
        } else {
            fireTriggers(event, contactID: contactID)
        }
        runPending()
        return batch(from: start)
    }

    /// The record of an event run at the clock's time though it happened before
    /// (``LateEvents/runAtClock``), with the contact's id when the event gives one (so `log
    /// --contact` finds it); a buyer matched by name and email (or created) is named on it once
    /// resolved, in the same call.
    func lateRecord(_ event: Event) -> LogRecord {
        // The clock may be past the year 9999 (advance(to:) takes any instant): saturate, never wrap.
        let (difference, overflow) = now.millisecondsSinceEpoch.subtractingReportingOverflow(event.occurredAt.millisecondsSinceEpoch)
        let milliseconds = overflow ? Int64.max : difference
        return LogRecord(
            at: now, cause: event.id, contactID: event.contact.id, status: .late,
            why: .object(["occurredAt": .string(event.occurredAt.description), "lateByMilliseconds": .integer(Int(clamping: milliseconds))]),
            message: "event \(event.id) happened at \(event.occurredAt), \(Self.duration(milliseconds)) before the engine's clock; it runs at \(now)")
    }

    /// `2.5 s`, `3 min 2 s`, `2 d 1 h`: how late an event is, for people (at most two units).
    static func duration(_ milliseconds: Int64) -> String {
        if milliseconds < 60_000 {
            let whole = milliseconds / 1000, tenths = milliseconds % 1000 / 100
            return tenths == 0 ? "\(whole) s" : "\(whole).\(tenths) s"
        }
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "min"), (1000, "s")]
        var parts: [String] = []
        var rest = milliseconds
        for (size, name) in units where parts.count < 2 {
            let count = rest / size
            rest %= size
            if count > 0 || !parts.isEmpty { parts.append("\(count) \(name)") }
        }
        return parts.filter { !$0.hasPrefix("0 ") }.joined(separator: " ")
    }

    /// Whether an event is a checkout's: an order placed, errored, or its first payment taken or declined.
    static func isCheckout(_ event: Event) -> Bool {
        guard event.order != nil else { return false }
        switch event.type {
        case .orderSubmitted, .orderErrored: return true
        case .paymentSucceeded, .paymentFailed: return event.payment?.index == 1
        default: return false
        }
    }

    /// The field lookup for conditions: the event's fields and the contact as it is now.
    func fields(_ event: Event?, contactID: String) -> (String) -> FieldValue? {
        Self.lookup(event, workingContact(id: contactID), productOfPlan)
    }

    /// The field lookup for conditions over an event and a contact as they were at one moment.
    static func lookup(_ event: Event?, _ contact: Contact?, _ plans: [String: String]) -> (String) -> FieldValue? {
        let context = FieldContext(tags: contact?.tags ?? [], fields: contact?.fields ?? [:]) { plans[$0] }
        return { name in event?.field(name, in: context) ?? context.contactField(name) }
    }

    /// Finds the event's contact by id or by the legacy match, creating it if new (with
    /// `DateCreated`), and writes what the event says about it; `OwnerID` names the owner. Returns
    /// the contact's id.
    func resolve(_ reference: ContactReference) -> (id: String, created: Bool) {
        // An event naming a known contact by id alone changes nothing about it (read in place).
        if let id = reference.id, reference.firstName == nil, reference.lastName == nil, reference.email == nil, reference.timezone == nil,
            reference.fields.isEmpty, let found = contactBox(id: id),
            found.contact.ownerID == found.contact.fields["OwnerID"].flatMap({ $0.isEmpty ? nil : $0 })
        {
            return (id, false)
        }
        var key: ContactMatch?
        if let first = reference.firstName, let last = reference.lastName, let email = reference.email {
            key = ContactMatch(firstName: first, lastName: last, email: email)
        }
        var contact: Contact
        var original: Contact?
        var created = false
        if let id = reference.id {
            if let found = workingContact(id: id) {
                contact = found
                original = found
            } else {
                contact = Contact(id: id, createdAt: now)
                created = true
            }
        } else if let key, let found = contacts.match(key) {
            contact = found
            original = found
        } else {
            contact = Contact(id: contacts.newContactID(), createdAt: now)
            created = true
        }
        if let first = reference.firstName { contact.fields["FirstName"] = first }
        if let last = reference.lastName { contact.fields["LastName"] = last }
        if let email = reference.email { contact.fields["Email"] = email }
        if let zone = reference.timezone { contact.timezone = zone }
        for (name, value) in reference.fields { contact.fields[name] = value }
        if let owner = contact.fields["OwnerID"] { contact.ownerID = owner.isEmpty ? nil : owner }
        if created {
            for tag in reference.tags where !contact.tags.contains(tag) { contact.tags.append(tag) }
            let zone = timeZones.rules(named: accountTimezone) ?? .utc
            contact.fields["DateCreated"] = String(zone.civil(at: now).description.prefix(10))
        }
        if contact != original { save(contact) }
        return (contact.id, created)
    }

    private func stopOnResponse(contactID: String) {
        for enrollment in store.runningEnrollments(contactID: contactID) {
            guard let workflow = program(enrollment.workflowID, version: enrollment.version)?.workflow, workflow.settings.stopOnResponse else { continue }
            end(enrollment, .exited, stepID: nil, message: "the contact replied; \(workflow.id) stops on response")
        }
    }

    private func fireTriggers(_ event: Event, contactID: String) {
        // The event, boxed once for the enrollments it makes (if it makes any).
        var boxed: EventBox?
        // Every candidate trigger, by priority, then the order line it was filed under, then
        // workflow id and trigger id (both as ranks worked out when the engine was made).
        var firing = index.candidates(for: event.type, order: event.order, productOfPlan: productOfPlan)
        if firing.count > 1 {
            firing.sort {
                ($0.entry.program.priority, $0.line ?? Int.max, $0.entry.program.rank, $0.entry.rank)
                    < ($1.entry.program.priority, $1.line ?? Int.max, $1.entry.program.rank, $1.entry.rank)
            }
        }
        // Read the start of every program the candidates call first, before running any: with
        // thousands of workflows they are in cold memory, and reads that do not wait on each other
        // overlap, where reading each when its run gets there would not.
        if firing.count > 1 {
            var sum = 0
            for (entry, _) in firing { sum &+= entry.program.firstCallee?.count ?? 0 }
            touched = sum
        }
        // The workflows entered, to enter each once however many of its triggers fire: which of
        // the first 64 candidates entered, as bits (no allocation); past them, a set.
        var enteredBits: UInt64 = 0
        var enteredBeyond: Set<Int> = []
        for (index, (entry, _)) in firing.enumerated() {
            let program = entry.program
            if index > 0 {
                var seen = enteredBeyond.contains(program.rank)
                var bits = enteredBits
                while !seen, bits != 0 {
                    let earlier = bits.trailingZeroBitCount
                    seen = firing[earlier].entry.program === program
                    bits &= bits - 1
                }
                if seen { continue }
            }
            // Read the contact now (workflows that ran before this one may have changed it), unless
            // the order line the trigger was found under proves every filter.
            var contact: Contact?
            if let unproven = entry.unproven {
                contact = workingContact(id: contactID)
                let lookup = Self.lookup(event, contact, productOfPlan)
                guard unproven.conditions.allSatisfy({ $0.holds(lookup) }) else { continue }
            }
            if index < 64 { enteredBits |= 1 << UInt64(index) } else { enteredBeyond.insert(program.rank) }
            let box = boxed ?? EventBox(event)
            boxed = box
            // Why it fired is traced from the same event and contact, only when read.
            if let enrollment = enroll(program, contactID: contactID, event: box, why: .trigger(program, entry.position, box, contact.map(ContactBox.init))) {
                run(enrollment)
            }
        }
    }
}
