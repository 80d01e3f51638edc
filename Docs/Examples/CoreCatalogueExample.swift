// The samples of Sources/PurchaseActionsCore/PurchaseActionsCore.docc/PurchaseActionsCore.md, compiled.
import PurchaseActions

/// An account built by hand: one action set, run on every successful purchase.
func handMadeAccount() -> LegacyAccount {
    let here = FileLocation(file: "by-hand")
    let welcome = ActionSet(
        id: "as-welcome", name: "Welcome",
        actions: [
            Action(id: "as-welcome.tag", kind: .applyTag(tagID: "tag-buyer"), location: here),
            Action(id: "as-welcome.mail", kind: .sendEmail(templateID: "tpl-welcome", to: .contact), location: here),
        ],
        location: here)
    return LegacyAccount(
        settings: AccountSettings(id: "acme", name: "Acme", timezone: "America/New_York", currency: "USD", location: here),
        actionSets: [welcome],
        slots: [PurchaseSlot(kind: .successfulPurchase, actionSetID: "as-welcome", location: here)])
}

/// Compiles the hand-made account; returns the workflow ids, the findings and the second file.
func compileHandMadeAccount() -> (ids: [String], findings: [MigrationFinding], file: String) {
    let migration = LegacyCompiler.compile(handMadeAccount())
    print(migration.workflows.map(\.id))   // ["action-set.as-welcome", "slot.successful-purchase"]
    print(migration.findings)              // the template tpl-welcome is not in the catalogue
    let file = migration.workflows[1].json.canonicalText
    return (migration.workflows.map(\.id), migration.findings, file)
}
