import PurchaseActionsCore

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
        let today = options.rendersTemplates ? calendar(for: enrollment, program: program).rules.civil(at: now) : nil
        if today != nil, let refusal = templateRefusal(action.instruction, program: program, contact: found, today: today) {
            refuse(action, in: program, enrollment, refusal)
            return
        }
        var assigned: String?
        // Read through the box: the contact is copied only when the action changes it, and the
        // changed copy saved.
        switch action.change {
        case .addTag(let tag) where !found.contact.tags.contains(tag):
            var after = found.contact
            guard after.tags.count < WorkflowLimits.contactTags else {
                refuse(action, in: program, enrollment, "the contact already holds \(WorkflowLimits.contactTags) tags, the most a contact may hold; tag \(tag) is not added")
                return
            }
            after.tags.append(tag)
            save(after)
        case .removeTag(let tag) where found.contact.tags.contains(tag):
            var after = found.contact
            after.tags.removeAll { $0 == tag }
            save(after)
        case .updateField(let field, let value):
            let limit = WorkflowLimits.fieldValueCharacters
            // At most 4 bytes a character: the render stops taking values past that.
            let rendered = today == nil ? value : TemplateRenderer(contact: found.contact, today: today, account: program.account).boundedText(value, bytes: 4 * limit)
            guard let rendered, rendered.utf8.count <= limit || rendered.unicodeScalars.count <= limit else {
                refuse(action, in: program, enrollment, "the value for \(field) would be longer than \(limit) characters, the most a field may hold")
                return
            }
            assigned = rendered
            var after = found.contact
            if after.fields[field] != rendered {
                guard after.fields[field] != nil || after.fields.count < WorkflowLimits.contactFields else {
                    refuse(action, in: program, enrollment, "the contact already holds \(WorkflowLimits.contactFields) fields, the most a contact may hold; \(field) is not added")
                    return
                }
                after.fields[field] = rendered
                save(after)
            }
        case .assignOwner(let user) where found.contact.ownerID != user || found.contact.fields["OwnerID"] != user:
            var after = found.contact
            guard after.fields["OwnerID"] != nil || after.fields.count < WorkflowLimits.contactFields else {
                refuse(action, in: program, enrollment, "the contact already holds \(WorkflowLimits.contactFields) fields, the most a contact may hold; OwnerID is not added")
                return
            }
            after.ownerID = user
            after.fields["OwnerID"] = user
            save(after)
        default:
            break
        }
        enrollment.performed += 1
        let deliverAt = action.waitsForWindow ? windowOpening(program, enrollment) : nil
        let invoice = action.retriesCharge ? enrollment.event?.payment?.invoice ?? enrollment.event?.autocharge?.invoice : nil
        // The action's report is also its log record, and what its effect holds.
        let report = ActionReport(
            action.instruction, at: now, cause: cause, enrollmentID: enrollment.id, performed: enrollment.performed, program: program,
            contactID: enrollment.contactID, contact: action.readsContact ? found : nil,
            today: today, assigned: assigned, invoice: invoice, deliverAt: deliverAt)
        effects.record(Effect(report, isExternal: action.isExternal, deliverAt: deliverAt))
        append(LogRecord(report))
    }

    /// An action not done: an `error` record naming the workflow, the step and the limit; the
    /// contact is left unchanged and the run goes on.
    private func refuse(_ action: ActionOp, in program: Program, _ enrollment: Enrollment, _ reason: String) {
        let (stepID, workflowID) = (action.instruction.stepID, program.id)
        record(enrollment, in: program, stepID: stepID, .error, "\(stepID): \(reason) (Docs/engine.md, \"Rendered text and contact size\"); \(workflowID) goes on without it")
    }

    /// Why the action's templates cannot render within ``WorkflowLimits/renderedTextBytes``, or
    /// `nil`. First a bound from sizes alone (the templates, their tags, the contact's longest
    /// value): only past it are the templates rendered, each stopping once it passes the limit.
    private func templateRefusal(_ instruction: ActionInstruction, program: Program, contact: ContactBox, today: CivilDateTime?) -> String? {
        if instruction.tagBytes > WorkflowLimits.templateTagBytes {
            return "a template holds more tags times bytes than \(WorkflowLimits.templateTagBytes), the most rendered; nothing is done"
        }
        guard !instruction.templates.isEmpty || instruction.usesDefaultSender else { return nil }
        let limit = WorkflowLimits.renderedTextBytes
        var templates = instruction.templates
        if instruction.usesDefaultSender, let name = program.workflow.settings.defaultSender?.name, name.contains("{{") {
            let (product, overflow) = ActionInstruction.tags(in: name).multipliedReportingOverflow(by: name.utf8.count)
            if overflow || product > WorkflowLimits.templateTagBytes || name.contains("{{=") && name.utf8.count > 8_192 {
                return "a template holds more tags times bytes than \(WorkflowLimits.templateTagBytes), the most rendered; nothing is done"
            }
            templates.append(ActionInstruction.Template(text: name, html: false))
        }
        guard !templates.isEmpty else { return nil }
        // Each tag merges at most the longest value: uppercased, at most 3 times its bytes, then
        // HTML-escaped, at most 6 times.
        // (A templated default sender is rendered: its tags are not counted ahead.)
        if templates.count == instruction.templates.count {
            let longest = max(contact.longestValueBytes, program.accountValueBytes)
            let (perTag, o1) = longest.multipliedReportingOverflow(by: 18)
            let (merged, o2) = perTag.multipliedReportingOverflow(by: instruction.tagCount)
            let (bound, o3) = merged.addingReportingOverflow(instruction.templateBytes)
            if !(o1 || o2 || o3), bound <= limit { return nil }
        }
        let renderer = TemplateRenderer(contact: contact.contact, today: today, account: program.account)
        for template in templates where !renderer.fits(template.text, html: template.html) {
            return "a text it renders would be longer than \(limit) bytes, the most a rendered text may have; nothing is done"
        }
        return nil
    }

    /// When a message to the contact may go out under the workflow's send window: `nil` if now.
    private func windowOpening(_ program: Program, _ enrollment: Enrollment) -> Instant? {
        guard program.hasSendWindow, let window = program.workflow.settings.sendWindow else { return nil }
        let opening = calendar(for: enrollment, program: program).nextOpening(window, atOrAfter: now)
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
