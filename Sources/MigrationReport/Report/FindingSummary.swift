public import PurchaseActionsCore

/// What the report's header and the console show of a migration's findings, in memory that does
/// not grow with their number: the total, the count per code, the first ``firstLimit`` in document
/// order (the HTML's list, the console's first screenful) and the first ``generalLimit`` about the
/// account, its catalogue or its templates (the Markdown's list), with how many of those there are.
///
/// Document order is line, then column, then the order the findings were added
/// (``Migration/documentOrder(_:)``): ``add(_:order:)`` takes that order from the caller, so a
/// caller that streams the findings elsewhere (`import-actions` spills them to a file) gives the
/// same order to both.
///
/// ```swift
/// var summary = FindingSummary()
/// for (order, finding) in run.findings.enumerated() { summary.add(finding, order: order) }
/// print(summary.total, summary.counts["legacy-action"] ?? 0, summary.first.prefix(20))
/// ```
public struct FindingSummary: Hashable, Sendable {
    /// How many findings were added.
    public private(set) var total = 0
    /// The number of findings per code (``MigrationFinding/Code`` raw value).
    public private(set) var counts: [String: Int] = [:]
    /// The first findings in document order, at most ``firstLimit``.
    public var first: [MigrationFinding] { firstKept.findings }
    /// The first findings about the account, its catalogue or its templates (no workflow), in
    /// document order, at most ``generalLimit``.
    public var general: [MigrationFinding] { generalKept.findings }
    /// How many findings are about the account, its catalogue or its templates.
    public private(set) var generalCount = 0
    private var firstKept: FirstInOrder
    private var generalKept: FirstInOrder

    /// The most findings kept in ``first``: 200, the HTML report's list
    /// (``MigrationReportBuilder/htmlListLimit``; the console shows the first 20 of them).
    public static let firstLimit = MigrationReportBuilder.htmlListLimit
    /// The most findings kept in ``general``: 1,000, the Markdown report's list.
    public static let generalLimit = MigrationReportBuilder.listLimit

    /// An empty summary.
    public init() {
        firstKept = FirstInOrder(limit: Self.firstLimit)
        generalKept = FirstInOrder(limit: Self.generalLimit)
    }

    /// The summary of findings given in the order they were found (document order is worked out
    /// here).
    public init(_ findings: [MigrationFinding]) {
        self.init()
        for (order, finding) in findings.enumerated() { add(finding, order: order) }
    }

    /// Adds a finding; `order` breaks ties between findings at one line and column (the order
    /// they were found: each finding's must differ).
    public mutating func add(_ finding: MigrationFinding, order: Int) {
        total += 1
        counts[finding.code.rawValue, default: 0] += 1
        let key = FindingKey(finding, order: order)
        firstKept.add(finding, key)
        if finding.workflowID.isEmpty {
            generalCount += 1
            generalKept.add(finding, key)
        }
    }

    /// The codes and their counts, codes sorted.
    public var sortedCounts: [(code: String, count: Int)] { counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}

/// Where a finding stands in document order: its line, its column (0 when it has none) and the
/// order it was found in.
public struct FindingKey: Hashable, Comparable, Sendable {
    /// The finding's line.
    public var line: Int
    /// Its column, 0 when it has none.
    public var column: Int
    /// The order it was found in.
    public var order: Int

    /// The key of a finding found `order`-th.
    public init(_ finding: MigrationFinding, order: Int) {
        self.init(line: finding.location.line, column: finding.location.column ?? 0, order: order)
    }

    /// A key from its parts.
    public init(line: Int, column: Int, order: Int) {
        self.line = line
        self.column = column
        self.order = order
    }

    public static func < (a: FindingKey, b: FindingKey) -> Bool { (a.line, a.column, a.order) < (b.line, b.column, b.order) }
}

/// The first findings by ``FindingKey``, at most `limit`: each new one is compared with the last
/// kept (findings mostly arrive in document order, so most are left out at once) and put in place
/// by a binary search.
struct FirstInOrder: Hashable, Sendable {
    let limit: Int
    private(set) var findings: [MigrationFinding] = []
    private var keys: [FindingKey] = []

    init(limit: Int) { self.limit = limit }

    mutating func add(_ finding: MigrationFinding, _ key: FindingKey) {
        guard limit > 0 else { return }
        if keys.count == limit, let last = keys.last, !(key < last) { return }
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        keys.insert(key, at: low)
        findings.insert(finding, at: low)
        if keys.count > limit {
            keys.removeLast()
            findings.removeLast()
        }
    }
}
