public import PurchaseActionsCore
public import PurchaseActionsEngine

/// What ``SQLiteStore/publish(_:at:)`` did, per workflow.
public struct PublishResult: Hashable, Sendable {
    /// How a workflow's content compares with its current stored version.
    public enum Change: String, Hashable, Sendable {
        /// First published: version 1.
        case new
        /// Different from the current version: stored as the next version.
        case changed
        /// The same as the current version: nothing stored.
        case unchanged
    }

    /// One workflow of a publish.
    public struct Published: Hashable, Sendable {
        /// The workflow's id.
        public var id: String
        /// Its store version number now current (1, 2, 3, ... per workflow id).
        public var number: Int
        /// The `version` written in the workflow file.
        public var fileVersion: Int
        /// New, changed or unchanged.
        public var change: Change

        /// Creates an entry.
        public init(id: String, number: Int, fileVersion: Int, change: Change) {
            self.id = id
            self.number = number
            self.fileVersion = fileVersion
            self.change = change
        }
    }

    /// The workflows published, sorted by id.
    public var workflows: [Published]
    /// The dunning policy published with them, when one was given.
    public var dunningPolicy: PublishedDunningPolicy?
    /// Workflows stored before and not in this publish, sorted by id: they stay current (publish
    /// adds and replaces, never deletes), each with its current version (`change` is `unchanged`).
    public var kept: [Published]

    /// Creates a result.
    public init(workflows: [Published], dunningPolicy: PublishedDunningPolicy? = nil, kept: [Published] = []) {
        self.workflows = workflows
        self.dunningPolicy = dunningPolicy
        self.kept = kept
    }

    /// The dunning policy of a publish.
    public struct PublishedDunningPolicy: Hashable, Sendable {
        /// The policy's id.
        public var id: String
        /// Its store version number now current (1, 2, 3, ... per policy id).
        public var number: Int
        /// The `version` written in the policy file, when it has one.
        public var fileVersion: Int?
        /// New, changed or unchanged.
        public var change: Change

        /// Creates an entry.
        public init(id: String, number: Int, fileVersion: Int?, change: Change) {
            self.id = id
            self.number = number
            self.fileVersion = fileVersion
            self.change = change
        }
    }
}

/// One stored version of a workflow (``SQLiteStore/versions(workflowID:)``).
public struct StoredVersion: Hashable, Sendable {
    /// The workflow's id.
    public var workflowID: String
    /// The store's version number (1, 2, 3, ...).
    public var number: Int
    /// The `version` written in the workflow file.
    public var fileVersion: Int
    /// The SHA-256 digest (hex) of the workflow JSON, account profile and plans it was published with.
    public var digest: String
    /// When it was published (the clock given to ``SQLiteStore/publish(_:at:)``).
    public var publishedAt: Instant
    /// Whether it is the version triggers, calls and `enroll` steps use.
    public var isCurrent: Bool
    /// The workflow as published (templates merged), its `version` the store number.
    public var workflow: Workflow
    /// The account profile it was published with.
    public var account: AccountProfile
    /// Which product each plan sells, as published with it.
    public var productOfPlan: [String: String]

    /// Creates a stored version.
    public init(
        workflowID: String, number: Int, fileVersion: Int, digest: String, publishedAt: Instant, isCurrent: Bool, workflow: Workflow,
        account: AccountProfile, productOfPlan: [String: String]
    ) {
        self.workflowID = workflowID
        self.number = number
        self.fileVersion = fileVersion
        self.digest = digest
        self.publishedAt = publishedAt
        self.isCurrent = isCurrent
        self.workflow = workflow
        self.account = account
        self.productOfPlan = productOfPlan
    }
}

/// Which log records ``SQLiteStore/log(_:)`` returns (every member given must match).
public struct LogQuery: Hashable, Sendable {
    /// Records about this contact.
    public var contactID: String?
    /// Records of this workflow.
    public var workflowID: String?
    /// Records with this status.
    public var status: LogRecord.Status?
    /// Records at or after this instant.
    public var since: Instant?
    /// At most this many records (the latest ones, returned oldest first); `nil` for all.
    public var limit: Int?

    /// Creates a query; with nothing given, every record.
    public init(contactID: String? = nil, workflowID: String? = nil, status: LogRecord.Status? = nil, since: Instant? = nil, limit: Int? = nil) {
        self.contactID = contactID
        self.workflowID = workflowID
        self.status = status
        self.since = since
        self.limit = limit
    }
}

/// A log record as stored: its sequence number (the order records were committed) and its JSON
/// form (`LogRecord.json`).
public struct StoredLogRecord: Hashable, Sendable {
    /// The record's number in the log, from 1, in commit order.
    public var sequence: Int64
    /// The record's JSON form (`LogRecord.json`).
    public var record: JSONValue

    /// Creates a stored record.
    public init(sequence: Int64, record: JSONValue) {
        self.sequence = sequence
        self.record = record
    }
}

/// Which enrollments ``SQLiteStore/enrollments(_:)`` returns.
public struct EnrollmentQuery: Hashable, Sendable {
    /// An enrollment's state as the store lists it.
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Active (between steps when the transaction committed; rare).
        case running
        /// Waiting for a time, an event or a condition.
        case waiting
        /// Ran its last step.
        case finished
        /// Ended early.
        case exited
        /// Ended by an error record (exited with an `error` record as its last record).
        case error
    }

    /// Enrollments in this workflow.
    public var workflowID: String?
    /// Enrollments of this contact.
    public var contactID: String?
    /// Enrollments in this state.
    public var state: State?
    /// At most this many (the oldest first); `nil` for all.
    public var limit: Int?

    /// Creates a query; with nothing given, every enrollment.
    public init(workflowID: String? = nil, contactID: String? = nil, state: State? = nil, limit: Int? = nil) {
        self.workflowID = workflowID
        self.contactID = contactID
        self.state = state
        self.limit = limit
    }
}

/// An enrollment as stored.
public struct StoredEnrollment: Hashable, Sendable {
    /// The enrollment.
    public var enrollment: Enrollment
    /// When it was last saved (the runtime's clock).
    public var updatedAt: Instant
    /// The message of the error that ended it, if one did.
    public var error: String?

    /// Creates a stored enrollment.
    public init(enrollment: Enrollment, updatedAt: Instant, error: String? = nil) {
        self.enrollment = enrollment
        self.updatedAt = updatedAt
        self.error = error
    }
}

/// One row of the outbox: an external effect on its way to a deliverer.
public struct OutboxEntry: Hashable, Sendable {
    /// Where a row stands.
    public enum State: String, Hashable, Sendable {
        /// Waiting to be delivered (first time, or again after a failure).
        case pending
        /// Delivered.
        case delivered
        /// Given up: too many attempts, or a permanent failure. `outbox --retry KEY` makes it pending.
        case dead
    }

    /// The effect's idempotency key (unique).
    public var key: String
    /// The effect's kind.
    public var kind: String
    /// The effect's details.
    public var details: JSONValue
    /// Pending, delivered or dead.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due (pending rows).
    public var nextAttemptAt: Instant?
    /// The reason the last attempt failed.
    public var lastError: String?
    /// When the step that caused it ran.
    public var createdAt: Instant

    /// Creates an entry.
    public init(key: String, kind: String, details: JSONValue, state: State, attempts: Int, nextAttemptAt: Instant?, lastError: String?, createdAt: Instant) {
        self.key = key
        self.kind = kind
        self.details = details
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// Counts of one workflow (``SQLiteStore/stats()``), from the log and the enrollments.
public struct WorkflowStats: Hashable, Sendable {
    /// The workflow's id.
    public var workflowID: String
    /// `entered` records.
    public var entered: Int
    /// `finished` records (enrollments that ran their last step).
    public var completed: Int
    /// `exited` records.
    public var exited: Int
    /// Enrollments waiting now.
    public var waiting: Int
    /// `error` records.
    public var errors: Int
    /// Log records with an effect, by effect kind.
    public var effectsByKind: [String: Int]

    /// Creates counts.
    public init(workflowID: String, entered: Int = 0, completed: Int = 0, exited: Int = 0, waiting: Int = 0, errors: Int = 0, effectsByKind: [String: Int] = [:]) {
        self.workflowID = workflowID
        self.entered = entered
        self.completed = completed
        self.exited = exited
        self.waiting = waiting
        self.errors = errors
        self.effectsByKind = effectsByKind
    }
}

/// How far the worker has read one input: committed with the events read up to it.
public struct InputPosition: Hashable, Sendable {
    /// The input's name (a file name, `-` for standard input).
    public var source: String
    /// The byte offset just past the last event committed.
    public var offset: Int64
    /// The line number of the last event committed (from 1; 0 before any).
    public var line: Int
    /// The last bytes before ``offset`` (at most ``InputPosition/tailBytes``), in lower-case hex,
    /// when the input is a file: a restart compares them with the file's, so a file replaced by
    /// another (longer) one is noticed rather than read from the middle. `nil` for standard input
    /// and for positions stored before schema 2.
    public var tail: String?

    /// How many bytes before the offset ``tail`` holds: 256.
    public static let tailBytes = 256

    /// Creates a position.
    public init(source: String, offset: Int64, line: Int, tail: String? = nil) {
        self.source = source
        self.offset = offset
        self.line = line
        self.tail = tail
    }
}

/// What ``SQLiteStore/migrateEnrollments(workflowID:to:dryRun:)`` did (or would do, in a dry run).
public struct EnrollmentMigration: Hashable, Sendable {
    /// One enrollment moved (or that would move).
    public struct Moved: Hashable, Sendable {
        /// The enrollment's id.
        public var enrollmentID: String
        /// The version it was on.
        public var fromVersion: Int
        /// Creates an entry.
        public init(enrollmentID: String, fromVersion: Int) {
            self.enrollmentID = enrollmentID
            self.fromVersion = fromVersion
        }
    }

    /// One enrollment left alone: its step is not in the target version (or it could not be read).
    public struct Left: Hashable, Sendable {
        /// The enrollment's id.
        public var enrollmentID: String
        /// The version it stays on.
        public var version: Int
        /// Why it stays (`step-removed`: the step id; else the error).
        public var reason: String
        /// Creates an entry.
        public init(enrollmentID: String, version: Int, reason: String) {
            self.enrollmentID = enrollmentID
            self.version = version
            self.reason = reason
        }
    }

    /// The workflow.
    public var workflowID: String
    /// The target store version.
    public var toVersion: Int
    /// Whether nothing was changed.
    public var dryRun: Bool
    /// The enrollments moved (or that would move), by id.
    public var moved: [Moved]
    /// The enrollments left on their version, by id.
    public var left: [Left]

    /// Creates a report.
    public init(workflowID: String, toVersion: Int, dryRun: Bool, moved: [Moved] = [], left: [Left] = []) {
        self.workflowID = workflowID
        self.toVersion = toVersion
        self.dryRun = dryRun
        self.moved = moved
        self.left = left
    }
}

/// What ``SQLiteStore/prune(before:)`` removed.
public struct PruneResult: Hashable, Sendable {
    /// Log rows removed.
    public var logRows: Int
    /// Finished or exited enrollments removed.
    public var enrollments: Int
    /// Delivered outbox rows removed.
    public var deliveredOutboxRows: Int
    /// Dunning timeline entries removed (of invoices no longer in dunning).
    public var dunningEntries: Int

    /// Creates a result.
    public init(logRows: Int = 0, enrollments: Int = 0, deliveredOutboxRows: Int = 0, dunningEntries: Int = 0) {
        self.logRows = logRows
        self.enrollments = enrollments
        self.deliveredOutboxRows = deliveredOutboxRows
        self.dunningEntries = dunningEntries
    }
}
