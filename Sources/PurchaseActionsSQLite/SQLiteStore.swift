// The durable runtime on SQLite: see Docs/architecture.md ("The durable runtime") and Docs/operations.md.
internal import GRDB
public import PurchaseActionsCore
public import PurchaseActionsEngine

/// The engine's state in one SQLite file (GRDB): published workflow versions, contacts,
/// enrollments and their wake-ups, processed event ids, the outbox, the log and input positions.
///
/// The database runs in WAL mode with `synchronous=FULL`: a transaction that committed survives a
/// crash or power loss. Its schema is versioned (GRDB's `DatabaseMigrator`, and `user_version`
/// = ``schemaVersion``): an older file is migrated when opened, a file written by a newer build is
/// refused (`newer-schema`), and a file that is not SQLite is `not-a-database`.
///
/// ```swift
/// let store = try SQLiteStore(path: SQLiteStore.defaultFileName)
/// let result = try store.publish(automation, at: now)
/// let runtime = try DurableRuntime(store: store)
/// try await runtime.ingest(event)       // returns once the event's effects are committed
/// ```
public final class SQLiteStore: Sendable {
    /// The file name used when none is given: `purchase-actions.sqlite` in the working folder.
    public static let defaultFileName = "purchase-actions.sqlite"
    /// This build's schema version (the number of migrations it knows; stored as `user_version`).
    public static let schemaVersion: Int = 1
    /// The database file.
    public let path: String

    /// Opens (or creates) the database at `path` and migrates it to ``schemaVersion``.
    ///
    /// - Throws: ``StoreError`` `newer-schema` (written by a newer build), `not-a-database`,
    ///   `cannot-open`, `read-only` or `io`.
    public init(path: String) throws(StoreError) {
        self.path = path
        throw StoreError.notBuilt("SQLiteStore")
    }

    /// Stores the automation's workflows: a workflow whose content (JSON with templates merged,
    /// account profile, plans) differs from its current version's becomes the next version; an
    /// unchanged one is left as it is; a workflow absent from `automation` stays current.
    public func publish(_ automation: Automation, at instant: Instant) throws(StoreError) -> PublishResult {
        throw StoreError.notBuilt("publish")
    }

    /// Every stored version of a workflow, oldest first (empty for an unknown id).
    public func versions(workflowID: String) throws(StoreError) -> [StoredVersion] {
        throw StoreError.notBuilt("versions")
    }

    /// The log records matching `query`, oldest first.
    public func log(_ query: LogQuery) throws(StoreError) -> [StoredLogRecord] {
        throw StoreError.notBuilt("log")
    }

    /// The enrollments matching `query`, oldest first.
    public func enrollments(_ query: EnrollmentQuery) throws(StoreError) -> [StoredEnrollment] {
        throw StoreError.notBuilt("enrollments")
    }

    /// The outbox rows: with `dead`, only dead letters; else every row, oldest first.
    public func outbox(dead: Bool) throws(StoreError) -> [OutboxEntry] {
        throw StoreError.notBuilt("outbox")
    }

    /// Makes a dead (or failed, pending) row with this key pending and due now, its attempts
    /// counted from 0 again; `false` when no such row (or it was delivered).
    public func retry(key: String) throws(StoreError) -> Bool {
        throw StoreError.notBuilt("retry")
    }

    /// Counts per workflow, sorted by workflow id.
    public func stats() throws(StoreError) -> [WorkflowStats] {
        throw StoreError.notBuilt("stats")
    }

    /// Moves the running enrollments of a workflow to its stored version `version`, by step id
    /// (`Engine.relocate`); those on a step the version lacks are reported and left alone. A
    /// dry run reports and changes nothing.
    public func migrateEnrollments(workflowID: String, to version: Int, dryRun: Bool) throws(StoreError) -> EnrollmentMigration {
        throw StoreError.notBuilt("migrateEnrollments")
    }

    /// Removes log rows before `instant`, finished and exited enrollments last saved before it, and
    /// delivered outbox rows created before it (the retention).
    public func prune(before instant: Instant) throws(StoreError) -> PruneResult {
        throw StoreError.notBuilt("prune")
    }

    /// The committed position of an input, if any.
    public func inputPosition(source: String) throws(StoreError) -> InputPosition? {
        throw StoreError.notBuilt("inputPosition")
    }
}
