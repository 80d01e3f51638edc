import PurchaseActionsCore

extension DunningProcess {
    /// Evaluates the invoice's stage now: the first stage whose condition holds, else none.
    /// Entering a stage runs its actions; leaving all of them writes a `stage` entry with no stage.
    /// Then plans the next local midnight a `daysSinceFirstFailure` condition needs.
    mutating func evaluateStage(_ slot: Int, now: Instant) {
        guard !policy.stages.isEmpty, invoices[slot].isOpen else { return }
        let today = calendar.rules.civil(at: now).daysSinceEpoch
        let days = Int(clamping: today - invoices[slot].stageAnchorDay)
        let context = StageContext(
            failed: invoices[slot].attemptsFailed - invoices[slot].stageFailuresBase, days: days, amount: invoices[slot].amount,
            declineClass: invoices[slot].declineIsCurrent ? invoices[slot].lastDecline.declineClass : nil, tags: contactTags[invoices[slot].contact] ?? [])
        let stage = policy.stages.first { Self.holds($0.when, context) }
        if stage?.id != invoices[slot].stage {
            invoices[slot].stage = stage?.id
            if let stage {
                emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: .stage, stage: stage.id, detail: "entered stage \(stage.id) (\(stage.name))"))
                run(stage.actions, slot: slot, now: now, source: "stage \(stage.id)", keepWhenPaid: false)
            } else {
                emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: .stage, stage: nil, detail: "stage cleared: no stage's condition holds"))
            }
        }
        // The next local midnight that changes a daysSinceFirstFailure condition.
        invoices[slot].nextStageCheck = nil
        if let threshold = dayThresholds.first(where: { $0 > days }) {
            let anchor = invoices[slot].stageAnchorDay
            let (target, overflow) = anchor.addingReportingOverflow(Int64(threshold))
            if !overflow, CivilDateTime.supportedDays.contains(target) {
                let (year, month, day) = CivilDateTime.civil(fromDays: target)
                let midnight = calendar.rules.instant(for: CivilDateTime(year: year, month: month, day: day))
                if midnight.isSupported { invoices[slot].nextStageCheck = max(midnight, now) }
            }
        }
    }

    /// What stage conditions read.
    struct StageContext {
        var failed: Int
        var days: Int
        var amount: Int
        /// The last decline's class, `nil` after a card update until the new card is declined.
        var declineClass: DeclineClass?
        var tags: Set<String>
    }

    static func holds(_ condition: StageCondition, _ context: StageContext) -> Bool {
        switch condition {
        case .all(let list): list.allSatisfy { holds($0, context) }
        case .any(let list): list.contains { holds($0, context) }
        case .attemptsFailed(let n): context.failed >= n
        case .daysSinceFirstFailure(let n): context.days >= n
        case .amountDue(let n): context.amount >= n
        case .declineClass(let classes): context.declineClass.map(classes.contains) ?? false
        case .hasTag(let tag): context.tags.contains(tag)
        case .lacksTag(let tag): !context.tags.contains(tag)
        }
    }

    // MARK: - Actions

    /// Runs actions for an invoice: customer messages wait for the send window (queued, sent by
    /// ``sendMessages(_:now:)``), the rest happen now.
    mutating func run(_ actions: [DunningAction], slot: Int, now: Instant, source: String, keepWhenPaid: Bool) {
        for action in actions {
            if action.isCustomerMessage {
                let at = sendTime(now)
                if at > now {
                    let message = DunningInvoice.PendingMessage(at: at, action: action, source: source, keepWhenPaid: keepWhenPaid)
                    let index = invoices[slot].pendingMessages.firstIndex { $0.at > at } ?? invoices[slot].pendingMessages.count
                    invoices[slot].pendingMessages.insert(message, at: index)
                    continue
                }
            }
            perform(action, slot: slot, now: now, source: source)
        }
    }

    /// Writes the entry of an action done now (and keeps the contact's tags).
    mutating func perform(_ action: DunningAction, slot: Int, now: Instant, source: String) {
        let kind: DunningEntry.Kind
        switch action {
        case .email, .sms: kind = .message
        case .task: kind = .task
        case .notify: kind = .notification
        case .addTag(let tag):
            kind = .action
            if usesTags { contactTags[invoices[slot].contact, default: []].insert(tag) }
        case .removeTag(let tag):
            kind = .action
            if usesTags { contactTags[invoices[slot].contact]?.remove(tag) }
        default: kind = .action
        }
        emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: kind, action: action, detail: "\(Self.describe(action)) (\(source))"))
    }

    /// Sends the queued messages whose time has come.
    mutating func sendMessages(_ slot: Int, now: Instant) {
        while let first = invoices[slot].pendingMessages.first, first.at <= now {
            invoices[slot].pendingMessages.removeFirst()
            perform(first.action, slot: slot, now: first.at, source: first.source + ", waited for the send window")
        }
    }

    /// When a customer message due at `now` may go: now, or the send window's next opening.
    func sendTime(_ now: Instant) -> Instant {
        guard let window = policy.sendWindow, window.opens < window.closes, window.opens >= 0, window.closes <= 1440,
            !window.weekdays.isEmpty, window.weekdays.allSatisfy({ (0...6).contains($0) })
        else { return now }
        let closes = window.closes == 1440 ? (hour: 23, minute: 59) : (hour: window.closes / 60, minute: window.closes % 60)
        return calendar.nextOpening(days: Set(window.weekdays), from: (window.opens / 60, window.opens % 60), to: closes, atOrAfter: now)
    }

    /// An action in words: `email dunning-final`, `task "Call the customer" for owner, due in 1 day`.
    static func describe(_ action: DunningAction) -> String {
        switch action {
        case .email(let template): "email \(template)"
        case .sms(let text): "sms \"\(text)\""
        case .task(let title, let assignee, let due):
            "task \"\(title)\"" + (assignee.map { " for \($0)" } ?? "") + (due.map { ", due in \($0) day\($0 == 1 ? "" : "s")" } ?? "")
        case .notify(let to, let text): "notify \(to): \"\(text)\""
        case .addTag(let tag): "add-tag \(tag)"
        case .removeTag(let tag): "remove-tag \(tag)"
        case .setField(let field, let value): "set-field \(field) = \"\(value)\""
        case .webhook(let url): "webhook \(url)"
        case .suspendAccess: "suspend-access"
        case .restoreAccess: "restore-access"
        case .runWorkflow(let workflow): "run-workflow \(workflow)"
        }
    }
}
