// Templates compiled once (Docs/workflow-format.md, "Templates"): the members every action using a
// template would repeat, and what in the template is not mapped exactly, reported once.

extension LegacyCompiler {
    /// An action that takes its members from a template.
    public struct TemplateUse: Hashable, Sendable {
        /// The template's id.
        public var templateID: String
        /// The legacy action's id.
        public var actionID: String

        /// Creates a use.
        public init(templateID: String, actionID: String) {
            self.templateID = templateID
            self.actionID = actionID
        }
    }

    /// The actions that use one template: how many, and the ids of the first
    /// ``TemplateUsers/listed`` (bounded, however many use it).
    public struct TemplateUsers: Hashable, Sendable {
        /// How many action ids a finding lists: 10.
        public static let listed = 10
        /// How many actions use the template.
        public private(set) var count = 0
        /// The ids of the first ``listed`` actions that use it, in the order added.
        public private(set) var firstActionIDs: [String] = []

        /// No actions yet.
        public init() {}

        /// Counts one more action.
        public mutating func add(_ actionID: String) {
            count += 1
            if firstActionIDs.count < Self.listed { firstActionIDs.append(actionID) }
        }

        /// `used by 3 actions: a, b, c`, `used by 12 actions: a, …, j and 2 more`, `used by no action`.
        public var description: String {
            guard count > 0 else { return "used by no action" }
            let more = count - firstActionIDs.count
            let ids = firstActionIDs.map { "'\($0)'" }.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
            return "used by \(count) action\(count == 1 ? "" : "s"): \(ids)"
        }
    }

    /// Every template of the catalogue as `templates/<id>.json` holds it, in document order; a
    /// template no action uses is among them.
    public var templates: [WorkflowTemplate] { catalogue.templates.values.compactMap { compiledTemplates[$0.id]?.template } }

    /// The templates by id, for ``Workflow/json(referencing:)``.
    public var templatesByID: [String: WorkflowTemplate] { compiledTemplates.mapValues(\.template) }

    /// Whether the template holds something not mapped exactly (so its users are worth counting).
    public func hasFindings(template id: String) -> Bool { compiledTemplates[id]?.findings.isEmpty == false }

    /// What the templates hold that is not mapped exactly (unknown merge fields, literal braces, line
    /// breaks in a header, values out of range), each once, at the template's own line, for no
    /// workflow (`""`), saying how many actions use the template and which (`users`, by template id).
    public func templateFindings(users: [String: TemplateUsers]) -> [MigrationFinding] {
        catalogue.templates.values.flatMap { template -> [MigrationFinding] in
            guard let findings = compiledTemplates[template.id]?.findings, !findings.isEmpty else { return [] }
            let usedBy = (users[template.id] ?? TemplateUsers()).description
            return findings.map { finding in
                var finding = finding
                finding.message += " (\(usedBy))"
                return finding
            }
        }
    }

    /// Compiles a template as an action of its kind would use it: the action's members less those
    /// each action sets itself (`template`; an email's `to`), and its template findings.
    func compileTemplate(_ template: Template) -> (template: WorkflowTemplate, findings: [MigrationFinding]) {
        let kind: ActionKind =
            switch template.kind {
            case .email: .sendEmail(templateID: template.id, to: .contact)
            case .task: .createTask(templateID: template.id)
            case .note: .createNote(templateID: template.id)
            case .appointment: .createAppointment(templateID: template.id)
            case .fulfillmentList: .sendFulfillmentList(templateID: template.id)
            case .fax: .sendFax(templateID: template.id)
            case .letter: .sendLetter(templateID: template.id)
            case .voice: .sendVoice(templateID: template.id)
            }
        var context = ActionContext(compiler: self, workflowID: "", notesTemplates: true)
        var members: [String: JSONValue] = [:]
        if case .action(let action) = context.kind(of: Action(id: template.id, kind: kind, location: template.location)), case .object(let object) = action.json {
            members = object
            members["template"] = nil
            if template.kind == .email { members["to"] = nil }
        }
        var legacyContent: [String: String] = [:]
        switch template.content {
        case .letter(let body), .fax(let body): legacyContent["body"] = body
        case .voice(let recording, let script):
            legacyContent["recording"] = recording
            legacyContent["script"] = script
        default: break
        }
        let workflowTemplate = WorkflowTemplate(
            id: template.id, kind: template.kind, name: template.name, action: members, source: SourceTrace(template.location),
            legacyContent: legacyContent)
        return (workflowTemplate, context.templateFindings)
    }
}
