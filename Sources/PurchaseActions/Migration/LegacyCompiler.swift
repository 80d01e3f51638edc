/// Compiles a legacy account into workflows (Docs/mapping.md): one per action set, purchase slot,
/// follow-up sequence and billing-automation rule.
///
/// It works one part at a time, so a streaming reader can compile an export of any size while
/// holding only the catalogue; ``compile(_:)-swift.type.method`` does a whole account at once.
///
/// ```swift
/// let compiler = LegacyCompiler(settings: account.settings, catalogue: account.catalogue)
/// let output = compiler.compile(account.actionSets[0])
/// print(output.workflow.json.canonicalText, output.findings)
/// ```
public struct LegacyCompiler: Sendable {
    /// One compiled workflow and what in it is not mapped exactly.
    public struct Output: Hashable, Sendable {
        /// The workflow.
        public var workflow: Workflow
        /// Its findings, in document order.
        public var findings: [MigrationFinding]
    }

    /// The account's settings: its timezone and the "all orders" setting.
    public let settings: AccountSettings
    /// What actions refer to: templates, products, plans.
    public let catalogue: Catalogue
    let customFieldNames: Set<String>
    /// Each template's texts in the modern syntax, by template id and part ("the subject"): translated
    /// once, however many actions use the template.
    let templateTexts: [String: [String: MergeFields.Translation]]

    /// Creates a compiler for an account's settings and catalogue.
    public init(settings: AccountSettings, catalogue: Catalogue) {
        self.settings = settings
        self.catalogue = catalogue
        let customFieldNames = Set(catalogue.customFields.values.map(\.name))
        self.customFieldNames = customFieldNames
        self.templateTexts = catalogue.templates.mapValues { template in
            template.textParts.mapValues { MergeFields.translate($0, customFields: customFieldNames) }
        }
    }

    /// Compiles a whole account: its workflows sorted by id, and every finding in document order.
    public static func compile(_ account: LegacyAccount) -> Migration {
        let compiler = LegacyCompiler(settings: account.settings, catalogue: account.catalogue)
        let outputs =
            account.sequences.map(compiler.compile) + account.actionSets.map(compiler.compile) + account.slots.map(compiler.compile)
            + account.billingRules.map(compiler.compile)
        let accountFindings = (account.settings.extensions + account.catalogue.extensions + account.extensions).map {
            notCarried($0, workflowID: "")
        }
        return Migration(workflows: outputs.map(\.workflow), findings: accountFindings + outputs.flatMap(\.findings))
    }

    /// The finding for an extension that no workflow carries.
    public static func notCarried(_ part: OpaquePart, workflowID: String) -> MigrationFinding {
        let name = part.namespace.map { "{\($0)}\(part.name)" } ?? part.name
        return MigrationFinding(
            .extensionNotCarried, "extension \(part.kind.rawValue) \(name) is kept by the reader but has no place in a workflow",
            at: part.location, workflowID: workflowID)
    }

    func settings(allowReentry: Bool = true) -> WorkflowSettings {
        WorkflowSettings(allowReentry: allowReentry, accountTimezone: settings.timezone)
    }
}

/// The ids of the workflows a legacy account compiles to; each is also the file's name.
public enum LegacyWorkflowID {
    /// `action-set.<id>`: the workflow of an action set, which slots, rules and other sets call.
    public static func actionSet(_ id: String) -> String { "action-set.\(id)" }
    /// `slot.<key>`, with the key's `:` written `.`: `slot.successful-purchase`, `slot.product-purchase.prod-1`.
    public static func slot(_ kind: PurchaseSlot.Kind) -> String {
        "slot." + kind.key.replacing(":", with: ".")
    }
    /// `sequence.<id>`.
    public static func sequence(_ id: String) -> String { "sequence.\(id)" }
    /// `billing.<id>`.
    public static func billingRule(_ id: String) -> String { "billing.\(id)" }
}
