public import PurchaseActionsCore

// STUB (lead): helper C implements this file (contract /work/contract15.md, "C").

extension DunningAction {
    /// The id of the workflow that performs this action on the engine:
    /// `dunning-action-<16 hex digits of a 64-bit FNV-1a of the action's JSON>`.
    public var engineWorkflowID: String { fatalError("stub") }

    /// A workflow with no trigger that performs this action for the contact it runs for.
    public var engineWorkflow: Workflow { fatalError("stub") }
}

extension FinalAction {
    /// The id of the workflow that performs the final action itself (`dunning-final-<hex>`), `nil`
    /// for `keep-past-due` (nothing to do).
    public var engineWorkflowID: String? { fatalError("stub") }

    /// That workflow.
    public var engineWorkflow: Workflow? { fatalError("stub") }
}

extension DunningPolicy {
    /// Every workflow the policy's actions run as (each action of the stages, attempt rules,
    /// `recovered`, `final`, the final action, and the built-in staff task of an unknown charge),
    /// one per distinct action, sorted by id.
    public var actionWorkflows: [Workflow] { fatalError("stub") }
}
