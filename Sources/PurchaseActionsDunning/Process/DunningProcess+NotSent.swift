public import PurchaseActionsCore

/// Charges in flight that never reached the payment gateway ("not sent": the gateway unreachable,
/// Docs/payment-gateway.md). The process hands a charge out with ``DunningProcess/due(at:)`` and
/// waits for its outcome; a charge the caller could not send charged nothing, so the caller may
/// give it back here instead of recording an outcome: at the invoice's age limit
/// (``settleNotSent(_:at:reason:)``) and on a card update (``withdrawNotSent(_:at:reason:)``).
/// The caller must know that *every* try of the charge was not sent (a try whose outcome was not
/// recorded, cut short by a crash, may have charged): the durable runtime keeps that in the outbox row.
extension DunningProcess {
    /// Settles the charge in flight `request`, whose every try was not sent, when the invoice is
    /// past its age limit (`maxInvoiceAgeMonths`) at `now`: as an attempt due past the limit is
    /// settled, the attempt is `skipped` ("older than N months … not charged"), then the final
    /// action runs. Returns the entries made; `nil` (nothing changed) when `request` is not the
    /// charge in flight of an open invoice, or the invoice is not past its age limit at `now`.
    ///
    /// A repeat of a charge whose outcome was unknown settles the same way: the final action's
    /// staff task says to check whether the first try went through, as when dunning ends with
    /// such a charge pending.
    public mutating func settleNotSent(_ request: ChargeRequest, at now: Instant, reason: String) -> [DunningEntry]? {
        guard let slot = slots[request.invoice], invoices[slot].isOpen, invoices[slot].inFlight == request,
            let limit = invoices[slot].ageLimitAt, now >= limit
        else { return nil }
        invoices[slot].inFlight = nil
        emit(slot, DunningEntry(at: now, invoice: request.invoice, kind: .skipped, attempt: request.attempt,
                                detail: "the invoice is older than \(policy.maxInvoiceAgeMonths ?? 0) months (maxInvoiceAgeMonths) and its charge \(request.idempotencyKey) was never sent (the payment gateway was not reached: \(reason)): not charged"))
        finish(slot, at: now, reason: "the invoice is older than maxInvoiceAgeMonths")
        reschedule(slot, now: now)
        cleanQueue()
        return takeEntries()
    }

    /// Takes back the charge in flight `request`, never tried or whose every try was not sent
    /// (`reason` says which, as the entry shows it), so the invoice's
    /// attempt can be planned again (a card update: the new card is charged, not the old one).
    /// The attempt is `skipped` (not charged, not failed: no failure is counted, no attempt rule
    /// runs) and the invoice's next attempt is due at `now`; ``ingest(_:)`` of the card update
    /// then plans it by the policy's `cardUpdate` rule, with the next attempt number (a new
    /// idempotency key: the gateway may have kept the old one with its 503). The charge stays
    /// counted in the card's network budget (it never reached the network: the budget is only
    /// ever under-used). Returns the entries made; `nil` (nothing changed) when `request` is not the
    /// charge in flight of an open invoice, or is a repeat of a charge whose outcome was unknown
    /// (that one is charged again as it was before a new card is used: it may have gone through).
    public mutating func withdrawNotSent(_ request: ChargeRequest, at now: Instant, reason: String) -> [DunningEntry]? {
        guard let slot = slots[request.invoice], invoices[slot].isOpen, invoices[slot].inFlight == request,
            invoices[slot].unknownRequest == nil
        else { return nil }
        invoices[slot].inFlight = nil
        invoices[slot].nextAttemptAt = now
        emit(slot, DunningEntry(at: now, invoice: request.invoice, kind: .skipped, attempt: request.attempt,
                                detail: "the charge \(request.idempotencyKey) on card \(request.card ?? "-") was never sent (\(reason)): dropped, not charged; the attempt is planned again"))
        reschedule(slot, now: now)
        cleanQueue()
        return takeEntries()
    }

    /// The charges in flight of the open invoices of the contact `event` names (its id, else its
    /// email), in the order the invoices started: what a `payment_method.updated` event for that
    /// contact finds in flight. Repeats of charges whose outcome was unknown are left out
    /// (``withdrawNotSent(_:at:reason:)`` never takes them back).
    public func chargesInFlight(forContactOf event: Event) -> [ChargeRequest] {
        let contact = Self.contactKey(event.contact)
        return (byContact[contact] ?? []).compactMap { slot in
            let invoice = invoices[slot]
            guard invoice.isOpen, invoice.unknownRequest == nil else { return nil }
            return invoice.inFlight
        }
    }
}

extension DunningInvoice {
    /// When the invoice passes the policy's age limit (`maxInvoiceAgeMonths` calendar months after
    /// the first failure, in the policy's timezone): no attempt is charged from then on. `nil`
    /// without a limit.
    public var ageLimit: Instant? { ageLimitAt }
}
