import PurchaseActions

extension Engine {
    /// Runs one action: changes the contact for internal effects, and records every effect (external
    /// ones for delivery, with an idempotency key from enrollment, step and attempt).
    ///
    /// What the effect and its log record say is an ``ActionReport`` composed when read, so running
    /// an action costs the change it makes, not the rendering of its message.
    func perform(_ action: ActionOp, in program: Program, _ enrollment: inout Enrollment) {
        guard let found = contactBox(id: enrollment.contactID) else {
            let (stepID, contactID) = (action.instruction.stepID, enrollment.contactID)
            record(enrollment, in: program, stepID: stepID, .error, "\(stepID): the contact \(contactID) no longer exists")
            return
        }
        let workflowID = program.id
        let today = options.rendersTemplates ? calendar(for: enrollment, workflowID: workflowID).rules.civil(at: now) : nil
        enrollment.performed += 1
        var assigned: String?
        // Read through the box: the contact is copied only when the action changes it, and the
        // changed copy saved.
        switch action.change {
        case .addTag(let tag) where !found.contact.tags.contains(tag):
            var after = found.contact
            after.tags.append(tag)
            save(after)
        case .removeTag(let tag) where found.contact.tags.contains(tag):
            var after = found.contact
            after.tags.removeAll { $0 == tag }
            save(after)
        case .updateField(let field, let value):
            let rendered = TemplateRenderer(contact: found.contact, today: today, account: program.account).text(value)
            assigned = rendered
            if found.contact.fields[field] != rendered {
                var after = found.contact
                after.fields[field] = rendered
                save(after)
            }
        case .assignOwner(let user) where found.contact.ownerID != user || found.contact.fields["OwnerID"] != user:
            var after = found.contact
            after.ownerID = user
            after.fields["OwnerID"] = user
            save(after)
        default:
            break
        }
        let deliverAt = action.waitsForWindow ? windowOpening(program, enrollment) : nil
        let invoice = action.retriesCharge ? enrollment.event?.payment?.invoice ?? enrollment.event?.autocharge?.invoice : nil
        // The action's report is also its log record, and what its effect holds.
        let report = ActionReport(
            action.instruction, at: now, cause: cause, enrollmentID: enrollment.id, performed: enrollment.performed, program: program, contact: found,
            today: today, assigned: assigned, invoice: invoice, deliverAt: deliverAt)
        effects.record(Effect(report, isExternal: action.isExternal, deliverAt: deliverAt))
        append(LogRecord(report))
    }

    /// When a message to the contact may go out under the workflow's send window: `nil` if now.
    private func windowOpening(_ program: Program, _ enrollment: Enrollment) -> Instant? {
        guard program.hasSendWindow, let window = program.workflow.settings.sendWindow else { return nil }
        let opening = calendar(for: enrollment, workflowID: program.id).nextOpening(window, atOrAfter: now)
        return opening > now ? opening : nil
    }
}

extension ZonedCalendar {
    /// The next opening of a send window at or after `instant` (`instant` itself if it is open).
    func nextOpening(_ window: SendWindow, atOrAfter instant: Instant) -> Instant {
        let days = Set(window.days.map { day in SendWindow.Day.allCases.firstIndex(of: day).map { ($0 + 1) % 7 } ?? 0 })
        guard let from = Self.parseTimeOfDay(window.from), let to = Self.parseTimeOfDay(window.to), (from.hour, from.minute) < (to.hour, to.minute),
            !days.isEmpty
        else { return instant }
        return nextOpening(days: days, from: from, to: to, atOrAfter: instant)
    }
}
