public import PurchaseActionsCore

/// One invoice's run in a simulation: who, how much, how it ended, and its timeline.
public struct InvoiceTimeline: Hashable, Sendable {
    /// The invoice.
    public var invoice: String
    /// The contact, for invoices the process managed.
    public var contact: String?
    /// The amount due in minor units, for invoices the process managed.
    public var amount: Int?
    /// The currency, for invoices the process managed.
    public var currency: String?
    /// `recovered`, `paid-elsewhere`, `final`, `cancelled`, `open` (still in dunning at the end), or
    /// `ignored` (never managed: a failed initial order, a plan not autocharged, past the invoice bound).
    public var outcome: String
    /// The final action's kind, for `final`.
    public var finalKind: FinalAction.Kind?
    /// The attempt that recovered it, for `recovered`.
    public var recoveredAttempt: Int?
    /// Charge calls made for it.
    public var charges: Int
    /// Its entries, oldest first.
    public var entries: [DunningEntry]

    /// `recovered (attempt 3)`, `final (keep-past-due)`, or the outcome.
    public var summary: String {
        if let recoveredAttempt, outcome == "recovered" { return "recovered (attempt \(recoveredAttempt))" }
        if let finalKind, outcome == "final" { return "final (\(finalKind.rawValue))" }
        return outcome
    }

    /// `{"invoice", "contact", "amount": {"minor", "currency"}, "outcome", "finalKind", "recoveredAttempt", "charges", "entries": [...]}`.
    public var json: JSONValue {
        .members([
            "invoice": invoice.json, "contact": contact.json,
            "amount": amount.map { JSONValue.members(["minor": $0.json, "currency": (currency ?? "").json]) },
            "outcome": outcome.json, "finalKind": finalKind?.rawValue.json, "recoveredAttempt": recoveredAttempt.json, "charges": charges.json,
            "entries": .array(entries.map(\.json)),
        ])
    }
}

/// The totals of a simulation.
public struct SimulationTotals: Hashable, Sendable {
    /// Invoices seen (managed and ignored).
    public var invoices = 0
    /// Invoices the policy managed (in dunning at some point).
    public var managed = 0
    /// Invoices ignored (a failed initial order, a plan not autocharged, past the invoice bound).
    public var ignored = 0
    /// Invoices recovered: a retry charged them, or the source reported an automatic charge succeeded (`payment.autocharge_recovered`).
    public var recovered = 0
    /// The amounts recovered, minor units per currency (saturating).
    public var recoveredAmounts: [String: Int] = [:]
    /// Invoices paid another way while in dunning (`payment.succeeded` or `subscription.renewed` naming the invoice).
    public var paidElsewhere = 0
    /// Invoices whose subscription was cancelled while in dunning.
    public var cancelled = 0
    /// Invoices that reached the final action, per kind.
    public var finals: [FinalAction.Kind: Int] = [:]
    /// Invoices still in dunning at the end of the run.
    public var open = 0
    /// Charge calls to the gateway (an attempt charged again after an unknown outcome counts once per call).
    public var charges = 0
    /// Attempts a card-network budget deferred (each deferral counts).
    public var deferrals = 0
    /// Attempts a card-network budget skipped (`whenExceeded: skip`).
    public var budgetSkips = 0
    /// Customer messages sent.
    public var messages = 0
    /// Staff tasks created.
    public var tasks = 0

    /// Creates empty totals.
    public init() {}

    /// Invoices that reached the final action.
    public var finalCount: Int { finals.values.reduce(0, +) }

    /// Charges made per invoice recovered, to two decimals (`"2.50"`), or `nil` with none recovered.
    public var attemptsPerRecovery: String? {
        guard recovered > 0 else { return nil }
        let hundredths = (charges.multipliedReportingOverflow(by: 100).partialValue + recovered / 2) / recovered
        let cents = hundredths % 100
        return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The totals as JSON (keys sorted when written).
    public var json: JSONValue {
        var finals: [String: JSONValue] = [:]
        for (kind, count) in self.finals { finals[kind.rawValue] = count.json }
        var amounts: [String: JSONValue] = [:]
        for (currency, amount) in recoveredAmounts { amounts[currency] = amount.json }
        return .members([
            "invoices": invoices.json, "managed": managed.json, "ignored": ignored.json,
            "recovered": .members(["count": recovered.json, "amounts": .object(amounts)]), "paidElsewhere": paidElsewhere.json,
            "cancelled": cancelled.json, "finals": .object(finals), "open": open.json, "charges": charges.json,
            "attemptsPerRecovery": attemptsPerRecovery.map { $0.json } ?? .null, "deferrals": deferrals.json, "budgetSkips": budgetSkips.json,
            "messages": messages.json, "tasks": tasks.json,
        ])
    }
}

/// What a simulation gives: each invoice's timeline, sorted by invoice id, and the totals.
public struct SimulationResult: Hashable, Sendable {
    /// The policy's id.
    public var policy: String
    /// The first failure (the virtual clock's start), `nil` with no failure.
    public var start: Instant?
    /// Where the virtual clock stopped at the latest (`until` after the start).
    public var end: Instant?
    /// The timelines, sorted by invoice id (bytewise).
    public var invoices: [InvoiceTimeline]
    /// The totals.
    public var totals: SimulationTotals
    /// Why the run stopped before its end (``DunningSimulation/defaultMaxEntries``), or `nil`.
    public var stopped: String?

    /// Creates a result.
    public init(policy: String, start: Instant?, end: Instant?, invoices: [InvoiceTimeline], totals: SimulationTotals) {
        self.policy = policy
        self.start = start
        self.end = end
        self.invoices = invoices
        self.totals = totals
    }

    /// `{"policy", "start", "end", "invoices": [...], "totals": {...}}`; the same run always gives the same bytes (`canonicalText`).
    public var json: JSONValue {
        .members([
            "policy": policy.json, "start": start?.description.json, "end": end?.description.json, "invoices": .array(invoices.map(\.json)),
            "totals": totals.json, "stopped": stopped?.json,
        ])
    }
}
