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
        /// Its findings, in document order. What the templates its actions use hold that is not
        /// mapped exactly is not among them: it is reported once per template
        /// (``LegacyCompiler/templateFindings(users:)``).
        public var findings: [MigrationFinding]
        /// Each action that takes its members from a template, in document order.
        public var templateUses: [TemplateUse] = []
    }

    /// The account's settings: its timezone and the "all orders" setting.
    public let settings: AccountSettings
    /// What actions refer to: templates, products, plans.
    public let catalogue: Catalogue
    /// What compiling an action reads of the compiler, behind one reference: the templates, their
    /// translated texts, the custom field names and the steps of the actions that take everything
    /// from their template.
    let tables: CompilerTables
    /// Each template as the output folder stores it, with what it holds that is not mapped exactly,
    /// by id: compiled once, however many actions use it.
    private(set) var compiledTemplates: [String: (template: WorkflowTemplate, findings: [MigrationFinding])] = [:]

    /// Creates a compiler for an account's settings and catalogue.
    public init(settings: AccountSettings, catalogue: Catalogue) {
        self.settings = settings
        self.catalogue = catalogue
        self.tables = CompilerTables(catalogue: catalogue)
        var compiled: [String: (template: WorkflowTemplate, findings: [MigrationFinding])] = [:]
        for template in catalogue.templates.values { compiled[template.id] = compileTemplate(template) }
        self.compiledTemplates = compiled
    }

    /// Compiles a whole account: its workflows sorted by id, and every finding in document order.
    public static func compile(_ account: LegacyAccount) -> Migration {
        let compiler = LegacyCompiler(settings: account.settings, catalogue: account.catalogue)
        let outputs =
            account.sequences.map(compiler.compile) + account.actionSets.map(compiler.compile) + account.slots.map(compiler.compile)
            + account.billingRules.map(compiler.compile)
        let accountFindings = (account.settings.extensions + account.catalogue.extensions + account.extensions).map {
            notCarried($0, workflowID: "")
        } + billingSettingsFindings(account.settings) + billingSettingsFindings(account.catalogue, defaults: account.settings.billing)
        var users: [String: TemplateUsers] = [:]
        for use in outputs.lazy.flatMap(\.templateUses) { users[use.templateID, default: TemplateUsers()].add(use.actionID) }
        return Migration(
            workflows: outputs.map(\.workflow),
            findings: accountFindings + compiler.templateFindings(users: users) + outputs.flatMap(\.findings) + expansionFindings(account.actionSets))
    }

    /// One `expansion-over-budget` finding for each action set whose `run-action-set` calls,
    /// counted with repetitions on the call graph (``CallGraph/actionSetExpansion(in:)``), make
    /// more than ``CallGraph/workBudget`` action-set runs and actions: the engine would stop such a
    /// run part way (Docs/engine.md, "The work budget"). The streaming reader warns the same way.
    public static func expansionFindings(_ actionSets: [ActionSet]) -> [MigrationFinding] {
        let expansion = CallGraph.actionSetExpansion(in: actionSets)
        return actionSets.compactMap { set in
            guard let count = expansion[set.id], count > CallGraph.workBudget else { return nil }
            let amount = count == .max ? "without bound" : "\(count) action-set runs and actions"
            return MigrationFinding(
                .expansionOverBudget,
                "action set '\(set.id)' runs other sets, with repetitions, \(amount): more than the \(CallGraph.workBudget) steps the engine runs for one event; a run of it stops part way",
                at: set.location, workflowID: LegacyWorkflowID.actionSet(set.id))
        }
    }

    /// Text for an email header: each CR, LF and NUL written as a space.
    public static func headerText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else { return text }
        return String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" || $0 == "\u{0}" ? " " : $0 })
    }

    /// The finding for an extension that no workflow carries.
    public static func notCarried(_ part: OpaquePart, workflowID: String) -> MigrationFinding {
        let name = part.namespace.map { "{\($0)}\(part.name)" } ?? part.name
        // An attribute's value is named (cut, escaped), so the finding says what was not carried.
        let value = part.kind == .attribute ? " (value \"\(DisplayText.escape(part.text, maxScalars: 80))\")" : ""
        return MigrationFinding(
            .extensionNotCarried, "extension \(part.kind.rawValue) \(name)\(value) is kept by the reader but has no place in a workflow",
            at: part.location, workflowID: workflowID)
    }

    func settings(allowReentry: Bool = true) -> WorkflowSettings {
        WorkflowSettings(allowReentry: allowReentry, accountTimezone: settings.timezone)
    }
}

/// The ids of the workflows a legacy account compiles to; each is also the file's name.
public enum LegacyWorkflowID: Sendable {
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
