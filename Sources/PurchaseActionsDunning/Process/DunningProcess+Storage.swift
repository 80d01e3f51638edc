public import PurchaseActionsCore

extension DunningProcess {
    /// A process holding `invoices` (as ``DunningInvoice/storageJSON`` kept them, in any order)
    /// and `ledger`: it goes on exactly as the process they were taken from would have, when
    /// `invoices` are all the invoices that process held (ended ones too: a payment or failure
    /// for an ended invoice, and a new invoice of a contact whose invoices all ended, need them).
    ///
    /// The invoices take their places in the order they started (their stored `sequence`); each
    /// contact's tags (for a policy with tag conditions) are those stored with the contact's most
    /// recently written invoice; the due times are rebuilt from the invoices' wake-up times.
    /// Throws `invalid-stored-invoice` for two invoices with one id or one `sequence`, or more
    /// than `limits.maxInvoices` invoices.
    public init(
        policy: DunningPolicy, calendar: ZonedCalendar, limits: ProcessLimits = .standard, restoring invoices: [DunningInvoice],
        ledger: CardAttemptLedger
    ) throws(DunningError) {
        self.init(policy: policy, calendar: calendar, limits: limits)
        guard invoices.count <= limits.maxInvoices else {
            throw DunningError(
                "invalid-stored-invoice", "\(invoices.count) stored invoices, more than the process's \(limits.maxInvoices) (maxInvoices)")
        }
        let ordered = invoices.sorted { $0.sequence < $1.sequence }
        var latestTags: [String: DunningInvoice.StoredTags] = [:]
        self.invoices.reserveCapacity(ordered.count)
        for var invoice in ordered {
            guard slots[invoice.id] == nil else {
                throw DunningError("invalid-stored-invoice", "two stored invoices have the id '\(DisplayText.escape(invoice.id))'")
            }
            if let last = self.invoices.last, last.sequence == invoice.sequence {
                throw DunningError(
                    "invalid-stored-invoice",
                    "the stored invoices '\(DisplayText.escape(last.id))' and '\(DisplayText.escape(invoice.id))' have the same sequence \(invoice.sequence)")
            }
            if let stored = invoice.storedTags {
                storageWrites = max(storageWrites, stored.written)
                if usesTags, stored.written >= latestTags[invoice.contact]?.written ?? Int.min { latestTags[invoice.contact] = stored }
                invoice.storedTags = nil
            }
            let slot = self.invoices.count
            self.invoices.append(invoice)
            slots[invoice.id] = slot
            byContact[invoice.contact, default: []].append(slot)
            if let subscription = invoice.subscription { bySubscription[subscription, default: []].append(slot) }
            if let wake = invoice.wakeAt { queue.push(DueQueue.Item(time: wake, invoice: invoice.id, slot: slot)) }
        }
        if usesTags {
            for contact in byContact.keys { contactTags[contact] = Set(latestTags[contact]?.tags ?? []) }
        }
        nextSequence = (ordered.last?.sequence).map { min($0, Int.max - 1) + 1 } ?? 0
        slotChanged = Array(repeating: false, count: self.invoices.count)
        self.ledger = ledger
        rebuildLines()
        ledgerKeysAtLastPrune = max(1024, ledger.keyCount)
    }

    /// The invoices changed since the last call (state, timeline count or wake-up), in the order
    /// they started; the durable runtime stores their ``DunningInvoice/storageJSON`` in the
    /// transaction of the change. Every invoice whose stored form would differ is there (an
    /// invoice touched by a call may be there unchanged). For a policy with tag conditions each
    /// carries its contact's tags, numbered with this call, so a restore takes the latest.
    public mutating func takeChangedInvoices() -> [DunningInvoice] {
        guard !changedSlots.isEmpty else { return [] }
        changedSlots.sort()
        if usesTags { storageWrites += 1 }
        var result: [DunningInvoice] = []
        result.reserveCapacity(changedSlots.count)
        for slot in changedSlots {
            slotChanged[slot] = false
            var invoice = invoices[slot]
            if usesTags {
                let tags = (contactTags[invoice.contact] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                invoice.storedTags = DunningInvoice.StoredTags(tags: tags, written: storageWrites)
            }
            result.append(invoice)
        }
        changedSlots.removeAll(keepingCapacity: true)
        return result
    }

    /// The card-attempt ledger. A runtime with several policy versions moves one ledger between
    /// their processes (`swap`), so a card's budget holds across all of them; its
    /// `takeChangedKeys()` says which entries to store.
    public var sharedLedger: CardAttemptLedger {
        get { ledger }
        set { ledger = newValue }
        _modify { yield &ledger }
    }

    /// Notes that the invoice in `slot` changed, for ``takeChangedInvoices()``.
    @inline(__always)
    mutating func markChanged(_ slot: Int) {
        if slot >= slotChanged.count { slotChanged.append(contentsOf: repeatElement(false, count: slot + 1 - slotChanged.count)) }
        guard !slotChanged[slot] else { return }
        slotChanged[slot] = true
        changedSlots.append(slot)
    }
}
