public import PurchaseActions

extension Engine {
    /// Takes one event: fires due wake-ups up to its time, resolves its contact, resumes waits and
    /// goals it satisfies, then enrolls the contact in every workflow whose trigger it fires, in
    /// priority order, and runs them up to their first wait.
    ///
    /// The same event id twice runs once: the second is logged as a duplicate.
    @discardableResult
    public func ingest(_ event: Event) throws(EngineError) -> [LogRecord] {
        guard event.occurredAt >= now else {
            throw EngineError(.eventInThePast, "event '\(event.id)' happened at \(event.occurredAt), before the engine's clock (\(now)); events must come in time order")
        }
        let start = beginBatch()
        nested = true
        advance(to: event.occurredAt)
        nested = false
        cause = event.id
        guard store.markProcessed(eventID: event.id) else {
            append(LogRecord(at: now, cause: event.id, status: .duplicate, message: "event \(event.id) was seen before; nothing runs"))
            return Array(log[start...])
        }
        let (contact, created) = resolve(event.contact)
        if event.type == .contactReplied { stopOnResponse(contactID: contact.id) }
        resumeWaits(for: event, contactID: contact.id)
        if created, event.type != .contactCreated, Self.isCheckout(event) {
            // A checkout that creates its buyer creates the contact first (Docs/engine.md).
            var creation = Event(
                id: event.id + "/contact.created", type: .contactCreated, occurredAt: event.occurredAt, offsetSeconds: event.offsetSeconds,
                contact: ContactReference(id: contact.id))
            creation.order = event.order
            cause = creation.id
            fireTriggers(creation, contactID: contact.id)
            runPending()
            cause = event.id
        }
        if event.type == .contactCreated, !created {
            append(
                LogRecord(
                    at: now, cause: event.id, contactID: contact.id, status: .skipped,
                    message: "\(contact.id) was already a contact: contact.created runs nothing"))
        } else {
            fireTriggers(event, contactID: contact.id)
        }
        runPending()
        return Array(log[start...])
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
        let contact = contacts.contact(id: contactID)
        let plans = productOfPlan
        let context = FieldContext(tags: contact?.tags ?? [], fields: contact?.fields ?? [:]) { plans[$0] }
        return { name in
            if let event { return event.field(name, in: context) }
            return Event(id: "-", type: .manual, occurredAt: Instant(millisecondsSinceEpoch: 0), contact: ContactReference()).field(name, in: context)
        }
    }

    /// Finds the event's contact by id or by the legacy match, creating it if new (with
    /// `DateCreated`), and writes what the event says about it; `OwnerID` names the owner.
    func resolve(_ reference: ContactReference) -> (Contact, created: Bool) {
        var key: ContactMatch?
        if let first = reference.firstName, let last = reference.lastName, let email = reference.email {
            key = ContactMatch(firstName: first, lastName: last, email: email)
        }
        var contact: Contact
        var original: Contact?
        var created = false
        if let id = reference.id {
            if let found = contacts.contact(id: id) {
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
        if contact != original { contacts.save(contact) }
        return (contact, created)
    }

    private func stopOnResponse(contactID: String) {
        for enrollment in store.runningEnrollments(contactID: contactID) {
            guard let workflow = programs[enrollment.workflowID]?.workflow, workflow.settings.stopOnResponse else { continue }
            end(enrollment, .exited, stepID: nil, message: "the contact replied; \(workflow.id) stops on response")
        }
    }

    private func fireTriggers(_ event: Event, contactID: String) {
        let lookup = fields(event, contactID: contactID)
        var lines: [String: [(value: String, line: Int)]] = [:]
        if let order = event.order {
            for (position, line) in order.lines.enumerated() {
                switch line.item {
                case .product(let id, _): lines["order.products", default: []].append((id, position))
                case .subscriptionPlan(let plan):
                    lines["order.subscriptionPlans", default: []].append((plan, position))
                    if let product = productOfPlan[plan] { lines["order.products", default: []].append((product, position)) }
                }
            }
        }
        var best: [String: (entry: TriggerIndex.Entry, line: Int?)] = [:]
        for candidate in index.candidates(for: event.type, lines: lines) {
            if let seen = best[candidate.entry.workflowID], (seen.line ?? Int.max) <= (candidate.line ?? Int.max),
                seen.entry.trigger.id <= candidate.entry.trigger.id
            { continue }
            best[candidate.entry.workflowID] = candidate
        }
        let ordered = best.values.compactMap { candidate -> (Program, TriggerIndex.Entry, Int?)? in
            programs[candidate.entry.workflowID].map { ($0, candidate.entry, candidate.line) }
        }.sorted { ($0.0.workflow.priority, $0.2 ?? Int.max, $0.0.workflow.id) < ($1.0.workflow.priority, $1.2 ?? Int.max, $1.0.workflow.id) }
        for (program, entry, _) in ordered {
            let traced = entry.trigger.filters.map { $0.trace(lookup) }
            guard traced.allSatisfy(\.held) else { continue }
            let why = JSONValue.members([
                "trigger": entry.trigger.id.json, "event": event.type.rawValue.json, "filters": .array(traced.map(\.json)),
            ])
            if let id = enroll(program.workflow, contactID: contactID, event: event, why: why) {
                runEnrollment(id)
            }
        }
    }
}
