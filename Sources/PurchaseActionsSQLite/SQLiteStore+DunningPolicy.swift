internal import GRDB
public import PurchaseActionsCore

/// A dunning policy for ``SQLiteStore/publish(_:dunningPolicy:at:)``: its id, the file's own
/// version and its canonical JSON (`DunningPolicy.json` of the module PurchaseActionsDunning, which
/// this module does not depend on).
public struct DunningPolicyDocument: Hashable, Sendable {
    /// The policy's id.
    public var id: String
    /// The `version` written in the policy, when it has one.
    public var fileVersion: Int?
    /// The policy's canonical JSON.
    public var json: JSONValue

    /// Creates a document.
    public init(id: String, fileVersion: Int?, json: JSONValue) {
        self.id = id
        self.fileVersion = fileVersion
        self.json = json
    }
}

/// One stored version of a dunning policy (``SQLiteStore/dunningPolicies(currentOnly:)``).
public struct StoredDunningPolicy: Hashable, Sendable {
    /// The policy's id.
    public var id: String
    /// The store's version number (1, 2, 3, ... per policy id).
    public var number: Int
    /// The `version` written in the policy, when it had one.
    public var fileVersion: Int?
    /// The SHA-256 digest (hex) of the policy's compact canonical JSON.
    public var digest: String
    /// When it was published.
    public var publishedAt: Instant
    /// Whether it is the policy's current version.
    public var isCurrent: Bool
    /// The policy's canonical JSON as published.
    public var json: JSONValue

    /// Creates a stored version.
    public init(id: String, number: Int, fileVersion: Int?, digest: String, publishedAt: Instant, isCurrent: Bool, json: JSONValue) {
        self.id = id
        self.number = number
        self.fileVersion = fileVersion
        self.digest = digest
        self.publishedAt = publishedAt
        self.isCurrent = isCurrent
        self.json = json
    }
}

extension SQLiteStore {
    /// Stores a dunning policy in the publish transaction: new (version 1), changed (the next
    /// number, current), or unchanged (its digest equals the current version's: nothing stored).
    static func publish(_ policy: DunningPolicyDocument, in db: Database, at instant: Instant) throws -> PublishResult.PublishedDunningPolicy {
        let text = policy.json.compactText
        let digest = Self.digest(Array(text.utf8))
        let current = try Row.fetchOne(
            db, sql: "SELECT number, digest FROM dunning_policies WHERE policy_id = ? AND is_current = 1", arguments: [policy.id])
        if let current, (try current.get("digest")) as String == digest {
            return .init(id: policy.id, number: (try current.get("number")), fileVersion: policy.fileVersion, change: .unchanged)
        }
        let number = Int(try (Int64.fetchOne(db, sql: "SELECT max(number) FROM dunning_policies WHERE policy_id = ?", arguments: [policy.id]) ?? 0).nextCounter("dunning_policies.number"))
        try db.execute(sql: "UPDATE dunning_policies SET is_current = 0 WHERE policy_id = ?", arguments: [policy.id])
        try db.execute(
            sql: """
                INSERT INTO dunning_policies (policy_id, number, file_version, digest, published_at, is_current, policy_json)
                VALUES (?, ?, ?, ?, ?, 1, ?)
                """,
            arguments: [policy.id, number, policy.fileVersion, digest, instant.millisecondsSinceEpoch, text])
        return .init(id: policy.id, number: number, fileVersion: policy.fileVersion, change: current == nil ? .new : .changed)
    }

    /// The stored dunning policies, by id then number: every version, or only the current one of
    /// each id.
    public func dunningPolicies(currentOnly: Bool = false) throws(StoreError) -> [StoredDunningPolicy] {
        try read("read the dunning policies") { db in
            let filter = currentOnly ? "WHERE is_current = 1 " : ""
            return try Row.fetchAll(db, sql: "SELECT * FROM dunning_policies \(filter)ORDER BY policy_id, number").map { row in
                StoredDunningPolicy(
                    id: (try row.get("policy_id")), number: (try row.get("number")), fileVersion: (try row.get("file_version")),
                    digest: (try row.get("digest")), publishedAt: Instant(millisecondsSinceEpoch: (try row.get("published_at"))),
                    isCurrent: (try row.get("is_current")) as Int == 1, json: try JSONValue.parse((try row.get("policy_json")) as String))
            }
        }
    }
}
