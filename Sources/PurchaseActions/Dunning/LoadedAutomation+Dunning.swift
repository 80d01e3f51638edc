public import PurchaseActionsCore
public import PurchaseActionsDunning
public import PurchaseActionsEngine

extension LoadedAutomation {
    /// The automation with the workflows a dunning policy's actions run as
    /// (`DunningPolicy.actionWorkflows`), each with this folder's templates merged (an `email`
    /// action names a template of `templates/`): what `SQLiteStore.publish(_:dunningPolicy:at:)`
    /// stores with the policy, so the worker runs the policy's messages, tasks and tags on the
    /// engine (Docs/dunning.md, "How actions run").
    ///
    /// Throws `invalid` at `policyFile` when an action names a template the folder does not have
    /// (or its workflow is refused).
    public func automation(addingActionsOf policy: DunningPolicy, policyFile: String) throws(LoadError) -> Automation {
        var automation = self.automation
        let taken = Set(automation.workflows.map(\.id))
        for workflow in policy.actionWorkflows where !taken.contains(workflow.id) {
            do {
                automation.workflows.append(try Workflow(json: workflow.json, templates: templates))
            } catch {
                throw LoadError(
                    .invalid,
                    "the dunning policy's action workflow '\(workflow.id)' (\(workflow.name)) cannot be built from this folder: \(error.path): \(error.message)",
                    file: policyFile, line: nil)
            }
        }
        return automation
    }
}
