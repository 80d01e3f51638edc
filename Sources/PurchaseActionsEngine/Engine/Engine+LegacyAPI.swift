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
    /// `actionSetID` is the action set's id **as in the export** (`as-masterclass`), the id an
    /// existing app already passes; the engine runs it as its compiled workflow,
    /// `action-set.<id>`, through its manual trigger. Given the workflow's id instead
    /// (`action-set.as-masterclass`), it throws ``EngineError/Code/unknownActionSet`` with a
    /// message naming the id to pass, so the two forms are never mixed silently. To run any
    /// workflow by its workflow id, use ``run(workflowID:contactID:)``.
    ///
    /// ```swift
    /// let results = try engine.runActionSet("as-masterclass", contactID: "c-1")
    /// for result in results where result.isError { print(result.message) }
    /// ```
    public func runActionSet(_ actionSetID: String, contactID: String) throws(EngineError) -> [ActionResult] {
        let records = try run(workflowID: try actionSetWorkflowID(actionSetID), contactID: contactID)
        return records.compactMap { record -> ActionResult? in
            guard record.stepID != nil, record.status == .completed || record.status == .error || record.status == .skipped else { return nil }
            if let effect = record.effect {
                return ActionResult(action: effect.kind, message: record.message, isError: record.status == .error)
            }
            guard record.status == .error else { return nil }
            return ActionResult(action: "step", message: record.message, isError: true)
        }
    }

    /// The workflow of an action set given by its export id; refuses a workflow id, naming the
    /// action set id to pass.
    func actionSetWorkflowID(_ actionSetID: String) throws(EngineError) -> String {
        let workflowID = LegacyWorkflowID.actionSet(actionSetID)
        if programs[workflowID] != nil { return workflowID }
        let prefix = LegacyWorkflowID.actionSet("")
        if actionSetID.hasPrefix(prefix), programs[actionSetID] != nil {
            let bare = String(actionSetID.dropFirst(prefix.count))
            let given = DisplayText.escape(actionSetID)
            throw EngineError(
                .unknownActionSet,
                "'\(given)' is the id of the action set's workflow; runActionSet takes the action set's id as in the export: '\(DisplayText.escape(bare))' (or run the workflow with run(workflowID: \"\(given)\", contactID:))")
        }
        throw EngineError(.unknownActionSet, "no action set has the id '\(DisplayText.escape(actionSetID))' (no workflow '\(DisplayText.escape(workflowID))')")
    }
}
