public import PurchaseActionsCore

/// One piece of an export, handed out in document order by ``ExportStream``.
public enum ExportItem: Hashable, Sendable {
    /// The account settings (always first).
    case account(AccountSettings)
    /// The whole catalogue (once, when its section ends).
    case catalogue(Catalogue)
    /// A follow-up sequence.
    case sequence(FollowUpSequence)
    /// An action set.
    case actionSet(ActionSet)
    /// A purchase-action slot.
    case slot(PurchaseSlot)
    /// A billing-automation rule.
    case billingRule(BillingAutomationRule)
    /// An extension element at the top level of the export.
    case `extension`(OpaquePart)
}
