internal import GRDB
public import PurchaseActionsCore
import PurchaseActionsEngine

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

extension SQLiteStore {
    /// The versions a runtime loads (``DurableRuntime``): the current one of each workflow, and
    /// the earlier ones a running (active or waiting) enrollment is on — its own version, or, inside
    /// a call, the called workflow's version in one of its frames. Earlier versions no running
    /// enrollment is on are not loaded (a store keeps every version ever published); a publish or
    /// `migrate-enrollments` makes the runtime load again. Each with `version` set to the store's number.
    static func loadRunning(_ db: Database) throws -> (current: [PublishedWorkflow], earlier: [PublishedWorkflow]) {
        // Frames beyond the first (calls in progress): only rows with two frames or more, found
        // cheaply by text, are read as JSON; a row that does not read is left to be set aside.
        let sql = """
            SELECT w.* FROM workflow_version w
            WHERE w.is_current = 1
               OR EXISTS (SELECT 1 FROM enrollment e WHERE e.workflow_id = w.workflow_id AND e.version = w.number AND e.state IN ('active', 'waiting'))
               OR (w.workflow_id, w.number) IN (
                   SELECT json_extract(f.value, '$.workflowID'), json_extract(f.value, '$.version')
                   FROM enrollment e,
                       json_each(CASE WHEN json_valid(e.json) AND json_type(e.json, '$.frames') = 'array' THEN e.json ELSE '{"frames":[]}' END, '$.frames') f
                   WHERE e.state IN ('active', 'waiting') AND e.json LIKE '%"position"%"position"%' AND f.key > 0)
            ORDER BY w.workflow_id, w.number
            """
        var current: [PublishedWorkflow] = []
        var earlier: [PublishedWorkflow] = []
        for row in try Row.fetchAll(db, sql: sql) {
            let published = try published(row)
            if (try row.get("is_current")) as Int == 1 { current.append(published) } else { earlier.append(published) }
        }
        return (current, earlier)
    }
}

extension SQLiteStore {
    /// One stored version of a workflow (`number` `nil`: its current version), with `version` set
    /// to the store's number; `nil` when the store has no such version.
    public func workflow(id: String, version number: Int?) throws(StoreError) -> Workflow? {
        try read("read workflow '\(DisplayText.escape(id))'") { db in
            let row =
                if let number {
                    try Row.fetchOne(db, sql: "SELECT * FROM workflow_version WHERE workflow_id = ? AND number = ?", arguments: [id, number])
                } else {
                    try Row.fetchOne(db, sql: "SELECT * FROM workflow_version WHERE workflow_id = ? AND is_current = 1", arguments: [id])
                }
            return try row.map { row in try Self.published(row).workflow }
        }
    }
}
