extension DunningProcess {
    /// Records the engine enrollment that runs the invoice's schedule (an enrollment of
    /// `DunningPolicy.scheduleWorkflowID`, Docs/dunning.md, "The schedule on the engine") as the
    /// invoice's ``DunningInvoice/enrollment``, and marks the invoice changed, so the next
    /// ``takeChangedInvoices()`` returns it for storing.
    ///
    /// Returns `false` (and changes nothing) when the process holds no invoice `invoice`; attaching
    /// the id the invoice already has changes nothing either. Another id replaces the one before.
    @discardableResult
    public mutating func attach(enrollment: String, toInvoice invoice: String) -> Bool {
        guard let slot = slots[invoice] else { return false }
        guard invoices[slot].enrollment != enrollment else { return true }
        invoices[slot].enrollment = enrollment
        markChanged(slot)
        return true
    }
}
