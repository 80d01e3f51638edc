import PurchaseActionsCore
public import PurchaseActionsDunning
public import PurchaseActionsEngine

extension LoadedAutomation {
    /// The automation with the workflows a dunning policy's actions run as
    /// (`DunningPolicy.actionWorkflows(templates:)`: an `email` takes its sender, subject and
    /// bodies from this folder's `templates/`): what `SQLiteStore.publish(_:dunningPolicy:at:)`
    /// stores with the policy, so the worker runs the policy's messages, tasks and tags on the
    /// engine (Docs/dunning.md, "How actions run"). A workflow of the folder with the same id is
    /// kept as it is. Each takes the account timezone of the folder's workflows (the engine reads
    /// the account's timezone from the workflow first by id), the policy's when the folder has none.
    ///
    /// It also adds the two workflows the policy's schedule runs as
    /// (`DunningPolicy.scheduleWorkflows(table:)` with the standard decline table:
    /// `dunning.<policy id>` and `dunning.<policy id>.decline-<digest>`, Docs/dunning.md, "The
    /// schedule on the engine"), compiled from the policy here: an import's folder does not hold
    /// them. They take the folder's account timezone too.
    ///
    /// Throws `invalid` at `policyFile` and the policy's JSON path when an email names a template
    /// the folder does not have (`missing-template`) or one that does not make a whole email;
    /// `invalid` at `policyFile` when a workflow of the folder has the id of one of the compiled
    /// ones (they are compiled from the policy and may not be given).
    public func automation(addingActionsOf policy: DunningPolicy, policyFile: String) throws(LoadError) -> Automation {
        var automation = self.automation
        let taken = Set(automation.workflows.map(\.id))
        let compiled = policy.scheduleWorkflows()
        for workflow in compiled where taken.contains(workflow.id) {
            throw LoadError(
                .invalid,
                "the folder has a workflow '\(DisplayText.escape(workflow.id))', the id of the workflow compiled from the dunning policy '\(DisplayText.escape(policy.id))' (Docs/dunning.md, \"The schedule on the engine\"): remove or rename that workflow file; publish compiles it from the policy",
                file: policyFile)
        }
        let workflows: [Workflow]
        do {
            workflows = try policy.actionWorkflows(templates: templates)
        } catch {
            throw LoadError(.invalid, "\(error.message) (\(error.code))", file: policyFile, jsonPath: error.path)
        }
        // The engine takes the account's timezone from the workflow first by id, which a
        // `dunning-action-…` id can be: each takes the folder's account timezone, so adding them
        // never changes it.
        let accountTimezone = automation.workflows.min { $0.id < $1.id }?.settings.accountTimezone
        for var workflow in workflows where !taken.contains(workflow.id) {
            if let accountTimezone { workflow.settings.accountTimezone = accountTimezone }
            automation.workflows.append(workflow)
        }
        for var workflow in compiled {
            if let accountTimezone { workflow.settings.accountTimezone = accountTimezone }
            automation.workflows.append(workflow)
        }
        return automation
    }
}
