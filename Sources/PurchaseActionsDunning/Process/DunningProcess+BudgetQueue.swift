import PurchaseActionsCore

/// The attempts waiting for one card's network budget (Docs/dunning.md, "Card-network budgets"):
/// first in, first out by the time each attempt became due, ties by invoice id. Only the first
/// in line (the head) has a planned attempt time: the instant the budget's window frees a slot.
/// The line is state derived from the invoices (their `waitingOn` and `waitingSince`), so a
/// restored process rebuilds it.
struct BudgetLine: Sendable, Hashable {
    /// The waiting attempts; an item is stale once its invoice no longer waits on this card since that time.
    var items = DueQueue()
    /// The slot of the invoice first in line, whose attempt is planned.
    var head: Int?
}

extension DunningProcess {
    /// The budget key an invoice's next charge counts against: the card of a charge to repeat
    /// (its outcome was unknown), else the invoice's card.
    static func chargeKey(_ invoice: DunningInvoice) -> CardAttemptLedger.Key {
        invoice.unknownRequest.map { request in request.card.map(CardAttemptLedger.Key.card) ?? .invoice(invoice.id) } ?? ledgerKey(invoice)
    }

    /// The network whose budget that charge uses.
    static func chargeNetwork(_ invoice: DunningInvoice) -> CardNetwork {
        invoice.unknownRequest == nil ? invoice.network : invoice.unknownNetwork
    }

    /// Whether the invoice in `slot` still waits in the line of `key` since `time`.
    func waits(_ slot: Int, on key: CardAttemptLedger.Key, since time: Instant) -> Bool {
        invoices[slot].isOpen && invoices[slot].waitingOn == key && invoices[slot].waitingSince == time
    }

    /// Puts the invoice's attempt, due since `dueAt`, in the line of `key`; it gets a planned time
    /// only when it is (or becomes) first in line.
    mutating func enqueue(_ slot: Int, on key: CardAttemptLedger.Key, dueAt: Instant, now: Instant) {
        invoices[slot].waitingOn = key
        invoices[slot].waitingSince = dueAt
        invoices[slot].nextAttemptAt = nil
        lines[key, default: BudgetLine()].items.push(DueQueue.Item(time: dueAt, invoice: invoices[slot].id, slot: slot))
        refreshHead(key, now: now)
    }

    /// Takes the invoice out of its line (its attempt was charged, or it left dunning, or its card
    /// changed); when it was first, the next in line gets its planned time.
    mutating func leaveLine(_ slot: Int, now: Instant) {
        guard let key = invoices[slot].waitingOn else { return }
        invoices[slot].waitingOn = nil
        invoices[slot].waitingSince = nil
        markChanged(slot)
        if lines[key]?.head == slot { lines[key]?.head = nil }
        refreshHead(key, now: now)
    }

    /// Makes the first valid item of the line its head: the old head (if it still waits) loses its
    /// planned time, the new one gets the first instant the budget has room (`now` at the earliest).
    mutating func refreshHead(_ key: CardAttemptLedger.Key, now: Instant) {
        guard var line = lines[key] else { return }
        while let top = line.items.top, !waits(top.slot, on: key, since: top.time) { _ = line.items.pop() }
        let head = line.items.top?.slot
        let old = line.head
        line.head = head
        lines[key] = head == nil ? nil : line
        guard head != old else { return }
        if let old, invoices[old].waitingOn == key, invoices[old].isOpen {
            invoices[old].nextAttemptAt = nil
            reschedule(old, now: now)
        }
        if let head {
            let invoice = invoices[head]
            let fit = budget(Self.chargeNetwork(invoice)).map { ledger.firstFit(key, budget: $0, at: now) } ?? now
            invoices[head].nextAttemptAt = max(fit, now)
            reschedule(head, now: now)
        }
    }

    /// Rebuilds the lines from the invoices' `waitingOn` / `waitingSince` (a restored process).
    mutating func rebuildLines() {
        for slot in invoices.indices where invoices[slot].isOpen {
            guard let key = invoices[slot].waitingOn, let since = invoices[slot].waitingSince else { continue }
            lines[key, default: BudgetLine()].items.push(DueQueue.Item(time: since, invoice: invoices[slot].id, slot: slot))
        }
        // The stored head is the invoice first in line (it has the planned time); nothing is changed here.
        for (key, line) in lines {
            var line = line
            line.head = line.items.top?.slot
            lines[key] = line
        }
    }
}
