import PurchaseActionsCore

/// One result of the legacy `ContactService.runActionSequence`: the action, a message, and whether
/// it failed.
public struct ActionResult: Hashable, Sendable {
    /// The action's type in the workflow format (`add-tag`, `send-email`, `legacy`, ...).
    public var action: String
    /// What happened, for people.
    public var message: String
    /// Whether the action failed.
    public var isError: Bool
}

extension Engine {
    /// Runs an action set for a contact as the legacy `runActionSequence` did: one result per action
    /// run, in order, including those of sets it runs in turn.
    ///
    /// The action set runs as its compiled workflow, `action-set.<id>`, through its manual trigger.
    public func runActionSet(contactID: String, actionSetID: String) throws(EngineError) -> [ActionResult] {
        let records = try run(workflowID: LegacyWorkflowID.actionSet(actionSetID), contactID: contactID)
        return records.compactMap { record -> ActionResult? in
            guard record.stepID != nil, record.status == .completed || record.status == .error || record.status == .skipped else { return nil }
            if let effect = record.effect {
                return ActionResult(action: effect.kind, message: record.message, isError: record.status == .error)
            }
            guard record.status == .error else { return nil }
            return ActionResult(action: "step", message: record.message, isError: true)
        }
    }
}
