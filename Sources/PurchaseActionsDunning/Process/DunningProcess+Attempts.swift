public import PurchaseActionsCore

extension DunningProcess {
    /// Everything due at or before `now`, in order of time then invoice id: the charges to make
    /// now (each with its idempotency key; budgets are counted as they are handed out). The other
    /// entries this made (deferred, skipped, messages, stages, finals) wait in ``drainEntries()``.
    /// A request handed out stays in flight until ``record(_:outcome:at:)``.
    public mutating func due(at now: Instant) -> [ChargeRequest] {
        var requests: [ChargeRequest] = []
        var rounds = 0
        while let top = queue.top, top.time <= now {
            _ = queue.pop()
            guard invoices[top.slot].wakeAt == top.time else { continue }
            rounds += 1
            invoices[top.slot].wakeAt = nil
            if let request = wake(top.slot, now: now) { requests.append(request) }
            reschedule(top.slot, now: now)
            if rounds > 4 * (invoices.count + 1) { break }  // every wake moves time on; a guard, never reached
        }
        if ledger.keyCount > 2 * ledgerKeysAtLastPrune {
            ledger.prune(before: now)
            ledgerKeysAtLastPrune = max(1024, ledger.keyCount)
        }
        cleanQueue()
        return requests
    }

    /// Records what became of a charge `due(at:)` handed out, at `at`, and returns the entries it
    /// made. `outcome` is after any status look-up: `.unknown` means the look-ups did not say (or
    /// found nothing), and the same attempt is charged again with the same key after the next gap.
    /// A request that is not in flight (recorded already, or never handed out) is `ignored`.
    public mutating func record(_ request: ChargeRequest, outcome: ChargeOutcome, at now: Instant) -> [DunningEntry] {
        guard let slot = slots[request.invoice], invoices[slot].inFlight?.idempotencyKey == request.idempotencyKey else {
            emitLoose(DunningEntry(at: now, invoice: request.invoice, kind: .ignored, attempt: request.attempt,
                                   detail: "an outcome for \(request.idempotencyKey), which is not a charge in flight"))
            return takeEntries()
        }
        invoices[slot].inFlight = nil
        let id = request.invoice
        switch outcome {
        case .approved(let charge):
            invoices[slot].repeatAttempt = nil
            invoices[slot].unknownRequest = nil
            guard invoices[slot].isOpen else {
                emit(slot, DunningEntry(at: now, invoice: id, kind: .attempt, attempt: request.attempt, outcome: "approved",
                                        detail: "charged (\(charge)) although the invoice was \(invoices[slot].status.rawValue) meanwhile: refund it"))
                break
            }
            invoices[slot].status = .recovered
            invoices[slot].endedAt = now
            invoices[slot].recoveredAttempt = request.attempt
            invoices[slot].nextAttemptAt = nil
            emit(slot, DunningEntry(at: now, invoice: id, kind: .attempt, attempt: request.attempt, outcome: "approved", detail: "approved: charge \(charge)"))
            emit(slot, DunningEntry(at: now, invoice: id, kind: .recovered, attempt: request.attempt,
                                    detail: "recovered at attempt \(request.attempt): \(MoneyText.format(invoices[slot].amount, invoices[slot].currency))"))
            closePaid(slot, now: now)
        case .declined(let code, let advice):
            invoices[slot].repeatAttempt = nil
            invoices[slot].unknownRepeats = 0
            invoices[slot].unknownRequest = nil
            let decline = DeclineTable.standard.classify(code: code, adviceCode: advice, settings: policy.declines)
            emit(slot, DunningEntry(at: now, invoice: id, kind: .attempt, attempt: request.attempt, outcome: "declined", decline: decline,
                                    detail: "declined: \(Self.describe(decline))"))
            guard invoices[slot].isOpen else { break }
            invoices[slot].attemptsFailed += 1
            afterFailure(slot, decline: decline, now: now)
        case .unknown(let reason):
            emit(slot, DunningEntry(at: now, invoice: id, kind: .attempt, attempt: request.attempt, outcome: "unknown",
                                    detail: "outcome unknown (\(reason)); nothing found by the status look-up"))
            guard invoices[slot].isOpen else {
                checkUnknownCharge(slot, request, now: now, because: "the invoice was \(invoices[slot].status.rawValue) meanwhile")
                break
            }
            if invoices[slot].unknownRepeats >= limits.maxUnknownRepeats {
                invoices[slot].unknownRequest = nil
                run([Self.unknownChargeTask],
                    slot: slot, now: now, source: "outcome unknown: charge \(request.idempotencyKey)", keepWhenPaid: true)
                finish(slot, at: now, reason: "the outcome of attempt \(request.attempt) stayed unknown after \(limits.maxUnknownRepeats) more tries with the same key")
                break
            }
            invoices[slot].unknownRepeats += 1
            invoices[slot].repeatAttempt = request.attempt
            invoices[slot].unknownRequest = request
            invoices[slot].unknownNetwork = invoices[slot].inFlightNetwork
            let next = Self.nextSlotTime(invoices[slot], after: now, calendar: calendar)
                ?? Self.lastGapTime(invoices[slot], after: now, calendar: calendar)
            invoices[slot].nextAttemptAt = next
            emit(slot, DunningEntry(at: now, invoice: id, kind: .repeatCharge, attempt: request.attempt,
                                    detail: "attempt \(request.attempt) will be charged again with the same key \(request.idempotencyKey) at \(next) (\(invoices[slot].unknownRepeats) of \(limits.maxUnknownRepeats))"))
        }
        reschedule(slot, now: now)
        cleanQueue()
        return takeEntries()
    }

    // MARK: - Wake-ups

    /// Handles what is due for one invoice: messages, the stage, the attempt.
    mutating func wake(_ slot: Int, now: Instant) -> ChargeRequest? {
        sendMessages(slot, now: now)
        guard invoices[slot].isOpen else { return nil }
        if let check = invoices[slot].nextStageCheck, check <= now { evaluateStage(slot, now: now) }
        if invoices[slot].waitingOn != nil, let limit = invoices[slot].ageLimitAt, now >= limit {
            // Waiting in its card's line behind others when the age limit passes.
            let attempt = invoices[slot].repeatAttempt ?? (invoices[slot].attemptsMade + 1)
            emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: .skipped, attempt: attempt,
                                    detail: "the invoice is older than \(policy.maxInvoiceAgeMonths ?? 0) months (maxInvoiceAgeMonths) while its attempt waited for the card's budget: not charged"))
            finish(slot, at: now, reason: "the invoice is older than maxInvoiceAgeMonths")
            return nil
        }
        guard invoices[slot].isOpen, invoices[slot].inFlight == nil, let next = invoices[slot].nextAttemptAt, next <= now else { return nil }
        return attemptDue(slot, now: now)
    }

    /// The planned attempt is due.
    mutating func attemptDue(_ slot: Int, now: Instant) -> ChargeRequest? {
        let invoice = invoices[slot]
        let id = invoice.id
        let attempt = invoice.repeatAttempt ?? (invoice.attemptsMade + 1)
        if let limit = invoice.ageLimitAt, now >= limit {
            emit(slot, DunningEntry(at: now, invoice: id, kind: .skipped, attempt: attempt,
                                    detail: "the invoice is older than \(policy.maxInvoiceAgeMonths ?? 0) months (maxInvoiceAgeMonths): not charged again"))
            finish(slot, at: now, reason: "the invoice is older than maxInvoiceAgeMonths")
            return nil
        }
        if attempt > limits.maxAttempts {
            finish(slot, at: now, reason: "the invoice reached \(limits.maxAttempts) attempts (the bound)", bound: true)
            return nil
        }
        if invoice.cardBlocked {
            invoices[slot].attemptsMade = attempt
            invoices[slot].slot += 1
            emit(slot, DunningEntry(at: now, invoice: id, kind: .skipped, attempt: attempt, decline: invoice.lastDecline,
                                    detail: "card blocked by a \(invoice.lastDecline.declineClass.rawValue) decline (\(invoice.lastDecline.code)): waiting for a card update"))
            planNext(slot, after: now, retryAfter: nil)
            return nil
        }
        // A repeated unknown charge goes to the card it went to first: that card's budget.
        let key = Self.chargeKey(invoice)
        let network = Self.chargeNetwork(invoice)
        if let budget = self.budget(network) {
            let fit = ledger.firstFit(key, budget: budget, at: now)
            let waiting = invoice.waitingOn != nil
            // Another attempt waits for this card (first in line, or ahead of this one): this one waits behind it.
            let lineAhead = lines[key].map { $0.head != slot } ?? false
            if fit > now || lineAhead {
                if waiting {
                    // First in line and still no room (a charge the source reported took it): planned again, no new entry.
                    invoices[slot].nextAttemptAt = lineAhead ? nil : fit
                    return nil
                }
                let used = "\(network.rawValue) budget of \(budget.attempts) charges in \(budget.window) for \(Self.describe(key))"
                // A charge whose outcome is unknown is never skipped (that would move on to a new key): it waits.
                switch invoice.unknownRequest == nil ? policy.budgets.whenExceeded : .defer {
                case .defer:
                    invoices[slot].deferrals += 1
                    enqueue(slot, on: key, dueAt: min(invoice.nextAttemptAt ?? now, now), now: now)
                    let detail: String
                    if lines[key]?.head == slot, let at = invoices[slot].nextAttemptAt {
                        detail = "\(used) is used: waits first in the card's line; deferred to \(at)"
                    } else {
                        detail = "\(used) is used or earlier-due attempts wait for it: waits in the card's line (first due, first charged) until the budget has room for it"
                    }
                    emit(slot, DunningEntry(at: now, invoice: id, kind: .deferred, attempt: attempt, detail: detail))
                case .skip:
                    invoices[slot].budgetSkips += 1
                    invoices[slot].attemptsMade = max(invoice.attemptsMade, attempt)
                    invoices[slot].repeatAttempt = nil
                    if invoice.repeatAttempt == nil { invoices[slot].slot += 1 }
                    let why = fit > now ? "\(used) is used" : "\(used) goes first to attempts waiting for it"
                    emit(slot, DunningEntry(at: now, invoice: id, kind: .skipped, attempt: attempt, detail: "\(why): attempt \(attempt) skipped, counted as failed (whenExceeded: skip)"))
                    invoices[slot].attemptsFailed += 1
                    afterFailure(slot, decline: nil, now: now)
                }
                return nil
            }
            ledger.record(key, budget: budget, at: now)
            if waiting { leaveLine(slot, now: now) }
        } else if invoice.waitingOn != nil {
            leaveLine(slot, now: now)
        }
        if invoice.repeatAttempt == nil {
            invoices[slot].attemptsMade = attempt
            invoices[slot].slot += 1
        }
        invoices[slot].charges += 1
        invoices[slot].nextAttemptAt = nil
        let request = invoice.unknownRequest
            ?? ChargeRequest(invoice: id, attempt: attempt, contact: invoice.contact, card: invoice.card, amount: invoice.amount, currency: invoice.currency)
        invoices[slot].inFlight = request
        invoices[slot].inFlightNetwork = network
        return request
    }

    /// The budget key of an invoice's card.
    static func ledgerKey(_ invoice: DunningInvoice) -> CardAttemptLedger.Key {
        invoice.card.map(CardAttemptLedger.Key.card) ?? .invoice(invoice.id)
    }

    static func describe(_ key: CardAttemptLedger.Key) -> String {
        switch key {
        case .card(let id): "card \(id)"
        case .invoice(let id): "the card of invoice \(id)"
        }
    }

    // MARK: - After a failure

    /// A failure was counted (declined, reported, skipped over budget; `decline` nil for a skip):
    /// the card blocks on a hard decline, the attempt rules run, the stage is evaluated, the next attempt planned.
    mutating func afterFailure(_ slot: Int, decline: Decline?, now: Instant) {
        if let decline {
            invoices[slot].lastDecline = decline
            invoices[slot].declineIsCurrent = true
            if decline.declineClass == .hard || decline.declineClass == .updateRequired { invoices[slot].cardBlocked = true }
        }
        let failed = invoices[slot].attemptsFailed
        for rule in policy.attempts where rule.attempt == failed {
            // The rule is for the n-th failure (`failed: n`); the attempt that failed may have another number.
            let made = invoices[slot].attemptsMade
            let source = made == failed ? "attempt \(made) failed" : "failure \(failed) (attempt \(made) \(decline == nil ? "skipped over budget" : "failed"))"
            run(rule.actions, slot: slot, now: now, source: source, keepWhenPaid: false)
        }
        evaluateStage(slot, now: now)
        guard invoices[slot].isOpen else { return }
        planNext(slot, after: now, retryAfter: decline?.declineClass == .retryAfter ? decline?.retryAfter : nil)
    }

    /// Plans the schedule's next place after `now` (or `retryAfter` after it), or ends with the final action.
    mutating func planNext(_ slot: Int, after now: Instant, retryAfter: PolicyDuration?) {
        let invoice = invoices[slot]
        guard invoice.slot + 1 < invoice.schedule.totalAttempts else {
            let why = invoice.cardBlocked
                ? "no card update came before the schedule's last attempt (\(invoice.lastDecline.declineClass.rawValue) decline \(invoice.lastDecline.code))"
                : "the schedule ended after attempt \(invoice.attemptsMade)"
            finish(slot, at: now, reason: why)
            return
        }
        let next = retryAfter.flatMap { DunningPolicy.adding($0, to: now, calendar: calendar) }
            ?? Self.nextSlotTime(invoice, after: now, calendar: calendar)
        guard let next else {
            finish(slot, at: now, reason: "the next attempt would fall after the year 9999")
            return
        }
        invoices[slot].nextAttemptAt = next
    }

    /// The time of the schedule's next place after one at `time`: its gap later (`gaps`), the
    /// window's even share later (`within`); `nil` with no place left.
    static func nextSlotTime(_ invoice: DunningInvoice, after time: Instant, calendar: ZonedCalendar) -> Instant? {
        let index = max(0, invoice.slot)
        switch invoice.schedule {
        case .none: return nil
        case .gaps(let gaps):
            guard index < gaps.count else { return nil }
            return DunningPolicy.adding(gaps[index], to: time, calendar: calendar)
        case .within(let attempts, let window):
            guard attempts > 1, index < attempts - 1 else { return nil }
            guard let share = withinShare(attempts: attempts, window: window, start: invoice.seriesStart, calendar: calendar) else { return nil }
            let (sum, overflow) = time.millisecondsSinceEpoch.addingReportingOverflow(share)
            let next = Instant(millisecondsSinceEpoch: sum)
            return !overflow && next.isSupported ? next : nil
        }
    }

    /// One even share of a `within` window, in milliseconds.
    static func withinShare(attempts: Int, window: PolicyDuration, start: Instant, calendar: ZonedCalendar) -> Int64? {
        guard attempts > 1, let end = DunningPolicy.adding(window, to: start, calendar: calendar) else { return nil }
        return (end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / Int64(attempts - 1)
    }

    /// When an attempt whose outcome is unknown is tried again with no place left in the schedule:
    /// the schedule's last gap later, else one day later.
    static func lastGapTime(_ invoice: DunningInvoice, after time: Instant, calendar: ZonedCalendar) -> Instant {
        switch invoice.schedule {
        case .gaps(let gaps) where !gaps.isEmpty:
            if let next = DunningPolicy.adding(gaps[gaps.count - 1], to: time, calendar: calendar) { return next }
        case .within(let attempts, let window):
            if let share = withinShare(attempts: attempts, window: window, start: invoice.seriesStart, calendar: calendar) {
                let (sum, overflow) = time.millisecondsSinceEpoch.addingReportingOverflow(share)
                if !overflow { return Instant(millisecondsSinceEpoch: sum) }
            }
        default: break
        }
        return DunningPolicy.adding(.days(1), to: time, calendar: calendar) ?? time.adding(seconds: 86_400)
    }

    // MARK: - The end

    /// A charge whose outcome is unknown when the invoice leaves dunning (paid another way,
    /// cancelled, final): it may have gone through, so staff check it and refund it if it did.
    mutating func checkUnknownCharge(_ slot: Int, _ request: ChargeRequest, now: Instant, because: String) {
        invoices[slot].unknownRequest = nil
        invoices[slot].repeatAttempt = nil
        run([Self.unknownChargeTask],
            slot: slot, now: now, source: "outcome unknown: charge \(request.idempotencyKey), \(because)", keepWhenPaid: true)
    }

    /// The final action: the entry, then its actions.
    mutating func finish(_ slot: Int, at now: Instant, reason: String, bound: Bool = false) {
        let final = policy.final
        invoices[slot].status = .final
        invoices[slot].finalKind = final.kind
        invoices[slot].endedAt = now
        invoices[slot].nextAttemptAt = nil
        invoices[slot].nextStageCheck = nil
        invoices[slot].repeatAttempt = nil
        if let pending = invoices[slot].unknownRequest { checkUnknownCharge(slot, pending, now: now, because: "dunning ended (\(reason))") }
        let what = final.kind == .runWorkflow ? "run-workflow \(final.workflow ?? "-")" : final.kind.rawValue
        emit(slot, DunningEntry(at: now, invoice: invoices[slot].id, kind: .final, detail: "\(what): \(reason)"), force: true)
        if !bound { run(final.actions, slot: slot, now: now, source: "final", keepWhenPaid: true) }
    }

    // MARK: - Calendar

    /// `months` calendar months after `time` in the calendar's timezone (the day clamped to the
    /// month's last), or `nil` past the year 9999.
    static func adding(months: Int, to time: Instant, calendar: ZonedCalendar) -> Instant? {
        var civil = calendar.rules.civil(at: time)
        let total = civil.year * 12 + (civil.month - 1) + months
        civil.year = total / 12
        civil.month = total % 12 + 1
        guard civil.year <= 9999 else { return nil }
        while civil.day > 28, !civil.isValidDate { civil.day -= 1 }
        let result = calendar.rules.instant(for: civil)
        return result.isSupported ? result : nil
    }

    // MARK: - Words

    static func describe(_ decline: Decline) -> String {
        var text = "\(decline.code) (\(decline.declineClass.rawValue), \(decline.reason)"
        if let after = decline.retryAfter { text += ", retry after \(after)" }
        return text + ")"
    }

    static func describe(_ schedule: RetrySchedule) -> String {
        switch schedule {
        case .none: "no retries"
        case .gaps(let gaps): "\(gaps.count + 1) attempts, gaps " + gaps.map(\.description).joined(separator: ", ")
        case .within(let attempts, let window): "\(attempts) attempts within \(window)"
        }
    }
}
