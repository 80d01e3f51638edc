public import PurchaseActionsEngine

/// Why the SQLite store or the durable runtime refused something: a code, a message for people
/// (what happened and what to do), the database file, and the engine's error when the engine refused.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Code: String, Hashable, Sendable {
        /// The database was written by a newer build (an unknown migration, or a `user_version`
        /// above ``SQLiteStore/schemaVersion``): use that build, or a copy of an older database.
        case newerSchema = "newer-schema"
        /// The database was written by an older build and has not been migrated yet; a read
        /// command does not migrate it (`publish` or `run` does).
        case olderSchema = "older-schema"
        /// The file is not an SQLite database.
        case notADatabase = "not-a-database"
        /// The file cannot be opened or created (missing folder, permissions).
        case cannotOpen = "cannot-open"
        /// The disk (or the database's page limit) is full: nothing of the failed transaction was
        /// kept; free space and run again.
        case diskFull = "disk-full"
        /// The database cannot be written (read-only file, folder or connection).
        case readOnly = "read-only"
        /// Another input/output or SQLite failure.
        case io = "io"
        /// No stored workflow has the id.
        case unknownWorkflow = "unknown-workflow"
        /// The workflow has no stored version with the number.
        case unknownVersion = "unknown-version"
        /// A stored enrollment cannot be read, or does not fit the versions stored.
        case invalidEnrollment = "invalid-enrollment"
        /// An enrollment sits on a step the target version does not have.
        case stepRemoved = "step-removed"
        /// The stored dunning state (an invoice, a ledger row, the policy version it names) cannot be read.
        case invalidDunningState = "invalid-dunning-state"
        /// The engine refused (``StoreError/engineError`` says why).
        case engine = "engine"
        /// The store or runtime is no longer usable (closed, or not built).
        case closed = "closed"
    }

    /// What kind of refusal.
    public var code: Code
    /// What happened and what to do, for people.
    public var message: String
    /// The database file, when the error concerns one.
    public var path: String?
    /// The engine's error, when ``code`` is ``Code/engine``.
    public var engineError: EngineError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil, engineError: EngineError? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.engineError = engineError
    }

    /// Wraps an engine error (code ``Code/engine``), keeping its message.
    public init(engine error: EngineError, path: String? = nil) {
        self.init(.engine, error.message, path: path, engineError: error)
    }

    /// The message, after the database file when there is one.
    public var description: String { path.map { "\($0): \(message)" } ?? message }

    static func notBuilt(_ what: String) -> StoreError { StoreError(.closed, "\(what) is not built yet") }
}
