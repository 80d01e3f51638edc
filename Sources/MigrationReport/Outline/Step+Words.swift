import PurchaseActionsCore

/// What a step does, in plain words: "Add tag *VIP buyer*", "Send email “Welcome” to the contact".
extension ReportNames {
    func does(_ kind: Step.Kind) -> Sentence {
        switch kind {
        case .action(let action): return does(action)
        case .branch(let branches, _):
            if branches.count == 1 {
                // "Only if " + the condition's words + ":", in one array.
                var phrases: [Phrase] = []
                phrases.reserveCapacity(12)
                phrases.append(.words("Only if "))
                appendWords(branches[0].when, to: &phrases)
                phrases.append(.words(":"))
                return Sentence(phrases)
            }
            return Sentence(stringLiteral: "Choose the first of \(branches.count) branches that holds:")
        case .wait(let wait): return does(wait)
        case .goal(let goal): return Sentence([.words("Goal "), .name(goal.name), .words(": when "), .id(goal.event.rawValue), .words(" happens, jump here")])
        case .exit: return "End the enrollment"
        case .call(let id): return Sentence([.words(WorkflowKind(workflowID: id) == .actionSet ? "Run action set " : "Run workflow ")] + workflowPhrases(id))
        case .enroll(let id): return Sentence([.words(WorkflowKind(workflowID: id) == .sequence ? "Start sequence " : "Enroll in ")] + workflowPhrases(id))
        case .unenroll(let id): return Sentence([.words(WorkflowKind(workflowID: id) == .sequence ? "Stop sequence " : "Remove from ")] + workflowPhrases(id))
        }
    }

    private func does(_ action: WorkflowAction) -> Sentence {
        switch action {
        case .addTag(let tag): return Sentence([.words("Add tag "), tagPhrase(tag)])
        case .removeTag(let tag): return Sentence([.words("Remove tag "), tagPhrase(tag)])
        case .sendEmail(let email): return Sentence([.words("Send email "), .quote(email.subject), .words(" to ")]) + recipient(email.to)
        case .sendSMS(_, let message): return Sentence([.words("Send SMS "), .quote(message)])
        case .notify(let note): return Sentence([.words("Notify ")]) + recipient(note.to) + Sentence([.words(": "), .quote(note.subject)])
        case .createTask(let task):
            var sentence = Sentence([.words("Create task "), .quote(task.title)])
            if let user = task.assigneeID { sentence += Sentence([.words(" for "), .name(self.user(user))]) }
            if let days = task.dueInDays { sentence += Sentence(stringLiteral: ", due in \(days) days") }
            return sentence
        case .createNote(let title, _, _, _): return Sentence([.words("Add note "), .quote(title)])
        case .createAppointment(let appointment): return Sentence([.words("Create appointment "), .quote(appointment.title)])
        case .webhook(let hook): return Sentence([.words("Post to "), .quote(hook.url)])
        case .updateField(let field, let value): return Sentence([.words("Set field "), .name(field), .words(" to "), .quote(value)])
        case .assignOwner(let user): return Sentence([.words("Make "), .name(self.user(user)), .words(" the contact's owner")])
        case .createOrder(let order): return Sentence(stringLiteral: "Create an order of \(order.lines.count) line\(order.lines.count == 1 ? "" : "s")")
        case .cancelSubscription(let plan):
            return plan.map { Sentence([.words("Cancel subscription "), .name(self.plan($0))]) } ?? "Cancel every active subscription"
        case .completeTasks(let template):
            return template.map { Sentence([.words("Complete the open tasks from template "), .id($0)]) } ?? "Complete every open task"
        case .createOpportunity(let title, _, _): return Sentence([.words("Create opportunity "), .quote(title)])
        case .retryCharge: return "Retry the charge"
        case .achieveGoal(let integration, let call): return Sentence([.words("Achieve API goal "), .quote(integration + "." + call)])
        case .legacy(let element, _, _):
            let what: Sentence = Self.legacyElements[element].map { Sentence(stringLiteral: $0) } ?? Sentence([.words("Unknown action "), .quote(element)])
            return what + " (kept as a record that does nothing)"
        }
    }

    /// The template an action takes its texts from, if any.
    static func templateID(_ kind: Step.Kind) -> String? {
        guard case .action(let action) = kind else { return nil }
        switch action {
        case .sendEmail(let email): return email.templateID
        case .notify(let note): return note.templateID
        case .createTask(let task): return task.templateID
        case .createNote(_, _, _, let template): return template
        case .createAppointment(let appointment): return appointment.templateID
        case .legacy(_, let template, _): return template
        default: return nil
        }
    }

    /// The legacy actions the engine keeps as records, in words.
    static let legacyElements = ["send-fax": "Send a fax", "send-letter": "Send a printed letter", "send-voice": "Send a voice broadcast"]

    private func recipient(_ recipient: Recipient) -> Sentence {
        switch recipient {
        case .contact: "the contact"
        case .owner: "the contact's owner"
        case .user(let id): Sentence([.words("user "), .name(user(id))])
        case .address(let address): Sentence([.quote(address)])
        }
    }

    private func does(_ wait: Wait) -> Sentence {
        switch wait {
        case .delay(let delay, let calendarDays, let at, let from):
            let time: Sentence = at.map { Sentence([.words(", at "), .quote($0)]) } ?? ""
            if from == .enrollment, calendarDays, delay.hours == 0, delay.minutes == 0 {
                return Sentence(stringLiteral: "Wait until day \(delay.days) after the contact started") + time
            }
            let start = from == .enrollment ? " after the contact started" : ""
            return Sentence(stringLiteral: "Wait \(Self.words(delay))\(calendarDays ? " (calendar days)" : "")\(start)") + time
        case .untilDate(let date): return Sentence([.words("Wait until "), .quote(date)])
        case .untilField(let field, let offset, let at):
            var sentence = Sentence([.words("Wait until the date in field "), .name(field)])
            if offset != 0 { sentence += Sentence(stringLiteral: " \(offset > 0 ? "+" : "")\(offset) days") }
            if let at { sentence += Sentence([.words(" at "), .quote(at)]) }
            return sentence
        case .untilCondition(let condition, let timeout, _):
            return "Wait until " + words(condition) + Sentence(stringLiteral: ", at most \(Self.words(timeout))")
        case .untilEvent(let event, _, let timeout, _):
            return Sentence([.words("Wait for "), .id(event.rawValue), .words(", at most \(Self.words(timeout))")])
        case .window: return "Wait for the send window"
        }
    }

    static func words(_ delay: Delay) -> String {
        var parts: [String] = []
        if delay.days != 0 { parts.append("\(delay.days) day\(delay.days == 1 ? "" : "s")") }
        if delay.hours != 0 { parts.append("\(delay.hours) hour\(delay.hours == 1 ? "" : "s")") }
        if delay.minutes != 0 || parts.isEmpty { parts.append("\(delay.minutes) minute\(delay.minutes == 1 ? "" : "s")") }
        return parts.joined(separator: " ")
    }
}
