public import PurchaseActionsCore

/// The dunning of many invoices under one policy, as a pure state machine: events go in
/// (``ingest(_:)``), due attempts come out as charge requests (``due(at:)``), their outcomes go
/// back in (``record(_:outcome:at:)``), and every step returns the timeline entries it made.
/// Time is injected: nothing here reads a clock, and the same calls give the same entries.
///
/// ```swift
/// var process = DunningProcess(policy: policy, calendar: ZonedCalendar(rules: .utc))
/// var gateway = GatewaySimulator(script: script)
/// var timeline = process.ingest(failure)  // started: attempt 1 failed
/// while let time = process.nextDue {
///     let requests = process.due(at: time)
///     timeline += process.drainEntries()  // deferred, skipped, messages, stages, finals
///     for request in requests {
///         timeline += process.record(request, outcome: gateway.charge(request), at: time)
///     }
/// }
/// ```
///
/// The rules (Docs/dunning.md, "How dunning runs"):
///
/// - `payment.autocharge_failed` attempt n of an invoice not managed yet starts dunning with n
///   attempts failed, unless `payment.index` is 1 (a failed initial order is never retried, the
///   legacy rule) or the plan (`subscription.plan`, else `order.paymentPlan`) has `autocharge:
///   false`: both `ignored`. For a managed invoice it is the source reporting an attempt: recorded
///   against it (`reported`); an attempt past those made so far is adopted as that attempt (a
///   failure) and the schedule continues from it; never a second series.
/// - `payment.autocharge_recovered` (`recovered`), or `payment.succeeded` / `subscription.renewed`
///   naming the invoice in `payment.invoice` (`paid-elsewhere`): dunning stops, the stage clears,
///   the policy's `recovered` actions run; customer messages of the dunning still waiting for the
///   send window are not sent (`skipped`).
/// - `payment_method.updated`: every open invoice of the contact gets the new card, unblocked,
///   and the `cardUpdate` rule applies: with `reset: [schedule]` a new series starts at the update
///   (the retry then is its first attempt, the schedule's gaps follow); without it, the retry
///   takes the next attempt of the schedule. With `reset: [stage]` the stage clears and stage
///   conditions count failures and days from the update.
/// - `subscription.cancelled`: the subscription's open invoices stop (`skipped`, no final action).
/// - An attempt when due: an invoice past `maxInvoiceAgeMonths` (calendar months from the first
///   failure) is `skipped`, then final; a blocked card (hard or update-required decline) makes the
///   attempt `skipped` (it uses its place in the schedule, so the final action comes when the
///   schedule's last attempt time passes); a card whose network budget is full `deferred` to the
///   first time it fits (or `skipped`, counting as a failed attempt, with `whenExceeded: skip`);
///   else a charge with the key `<invoice>/attempt-<n>`.
/// - A decline is classed with `DeclineTable.standard` and the policy's `declines`: `hard` and
///   `update-required` block the card; `retry-after` sets the next attempt's time (it still takes
///   the next place in the schedule); `soft` waits for the next gap; with no place left, the final
///   action. An `unknown` outcome (the caller has asked the gateway's status and still does not
///   know, or nothing was found) charges the same attempt with the same key again after the next
///   gap, at most `maxUnknownRepeats` times, then a staff task and the final action: never a new
///   key while an attempt's outcome is unknown.
/// - Stages are evaluated after every change and at the local midnights their
///   `daysSinceFirstFailure` needs; entering one runs its actions. Customer messages (email, SMS)
///   wait for the send window: their entry's `at` is when they go.
public struct DunningProcess: Sendable {
    /// The policy.
    public let policy: DunningPolicy
    /// The calendar of the policy's timezone: day gaps, day boundaries, the send window.
    public let calendar: ZonedCalendar
    /// The bounds.
    public let limits: ProcessLimits

    var invoices: [DunningInvoice] = []
    var slots: [String: Int] = [:]
    var byContact: [String: [Int]] = [:]
    var bySubscription: [String: [Int]] = [:]
    var contactTags: [String: Set<String>] = [:]
    var queue = DueQueue()
    var ledger = CardAttemptLedger()
    /// The attempts waiting for each card's network budget (DunningProcess+BudgetQueue.swift).
    var lines: [CardAttemptLedger.Key: BudgetLine] = [:]
    var ledgerKeysAtLastPrune = 1024
    var pending: [DunningEntry] = []
    /// Change tracking for storage (DunningProcess+Storage.swift): the slots changed since the last
    /// `takeChangedInvoices()`, a flag per slot, the next invoice's `sequence`, the writes made.
    var changedSlots: [Int] = []
    var slotChanged: [Bool] = []
    var nextSequence = 0
    var storageWrites = 0
    /// `daysSinceFirstFailure` thresholds of the stages, ascending.
    let dayThresholds: [Int]
    let usesTags: Bool

    /// A process with no invoice.
    public init(policy: DunningPolicy, calendar: ZonedCalendar, limits: ProcessLimits = .standard) {
        self.policy = policy
        self.calendar = calendar
        self.limits = limits
        var days: Set<Int> = []
        var tags = false
        func walk(_ condition: StageCondition) {
            switch condition {
            case .all(let list), .any(let list): list.forEach(walk)
            case .daysSinceFirstFailure(let n): days.insert(n)
            case .hasTag, .lacksTag: tags = true
            default: break
            }
        }
        policy.stages.forEach { walk($0.when) }
        dayThresholds = days.sorted()
        usesTags = tags
    }

    /// The invoice with this id, if the process manages it.
    public func invoice(_ id: String) -> DunningInvoice? { slots[id].map { invoices[$0] } }

    /// Every invoice the process manages, in the order they started.
    public var allInvoices: [DunningInvoice] { invoices }

    /// The earliest time something is due (an attempt, a message, a stage boundary), or `nil`.
    public var nextDue: Instant? { queue.top?.time }

    /// The entries ``due(at:)`` made (deferred, skipped, messages, stages, finals), oldest first,
    /// and forgets them.
    public mutating func drainEntries() -> [DunningEntry] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// The budget of a network under the policy.
    func budget(_ network: CardNetwork) -> NetworkBudget? { policy.budgets.budget(for: network) }

    // MARK: - Entries

    /// Adds an entry to the invoice's timeline, within `maxEntries` (the last place is kept for the final entry).
    mutating func emit(_ slot: Int, _ entry: DunningEntry, force: Bool = false) {
        if !force, invoices[slot].entryCount >= limits.maxEntries - 1 {
            invoices[slot].entryLimitHit = true
            return
        }
        invoices[slot].entryCount += 1
        pending.append(entry)
    }

    /// An entry of an event about an invoice the process does not manage (no timeline bound applies: it has no state).
    mutating func emitLoose(_ entry: DunningEntry) { pending.append(entry) }

    /// Takes the entries made so far (ingest and record return them).
    mutating func takeEntries() -> [DunningEntry] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    // MARK: - Wake-ups

    /// Computes the invoice's next wake-up and queues it; ends it at the entry bound.
    mutating func reschedule(_ slot: Int, now: Instant) {
        markChanged(slot)  // every change of an invoice ends here
        if invoices[slot].entryLimitHit, invoices[slot].isOpen {
            finish(slot, at: now, reason: "the timeline reached \(limits.maxEntries) entries: dunning stops here", bound: true)
        }
        if !invoices[slot].isOpen, invoices[slot].waitingOn != nil { leaveLine(slot, now: now) }
        var wake: Instant? = invoices[slot].pendingMessages.first?.at
        if invoices[slot].status == .open {
            if invoices[slot].inFlight == nil, let next = invoices[slot].nextAttemptAt { wake = min(wake ?? next, next) }
            if let check = invoices[slot].nextStageCheck { wake = min(wake ?? check, check) }
            // An attempt waiting in its card's line still ends at the invoice's age limit.
            if invoices[slot].waitingOn != nil, let limit = invoices[slot].ageLimitAt { wake = min(wake ?? limit, limit) }
        }
        guard wake != invoices[slot].wakeAt else { return }
        invoices[slot].wakeAt = wake
        if let wake { queue.push(DueQueue.Item(time: wake, invoice: invoices[slot].id, slot: slot)) }
    }

    /// Pops stale queue entries so ``nextDue`` is exact.
    mutating func cleanQueue() {
        while let top = queue.top, invoices[top.slot].wakeAt != top.time { _ = queue.pop() }
    }
}
