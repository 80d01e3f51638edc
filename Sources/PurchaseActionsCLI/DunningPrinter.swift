import CommandLineSupport
import PurchaseActionsCore
import PurchaseActionsDunning

/// Prints a dunning simulation for people (Docs/dunning-simulation.md, "Text output"): each
/// invoice's timeline, times in the policy's timezone, then the totals, or two runs' totals side by
/// side. Every line goes through ``Terminal/line(_:)``, so no value can forge a line.
struct DunningPrinter {
    /// The policy's calendar, for local times.
    var calendar: ZonedCalendar

    /// One block per invoice: a header (invoice, contact, amount, outcome), then a line per entry.
    func timelines(_ result: SimulationResult) {
        for timeline in result.invoices {
            var header = [timeline.invoice]
            if let contact = timeline.contact { header.append("contact \(contact)") }
            if let amount = timeline.amount, let currency = timeline.currency { header.append(Self.money(amount, currency)) }
            header.append(timeline.summary)
            Terminal.line(header.joined(separator: "  "))
            for entry in timeline.entries { Terminal.line("  " + line(entry)) }
            Terminal.blankLine()
        }
    }

    /// `time  label  what`: the entry in words.
    func line(_ entry: DunningEntry) -> String {
        let time = entry.at.rfc3339(offsetSeconds: calendar.rules.offset(at: entry.at))
        let label: String
        switch entry.kind {
        case .attempt: label = "attempt \(entry.attempt.map(String.init) ?? "?")"
        case .reported: label = "reported \(entry.attempt.map(String.init) ?? "?")"
        default: label = entry.kind.rawValue
        }
        // The entry's own words say what and why (the decline and its class, the action, the stage);
        // an entry without them is described from its fields.
        var text = localTimes(entry)
        if text.isEmpty {
            var parts: [String] = []
            if let outcome = entry.outcome { parts.append(outcome) }
            if let decline = entry.decline { parts.append(Self.decline(decline)) }
            if entry.kind == .stage { parts.append(entry.stage.map { "entered \($0)" } ?? "cleared") }
            if let action = entry.action { parts.append(Self.describe(action)) }
            text = parts.joined(separator: "; ")
        }
        return time + "  " + Self.pad(label, 14) + "  " + text
    }

    /// The entry's detail with the times the process writes in it (UTC) in the policy's timezone,
    /// as the entry's own time: the end of a `deferred` entry (`…: deferred to <time>`) and of an
    /// unknown outcome's retry (`… at <time> (1 of 3)`). Only those places are read, so an id that
    /// looks like a time is never changed; with no timezone (UTC) the detail is as written.
    func localTimes(_ entry: DunningEntry) -> String {
        let detail = entry.detail
        // Most details hold no time at all (no `Z`): nothing to search (about 9 % of a 100,000
        // subscription simulation went to the searches below).
        guard detail.utf8.contains(UInt8(ascii: "Z")) else { return detail }
        func local(_ text: Substring) -> String? {
            guard text.hasSuffix("Z"), let parsed = Instant.parseRFC3339(String(text)), parsed.offsetSeconds == 0 else { return nil }
            return parsed.instant.rfc3339(offsetSeconds: calendar.rules.offset(at: parsed.instant))
        }
        switch entry.kind {
        case .deferred:
            guard let marker = detail.ranges(of: " deferred to ").last, let time = local(detail[marker.upperBound...]) else { return detail }
            return String(detail[..<marker.upperBound]) + time
        case .repeatCharge, .skipped, .attempt:
            // `… at <time> (<n> of <m>)`
            guard let marker = detail.ranges(of: " at ").last else { return detail }
            let rest = detail[marker.upperBound...]
            guard let space = rest.firstIndex(of: " "), let time = local(rest[..<space]) else { return detail }
            let tail = rest[space...]
            guard tail.hasPrefix(" ("), tail.hasSuffix(")"), tail.dropFirst(2).dropLast().split(separator: " ").count == 3 else { return detail }
            return String(detail[..<marker.upperBound]) + time + String(tail)
        default:
            return detail
        }
    }

    /// `text` with spaces after it up to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

    /// `insufficient_funds (soft)`, `do_not_honor, advice 25 (retry-after 24h)`.
    static func decline(_ decline: Decline) -> String {
        var text = decline.code
        if let advice = decline.adviceCode { text += ", advice \(advice)" }
        var classText = decline.declineClass.rawValue
        if let after = decline.retryAfter { classText += " \(after)" }
        return text + " (\(classText), by \(decline.reason))"
    }

    /// An action in words: `email dunning-final`, `task "Call the customer" for owner, due in 1 day`.
    static func describe(_ action: DunningAction) -> String {
        switch action {
        case .email(let template): "email \(template)"
        case .sms(let text): "sms \"\(text)\""
        case .task(let title, let assignee, let days):
            "task \"\(title)\"" + (assignee.map { " for \($0)" } ?? "") + (days.map { ", due in \($0) day\($0 == 1 ? "" : "s")" } ?? "")
        case .notify(let to, let text): "notify \(to): \"\(text)\""
        case .addTag(let tag): "add tag \(tag)"
        case .removeTag(let tag): "remove tag \(tag)"
        case .setField(let field, let value): "set \(field) to \"\(value)\""
        case .webhook(let url): "webhook \(url)"
        case .suspendAccess: "suspend access"
        case .restoreAccess: "restore access"
        case .runWorkflow(let id): "run workflow \(id)"
        }
    }

    /// The totals of one run.
    func totals(_ result: SimulationResult, policy: DunningPolicy) {
        Terminal.line("totals (policy \(policy.id))")
        for (name, value) in Self.rows(result.totals) { Terminal.line("  " + Self.pad(name, 22) + " " + value) }
    }

    /// Both runs' totals side by side, then the invoices whose outcome differs.
    func comparison(_ comparison: SimulationComparison, first: (DunningPolicy, SimulationResult), second: (DunningPolicy, SimulationResult)) {
        let left = Self.rows(first.1.totals)
        let right = Self.rows(second.1.totals)
        var table = Table("", first.0.id, second.0.id)
        for (index, row) in left.enumerated() { table.add(row.0, row.1, index < right.count ? right[index].1 : "") }
        Terminal.line("totals")
        table.print(empty: "")
        Terminal.blankLine()
        let differences = comparison.differences
        Terminal.line("invoices whose outcome differs (\(differences.count))")
        var rows = Table("invoice", first.0.id, second.0.id)
        for difference in differences { rows.add(difference.invoice, difference.left, difference.right) }
        rows.print(empty: "  none")
    }

    /// The totals as (name, value) rows, in the order of Docs/dunning-simulation.md, "Totals".
    static func rows(_ totals: SimulationTotals) -> [(String, String)] {
        let share = totals.managed > 0 ? " (\(percent(totals.recovered, of: totals.managed)))" : ""
        let amounts = totals.recoveredAmounts.sorted { $0.key < $1.key }.map { money($0.value, $0.key) }.joined(separator: ", ")
        let finals = totals.finals.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
        return [
            ("invoices in dunning", "\(totals.managed)"),
            ("ignored", "\(totals.ignored)"),
            ("recovered", "\(totals.recovered)\(share)" + (amounts.isEmpty ? "" : "  \(amounts)")),
            ("paid elsewhere", "\(totals.paidElsewhere)"),
            ("cancelled", "\(totals.cancelled)"),
            ("ended by final action", "\(totals.finalCount)" + (finals.isEmpty ? "" : " (\(finals))")),
            ("still open", "\(totals.open)"),
            ("charges made", "\(totals.charges)"),
            ("attempts per recovery", totals.attemptsPerRecovery ?? "-"),
            ("budget deferrals", "\(totals.deferrals)" + (totals.budgetSkips > 0 ? " (\(totals.budgetSkips) skipped)" : "")),
            ("customer messages", "\(totals.messages)"),
            ("staff tasks", "\(totals.tasks)"),
        ]
    }

    /// `66.7%`, rounded half up to one decimal, in integers (no floating point).
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "-" }
        let tenths = (part.multipliedReportingOverflow(by: 2000).partialValue / whole + 1) / 2
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `29.00 AUD`, `1500 JPY`: minor units in the currency's decimals (``MoneyText``).
    static func money(_ minor: Int, _ currency: String) -> String { MoneyText.format(minor, currency) }
}
