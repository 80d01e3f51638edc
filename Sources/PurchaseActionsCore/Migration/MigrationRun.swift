/// The workflows of an export compiled one part at a time, as a streaming reader hands the parts
/// out, with the counts, findings and report a migration writes.
///
/// A reader gives the account first and the catalogue when its section ends, before any sequence,
/// action set, slot or billing rule (export format v1 fixes this order); the run makes its
/// ``LegacyCompiler`` from both when the first of those arrives, so it holds only the catalogue
/// however big the export. Pure: no I/O. `import-actions` writes each ``LegacyCompiler/Output`` as
/// it comes, then ``report``; a server can do the same with a stream of its own.
///
/// ```swift
/// var run = MigrationRun()
/// run.add(account: account.settings)
/// run.add(catalogue: account.catalogue)
/// for set in account.actionSets {
///     let output = run.add(set)
///     print(output.workflow.id)
/// }
/// print(run.summary(warnings: 0))   // 2 workflows (2 action sets); all mapped exactly
/// ```
public struct MigrationRun: Sendable {
    private var settings: AccountSettings?
    private var catalogue = Catalogue()
    private var compiler: LegacyCompiler?
    /// The id of every workflow compiled so far, in the order compiled; empty in a run made with
    /// `retainingFindings: false`, which keeps nothing per part (``workflowCount`` counts them).
    public private(set) var workflowIDs: [String] = []
    /// How many workflows were compiled so far.
    public private(set) var workflowCount = 0
    /// Every construct not mapped exactly so far, in the order found (``Migration/documentOrder(_:)``
    /// sorts them for people): the findings about the account, the catalogue and top-level
    /// extensions, then each compiled part's (unless the run was made with `retainingFindings:
    /// false`: a part's findings are then only in its ``LegacyCompiler/Output``, for the caller to
    /// stream, and counted in ``findingCount``), then each template's
    /// (``LegacyCompiler/templateFindings(users:)``: once per template, with the actions using it
    /// so far).
    public var findings: [MigrationFinding] { retainedFindings + templateFindings }
    /// The findings kept so far, without the templates' (which ``templateFindings`` makes when
    /// asked, with the actions using each template so far): what ``findings`` starts with.
    public private(set) var retainedFindings: [MigrationFinding] = []
    /// How many findings so far, kept or not.
    public var findingCount: Int { countedPartFindings + templateFindings.count }
    private var countedPartFindings = 0
    /// Whether the findings of compiled parts are kept in ``findings`` (and their workflow ids in
    /// ``workflowIDs``).
    public let retainsFindings: Bool
    private var counts: [Kind: Int] = [:]
    /// The actions using each template that has findings: a count and at most 10 ids each, so the
    /// run's memory grows with the catalogue, not with the actions.
    private var templateUsers: [String: LegacyCompiler.TemplateUsers] = [:]
    /// The ids of the catalogue's templates that have findings (``LegacyCompiler/hasFindings(template:)``),
    /// set with the compiler.
    private var templatesWithFindings: Set<String> = []

    /// What a workflow was compiled from, for ``summary(warnings:)``.
    private enum Kind: String, CaseIterable {
        case actionSet = "action set", slot, sequence, billingRule = "billing rule"
    }

    /// Creates an empty run; with `retainingFindings: false`, the findings of compiled parts are
    /// counted but not kept (``findings``), nor are the workflow ids (``workflowIDs``), so the run's
    /// memory does not grow with the number of parts: the caller streams both.
    public init(retainingFindings: Bool = true) {
        retainsFindings = retainingFindings
    }

    /// Takes the account's settings (its timezone and "all orders" setting); what the account holds
    /// beyond the format becomes a `not-carried` finding. Call it before the first part is compiled.
    public mutating func add(account: AccountSettings) {
        settings = account
        // A catalogue given first is compiled again with these settings.
        if compiler != nil {
            compiler = nil
            _ = prepared()
        }
        keep(account.extensions.map { LegacyCompiler.notCarried($0, workflowID: "") } + LegacyCompiler.billingSettingsFindings(account))
    }

    /// Takes the catalogue the parts refer to; what it holds beyond the format becomes a
    /// `not-carried` finding. Call it before the first part is compiled.
    public mutating func add(catalogue: Catalogue) {
        self.catalogue = catalogue
        compiler = nil
        keep(catalogue.extensions.map { LegacyCompiler.notCarried($0, workflowID: "") } + LegacyCompiler.billingSettingsFindings(catalogue, defaults: settings?.billing ?? BillingDefaults()))
        _ = prepared()
    }

    /// Every template of the catalogue as the output folder stores it (`templates/<id>.json`), in
    /// document order, each once whether or not an action uses it.
    public var templates: [WorkflowTemplate] { compiler?.templates ?? [] }

    /// The templates by id: what ``Workflow/json(referencing:)`` leaves out of the actions that use them.
    public var templatesByID: [String: WorkflowTemplate] { compiler?.templatesByID ?? [:] }

    /// The account the output folder describes (`account.json`): the settings and the catalogue,
    /// without its templates.
    public var accountFile: AccountFile {
        var withoutTemplates = catalogue
        withoutTemplates.templates = CatalogueTable()
        return AccountFile(settings: settings ?? Self.unnamed, catalogue: withoutTemplates)
    }

    /// What the templates hold that is not mapped exactly, once per template, with the actions that
    /// used it so far.
    public var templateFindings: [MigrationFinding] { compiler?.templateFindings(users: templateUsers) ?? [] }

    /// Records a part of the export outside the format as a `not-carried` finding.
    public mutating func add(extension part: OpaquePart) {
        keep([LegacyCompiler.notCarried(part, workflowID: "")])
    }

    /// Keeps findings about the account as a whole (always kept) and counts them.
    private mutating func keep(_ new: [MigrationFinding]) {
        retainedFindings += new
        countedPartFindings += new.count
    }

    /// Compiles a follow-up sequence.
    @discardableResult
    public mutating func add(_ sequence: FollowUpSequence) -> LegacyCompiler.Output { record(compiled { $0.compile(sequence) }, .sequence) }

    /// Compiles an action set.
    @discardableResult
    public mutating func add(_ actionSet: ActionSet) -> LegacyCompiler.Output { record(compiled { $0.compile(actionSet) }, .actionSet) }

    /// Compiles a purchase-action slot.
    @discardableResult
    public mutating func add(_ slot: PurchaseSlot) -> LegacyCompiler.Output { record(compiled { $0.compile(slot) }, .slot) }

    /// Compiles a billing-automation rule.
    @discardableResult
    public mutating func add(_ rule: BillingAutomationRule) -> LegacyCompiler.Output { record(compiled { $0.compile(rule) }, .billingRule) }

    private mutating func record(_ output: LegacyCompiler.Output, _ kind: Kind) -> LegacyCompiler.Output {
        counts[kind, default: 0] += 1
        workflowCount += 1
        countedPartFindings += output.findings.count
        if retainsFindings {
            workflowIDs.append(output.workflow.id)
            retainedFindings += output.findings
        }
        // The ids of the templates with findings, found once per compiler (not per part through it).
        for use in output.templateUses where templatesWithFindings.contains(use.templateID) {
            templateUsers[use.templateID, default: LegacyCompiler.TemplateUsers()].add(use.actionID)
        }
        return output
    }

    /// The workflow of a part, compiled by the run's compiler in place (``prepared()`` makes it
    /// first): through the stored value, not a copy of the compiler per part.
    private mutating func compiled(_ compile: (LegacyCompiler) -> LegacyCompiler.Output) -> LegacyCompiler.Output {
        if compiler == nil { _ = prepared() }
        return compiler.map(compile) ?? compile(prepared())
    }

    private mutating func prepared() -> LegacyCompiler {
        if let compiler { return compiler }
        let compiler = LegacyCompiler(settings: settings ?? Self.unnamed, catalogue: catalogue)
        self.compiler = compiler
        templatesWithFindings = Set(catalogue.templates.values.lazy.map(\.id).filter { compiler.hasFindings(template: $0) })
        return compiler
    }

    /// The settings of a run given none.
    private static let unnamed = AccountSettings(id: "", name: "", timezone: "UTC", currency: "", location: FileLocation(file: ""))

    /// The migration report (`migration-report.json`, Docs/mapping.md): every workflow id and every
    /// finding.
    public var report: JSONValue { Migration.report(workflowIDs: workflowIDs, findings: findings) }

    /// `11 workflows (6 action sets, 4 slots, 1 billing rule); 1 warning (above); 2 not mapped
    /// exactly (listed in migration-report.json)`: the last line `import-actions` prints. It says
    /// "all mapped exactly" only when there were no warnings (from the reader: `warnings`) and no
    /// findings.
    public func summary(warnings: Int) -> String {
        let parts = Kind.allCases.compactMap { kind -> String? in
            guard let count = counts[kind], count > 0 else { return nil }
            return "\(count) \(kind.rawValue)\(count == 1 ? "" : "s")"
        }
        var notes: [String] = []
        if warnings > 0 { notes.append("\(warnings) warning\(warnings == 1 ? "" : "s") (above)") }
        if findingCount > 0 { notes.append("\(findingCount) not mapped exactly (listed in migration-report.json)") }
        let tail = notes.isEmpty ? "all mapped exactly" : notes.joined(separator: "; ")
        return "\(workflowCount) workflow\(workflowCount == 1 ? "" : "s") (\(parts.joined(separator: ", "))); \(tail)"
    }
}
