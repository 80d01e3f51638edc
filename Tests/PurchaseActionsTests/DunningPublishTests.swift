import PurchaseActions
import Testing

/// `LoadedAutomation.automation(addingActionsOf:policyFile:)`: what publish stores with a policy.
@Suite("Publishing a dunning policy: its action workflows beside the folder's")
struct DunningPublishTests {
    static func policy(_ yaml: String) throws -> DunningPolicy {
        try DunningPolicyFile.policy(Array(yaml.utf8), file: "dunning-policy.yaml")
    }

    static func folder(timezone: String) -> LoadedAutomation {
        let workflow = Workflow(
            id: "welcome", name: "Welcome", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])],
            steps: [Step(id: "tag", .action(.addTag(tagID: "welcomed")))], settings: WorkflowSettings(accountTimezone: timezone))
        return LoadedAutomation(automation: Automation(workflows: [workflow]))
    }

    @Test("each action workflow takes the folder's account timezone, so adding them never changes the account's (the engine reads it from the workflow first by id)")
    func accountTimezoneKept() throws {
        let policy = try Self.policy("format: 1\nid: billing\nname: Billing\ntimezone: UTC\nattempts: [{failed: 2, actions: [{type: add-tag, tag: past-due}]}]\n")
        let automation = try Self.folder(timezone: "America/New_York").automation(addingActionsOf: policy, policyFile: "dunning-policy.yaml")
        let added = automation.workflows.filter { $0.id.hasPrefix("dunning-action-") }
        #expect(added.count == policy.actionWorkflows.count)
        #expect(added.count >= 2)
        #expect(added.allSatisfy { $0.settings.accountTimezone == "America/New_York" })
        #expect(automation.workflows.min { $0.id < $1.id }?.settings.accountTimezone == "America/New_York")
        // A folder with no workflow: the policy's timezone.
        let alone = try LoadedAutomation(automation: Automation(workflows: [])).automation(addingActionsOf: policy, policyFile: "p.yaml")
        #expect(alone.workflows.allSatisfy { $0.settings.accountTimezone == "UTC" })
    }

    @Test("an email naming a template the folder lacks is refused at the action's JSON path, naming the policy file")
    func missingTemplate() throws {
        let policy = try Self.policy("format: 1\nid: billing\nname: Billing\nrecovered: [{type: email, template: thanks}]\n")
        let error = try #require(throws: LoadError.self) {
            _ = try Self.folder(timezone: "UTC").automation(addingActionsOf: policy, policyFile: "billing/dunning-policy.yaml")
        }
        #expect(error.file == "billing/dunning-policy.yaml")
        #expect(error.jsonPath?.description == "$.recovered[0].template")
        #expect(error.message.contains("thanks"))
    }
}
