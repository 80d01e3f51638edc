internal import GRDB
internal import Crypto
public import PurchaseActionsCore
public import PurchaseActionsEngine
import PurchaseActionsDunning

extension SQLiteStore {
    /// Stores the automation's workflows: a workflow whose content (its whole JSON with templates
    /// merged, the account profile and the plans) differs from its current version's becomes the
    /// next version (1, 2, 3, ... per id) and current; an unchanged one is left as it is. Publish
    /// adds or replaces: a stored workflow absent from `automation` stays current. Running
    /// enrollments stay on the version they started on (``migrateEnrollments(workflowID:to:dryRun:)``
    /// moves them).
    ///
    /// The engine is built from the result before the transaction commits: workflows it refuses
    /// (two with one id, an unknown timezone, ...) throw `engine` and nothing is stored.
    ///
    /// ```swift
    /// let result = try store.publish(try LoadedAutomation(folder: folder).automation, at: now)
    /// for entry in result.workflows { print(entry.id, entry.change, entry.number) }
    /// ```
    public func publish(_ automation: Automation, at instant: Instant) throws(StoreError) -> PublishResult {
        try publish(automation, dunningPolicy: nil, at: instant)
    }

    /// ``publish(_:at:)``, and a dunning policy (when given) stored in the same transaction,
    /// versioned the same way: table `dunning_policies`, compared by the SHA-256 digest of its
    /// compact canonical JSON; an unchanged policy is left as it is. The result's
    /// ``PublishResult/dunningPolicy`` says what became of it.
    public func publish(_ automation: Automation, dunningPolicy: DunningPolicyDocument?, at instant: Instant) throws(StoreError) -> PublishResult {
        let account = Self.accountJSON(automation.account).compactText
        let plans = JSONValue.object(automation.productOfPlan.mapValues(JSONValue.string)).compactText
        let path = self.path
        return try write("publish the workflows") { db in
            var entries: [PublishResult.Published] = []
            let sorted = automation.workflows.sorted(by: { $0.id < $1.id })
            for (first, second) in zip(sorted, sorted.dropFirst()) where first.id == second.id {
                throw StoreError(engine: EngineError(.invalidWorkflow, "two workflows have the id '\(DisplayText.escape(first.id))'; nothing was published"), path: path)
            }
            try Self.checkCompiledIDs(sorted.map(\.id), policyID: dunningPolicy?.id, in: db, path: path)
            for workflow in sorted {
                let workflowText = workflow.json.compactText
                let digest = Self.digest(Array("{\"account\":\(account),\"productOfPlan\":\(plans),\"workflow\":\(workflowText)}".utf8))
                let current = try Row.fetchOne(
                    db, sql: "SELECT number, digest FROM workflow_version WHERE workflow_id = ? AND is_current = 1", arguments: [workflow.id])
                if let current, (try current.get("digest")) as String == digest {
                    entries.append(.init(id: workflow.id, number: (try current.get("number")), fileVersion: workflow.version, change: .unchanged))
                    continue
                }
                let number = Int(try (Int64.fetchOne(db, sql: "SELECT max(number) FROM workflow_version WHERE workflow_id = ?", arguments: [workflow.id]) ?? 0).nextCounter("workflow_version.number"))
                try db.execute(sql: "UPDATE workflow_version SET is_current = 0 WHERE workflow_id = ?", arguments: [workflow.id])
                try db.execute(
                    sql: """
                        INSERT INTO workflow_version (workflow_id, number, file_version, digest, published_at, is_current, workflow_json, account_json, plans_json)
                        VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
                        """,
                    arguments: [workflow.id, number, workflow.version, digest, instant.millisecondsSinceEpoch, workflowText, account, plans])
                entries.append(.init(id: workflow.id, number: number, fileVersion: workflow.version, change: current == nil ? .new : .changed))
            }
            if entries.contains(where: { $0.change != .unchanged }) {
                try db.setMeta("generation", try db.meta("generation").nextCounter("generation"))
                // Refuse what the engine refuses, before anything is kept.
                let (current, earlier) = try Self.loadPublished(db)
                do throws(EngineError) {
                    _ = try Engine(current: current, earlier: earlier, start: instant)
                } catch {
                    throw StoreError(engine: error, path: path)
                }
            }
            if let dunningPolicy { try Self.requireActionWorkflows(of: dunningPolicy, in: db, path: path) }
            let policy = try dunningPolicy.map { policy in try Self.publish(policy, in: db, at: instant) }
            if let policy, policy.change != .unchanged, !entries.contains(where: { $0.change != .unchanged }) {
                // A running runtime takes the new policy up at its next transaction.
                try db.setMeta("generation", try db.meta("generation").nextCounter("generation"))
            }
            let given = Set(sorted.map(\.id))
            var kept: [PublishResult.Published] = []
            for row in try Row.fetchAll(db, sql: "SELECT workflow_id, number, file_version FROM workflow_version WHERE is_current = 1 ORDER BY workflow_id") {
                let id: String = try row.get(0)
                guard !given.contains(id) else { continue }
                kept.append(.init(id: id, number: (try row.get(1)), fileVersion: (try row.get(2)), change: .unchanged))
            }
            return PublishResult(workflows: entries, dunningPolicy: policy, kept: kept)
        }
    }

    /// Workflow ids starting with `dunning.` are the workflows compiled from a dunning policy
    /// (`dunning.<policy id>` and its `dunning.<policy id>.decline-<digest>`, Docs/dunning.md, "The
    /// schedule on the engine"), whose enrollments move only by the runtime's signals: a publish
    /// may hold only those of the policy it publishes. A policy whose compiled ids could be
    /// another stored policy's (`p` and `p.decline-…`) is refused too.
    static func checkCompiledIDs(_ ids: [String], policyID: String?, in db: Database, path: String) throws {
        let prefix = EventType.internalWorkflowPrefix
        for id in ids where id.hasPrefix(prefix) {
            if let policyID, id == prefix + policyID || Self.isDeclineID(id, of: policyID) { continue }
            let given = DisplayText.escape(id)
            let owner = policyID.map { "the dunning policy '\(DisplayText.escape($0))' compiles only dunning.\(DisplayText.escape($0)) and its decline workflow" } ?? "no dunning policy is published with it"
            throw StoreError(
                engine: EngineError(
                    .invalidWorkflow,
                    "the workflow id '\(given)' starts with 'dunning.', which is kept for the workflows compiled from a dunning policy (Docs/dunning.md, \"The schedule on the engine\"), and \(owner): rename the workflow; nothing was published"),
                path: path)
        }
        guard let policyID else { return }
        for other in try String.fetchAll(db, sql: "SELECT DISTINCT policy_id FROM dunning_policies WHERE policy_id != ?", arguments: [policyID])
        where policyID.hasPrefix(other + ".decline-") || other.hasPrefix(policyID + ".decline-") {
            throw StoreError(
                .invalidDunningState,
                "the dunning policy '\(DisplayText.escape(policyID))' would compile to workflow ids of the stored policy '\(DisplayText.escape(other))' (dunning.<id> and dunning.<id>.decline-…): give it another id; nothing was published",
                path: path)
        }
    }

    /// Whether `id` has the shape of a decline workflow compiled from policy `policyID`:
    /// `dunning.<policy id>.decline-` and 16 lower-case hex digits.
    static func isDeclineID(_ id: String, of policyID: String) -> Bool {
        let head = EventType.internalWorkflowPrefix + policyID + ".decline-"
        guard id.hasPrefix(head) else { return false }
        let digits = id.utf8.dropFirst(head.utf8.count)
        return digits.count == 16 && digits.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// A policy's actions run as workflows (`DunningPolicy.actionWorkflows`): each must be published
    /// (with this publish or before), else the worker could not run them.
    static func requireActionWorkflows(of document: DunningPolicyDocument, in db: Database, path: String) throws {
        let policy: DunningPolicy
        do throws(DunningError) {
            policy = try DunningPolicy(json: document.json)
        } catch {
            throw StoreError(.invalidDunningState, "the dunning policy '\(DisplayText.escape(document.id))' does not read: \(error.description)", path: path)
        }
        for workflow in policy.actionWorkflows {
            let published = try Int64.fetchOne(
                db, sql: "SELECT 1 FROM workflow_version WHERE workflow_id = ? AND is_current = 1", arguments: [workflow.id])
            guard published == nil else { continue }
            throw StoreError(
                .unknownWorkflow,
                "the dunning policy '\(DisplayText.escape(document.id))' runs its action '\(DisplayText.escape(workflow.name))' as workflow '\(workflow.id)', which is not published: publish the policy's action workflows with it (LoadedAutomation.automation(addingActionsOf:policyFile:) adds them; purchase-actions publish does); nothing was published",
                path: path)
        }
    }

    /// Every stored version of a workflow, oldest first (empty for an unknown id).
    public func versions(workflowID: String) throws(StoreError) -> [StoredVersion] {
        try read("read the versions of '\(DisplayText.escape(workflowID))'") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM workflow_version WHERE workflow_id = ? ORDER BY number", arguments: [workflowID]).map { row in
                let published = try Self.published(row)
                return StoredVersion(
                    workflowID: (try row.get("workflow_id")), number: (try row.get("number")), fileVersion: (try row.get("file_version")), digest: (try row.get("digest")),
                    publishedAt: Instant(millisecondsSinceEpoch: (try row.get("published_at"))), isCurrent: (try row.get("is_current")) as Int == 1,
                    workflow: published.workflow, account: published.account, productOfPlan: published.productOfPlan)
            }
        }
    }

    /// The versions the engine runs: the current one of each workflow, and every earlier one
    /// (they run only enrollments already on them), each with its `version` set to the store's number.
    static func loadPublished(_ db: Database) throws -> (current: [PublishedWorkflow], earlier: [PublishedWorkflow]) {
        var current: [PublishedWorkflow] = []
        var earlier: [PublishedWorkflow] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM workflow_version ORDER BY workflow_id, number") {
            let published = try published(row)
            if (try row.get("is_current")) as Int == 1 { current.append(published) } else { earlier.append(published) }
        }
        return (current, earlier)
    }

    /// A `workflow_version` row as the engine takes it.
    static func published(_ row: Row) throws -> PublishedWorkflow {
        var workflow = try Workflow(json: JSONValue.parse((try row.get("workflow_json")) as String))
        workflow.version = (try row.get("number"))
        let account = try accountProfile(JSONValue.parse((try row.get("account_json")) as String))
        var plans: [String: String] = [:]
        if case .object(let members) = try JSONValue.parse((try row.get("plans_json")) as String) {
            for (plan, product) in members { if case .string(let id) = product { plans[plan] = id } }
        }
        return PublishedWorkflow(workflow, account: account, productOfPlan: plans)
    }

    /// `{"company": {...}, "users": {"<id>": {...}}}`.
    static func accountJSON(_ account: AccountProfile) -> JSONValue {
        .object([
            "company": .object(account.company.mapValues(JSONValue.string)),
            "users": .object(account.users.mapValues { .object($0.mapValues(JSONValue.string)) }),
        ])
    }

    /// Reads ``accountJSON(_:)`` back.
    static func accountProfile(_ json: JSONValue) -> AccountProfile {
        func strings(_ value: JSONValue?) -> [String: String] {
            guard case .object(let members)? = value else { return [:] }
            return members.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
        }
        guard case .object(let members) = json else { return AccountProfile() }
        var users: [String: [String: String]] = [:]
        if case .object(let byID)? = members["users"] { for (id, value) in byID { users[id] = strings(value) } }
        return AccountProfile(company: strings(members["company"]), users: users)
    }
}

extension SQLiteStore {
    /// SHA-256 (swift-crypto) of bytes as 64 lowercase hex digits: the digest a publish compares versions by.
    static func digest(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
