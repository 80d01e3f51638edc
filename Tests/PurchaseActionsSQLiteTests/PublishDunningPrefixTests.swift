import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine
import PurchaseActionsSQLite
import Testing

/// Workflow ids starting with `dunning.` are kept for the workflows compiled from a dunning policy
/// (Docs/dunning.md, "The schedule on the engine"): `SQLiteStore.publish` refuses any other, and a
/// policy whose compiled ids could be another stored policy's (`p` and `p.decline-…`).
@Suite("Publish refuses dunning. workflow ids no policy of the publish compiles, and policy ids whose compiled ids collide")
struct PublishDunningPrefixTests {
    typealias Base = DunningRuntimeTests
    typealias Schedule = DunningScheduleRuntimeTests

    /// An ordinary workflow: on `payment.succeeded`, add a tag.
    static func workflow(_ id: String) -> Workflow {
        Workflow(
            id: id, name: "Mine", priority: 10, triggers: [Trigger(id: "t", event: .paymentSucceeded, filters: [])],
            steps: [Step(id: "tag", .action(.addTag(tagID: "paid")))], settings: WorkflowSettings(accountTimezone: "UTC"))
    }

    static func document(_ policy: DunningPolicy) -> DunningPolicyDocument {
        DunningPolicyDocument(id: policy.id, fileVersion: policy.version, json: policy.json)
    }

    /// The publish's error; `nil` when it was stored.
    static func refusal(_ store: SQLiteStore, _ workflows: [Workflow], policy: DunningPolicy? = nil) -> StoreError? {
        do throws(StoreError) {
            _ = try store.publish(Automation(workflows: workflows), dunningPolicy: policy.map(document), at: StoreFixture.start.adding(seconds: 60))
            return nil
        } catch {
            return error
        }
    }

    @Test("a folder with no policy whose workflows include dunning.mine is refused, naming the id; nothing is stored")
    func noPolicy() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let error = try #require(Self.refusal(store, [Self.workflow("plain"), Self.workflow("dunning.mine")]))
        #expect(error.code == .engine)
        #expect(error.message.contains("the workflow id 'dunning.mine' starts with 'dunning.'"), "\(error.message)")
        #expect(error.message.contains("no dunning policy is published with it"), "\(error.message)")
        #expect(error.message.hasSuffix("nothing was published"), "\(error.message)")
        #expect(try store.versions(workflowID: "plain").isEmpty)
        #expect(try store.versions(workflowID: "dunning.mine").isEmpty)
        // The same workflow under another id publishes: only the prefix is kept.
        #expect(Self.refusal(store, [Self.workflow("plain"), Self.workflow("mine.dunning")]) == nil)
        // `dunning` alone, or another case, is not the prefix.
        #expect(Self.refusal(store, [Self.workflow("dunning"), Self.workflow("DUNNING.mine")]) == nil)
    }

    @Test("with the policy p, a workflow dunning.q is refused, naming it and p; the policy is not stored")
    func otherPolicysID() throws {
        let policy = try Base.policy(id: "p")
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let workflows = policy.actionWorkflows + policy.scheduleWorkflows()
        let error = try #require(Self.refusal(store, workflows + [Self.workflow("dunning.q")], policy: policy))
        #expect(error.message.contains("'dunning.q'"), "\(error.message)")
        #expect(error.message.contains("the dunning policy 'p' compiles only dunning.p and its decline workflow"), "\(error.message)")
        #expect(try store.dunningPolicies().isEmpty)
        #expect(try store.versions(workflowID: "dunning.p").isEmpty)
        // A file shaped like its decline workflow but not a digest is refused too.
        for id in ["dunning.p.decline-mine", "dunning.p.decline-0123456789ABCDEF", "dunning.p.decline-0123456789abcdef0"] {
            #expect(Self.refusal(store, workflows + [Self.workflow(id)], policy: policy) != nil, "\(id)")
        }
        // Its own compiled workflows publish.
        #expect(Self.refusal(store, workflows, policy: policy) == nil)
        #expect(try store.versions(workflowID: policy.declineWorkflowID).count == 1)
    }

    @Test("a folder with no policy may not publish over a stored policy's compiled workflow (dunning.p)")
    func compiledIDWithoutItsPolicy() throws {
        let policy = try Base.policy(id: "p")
        let store = try Schedule.newStore(policy)
        var mine = Self.workflow("dunning.p")
        mine.triggers = []
        let error = try #require(Self.refusal(store, [mine]))
        #expect(error.message.contains("'dunning.p'"), "\(error.message)")
        #expect(try store.versions(workflowID: "dunning.p").count == 1)
        let decline = try #require(Self.refusal(store, [Self.workflow(policy.declineWorkflowID)]))
        #expect(decline.message.contains("'\(policy.declineWorkflowID)'"), "\(decline.message)")
    }

    @Test("policy p, then a policy p.decline-0123456789abcdef is refused (and the reverse); p.decline and p2 are not")
    func collidingPolicyIDs() throws {
        let store = try Schedule.newStore(try Base.policy(id: "p"))
        let colliding = try Base.policy(id: "p.decline-0123456789abcdef")
        let error = try #require(Self.refusal(store, colliding.actionWorkflows + colliding.scheduleWorkflows(), policy: colliding))
        #expect(error.code == .invalidDunningState)
        #expect(
            error.message.contains("the dunning policy 'p.decline-0123456789abcdef' would compile to workflow ids of the stored policy 'p'"),
            "\(error.message)")
        #expect(try store.dunningPolicies().map(\.id) == ["p"])
        #expect(try store.versions(workflowID: colliding.scheduleWorkflowID).isEmpty)

        // The reverse: p.decline-… stored first, then p.
        let reverse = try Schedule.newStore(colliding)
        let plain = try Base.policy(id: "p")
        let second = try #require(Self.refusal(reverse, plain.actionWorkflows + plain.scheduleWorkflows(), policy: plain))
        #expect(second.message.contains("the dunning policy 'p' would compile to workflow ids of the stored policy 'p.decline-0123456789abcdef'"), "\(second.message)")

        // Ids that cannot collide publish: `p.decline` (no dash: its ids are dunning.p.decline and
        // dunning.p.decline.decline-…) and `p2`; p again is unchanged.
        for id in ["p.decline", "p2", "p"] {
            let policy = try Base.policy(id: id)
            #expect(Self.refusal(store, policy.actionWorkflows + policy.scheduleWorkflows(), policy: policy) == nil, "\(id)")
        }
        #expect(try store.dunningPolicies(currentOnly: true).map(\.id) == ["p", "p.decline", "p2"])
    }
}
