import MigrationReport
import PurchaseActionsCore

/// An account built in code, compiled as `import-actions` does, for the report's tests.
enum ReportFixture {
    static let here = FileLocation(file: "code.xml", parentPath: "/export/action-sets", element: "action-set", id: "as-vip", line: 10, column: 3)

    static func location(_ id: String, line: Int) -> FileLocation {
        FileLocation(file: "code.xml", parentPath: "/export/action-sets/action-set[@id='as-vip']", element: "apply-tag", id: id, line: line, column: 5)
    }

    /// A name that holds everything Markdown and HTML give a meaning to, and control characters.
    static let hostile = "Gold | *VIP* <script>alert(1)</script> `tick` [x](http://evil.example) # & \"q\" 'a'\nline two\u{1B}[31m\u{202E}\u{0}"

    static func account(productName: String = "Foundations — VIP", tagName: String = "VIP buyer", accountName: String = "Fernhill", allOrders: Bool = false) -> LegacyAccount {
        var catalogue = Catalogue()
        catalogue.products["prod-vip"] = Product(id: "prod-vip", name: productName, price: 100, location: here)
        catalogue.tags["tag-vip"] = ContactTag(id: "tag-vip", name: tagName, location: here)
        let actions = [
            Action(id: "as-vip.tag", kind: .applyTag(tagID: "tag-vip"), location: location("as-vip.tag", line: 11)),
            Action(id: "as-vip.fax", kind: .sendFax(templateID: "tpl-fax"), location: location("as-vip.fax", line: 12)),
        ]
        catalogue.templates["tpl-fax"] = Template(id: "tpl-fax", name: "Fax", content: .fax(body: nil), location: here)
        let set = ActionSet(id: "as-vip", name: productName + " set", actions: actions, location: here)
        let slot = PurchaseSlot(kind: .product(id: "prod-vip"), actionSetID: "as-vip", location: FileLocation(file: "code.xml", line: 40))
        let settings = AccountSettings(
            id: "acct", name: accountName, timezone: "Europe/Dublin", currency: "EUR", runPurchaseActionsOnAllOrders: allOrders, location: here)
        return LegacyAccount(settings: settings, catalogue: catalogue, sequences: [], actionSets: [set], slots: [slot], billingRules: [])
    }

    /// The report of an account: the builder after every workflow, and each body's bytes.
    static func report(_ account: LegacyAccount) -> (MigrationReportBuilder, [ReportBody: [UInt8]], [MigrationFinding]) {
        var run = MigrationRun()
        var builder = MigrationReportBuilder(tool: "import-actions", version: "9.9.9", input: "code.xml")
        run.add(account: account.settings)
        run.add(catalogue: account.catalogue)
        builder.add(account: account.settings)
        builder.add(catalogue: account.catalogue)
        builder.add(templateFindings: run.templateFindings)
        var bodies: [ReportBody: [UInt8]] = [:]
        let outputs = account.sequences.map { run.add($0) } + account.actionSets.map { run.add($0) } + account.slots.map { run.add($0) }
            + account.billingRules.map { run.add($0) }
        for output in outputs {
            for part in builder.add(workflow: output.workflow, findings: output.findings).parts { bodies[part.body, default: []] += part.bytes }
        }
        return (builder, bodies, run.findings)
    }

    static let digest = String(repeating: "ab", count: 32)

    static func document(_ document: ReportDocument, _ account: LegacyAccount, inlineSVG: @escaping (String) -> [UInt8]? = { _ in nil }) -> String {
        let (builder, bodies, findings) = report(account)
        let bytes = builder.document(document, ending: ReportEnding(digest: digest, findings: findings), bodies: bodies, inlineSVG: inlineSVG)
        return String(decoding: bytes, as: UTF8.self)
    }
}
