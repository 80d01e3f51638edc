import PurchaseActionsCore
import Testing

/// What a template holds that is not mapped exactly is reported once, at the template's line, with
/// how many actions use it and which (at most 10 ids, then "and N more"): not once per action.
@Suite("Template findings: once per template, with the actions using it")
struct TemplateFindingsTests {
    static let templateLine = FileLocation(file: "t.xml", path: "/export/catalogue/email-template[@id='tpl-odd']", line: 4, column: 3)

    static func catalogue() -> Catalogue {
        var catalogue = Catalogue()
        catalogue.templates["tpl-odd"] = Template(
            id: "tpl-odd", name: "Odd",
            content: .email(EmailTemplate(fromName: "Shop\nFloor", fromAddress: "a@example.com", subject: "Hi ~Contact.Shoe~ {{x}}", text: "t")),
            location: templateLine)
        catalogue.templates["tpl-unused"] = Template(
            id: "tpl-unused", name: "Unused", content: .email(EmailTemplate(fromName: "S", fromAddress: "a@example.com", subject: "~Contact.Hat~")),
            location: FileLocation(file: "t.xml", line: 5))
        catalogue.templates["tpl-fine"] = Template(
            id: "tpl-fine", name: "Fine", content: .email(EmailTemplate(fromName: "S", fromAddress: "a@example.com", subject: "Hello")),
            location: FileLocation(file: "t.xml", line: 6))
        return catalogue
    }

    static func run(actions: Int) -> MigrationRun {
        var run = MigrationRun()
        run.add(account: AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "EUR", location: FileLocation(file: "t.xml", line: 2)))
        run.add(catalogue: catalogue())
        let list = (1...actions).map { index in
            Action(id: "send-\(index)", kind: .sendEmail(templateID: "tpl-odd", to: .contact), location: FileLocation(file: "t.xml", line: 10 + index))
        }
        run.add(ActionSet(id: "as-1", name: "One", actions: list, location: FileLocation(file: "t.xml", line: 9)))
        return run
    }

    @Test("Three users: each finding once at the template's line, for no workflow, naming the three actions")
    func threeUsers() {
        let run = Self.run(actions: 3)
        let odd = run.findings.filter { $0.message.contains("'tpl-odd'") }
        #expect(Set(odd.map(\.code)) == [.unknownMergeField, .literalBraces, .headerLineBreak])
        #expect(odd.count == 3, "\(odd)")
        for finding in odd {
            #expect(finding.location == Self.templateLine)
            #expect(finding.workflowID == "")
            #expect(finding.message.hasSuffix("(used by 3 actions: 'send-1', 'send-2', 'send-3')"), "\(finding.message)")
        }
        // No action carries a copy.
        #expect(!run.findings.contains { $0.location.line > 10 })
        // The unused template is reported too; the fine one not at all.
        #expect(run.findings.contains { $0.message.contains("'tpl-unused'") && $0.message.hasSuffix("(used by no action)") })
        #expect(!run.findings.contains { $0.message.contains("'tpl-fine'") })
    }

    @Test("Past ten users: the first ten ids, then 'and N more'; the findings do not grow with the actions")
    func manyUsers() {
        let ten = Self.run(actions: 10)
        let eleven = Self.run(actions: 11)
        let many = Self.run(actions: 250)
        let message = { (run: MigrationRun) in run.findings.first { $0.code == .unknownMergeField && $0.message.contains("'tpl-odd'") }?.message ?? "" }
        #expect(message(ten).hasSuffix("'send-9', 'send-10')"))
        #expect(message(eleven).hasSuffix("'send-9', 'send-10' and 1 more)"))
        #expect(message(many).contains("(used by 250 actions: 'send-1', "))
        #expect(message(many).hasSuffix("'send-10' and 240 more)"))
        #expect(ten.findings.count == many.findings.count)
    }

    @Test("The whole-account compile reports the same template findings as the run")
    func wholeAccountSame() {
        let run = Self.run(actions: 12)
        let list = (1...12).map { index in
            Action(id: "send-\(index)", kind: .sendEmail(templateID: "tpl-odd", to: .contact), location: FileLocation(file: "t.xml", line: 10 + index))
        }
        let account = LegacyAccount(
            settings: AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "EUR", location: FileLocation(file: "t.xml", line: 2)),
            catalogue: Self.catalogue(), actionSets: [ActionSet(id: "as-1", name: "One", actions: list, location: FileLocation(file: "t.xml", line: 9))])
        #expect(LegacyCompiler.compile(account).findings == Migration.documentOrder(run.findings))
    }

    @Test("Every template is stored once, used or not, in document order; its action holds what a referring action repeats")
    func templatesStored() throws {
        let run = Self.run(actions: 2)
        #expect(run.templates.map(\.id) == ["tpl-odd", "tpl-unused", "tpl-fine"])
        let odd = try #require(run.templatesByID["tpl-odd"])
        #expect(odd.action["type"] == "send-email".json)
        #expect(odd.action["subject"] == "Hi ~Contact.Shoe~ {{x}}".json)
        #expect(odd.action["from"] == .members(["name": "Shop Floor".json, "address": "a@example.com".json]))
        #expect(odd.action["to"] == nil && odd.action["template"] == nil)
        #expect(odd.source?.line == 4)
        #expect(run.accountFile.catalogue.templates.isEmpty)
    }
}
