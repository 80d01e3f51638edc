import GRDB
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

@Suite("SQLite store: dunning policies published with the workflows (schema 2)")
struct DunningPolicyStoreTests {
    static func policy(_ id: String = "legacy-billing", version: Int? = 3, gaps: [String] = ["2d", "2d"]) -> DunningPolicyDocument {
        DunningPolicyDocument(
            id: id, fileVersion: version,
            json: .object([
                "format": .integer(1), "id": .string(id), "name": .string("Legacy billing"),
                "retries": .object(["gaps": .array(gaps.map(JSONValue.string))]),
            ]))
    }

    /// The workflows the policy's actions run as: publish refuses a policy without them.
    static func actions(_ document: DunningPolicyDocument) throws -> Automation {
        Automation(workflows: try DunningPolicy(json: document.json).actionWorkflows)
    }

    @Test("a policy is new, then unchanged, then changed (the next number, current); each id has its own numbers")
    func versions() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let first = try store.publish(try Self.actions(Self.policy()), dunningPolicy: Self.policy(), at: StoreFixture.start)
        #expect(first.dunningPolicy == .init(id: "legacy-billing", number: 1, fileVersion: 3, change: .new))
        let again = try store.publish(try Self.actions(Self.policy()), dunningPolicy: Self.policy(), at: StoreFixture.start)
        #expect(again.dunningPolicy?.change == .unchanged)
        #expect(again.dunningPolicy?.number == 1)
        // The file's version alone is not content: the digest is of the JSON.
        let changed = try store.publish(try Self.actions(Self.policy()), dunningPolicy: Self.policy(gaps: ["1d", "3d"]), at: StoreFixture.start.adding(seconds: 60))
        #expect(changed.dunningPolicy == .init(id: "legacy-billing", number: 2, fileVersion: 3, change: .changed))
        let other = try store.publish(try Self.actions(Self.policy()), dunningPolicy: Self.policy("saas", version: nil), at: StoreFixture.start)
        #expect(other.dunningPolicy == .init(id: "saas", number: 1, fileVersion: nil, change: .new))

        let all = try store.dunningPolicies()
        #expect(all.map { "\($0.id) \($0.number) \($0.isCurrent)" } == ["legacy-billing 1 false", "legacy-billing 2 true", "saas 1 true"])
        let current = try store.dunningPolicies(currentOnly: true)
        #expect(current.map(\.id) == ["legacy-billing", "saas"])
        #expect(current[0].json == Self.policy(gaps: ["1d", "3d"]).json)
        #expect(current[0].digest == SQLiteStore.digest(Array(Self.policy(gaps: ["1d", "3d"]).json.compactText.utf8)))
        #expect(current[0].digest.count == 64)
        #expect(current[0].publishedAt == StoreFixture.start.adding(seconds: 60))
        #expect(current[1].fileVersion == nil)
    }

    @Test("publish without a policy stores none and reports none")
    func withoutPolicy() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let result = try store.publish(Automation(workflows: []), at: StoreFixture.start)
        #expect(result.dunningPolicy == nil)
        #expect(try store.dunningPolicies().isEmpty)
    }

    @Test("a schema 2 database is migrated to the current schema when opened: the tables are added, nothing else touched")
    func migratesFromSchema1() throws {
        let path = StoreFixture.temporaryPath()
        do {
            // Made by this build's first two migrations: a schema 2 file as schema 2 wrote it.
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "v2-input-tail")
            try queue.write { db in
                #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 2)
                try db.execute(sql: "INSERT INTO processed_event (id) VALUES ('ev-kept')")
            }
        }
        let store = try SQLiteStore(path: path)
        let (version, kept) = try store.read("check") { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"), try String.fetchOne(db, sql: "SELECT id FROM processed_event"))
        }
        #expect(version == SQLiteStore.schemaVersion)
        #expect(kept == "ev-kept")
        #expect(try store.dunningPolicies().isEmpty)
        #expect(try store.dunningInvoices(openOnly: false, limit: 10).isEmpty)
        #expect(try store.dunningTimeline(invoice: nil, limit: 10).isEmpty)
        let result = try store.publish(try Self.actions(Self.policy()), dunningPolicy: Self.policy(), at: StoreFixture.start)
        #expect(result.dunningPolicy?.change == .new)
    }

    @Test("a stored policy that is not JSON (edited by hand) is an error, never a trap")
    func editedRow() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        _ = try store.publish(try Self.actions(Self.policy()), dunningPolicy: Self.policy(), at: StoreFixture.start)
        try store.queue.write { db in try db.execute(sql: "UPDATE dunning_policies SET policy_json = 'not json'") }
        #expect(throws: StoreError.self) { try store.dunningPolicies() }
        try store.queue.write { db in try db.execute(sql: "UPDATE dunning_policies SET policy_json = '{}', number = 'x'") }
        #expect(throws: StoreError.self) { try store.dunningPolicies() }
    }
}
