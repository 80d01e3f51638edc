public import PurchaseActionsCore

extension DunningProcess {
    /// Applies one event (`payment.autocharge_failed`, `payment.autocharge_recovered`,
    /// `payment.succeeded`, `subscription.renewed`, `payment_method.updated`,
    /// `subscription.cancelled`; other types change nothing) at its `occurredAt`, and returns the
    /// entries it made. The rules are in the type's documentation.
    public mutating func ingest(_ event: Event) -> [DunningEntry] {
        let now = event.occurredAt
        switch event.type {
        case .autochargeFailed: failed(event, now: now)
        case .autochargeRecovered:
            if let id = event.autocharge?.invoice ?? event.payment?.invoice { paid(id, now: now, recovered: true, event: event) }
        case .paymentSucceeded, .subscriptionRenewed:
            if let id = event.payment?.invoice { paid(id, now: now, recovered: false, event: event) }
        case .paymentMethodUpdated: cardUpdated(event, now: now)
        case .subscriptionCancelled: cancelled(event, now: now)
        default: break
        }
        cleanQueue()
        return takeEntries()
    }

    /// The contact key of an event: its id, else `email:<address>`, else `-`.
    static func contactKey(_ contact: ContactReference) -> String {
        if let id = contact.id { return id }
        if let email = contact.email { return "email:" + email }
        return "-"
    }

    static func network(_ card: Card?) -> CardNetwork {
        card?.network.flatMap(CardNetwork.init(rawValue:)) ?? .other
    }

    // MARK: - Failures

    mutating func failed(_ event: Event, now: Instant) {
        guard let id = event.autocharge?.invoice ?? event.payment?.invoice else { return }
        // Attempt numbers past the bound are read as one past it (the invoice then ends at the bound): no arithmetic on them can overflow.
        let attempt = min(max(1, event.autocharge?.attempt ?? 1), limits.maxAttempts + 1)
        let code = event.payment?.declineCode ?? "unknown"
        let decline = DeclineTable.standard.classify(code: code, adviceCode: event.payment?.adviceCode, settings: policy.declines)
        if let slot = slots[id] {
            let contact = Self.contactKey(event.contact)
            guard contact == invoices[slot].contact else {
                // An invoice id is one contact's: another contact's failure with it is not merged into that invoice's dunning.
                emitLoose(DunningEntry(at: now, invoice: id, kind: .ignored, attempt: attempt, outcome: "declined", decline: decline,
                                       detail: "refused: invoice \(id) is in dunning for contact \(invoices[slot].contact), but this failure names contact \(contact); an invoice id belongs to one contact (fix the event source's invoice ids)"))
                return
            }
            reported(slot, attempt: attempt, decline: decline, now: now)
            return
        }
        let plan = event.subscription?.plan ?? event.order?.paymentPlan
        // The reported failure was a charge on the card: it counts in the card's budget, whatever
        // becomes of the invoice (Docs/dunning.md, "Card-network budgets").
        if let card = event.card?.id { countReportedCharge(.card(card), network: Self.network(event.card), at: now) }
        if event.payment?.index == 1 {
            emitLoose(DunningEntry(at: now, invoice: id, kind: .ignored, attempt: attempt, outcome: "declined", decline: decline,
                                   detail: "a failed initial order (payment 1) is never retried (the legacy rule)"))
            return
        }
        guard policy.isManaged(plan: plan) else {
            emitLoose(DunningEntry(at: now, invoice: id, kind: .ignored, attempt: attempt, outcome: "declined", decline: decline,
                                   detail: "plan \(plan ?? "-") has autocharge: false: not managed"))
            return
        }
        guard invoices.count < limits.maxInvoices else {
            emitLoose(DunningEntry(at: now, invoice: id, kind: .ignored, attempt: attempt, outcome: "declined", decline: decline,
                                   detail: "the process already manages \(limits.maxInvoices) invoices (the bound): not managed"))
            return
        }
        if event.card?.id == nil { countReportedCharge(.invoice(id), network: .other, at: now) }
        let contact = Self.contactKey(event.contact)
        let schedule = policy.schedule(plan: plan)
        var invoice = DunningInvoice(
            id: id, contact: contact, subscription: event.subscription?.id, plan: plan, amount: event.payment?.amount ?? 0,
            currency: event.payment?.currency ?? "", card: event.card?.id, network: Self.network(event.card), cardFromUpdate: false,
            firstFailureAt: now, firstDecline: decline, lastDecline: decline, attemptsMade: attempt, attemptsFailed: attempt, charges: 0,
            deferrals: 0, budgetSkips: 0, status: .open, stage: nil, cardBlocked: false, nextAttemptAt: nil, finalKind: nil, endedAt: nil,
            recoveredAttempt: nil, schedule: schedule, slot: min(attempt - 1, schedule.totalAttempts), seriesStart: now, inFlight: nil,
            repeatAttempt: nil, unknownRepeats: 0, stageFailuresBase: 0, stageAnchorDay: calendar.rules.civil(at: now).daysSinceEpoch,
            nextStageCheck: nil, pendingMessages: [], ageLimitAt: nil, entryCount: 0, entryLimitHit: false, wakeAt: nil, sequence: nextSequence)
        if let months = policy.maxInvoiceAgeMonths { invoice.ageLimitAt = Self.adding(months: months, to: now, calendar: calendar) }
        let slot = invoices.count
        invoices.append(invoice)
        nextSequence += 1
        slots[id] = slot
        byContact[contact, default: []].append(slot)
        if let subscription = invoice.subscription { bySubscription[subscription, default: []].append(slot) }
        if usesTags, contactTags[contact] == nil { contactTags[contact] = Set(event.contact.tags) }
        emit(slot, DunningEntry(at: now, invoice: id, kind: .started, attempt: attempt, outcome: "declined", decline: decline,
                                detail: "attempt \(attempt) declined: \(Self.describe(decline)); \(Self.describe(schedule)) from here"))
        afterFailure(slot, decline: decline, now: now)
        reschedule(slot, now: now)
    }

    /// A charge the event source made and reported (a first failure, or an attempt the process did
    /// not make) counts in the card's budget like the process's own charges.
    mutating func countReportedCharge(_ key: CardAttemptLedger.Key, network: CardNetwork, at time: Instant) {
        guard let budget = budget(network) else { return }
        ledger.record(key, budget: budget, at: time)
    }

    /// The event source reports attempt `attempt` of a managed invoice.
    mutating func reported(_ slot: Int, attempt: Int, decline: Decline, now: Instant) {
        let invoice = invoices[slot]
        guard invoice.isOpen, invoice.inFlight == nil, attempt > invoice.attemptsMade else {
            let why = invoice.isOpen ? (invoice.inFlight != nil && attempt > invoice.attemptsMade
                ? "a charge is in flight: recorded, the schedule is kept" : "recorded against attempt \(attempt), already made")
                : "the invoice is no longer in dunning (\(invoice.status.rawValue))"
            emit(slot, DunningEntry(at: now, invoice: invoice.id, kind: .reported, attempt: attempt, outcome: "declined", decline: decline,
                                    detail: "the source reported attempt \(attempt) declined (\(decline.code)): \(why)"))
            reschedule(slot, now: now)
            return
        }
        let skipped = attempt - invoice.attemptsMade
        // The reported attempt takes the place of one waiting in its card's line.
        leaveLine(slot, now: now)
        countReportedCharge(Self.ledgerKey(invoice), network: invoice.network, at: now)
        invoices[slot].attemptsMade = attempt
        invoices[slot].slot = min(invoice.slot + min(skipped, invoice.schedule.totalAttempts), invoice.schedule.totalAttempts)
        // A charge of ours whose outcome is unknown stays first in line, with its own key.
        if invoice.unknownRequest == nil {
            invoices[slot].repeatAttempt = nil
            invoices[slot].unknownRepeats = 0
        }
        emit(slot, DunningEntry(at: now, invoice: invoice.id, kind: .reported, attempt: attempt, outcome: "declined", decline: decline,
                                detail: "the source reported attempt \(attempt) declined: \(Self.describe(decline)); adopted as attempt \(attempt), the schedule continues from it"))
        invoices[slot].attemptsFailed += 1
        afterFailure(slot, decline: decline, now: now)
        reschedule(slot, now: now)
    }

    // MARK: - Payments

    mutating func paid(_ id: String, now: Instant, recovered: Bool, event: Event) {
        guard let slot = slots[id] else { return }
        let invoice = invoices[slot]
        guard invoice.isOpen else {
            emit(slot, DunningEntry(at: now, invoice: id, kind: .ignored,
                                    detail: "\(event.type) for an invoice no longer in dunning (\(invoice.status.rawValue))"))
            reschedule(slot, now: now)
            return
        }
        invoices[slot].status = recovered ? .recovered : .paidElsewhere
        if recovered { invoices[slot].recoveredAttempt = event.autocharge?.attempt }
        invoices[slot].endedAt = now
        invoices[slot].nextAttemptAt = nil
        let kind: DunningEntry.Kind = recovered ? .recovered : .paidElsewhere
        emit(slot, DunningEntry(at: now, invoice: id, kind: kind, attempt: recovered ? event.autocharge?.attempt : nil,
                                detail: recovered ? "the source reported the automatic charge succeeded (\(event.type)): dunning stops"
                                    : "paid another way (\(event.type)): dunning stops, no more charges"))
        closePaid(slot, now: now)
        if let pending = invoices[slot].unknownRequest { checkUnknownCharge(slot, pending, now: now, because: "the invoice was paid another way") }
        reschedule(slot, now: now)
    }

    /// After a payment: the stage clears, waiting dunning messages are dropped, the `recovered` actions run.
    mutating func closePaid(_ slot: Int, now: Instant) {
        let id = invoices[slot].id
        if invoices[slot].stage != nil {
            invoices[slot].stage = nil
            emit(slot, DunningEntry(at: now, invoice: id, kind: .stage, stage: nil, detail: "stage cleared: the invoice is paid"))
        }
        let dropped = invoices[slot].pendingMessages.filter { !$0.keepWhenPaid }
        invoices[slot].pendingMessages.removeAll { !$0.keepWhenPaid }
        for message in dropped {
            emit(slot, DunningEntry(at: now, invoice: id, kind: .skipped, action: message.action,
                                    detail: "\(Self.describe(message.action)) (\(message.source)) not sent: the invoice was paid before the send window opened"))
        }
        invoices[slot].nextStageCheck = nil
        run(policy.recovered, slot: slot, now: now, source: "recovered", keepWhenPaid: true)
    }

    // MARK: - Card updates and cancellations

    mutating func cardUpdated(_ event: Event, now: Instant) {
        let contact = Self.contactKey(event.contact)
        // Ended invoices leave the contact's list here, so an update costs the open ones only (amortised).
        let open = (byContact[contact] ?? []).filter { invoices[$0].isOpen }
        byContact[contact] = open.isEmpty ? nil : open
        for slot in open {
            let id = invoices[slot].id
            let rule = policy.cardUpdate
            // An attempt waiting in the old card's line leaves it: the new card has its own budget.
            let wasWaiting = invoices[slot].waitingOn != nil
            leaveLine(slot, now: now)
            invoices[slot].card = event.card?.id
            invoices[slot].network = Self.network(event.card)
            invoices[slot].cardFromUpdate = true
            invoices[slot].cardBlocked = false
            invoices[slot].declineIsCurrent = false
            var resets: [String] = []
            if rule.resetSchedule {
                invoices[slot].slot = 0
                invoices[slot].seriesStart = now
                resets.append("schedule")
            }
            if rule.resetStage {
                invoices[slot].stageFailuresBase = invoices[slot].attemptsFailed
                invoices[slot].stageAnchorDay = calendar.rules.civil(at: now).daysSinceEpoch
                resets.append("stage")
            }
            let card = event.card.map { "\($0.id) (\(Self.network(event.card).rawValue))" } ?? "-"
            let when: String
            if invoices[slot].inFlight != nil {
                when = "a charge is in flight: the next attempt uses the new card"
            } else if rule.retryImmediately {
                invoices[slot].nextAttemptAt = now
                // Without a reset the retry takes the schedule's next place; with one it starts the new series.
                if rule.resetSchedule { invoices[slot].slot = -1 }
                when = "retry now"
            } else if rule.resetSchedule {
                invoices[slot].nextAttemptAt = Self.nextSlotTime(invoices[slot], after: now, calendar: calendar)
                if invoices[slot].nextAttemptAt == nil { invoices[slot].nextAttemptAt = now }
                when = "the schedule starts over"
            } else if wasWaiting {
                invoices[slot].nextAttemptAt = now
                when = "the attempt that waited for the old card's budget is due now"
            } else {
                when = "retry on schedule"
            }
            // A charge whose outcome is unknown is charged again as it was (same key, same card) before the new card is used.
            if invoices[slot].unknownRequest == nil {
                invoices[slot].repeatAttempt = nil
                invoices[slot].unknownRepeats = 0
            }
            emit(slot, DunningEntry(at: now, invoice: id, kind: .cardUpdated,
                                    detail: "new card \(card): \(when)\(resets.isEmpty ? "" : "; reset: " + resets.joined(separator: ", "))"))
            if rule.resetStage, invoices[slot].stage != nil {
                invoices[slot].stage = nil
                emit(slot, DunningEntry(at: now, invoice: id, kind: .stage, stage: nil, detail: "stage cleared: the card was updated (reset: stage)"))
            }
            evaluateStage(slot, now: now)
            reschedule(slot, now: now)
        }
    }

    mutating func cancelled(_ event: Event, now: Instant) {
        guard let subscription = event.subscription?.id else { return }
        let open = (bySubscription[subscription] ?? []).filter { invoices[$0].isOpen }
        bySubscription[subscription] = nil
        for slot in open {
            invoices[slot].status = .cancelled
            invoices[slot].endedAt = now
            invoices[slot].nextAttemptAt = nil
            invoices[slot].nextStageCheck = nil
            emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: .skipped,
                                    detail: "subscription \(subscription) was cancelled: no more attempts"))
            if let pending = invoices[slot].unknownRequest { checkUnknownCharge(slot, pending, now: now, because: "the subscription was cancelled") }
            let dropped = invoices[slot].pendingMessages
            invoices[slot].pendingMessages.removeAll()
            for message in dropped {
                emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: .skipped, action: message.action,
                                        detail: "\(Self.describe(message.action)) (\(message.source)) not sent: the subscription was cancelled"))
            }
            reschedule(slot, now: now)
        }
    }
}
