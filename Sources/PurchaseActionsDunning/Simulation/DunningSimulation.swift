public import PurchaseActionsCore

/// Runs a policy over failures on a virtual clock with a scripted gateway (Docs/dunning-simulation.md):
/// the same `DunningProcess` as the worker, no clock read, nothing charged or sent.
public enum DunningSimulation: Sendable {
    /// The longest run: 3,660 days.
    public static let maxUntil = PolicyDuration.days(3660)
    /// The run without `until`: until every invoice ended, at most 366 days.
    public static let defaultUntil = PolicyDuration.days(366)
    /// The most timeline entries one run writes, all invoices together: 2,000,000 (about 400
    /// bytes of memory each). A run that reaches it with more to run stops there, with ``SimulationResult/stopped``
    /// saying so. (One card updated many times with many open invoices would otherwise grow as
    /// invoices × updates.)
    public static let defaultMaxEntries = 2_000_000

    /// Runs `policy` over `failures` (events of any type, in any order: they are taken in time
    /// order, events of one time in their given order) with a gateway answering from `script`.
    ///
    /// The clock starts at the first `payment.autocharge_failed` (else the first event) and stops
    /// `until` later (calendar days in the policy's timezone; `nil`: ``defaultUntil``, or earlier
    /// when nothing is left to do; more than ``maxUntil`` is read as ``maxUntil``). Events after
    /// the stop are not read. At one instant, events come before the attempts due then (a payment
    /// at 09:00 stops a retry due at 09:00). A charge whose outcome is unknown is looked up once
    /// (the script's `lookup`); still unknown or not found, it is recorded `unknown`.
    public static func run(policy: DunningPolicy, failures: [Event], script: GatewayScript = GatewayScript(), until: PolicyDuration? = nil,
                           calendar: ZonedCalendar, limits: ProcessLimits = .standard,
                           maxEntries: Int = DunningSimulation.defaultMaxEntries) -> SimulationResult {
        // Entries by invoice; consecutive entries are mostly of one invoice, so the last list is reused without hashing.
        var listOf: [String: Int] = [:]
        var lists: [[DunningEntry]] = []
        var last: (invoice: String, list: Int)?
        var result = run(policy: policy, failures: failures, script: script, until: until, calendar: calendar, limits: limits, maxEntries: maxEntries) {
            entry in
            let list: Int
            if let last, last.invoice == entry.invoice {
                list = last.list
            } else if let known = listOf[entry.invoice] {
                list = known
            } else {
                list = lists.count
                lists.append([])
                listOf[entry.invoice] = list
            }
            last = (entry.invoice, list)
            lists[list].append(entry)
        }
        for index in result.invoices.indices {
            guard let list = listOf[result.invoices[index].invoice] else { continue }
            result.invoices[index].entries = lists[list]
            lists[list] = []
        }
        return result
    }

    /// ``run(policy:failures:script:until:calendar:limits:maxEntries:)`` handing each timeline
    /// entry to `entry` as it happens instead of keeping it: the result's invoices (sorted by id,
    /// with their outcomes, and the totals) have no `entries`. An invoice's entries come in its
    /// timeline's order (oldest first), the invoices' entries interleaved as they happened; the
    /// same run always hands the same entries in the same order. What a run keeps in memory then
    /// grows with the invoices (their state and ids), not with their timelines: `dunning simulate`
    /// writes the entries to a file and reads each invoice's back when it prints it.
    public static func run(policy: DunningPolicy, failures: [Event], script: GatewayScript = GatewayScript(), until: PolicyDuration? = nil,
                           calendar: ZonedCalendar, limits: ProcessLimits = .standard,
                           maxEntries: Int = DunningSimulation.defaultMaxEntries,
                           entry: (DunningEntry) -> Void) -> SimulationResult {
        var order = Array(failures.indices)
        order.sort { failures[$0].occurredAt != failures[$1].occurredAt ? failures[$0].occurredAt < failures[$1].occurredAt : $0 < $1 }
        let start = order.first { failures[$0].type == .autochargeFailed }.map { failures[$0].occurredAt } ?? order.first.map { failures[$0].occurredAt }
        guard let start else { return SimulationResult(policy: policy.id, start: nil, end: nil, invoices: [], totals: SimulationTotals()) }
        let span = min(until ?? defaultUntil, maxUntil)
        let end = DunningPolicy.adding(span, to: start, calendar: calendar) ?? Instant.supported.upperBound
        var process = DunningProcess(policy: policy, calendar: calendar, limits: limits)
        var gateway = GatewaySimulator(script: script)
        // What the result needs of the entries: the invoices they name (in the order first named), messages and tasks.
        var seen: Set<String> = []
        var invoiceIDs: [String] = []
        var lastInvoice: String?
        var kept = 0
        var messages = 0
        var tasks = 0
        func keep(_ entries: [DunningEntry]) {
            kept += entries.count
            for item in entries {
                if item.invoice != lastInvoice {
                    if seen.insert(item.invoice).inserted { invoiceIDs.append(item.invoice) }
                    lastInvoice = item.invoice
                }
                if item.kind == .message { messages += 1 }
                if item.kind == .task { tasks += 1 }
                entry(item)
            }
        }
        var next = 0
        var latest = start
        while kept < maxEntries {
            let eventTime = next < order.count && failures[order[next]].occurredAt <= end ? failures[order[next]].occurredAt : nil
            let dueTime = process.nextDue.flatMap { $0 <= end ? $0 : nil }
            if let eventTime, dueTime.map({ eventTime <= $0 }) ?? true {
                let event = failures[order[next]]
                next += 1
                latest = max(latest, eventTime)
                gateway.observe(event)
                keep(process.ingest(event))
            } else if let dueTime {
                latest = max(latest, dueTime)
                let requests = process.due(at: dueTime)
                keep(process.drainEntries())
                for request in requests {
                    var outcome = gateway.charge(request)
                    if case .unknown(let reason) = outcome {
                        switch gateway.status(idempotencyKey: request.idempotencyKey) {
                        case .approved(let charge): outcome = .approved(charge: charge)
                        case .declined(let code, let advice): outcome = .declined(code: code, adviceCode: advice)
                        case .notFound: outcome = .unknown(reason: "\(reason); not found by the status look-up")
                        case .unknown(let again): outcome = .unknown(reason: "\(reason); the status look-up: \(again)")
                        }
                    }
                    keep(process.record(request, outcome: outcome, at: dueTime))
                }
            } else {
                break
            }
        }
        // Without `until`, a run whose invoices all ended (nothing due, no event left) ends with the
        // last thing that happened; else at the limit.
        let finished = until == nil && process.nextDue == nil && next >= order.count
        // Stopped at the bound only when something was still to run by the end.
        let more = (process.nextDue.map { $0 <= end } ?? false) || (next < order.count && failures[order[next]].occurredAt <= end)
        let stopped = kept >= maxEntries && more
        var result = result(policy: policy, process: process, invoices: invoiceIDs, start: start, end: finished || stopped ? latest : end)
        result.totals.messages = messages
        result.totals.tasks = tasks
        if stopped {
            result.stopped = "the run reached \(maxEntries) timeline entries (the bound, about 400 bytes of memory each) with more to run, and stopped at \(latest); simulate fewer failures, or a shorter --until"
        }
        return result
    }

    /// The invoices' outcomes (without entries), sorted by id, and the totals but messages and tasks.
    static func result(policy: DunningPolicy, process: DunningProcess, invoices ids: [String], start: Instant, end: Instant)
        -> SimulationResult
    {
        var totals = SimulationTotals()
        var invoices: [InvoiceTimeline] = []
        invoices.reserveCapacity(ids.count)
        for id in ids {
            guard let invoice = process.invoice(id) else {
                totals.ignored += 1
                invoices.append(InvoiceTimeline(invoice: id, outcome: "ignored", charges: 0, entries: []))
                continue
            }
            totals.managed += 1
            totals.charges += invoice.charges
            totals.deferrals += invoice.deferrals
            totals.budgetSkips += invoice.budgetSkips
            switch invoice.status {
            case .open: totals.open += 1
            case .recovered:
                totals.recovered += 1
                let sum = (totals.recoveredAmounts[invoice.currency] ?? 0).addingReportingOverflow(invoice.amount)
                totals.recoveredAmounts[invoice.currency] = sum.overflow ? Int.max : sum.partialValue
            case .paidElsewhere: totals.paidElsewhere += 1
            case .cancelled: totals.cancelled += 1
            case .final: totals.finals[invoice.finalKind ?? policy.final.kind, default: 0] += 1
            }
            invoices.append(InvoiceTimeline(
                invoice: id, contact: invoice.contact, amount: invoice.amount, currency: invoice.currency, outcome: invoice.status.rawValue,
                finalKind: invoice.finalKind, recoveredAttempt: invoice.status == .recovered ? invoice.recoveredAttempt : nil,
                charges: invoice.charges, entries: []))
        }
        totals.invoices = invoices.count
        invoices.sort { $0.invoice.utf8.lexicographicallyPrecedes($1.invoice.utf8) }
        return SimulationResult(policy: policy.id, start: start, end: end, invoices: invoices, totals: totals)
    }
}
