internal import GRDB

extension SQLiteStore {
    /// The migrations this build knows, in order; ``schemaVersion`` is their count.
    static let migrationIDs = ["v1-durable-runtime", "v2-input-tail", "v3-dunning-policies", "v4-dunning-state", "v5-log-columns", "v6-log-batches"]

    /// The schema, migration by migration (each also sets `user_version` to its number).
    ///
    /// Schema 1 (times are milliseconds since 1970 UTC; JSON columns hold compact JSON text, keys sorted):
    /// - `meta(name, value)`: `clock` (the runtime's clock), `next_enrollment`, `next_contact`
    ///   (counters for new ids), `generation` (bumped by publish and migrate-enrollments, so a
    ///   running runtime reloads its workflows).
    /// - `workflow_version(workflow_id, number, file_version, digest, published_at, is_current,
    ///   workflow_json, account_json, plans_json)`: every published version (templates merged), with
    ///   the account profile and productOfPlan it was published with; one `is_current` per workflow.
    /// - `contact(id, created_at, match_first, match_last, match_email, json)`: contacts
    ///   (`Contact.json`); the legacy match key (normalised `ContactMatch`) indexed with
    ///   `created_at, id` so the oldest match is one index probe.
    /// - `enrollment(sequence, id, workflow_id, version, contact_id, state, wake_at, updated_at,
    ///   error, json)`: `state` active / waiting / finished / exited; `json` is `Enrollment.json`;
    ///   partial indexes: running ones by `(contact_id, sequence)`, wake-ups by `(wake_at, sequence)`
    ///   (only rows with a wake-up: firing due ones is an index range whatever the number pending).
    /// - `enrollment_order(workflow_id, order_id)`: orders held by one-per-order workflows.
    /// - `processed_event(id)`: event ids seen.
    /// - `outbox(sequence, key, kind, details_json, state, attempts, next_attempt_at, last_error,
    ///   created_at, retry_base)`: `key` unique (the effect's idempotency key), state pending / delivered /
    ///   dead; `attempts` counts every attempt ever made (the next one is `attempts + 1`), `retry_base`
    ///   the attempts made before the last `outbox --retry` (a row is dead after 8 attempts since); partial index of pending rows by `(next_attempt_at, sequence)`.
    /// - `log(sequence, at, contact_id, workflow_id, status, effect_kind, json)`: `LogRecord.json`
    ///   in commit order, indexed by contact, workflow and time.
    /// - `input_position(source, offset, line)`: how far the worker has committed each input.
    ///
    /// Schema 2 adds `input_position.tail`: the last 256 bytes before the offset, in hex (NULL for
    /// standard input and for positions stored by schema 1), compared when a file is read again.
    ///
    /// Schema 3 adds:
    /// - `dunning_policies(policy_id, number, file_version, digest, published_at, is_current,
    ///   policy_json)`: every published version of a dunning policy (`dunning-policy.yaml` of a
    ///   published folder), its canonical JSON compact, compared by the SHA-256 digest of that text;
    ///   one `is_current` per policy id; `file_version` is the policy's own `version` (NULL when absent).
    ///
    /// Schema 4 adds the state of the dunning the runtime runs (Docs/architecture.md, "Dunning"):
    /// - `dunning_invoice(sequence, id, policy_id, policy_version, contact, status, json)`: every
    ///   invoice a policy manages, in the order it started, with the policy version it started under
    ///   and its whole state (`DunningInvoice.storageJSON`); `status` open / recovered /
    ///   paid-elsewhere / final / cancelled.
    /// - `dunning_ledger(key, json)`: the card-attempt ledger, a row per card (`card:<id>`) or
    ///   invoice (`invoice:<id>`) with charges in a budget window (`CardAttemptLedger.Entry`).
    /// - `dunning_entry(sequence, at, invoice, policy_id, policy_version, kind, json)`: the timeline
    ///   (`DunningEntry.json`) in commit order, indexed by invoice.
    ///
    /// Schema 5 stores the log's records in columns instead of their JSON (``appendLog(_:detailsText:in:)``;
    /// read back as the same JSON text, ``logTexts(_:arguments:in:)``): `log(sequence, at, contact_id, workflow_id,
    /// status, effect_kind, cause, version, enrollment_id, step_id, message, why, effect_key,
    /// effect_deliver_at, effect_details, json)`, `why` and `effect_details` compact JSON text, `json`
    /// the whole record of a row schema 4 wrote (kept as it was; `NULL` in rows written since).
    /// The indexes stay (by contact, by workflow, by time).
    ///
    /// Schema 6 keeps the log in batches (``appendLog(_:detailsText:in:)``; a row and its index
    /// entries per event and contact instead of per record: about 48 b-tree inserts an event
    /// became 4 or 5):
    /// - `log_batch(sequence, count, at_last, contact_id, records)`: records that one commit wrote for a caller (its event, and wake-ups fired with it)
    ///   one after another with one contact (or none), at most ``logBatchLimit``; `records` their
    ///   compact JSON texts (`LogRecord.json.compactText`) joined by `"\n"`; record `i` is number
    ///   `sequence + i`; `at_last` the latest `at` of them. Indexed by `(contact_id, sequence)`
    ///   and by `at_last` (`--since`, retention).
    /// - `log_workflow(workflow_id, sequence, entered, finished, exited, errors, effects)`: per
    ///   batch and workflow it names, the records of each status `stats` counts and `effects`, a
    ///   compact JSON object of counts by effect kind (`NULL` when none): `log --workflow` and
    ///   `stats` read it.
    /// - `meta.next_log`: a number past every record number given (kept when the log is pruned).
    /// Schema 5's rows become batches of one at their own sequence (``migrateLogToBatches(_:)``);
    /// `log` and its indexes are dropped (the indexes first: `log_workflow` was one's name).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(migrationIDs[0]) { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                    INSERT INTO meta (name, value) VALUES ('clock', 0), ('next_enrollment', 1), ('next_contact', 1), ('generation', 0), ('has_clock', 0);
                    CREATE TABLE workflow_version (
                        workflow_id TEXT NOT NULL, number INTEGER NOT NULL, file_version INTEGER NOT NULL, digest TEXT NOT NULL,
                        published_at INTEGER NOT NULL, is_current INTEGER NOT NULL, workflow_json TEXT NOT NULL,
                        account_json TEXT NOT NULL, plans_json TEXT NOT NULL,
                        PRIMARY KEY (workflow_id, number)) WITHOUT ROWID;
                    CREATE TABLE contact (
                        id TEXT PRIMARY KEY NOT NULL, created_at INTEGER NOT NULL,
                        match_first TEXT, match_last TEXT, match_email TEXT, json TEXT NOT NULL);
                    CREATE INDEX contact_match ON contact (match_first, match_last, match_email, created_at, id) WHERE match_first IS NOT NULL;
                    CREATE TABLE enrollment (
                        sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, workflow_id TEXT NOT NULL, version INTEGER NOT NULL,
                        contact_id TEXT NOT NULL, state TEXT NOT NULL, wake_at INTEGER, updated_at INTEGER NOT NULL, error TEXT,
                        json TEXT NOT NULL);
                    CREATE INDEX enrollment_running ON enrollment (contact_id, sequence) WHERE state IN ('active', 'waiting');
                    CREATE INDEX enrollment_wake ON enrollment (wake_at, sequence) WHERE wake_at IS NOT NULL;
                    CREATE INDEX enrollment_workflow ON enrollment (workflow_id, state);
                    CREATE INDEX enrollment_ended ON enrollment (updated_at) WHERE state IN ('finished', 'exited');
                    CREATE TABLE enrollment_order (workflow_id TEXT NOT NULL, order_id TEXT NOT NULL, PRIMARY KEY (workflow_id, order_id)) WITHOUT ROWID;
                    CREATE TABLE processed_event (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
                    CREATE TABLE outbox (
                        sequence INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, details_json TEXT NOT NULL,
                        state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER, last_error TEXT, created_at INTEGER NOT NULL,
                        retry_base INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX outbox_due ON outbox (next_attempt_at, sequence) WHERE state = 'pending';
                    CREATE INDEX outbox_dead ON outbox (sequence) WHERE state = 'dead';
                    CREATE TABLE log (
                        sequence INTEGER PRIMARY KEY, at INTEGER NOT NULL, contact_id TEXT, workflow_id TEXT, status TEXT NOT NULL,
                        effect_kind TEXT, json TEXT NOT NULL);
                    CREATE INDEX log_contact ON log (contact_id, sequence) WHERE contact_id IS NOT NULL;
                    CREATE INDEX log_workflow ON log (workflow_id, sequence) WHERE workflow_id IS NOT NULL;
                    CREATE INDEX log_at ON log (at);
                    CREATE TABLE input_position (source TEXT PRIMARY KEY NOT NULL, offset INTEGER NOT NULL, line INTEGER NOT NULL) WITHOUT ROWID;
                    PRAGMA user_version = 1;
                    """)
        }
        migrator.registerMigration(migrationIDs[1]) { db in
            try db.execute(
                sql: """
                    ALTER TABLE input_position ADD COLUMN tail TEXT;
                    PRAGMA user_version = 2;
                    """)
        }
        migrator.registerMigration(migrationIDs[2]) { db in
            try db.execute(
                sql: """
                    CREATE TABLE dunning_policies (
                        policy_id TEXT NOT NULL, number INTEGER NOT NULL, file_version INTEGER, digest TEXT NOT NULL,
                        published_at INTEGER NOT NULL, is_current INTEGER NOT NULL, policy_json TEXT NOT NULL,
                        PRIMARY KEY (policy_id, number)) WITHOUT ROWID;
                    PRAGMA user_version = 3;
                    """)
        }
        migrator.registerMigration(migrationIDs[3]) { db in
            try db.execute(
                sql: """
                    CREATE TABLE dunning_invoice (
                        sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, policy_id TEXT NOT NULL, policy_version INTEGER NOT NULL,
                        contact TEXT NOT NULL, status TEXT NOT NULL, json TEXT NOT NULL);
                    CREATE INDEX dunning_invoice_version ON dunning_invoice (policy_id, policy_version, sequence);
                    CREATE INDEX dunning_invoice_open ON dunning_invoice (sequence) WHERE status = 'open';
                    CREATE TABLE dunning_ledger (key TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE dunning_entry (
                        sequence INTEGER PRIMARY KEY, at INTEGER NOT NULL, invoice TEXT NOT NULL, policy_id TEXT, policy_version INTEGER,
                        kind TEXT NOT NULL, json TEXT NOT NULL);
                    CREATE INDEX dunning_entry_invoice ON dunning_entry (invoice, sequence);
                    PRAGMA user_version = 4;
                    """)
        }
        migrator.registerMigration(migrationIDs[4]) { db in
            try db.execute(
                sql: """
                    CREATE TABLE log_v5 (
                        sequence INTEGER PRIMARY KEY, at INTEGER NOT NULL, contact_id TEXT, workflow_id TEXT, status TEXT NOT NULL,
                        effect_kind TEXT, cause TEXT, version INTEGER, enrollment_id TEXT, step_id TEXT, message TEXT, why TEXT,
                        effect_key TEXT, effect_deliver_at INTEGER, effect_details TEXT, json TEXT);
                    INSERT INTO log_v5 (sequence, at, contact_id, workflow_id, status, effect_kind, json)
                        SELECT sequence, at, contact_id, workflow_id, status, effect_kind, json FROM log ORDER BY sequence;
                    DROP TABLE log;
                    ALTER TABLE log_v5 RENAME TO log;
                    CREATE INDEX log_contact ON log (contact_id, sequence) WHERE contact_id IS NOT NULL;
                    CREATE INDEX log_workflow ON log (workflow_id, sequence) WHERE workflow_id IS NOT NULL;
                    CREATE INDEX log_at ON log (at);
                    PRAGMA user_version = 5;
                    """)
        }
        migrator.registerMigration(migrationIDs[5]) { db in
            try db.execute(
                sql: """
                    DROP INDEX log_contact; DROP INDEX log_workflow; DROP INDEX log_at;
                    CREATE TABLE log_batch (
                        sequence INTEGER PRIMARY KEY, count INTEGER NOT NULL, at_last INTEGER NOT NULL, contact_id TEXT, records TEXT NOT NULL);
                    CREATE TABLE log_workflow (
                        workflow_id TEXT NOT NULL, sequence INTEGER NOT NULL, entered INTEGER NOT NULL, finished INTEGER NOT NULL,
                        exited INTEGER NOT NULL, errors INTEGER NOT NULL, effects TEXT,
                        PRIMARY KEY (workflow_id, sequence)) WITHOUT ROWID;
                    """)
            try SQLiteStore.migrateLogToBatches(db)
            try db.execute(
                sql: """
                    DROP TABLE log;
                    CREATE INDEX log_batch_contact ON log_batch (contact_id, sequence) WHERE contact_id IS NOT NULL;
                    CREATE INDEX log_batch_at ON log_batch (at_last);
                    PRAGMA user_version = 6;
                    """)
        }
        return migrator
    }
}

extension Database {
    /// A value of the `meta` table.
    func meta(_ name: String) throws -> Int64 {
        try Int64.fetchOne(cachedStatement(sql: "SELECT value FROM meta WHERE name = ?"), arguments: [name]) ?? 0
    }

    /// Sets a value of the `meta` table.
    func setMeta(_ name: String, _ value: Int64) throws {
        try cachedStatement(sql: "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .execute(arguments: [name, value])
    }
}
