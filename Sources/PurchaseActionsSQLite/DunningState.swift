internal import GRDB
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine

/// The dunning a ``DurableRuntime`` runs: one `DunningProcess` per published policy version that
/// has invoices, plus the active policy's (the current version of the policy published last), and
/// one card-attempt ledger they share. Loaded from the store's `dunning_invoice` and
/// `dunning_ledger` tables; every change is written back in the transaction that made it
/// (``persist(in:)``), so a reload gives the same state.
struct DunningState {
    /// One policy version and its process.
    struct Version {
        var policyID: String
        var number: Int
        var process: DunningProcess
    }

    /// The versions, in (policy id, number) order.
    var versions: [Version] = []
    /// The active version's index, `nil` when no policy is published.
    var active: Int?
    /// The ledger every process uses (moved into the process being called, then back).
    var ledger = CardAttemptLedger()
    /// Which version holds each invoice.
    var owner: [String: Int] = [:]

    /// No dunning: no policy published.
    static let none = DunningState()

    /// Whether any process runs.
    var isEmpty: Bool { versions.isEmpty }

    /// The earliest due time of any process.
    var nextDue: Instant? { versions.compactMap(\.process.nextDue).min() }

    // MARK: Loading

    /// Reads the state from the store (inside a transaction or a read).
    static func load(_ db: Database, path: String) throws -> DunningState {
        var state = DunningState()
        let activeRow = try Row.fetchOne(
            db,
            sql: "SELECT policy_id, number FROM dunning_policies WHERE is_current = 1 ORDER BY published_at DESC, policy_id DESC LIMIT 1")
        var keys: [(String, Int)] = []
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT policy_id, policy_version FROM dunning_invoice ORDER BY policy_id, policy_version") {
            keys.append(((try row.get(0)), (try row.get(1))))
        }
        if let activeRow {
            let key: (String, Int) = ((try activeRow.get(0)), (try activeRow.get(1)))
            if !keys.contains(where: { $0 == key }) { keys.append(key) }
        }
        keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        guard !keys.isEmpty else { return state }
        var entries: [CardAttemptLedger.Entry] = []
        for row in try Row.fetchAll(db, sql: "SELECT key, json FROM dunning_ledger ORDER BY key") {
            let text: String = try row.get(0)
            guard let key = CardAttemptLedger.Key(storageText: text) else {
                throw StoreError(.invalidDunningState, "the dunning ledger row '\(DisplayText.escape(text))' has no valid key", path: path)
            }
            do {
                entries.append(try CardAttemptLedger.Entry(key: key, storageJSON: try JSONValue.parse((try row.get(1)) as String)))
            } catch {
                throw StoreError(
                    .invalidDunningState,
                    "the dunning ledger row '\(DisplayText.escape(text))' (table dunning_ledger) does not read: \(Self.describe(error)); restore it from a backup, or delete the row (that card's recent charges are forgotten: its budget is whole again)",
                    path: path)
            }
        }
        state.ledger = CardAttemptLedger(restoring: entries)
        let zones = SystemTimeZoneDatabase()
        for (policyID, number) in keys {
            guard let text = try String.fetchOne(
                db, sql: "SELECT policy_json FROM dunning_policies WHERE policy_id = ? AND number = ?", arguments: [policyID, number])
            else {
                throw StoreError(
                    .invalidDunningState,
                    "invoices in dunning (table dunning_invoice) name version \(number) of policy '\(DisplayText.escape(policyID))', which the store does not have (table dunning_policies); restore the database from a backup",
                    path: path)
            }
            let policy: DunningPolicy
            do {
                policy = try DunningPolicy(json: try JSONValue.parse(text))
            } catch {
                throw StoreError(
                    .invalidDunningState,
                    "version \(number) of dunning policy '\(DisplayText.escape(policyID))' (table dunning_policies) no longer reads: \(Self.describe(error)); restore the database from a backup",
                    path: path)
            }
            let calendar = ZonedCalendar(rules: policy.timezone.flatMap { zones.rules(named: $0) } ?? .utc)
            var invoices: [DunningInvoice] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT id, json FROM dunning_invoice WHERE policy_id = ? AND policy_version = ? ORDER BY sequence",
                arguments: [policyID, number])
            {
                let id: String = try row.get(0)
                do {
                    invoices.append(try DunningInvoice(storageJSON: try JSONValue.parse((try row.get(1)) as String)))
                } catch {
                    throw StoreError(
                        .invalidDunningState,
                        "the stored dunning invoice '\(DisplayText.escape(id))' (table dunning_invoice) does not read: \(Self.describe(error)); restore it from a backup (its dunning cannot go on without its state)",
                        path: path)
                }
            }
            let process: DunningProcess
            do throws(DunningError) {
                process = try DunningProcess(policy: policy, calendar: calendar, restoring: invoices, ledger: CardAttemptLedger())
            } catch {
                throw StoreError(.invalidDunningState, "the dunning invoices of policy '\(DisplayText.escape(policyID))' version \(number): \(error.description)", path: path)
            }
            let index = state.versions.count
            for invoice in invoices { state.owner[invoice.id] = index }
            state.versions.append(Version(policyID: policyID, number: number, process: process))
            if let activeRow, (try activeRow.get(0)) as String == policyID, (try activeRow.get(1)) as Int == number { state.active = index }
        }
        return state
    }

    /// A JSON or dunning error in words (a `JSONError`'s path and message).
    static func describe(_ error: any Error) -> String {
        if let error = error as? JSONError { return "\(error.path): \(error.message)" }
        if let error = error as? DunningError { return error.description }
        return "\(error)"
    }

    // MARK: Calling a process

    /// Runs `body` on version `index`'s process with the shared ledger moved into it.
    mutating func with<T>(_ index: Int, _ body: (inout DunningProcess) -> T) -> T {
        var ledger = CardAttemptLedger()
        swap(&ledger, &self.ledger)
        versions[index].process.sharedLedger = ledger
        let result = body(&versions[index].process)
        self.ledger = versions[index].process.sharedLedger
        versions[index].process.sharedLedger = CardAttemptLedger()
        return result
    }

    /// The invoice as the process holding it has it, `nil` when no process does.
    func invoice(_ id: String) -> DunningInvoice? {
        owner[id].flatMap { versions[$0].process.invoice(id) }
    }

    /// The version an event about `invoice` goes to: the one holding it, else (for a first failure) the active one.
    func version(forInvoice invoice: String, starting: Bool) -> Int? {
        if let index = owner[invoice] { return index }
        return starting ? active : nil
    }

    // MARK: Writing

    /// Writes what changed since the last call: invoices (upserted, with their version), ledger keys
    /// (upserted, or deleted when pruned).
    mutating func persist(in db: Database) throws {
        for index in versions.indices {
            let changed = versions[index].process.takeChangedInvoices()
            guard !changed.isEmpty else { continue }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO dunning_invoice (id, policy_id, policy_version, contact, status, json) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, contact = excluded.contact, json = excluded.json
                    """)
            for invoice in changed {
                owner[invoice.id] = index
                try upsert.execute(arguments: [
                    invoice.id, versions[index].policyID, versions[index].number, invoice.contact, invoice.status.rawValue,
                    invoice.storageJSON.compactText,
                ])
            }
        }
        for key in ledger.takeChangedKeys() {
            if let entry = ledger.entry(key) {
                try db.cachedStatement(sql: "INSERT INTO dunning_ledger (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json")
                    .execute(arguments: [key.storageText, entry.storageJSON.compactText])
            } else {
                try db.cachedStatement(sql: "DELETE FROM dunning_ledger WHERE key = ?").execute(arguments: [key.storageText])
            }
        }
    }
}
