import PurchaseActionsCore
import Testing

@Suite("The example in the DocC catalogue")
struct DocCExampleTests {
    @Test("An account built in code compiles as the overview says")
    func overviewExample() throws {
        // As in PurchaseActionsCore.docc/PurchaseActionsCore.md.
        let here = FileLocation(file: "by-hand")
        let welcome = ActionSet(
            id: "as-welcome", name: "Welcome",
            actions: [
                Action(id: "as-welcome.tag", kind: .applyTag(tagID: "tag-buyer"), location: here),
                Action(id: "as-welcome.mail", kind: .sendEmail(templateID: "tpl-welcome", to: .contact), location: here),
            ],
            location: here)
        let account = LegacyAccount(
            settings: AccountSettings(id: "acme", name: "Acme", timezone: "America/New_York", currency: "USD", location: here),
            actionSets: [welcome],
            slots: [PurchaseSlot(kind: .successfulPurchase, actionSetID: "as-welcome", location: here)])
        let migration = LegacyCompiler.compile(account)
        #expect(migration.workflows.map(\.id) == ["action-set.as-welcome", "slot.successful-purchase"])
        #expect(migration.findings.map(\.code) == [.missingReference])
        #expect(migration.findings.first?.message.contains("tpl-welcome") == true)
        let file = migration.workflows[1].json.canonicalText
        #expect(file.contains("\"workflow\": \"action-set.as-welcome\""))
        #expect(file.hasSuffix("}\n"))
    }
}
