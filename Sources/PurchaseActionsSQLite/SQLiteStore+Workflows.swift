internal import GRDB
public import PurchaseActionsCore

/// A stored workflow at a glance: its versions and how many enrollments run on each
/// (``SQLiteStore/workflowSummaries()``, `purchase-actions workflows`).
public struct StoredWorkflowSummary: Hashable, Sendable {
    /// One stored version of the workflow.
    public struct Version: Hashable, Sendable {
        /// The store's version number (1, 2, 3, ...).
        public var number: Int
        /// The `version` written in the workflow file it was published from.
        public var fileVersion: Int
        /// When it was published.
        public var publishedAt: Instant
        /// Enrollments active or waiting on this version.
        public var running: Int

        /// Creates a version summary.
        public init(number: Int, fileVersion: Int, publishedAt: Instant, running: Int) {
            self.number = number
            self.fileVersion = fileVersion
            self.publishedAt = publishedAt
            self.running = running
        }
    }

    /// The workflow's id.
    public var workflowID: String
    /// The current version's name.
    public var name: String
    /// The version triggers, calls and `enroll` steps use.
    public var current: Int
    /// Every stored version, oldest first.
    public var versions: [Version]

    /// Creates a summary.
    public init(workflowID: String, name: String, current: Int, versions: [Version]) {
        self.workflowID = workflowID
        self.name = name
        self.current = current
        self.versions = versions
    }
}

extension SQLiteStore {
    /// Every stored workflow, by id: its current version, each stored version with the
    /// enrollments running on it. What `migrate-enrollments` needs to know before it moves any.
    public func workflowSummaries() throws(StoreError) -> [StoredWorkflowSummary] {
        try read("read the stored workflows") { db in
            var running: [String: [Int: Int]] = [:]
            let counts = try Row.fetchCursor(
                db, sql: "SELECT workflow_id, version, count(*) FROM enrollment WHERE state IN ('active', 'waiting') GROUP BY workflow_id, version")
            while let row = try counts.next() {
                running[(try row.get(0)), default: [:]][(try row.get(1))] = (try row.get(2))
            }
            var summaries: [StoredWorkflowSummary] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT workflow_id, number, file_version, published_at, is_current, json_extract(workflow_json, '$.name')
                    FROM workflow_version ORDER BY workflow_id, number
                    """)
            while let row = try rows.next() {
                let id: String = (try row.get(0))
                let number: Int = (try row.get(1))
                let version = StoredWorkflowSummary.Version(
                    number: number, fileVersion: (try row.get(2)), publishedAt: Instant(millisecondsSinceEpoch: (try row.get(3))),
                    running: running[id]?[number] ?? 0)
                if summaries.last?.workflowID != id {
                    summaries.append(StoredWorkflowSummary(workflowID: id, name: "", current: 0, versions: []))
                }
                summaries[summaries.count - 1].versions.append(version)
                if (try row.get(4)) as Int == 1 {
                    summaries[summaries.count - 1].current = number
                    summaries[summaries.count - 1].name = ((try row.get(5)) as String?) ?? ""
                }
            }
            return summaries
        }
    }
}
