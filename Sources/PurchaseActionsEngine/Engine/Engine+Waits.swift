import PurchaseActionsCore

extension Engine {
    /// Starts a wait: `.next` if it does not wait (already passed, condition holds, window open),
    /// else the enrollment waits and the run stops.
    func begin(_ wait: Wait, _ step: Step, timeout: Int?, _ enrollment: inout Enrollment) -> Flow {
        let calendar = self.calendar(for: enrollment, program: enrollment.frames.last.flatMap(program(of:)))
        var wakeAt: Instant?
        var waiting = Enrollment.Waiting.time
        var reason: JSONValue = .members(["wait": wait.json])
        // Set when the end of the wait is outside years 0001 to 9999 (Docs/engine.md, "Time limits").
        var outOfRange = false
        switch wait {
        case .delay(let delay, let calendarDays, let at, let from):
            let base = from == .enrollment ? enrollment.startedAt : now
            if calendarDays {
                wakeAt = calendar.addingCalendarDays(delay.days, to: base, at: at.flatMap(ZonedCalendar.parseTimeOfDay))
            } else {
                wakeAt = base.checkedAdding(seconds: delay.seconds)
            }
            outOfRange = wakeAt == nil
        case .untilDate(let text):
            wakeAt = Instant.parseRFC3339(text)?.instant
        case .untilField(let field, let offsetDays, let at):
            let name = field.hasPrefix("contact.fields.") ? String(field.dropFirst("contact.fields.".count)) : field
            let value = workingContact(id: enrollment.contactID)?.fields[name]
            reason = .members(["wait": wait.json, "field": field.json, "actual": value?.json ?? .null])
            let why = reason
            // A date in the years 0001 to 9999, as filters read it; else (0000-01-01, 2025-02-29) no wait.
            if let value, let date = ZonedCalendar.parseFieldDate(value) {
                let start = calendar.rules.civil(at: now)
                wakeAt = calendar.instant(date: date, offsetDays: offsetDays, at: at.flatMap(ZonedCalendar.parseTimeOfDay), defaultTime: (start.hour, start.minute))
                outOfRange = wakeAt == nil
            } else {
                record(enrollment, step, .skipped, why: why, "\(step.id): \(field) is empty or not a date; no wait")
                return .next
            }
        case .untilCondition(let condition, let limit, _):
            let result = condition.trace(fields(enrollment.event, contactID: enrollment.contactID))
            reason = .members(["wait": wait.json, "condition": result.json, "held": result.held.json])
            if result.held {
                let why = reason
                record(enrollment, step, .completed, why: why, "\(step.id): the condition already holds; no wait")
                return .next
            }
            waiting = .condition(condition)
            wakeAt = now.checkedAdding(seconds: limit.seconds)
            outOfRange = wakeAt == nil
        case .untilEvent(let type, let filters, let limit, _):
            waiting = .event(type, filters)
            wakeAt = now.checkedAdding(seconds: limit.seconds)
            outOfRange = wakeAt == nil
        case .window(let window):
            waiting = .window
            let opening = now.isSupported ? calendar.nextOpening(window, atOrAfter: now) : now
            wakeAt = opening.isSupported ? opening : nil
            outOfRange = wakeAt == nil
        }
        let why = reason
        if outOfRange {
            // Never a trap, never a wait that cannot be stored: the enrollment ends here, said so.
            record(enrollment, step, .error, why: why, "\(step.id): the wait would end outside the years 0001 to 9999; the enrollment ends here")
            enrollment.state = .exited
            end(enrollment, .exited, stepID: step.id, message: "\(step.id): ended: its wait cannot end")
            return .stop
        }
        guard let wakeAt, wakeAt > now || waiting != .time && waiting != .window else {
            let reason = waiting == .window ? "the send window is open" : "the moment has passed"
            record(enrollment, step, .completed, why: why, "\(step.id): nothing to wait for (\(reason))")
            return .next
        }
        enrollment.state = .waiting(waiting, wakeAt: wakeAt, timeout: timeout)
        record(enrollment, step, .waiting, why: why, "\(step.id): waiting until \(wakeAt.rfc3339(offsetSeconds: calendar.rules.offset(at: wakeAt)))")
        return .stop
    }

    /// Ends a wait whose time came: a delay or window resumes; an event or condition wait times out.
    func wake(_ enrollmentID: String) {
        guard let stored = store.enrollment(id: enrollmentID), case .waiting(let waiting, _, let timeout) = stored.state,
            var enrollment = checked(stored)
        else { return }
        let stepID = waitingStepID(enrollment)
        switch waiting {
        case .time, .window:
            record(enrollment, nil, .resumed, stepID: stepID, "\(stepID ?? "wait"): time came; going on")
        case .condition(let condition):
            let result = condition.trace(fields(enrollment.event, contactID: enrollment.contactID))
            if result.held {
                record(enrollment, nil, .resumed, stepID: stepID, why: .members(["condition": result.json]), "\(stepID ?? "wait"): the condition holds at the timeout; going on")
            } else {
                if let timeout { enrollment.frames[enrollment.frames.count - 1].position = timeout }
                record(enrollment, nil, .resumed, stepID: stepID, why: .members(["timeout": true.json, "condition": result.json]), "\(stepID ?? "wait"): timed out")
            }
        case .event:
            if let timeout { enrollment.frames[enrollment.frames.count - 1].position = timeout }
            record(enrollment, nil, .resumed, stepID: stepID, why: .members(["timeout": true.json]), "\(stepID ?? "wait"): timed out")
        }
        enrollment.state = .active
        store.save(enrollment)
        runEnrollment(enrollmentID)
    }

    /// Resumes the contact's enrollments an event satisfies: goals first, then event and condition waits.
    func resumeWaits(for event: Event, contactID: String) {
        for id in store.runningEnrollments(contactID: contactID).map(\.id) {
            // Re-read: an enrollment resumed earlier in this loop may have ended or resumed this one.
            guard let stored = store.enrollment(id: id), case .waiting = stored.state, let enrollment = checked(stored) else { continue }
            give(event, to: enrollment, conditions: true, becomingItsEvent: nil)
        }
    }

    /// Gives an event to one waiting enrollment (read from the store and ``checked(_:)``): a goal
    /// of its top workflow the event reaches skips ahead to it; else its event wait (type and
    /// filters, in whatever frame it waits) resumes, or, when `conditions`, a condition wait whose
    /// condition now holds. The enrollment is then saved active and run, and `true` returned;
    /// `false` when it does not wait for the event (nothing recorded, nothing saved).
    ///
    /// `becomingItsEvent`, when given, becomes the enrollment's event as it resumes (a signal's:
    /// the steps after the wait test it); the triggers' resume (``resumeWaits(for:contactID:)``)
    /// keeps the event the enrollment has.
    @discardableResult
    func give(_ event: Event, to given: consuming Enrollment, conditions: Bool, becomingItsEvent newEvent: EventBox?) -> Bool {
        var enrollment = given
        let contactID = enrollment.contactID
        let lookup = fields(event, contactID: contactID)
        if let program = enrollment.frames.first?.program, let top = enrollment.frames.first,
            let reached = program.goals.last(where: { goal in
                goal.index >= top.position - 1 && goal.goal.event == event.type && goal.goal.filters.allSatisfy { $0.holds(lookup) }
            })
        {
            var frame = Enrollment.Frame(program)
            frame.position = reached.index + 1
            enrollment.frames = [frame]
            enrollment.state = .active
            if let newEvent { enrollment.cause = newEvent }
            store.save(enrollment)
            let why = LogRecord.Reason.given(.members(["goal": reached.goal.name.json, "event": event.type.rawValue.json]))
            append(
                LogRecord(
                    at: now, cause: cause, workflowID: enrollment.workflowID, version: enrollment.version, enrollmentID: enrollment.id,
                    contactID: contactID, stepID: reached.stepID, status: .goal, why: why,
                    message: .given("\(reached.stepID): goal \"\(reached.goal.name)\" achieved; skipping ahead")))
            runEnrollment(enrollment.id)
            return true
        }
        guard case .waiting(let waiting, _, _) = enrollment.state else { return false }
        var reason: JSONValue?
        switch waiting {
        case .event(let type, let filters):
            guard type == event.type else { return false }
            let traced = filters.map { $0.trace(lookup) }
            guard traced.allSatisfy(\.held) else { return false }
            reason = .members(["event": event.type.rawValue.json, "filters": .array(traced.map(\.json))])
        case .condition(let condition):
            guard conditions else { return false }
            let result = condition.trace(fields(enrollment.event, contactID: contactID))
            guard result.held else { return false }
            reason = .members(["condition": result.json])
        case .time, .window: return false
        }
        let (why, stepID, type) = (reason, waitingStepID(enrollment), event.type)
        record(enrollment, nil, .resumed, stepID: stepID, why: why, "\(stepID ?? "wait"): \(type) arrived; going on")
        enrollment.state = .active
        if let newEvent { enrollment.cause = newEvent }
        store.save(enrollment)
        runEnrollment(enrollment.id)
        return true
    }

    /// The calendar of an enrollment: the contact's timezone when the workflow says so and it is
    /// known, else the account's.
    func calendar(for enrollment: Enrollment, program: Program?) -> ZonedCalendar {
        let settings = (program ?? self.program(enrollment.workflowID, version: enrollment.version))?.workflow.settings
        var zone = settings?.accountTimezone ?? "UTC"
        if settings?.timezone == .contact, let contactZone = workingContact(id: enrollment.contactID)?.timezone,
            timeZones.rules(named: contactZone) != nil
        {
            zone = contactZone
        }
        return ZonedCalendar(rules: timeZones.rules(named: zone) ?? .utc)
    }

    /// The id of the wait step an enrollment is at.
    func waitingStepID(_ enrollment: Enrollment) -> String? {
        guard let frame = enrollment.frames.last, let program = program(of: frame), case .wait(let step, _, _)? = program.instruction(before: frame.position)
        else { return nil }
        return step.id
    }
}

extension Delay {
    /// The delay as elapsed seconds (days of 24 hours).
    /// Saturates instead of overflowing: a delay of more than about 290 million years is "never".
    var seconds: Int64 {
        let parts = [(Int64(days), Int64(86_400)), (Int64(hours), 3600), (Int64(minutes), 60)]
        var total: Int64 = 0
        for (count, unit) in parts {
            let (product, overflow) = count.multipliedReportingOverflow(by: unit)
            let (sum, overflowAgain) = total.addingReportingOverflow(product)
            if overflow || overflowAgain { return count < 0 ? Int64.min / 2 : Int64.max / 2 }
            total = sum
        }
        return total
    }
}
