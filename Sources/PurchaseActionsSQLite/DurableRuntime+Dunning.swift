internal import GRDB
public import PurchaseActionsCore
public import PurchaseActionsDunning
public import PurchaseActionsEngine

// STUB (lead): the lead implements this file (contract /work/contract15.md, "Lead").

/// A charge of a published dunning policy waiting in the outbox for the payment gateway
/// (``DurableRuntime/dueCharges(at:limit:)``).
public struct DueCharge: Hashable, Sendable {
    /// The outbox row's key (``DurableRuntime/recordCharge(_:outboxKey:at:)`` names it).
    public var outboxKey: String
    /// The charge: its `idempotencyKey` is what the gateway sees, the same on every try.
    public var request: ChargeRequest
    /// Which delivery attempt of the row this is, from 1.
    public var attempt: Int

    /// Creates a due charge.
    public init(outboxKey: String, request: ChargeRequest, attempt: Int) {
        self.outboxKey = outboxKey
        self.request = request
        self.attempt = attempt
    }
}

extension DurableRuntime {
    /// Outbox rows of kind `charge` due at `instant`, oldest first, at most `limit`.
    public func dueCharges(at instant: Instant, limit: Int) async throws(StoreError) -> [DueCharge] { fatalError("stub") }

    /// Whether dunning no longer wants the invoice charged (paid another way, recovered, cancelled,
    /// final, or unknown): `SafeCharger`'s `isPaid`, read just before the charge.
    public func isInvoiceSettled(_ invoice: String) async -> Bool { fatalError("stub") }

    /// Records what the gateway said of a due charge, in one transaction with its outbox row
    /// (delivered): the policy's process takes the outcome (`DunningProcess.record`), and what it
    /// makes (timeline entries, actions run as workflows, the next charge) commits with it.
    /// A row that is not pending (recorded already) is left as it is.
    public func recordCharge(_ result: ChargeAttemptResult, outboxKey: String, at instant: Instant) async throws(StoreError) { fatalError("stub") }
}

/// One line of a dunning timeline as stored (``SQLiteStore/dunningTimeline(invoice:limit:)``).
public struct StoredDunningEntry: Hashable, Sendable {
    /// Its place in the store, ascending.
    public var sequence: Int64
    /// The policy version (``StoredDunningPolicy/number``) of the invoice's process.
    public var policyVersion: Int
    /// The entry.
    public var entry: JSONValue

    /// Creates a stored entry.
    public init(sequence: Int64, policyVersion: Int, entry: JSONValue) {
        self.sequence = sequence
        self.policyVersion = policyVersion
        self.entry = entry
    }
}

extension SQLiteStore {
    /// The invoices in dunning, in the order they started: open ones only with `openOnly`, at most `limit`.
    public func dunningInvoices(openOnly: Bool, limit: Int) throws(StoreError) -> [DunningInvoice] { fatalError("stub") }

    /// Timeline entries (of one invoice, or all), oldest first, at most `limit` (the newest ones when more).
    public func dunningTimeline(invoice: String?, limit: Int) throws(StoreError) -> [StoredDunningEntry] { fatalError("stub") }
}
