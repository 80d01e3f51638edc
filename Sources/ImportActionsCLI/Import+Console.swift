import CommandLineSupport
import LegacyImport
import MigrationReport
import PurchaseActions
import PurchaseActionsCore

/// What `import-actions` prints for people about the findings and at the end (Docs/cli.md,
/// "What the console shows"): at most a screenful of findings, the first ``shown`` in document
/// order, then, when some were left out, the totals per code; and a final line with the counts and
/// the elapsed time. Pure: the lines are made here and printed by the caller, and the elapsed time
/// comes from the caller's clock, so tests need no timing.
enum ImportConsole {
    /// How many findings are printed one by one (a screenful); every one is in
    /// `migration-report.json`.
    static let shown = 20

    /// The first `limit` findings in document order (line, column, then the order found), chosen
    /// without sorting them all: findings mostly arrive in document order, so each is compared with
    /// the last kept one and usually left out at once.
    static func first(_ limit: Int, of findings: [MigrationFinding]) -> [MigrationFinding] {
        guard limit > 0 else { return [] }
        typealias Key = (line: Int, column: Int, offset: Int)
        func key(_ index: Int) -> Key { (findings[index].location.line, findings[index].location.column ?? 0, index) }
        var kept: [Int] = []
        kept.reserveCapacity(limit + 1)
        for index in findings.indices {
            let new = key(index)
            if kept.count == limit, let last = kept.last, !(new < key(last)) { continue }
            let place = kept.firstIndex { new < key($0) } ?? kept.count
            kept.insert(index, at: place)
            if kept.count > limit { kept.removeLast() }
        }
        return kept.map { findings[$0] }
    }

    /// The lines for standard error: each of the first ``shown`` findings as
    /// `file:line:column: note: message [code]`, then, when there are more, one line saying how many
    /// were left out and one line per code with its total, the most frequent first:
    ///
    /// ```
    /// note: 156,005 more not shown; all 156,025 are in migration-report.json; by code:
    ///   unknown-merge-field: 140,715
    ///   legacy-action: 15,310
    /// ```
    static func findingLines(_ findings: [MigrationFinding], shown limit: Int = shown) -> [String] {
        findingLines(FindingSummary(findings), shown: limit)
    }

    /// The lines for standard error from a ``FindingSummary``: the same as
    /// ``findingLines(_:shown:)`` on the findings it counted (`limit` at most
    /// ``FindingSummary/firstLimit``).
    static func findingLines(_ summary: FindingSummary, shown limit: Int = shown) -> [String] {
        let first = summary.first.prefix(limit)
        var lines = first.map(\.description)
        guard summary.total > first.count else { return lines }
        lines.append("note: \(grouped(summary.total - first.count)) more not shown; all \(grouped(summary.total)) are in migration-report.json; by code:")
        for (code, count) in summary.counts.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append("  \(code): \(grouped(count))")
        }
        return lines
    }

    /// The lines for standard error about the reader's warnings: the first ``shown`` as
    /// `file:line:column: warning: message (path)`, then, when there are more, one line saying how
    /// many were left out and where they all are (`listed` names it: `migration-report.json`, or
    /// `--check`'s advice to import without it).
    static func warningLines(_ warnings: [ImportWarning], shown limit: Int = shown, listed: String = "are in migration-report.json") -> [String] {
        var lines = warnings.prefix(limit).map(\.description)
        guard warnings.count > limit else { return lines }
        lines.append("note: \(grouped(warnings.count - limit)) more warnings not shown; all \(grouped(warnings.count)) \(listed)")
        return lines
    }

    /// The last line on standard output: `export → folder: <summary>; took 2.1 s`.
    static func finalLine(export: String, folder: String, summary: String, elapsed: Duration) -> String {
        "\(export) → \(folder): \(summary); took \(seconds(elapsed))"
    }

    /// A duration for people: `0.4 s`, `26.3 s`, `2 min 5 s`.
    static func seconds(_ duration: Duration) -> String {
        let tenths = max(0, duration.components.seconds * 10 + duration.components.attoseconds / 100_000_000_000_000_000)
        if tenths < 600 { return "\(tenths / 10).\(tenths % 10) s" }
        let whole = tenths / 10
        return "\(whole / 60) min \(whole % 60) s"
    }

    /// `156025` as `156,025`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}

extension MigrationRun {
    /// Adds an item and returns every finding it made: the compiled part's and any about the
    /// account as a whole (kept in ``MigrationRun/retainedFindings``). The templates' findings are
    /// not among them: ask ``MigrationRun/templateFindings`` once, after the last item (asking
    /// ``MigrationRun/findings`` here would build them again for every item).
    mutating func addCounting(_ item: ExportItem) -> [MigrationFinding] {
        let kept = retainedFindings.count
        let output = add(item)
        return (output?.findings ?? []) + retainedFindings[kept...]
    }
}
