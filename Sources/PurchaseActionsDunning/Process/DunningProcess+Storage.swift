public import PurchaseActionsCore

// STUB (lead): helper A implements this file (contract /work/contract15.md, "A").

extension DunningInvoice {
    /// The invoice's whole state, the process's own bookkeeping included, as JSON: what the
    /// durable runtime stores, and ``init(storageJSON:)`` reads back exactly.
    public var storageJSON: JSONValue { fatalError("stub") }

    /// Reads an invoice written by ``storageJSON``; a document that is not one throws
    /// `invalid-stored-invoice` with the JSON path.
    public init(storageJSON: JSONValue) throws(DunningError) { fatalError("stub") }
}

extension DunningProcess {
    /// A process holding `invoices` (as ``DunningInvoice/storageJSON`` kept them) and `ledger`:
    /// it goes on exactly as the process they were taken from would have.
    public init(
        policy: DunningPolicy, calendar: ZonedCalendar, limits: ProcessLimits = .standard, restoring invoices: [DunningInvoice],
        ledger: CardAttemptLedger
    ) throws(DunningError) {
        fatalError("stub")
    }

    /// The invoices changed since the last call (state, timeline count or wake-up), in the order
    /// they started; the durable runtime stores them in the transaction of the change.
    public mutating func takeChangedInvoices() -> [DunningInvoice] { fatalError("stub") }

    /// The card-attempt ledger. A runtime with several policy versions moves one ledger between
    /// their processes (`swap`), so a card's budget holds across all of them.
    public var sharedLedger: CardAttemptLedger {
        get { fatalError("stub") }
        set { fatalError("stub") }
    }
}
