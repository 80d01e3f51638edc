/// A template stored once in an import's output folder (`templates/<id>.json`): the action members
/// that every action naming it (`"template": "<id>"`) takes from it.
///
/// A workflow file refers to a template instead of repeating its subject and bodies in every action
/// that uses it. Loading a workflow with its templates (``Workflow/load(_:templates:)``) fills each
/// referring action with the template's members; members the action writes itself win. Writing
/// (``Workflow/json(referencing:)``) leaves out of an action the members equal to its template's.
public struct WorkflowTemplate: Hashable, Sendable {
    /// The template's id, from the export; also the file's name.
    public var id: String
    /// What kind of legacy template it was made from.
    public var kind: TemplateKind
    /// The template's name in the legacy account.
    public var name: String
    /// The members a referring action takes from the template, `type` among them (such as
    /// `send-email` with `from`, `subject`, `html`, `text`), in the workflow format's syntax.
    public var action: [String: JSONValue]
    /// Where in the export the template was defined.
    public var source: SourceTrace?
    /// What the legacy template held that no workflow action uses, by name, kept so nothing is
    /// lost: a letter's or fax's `body`, a voice broadcast's `recording` and `script` (those actions
    /// compile to `legacy` actions that send nothing). Empty for the other kinds.
    public var legacyContent: [String: String]

    /// Creates a template.
    public init(
        id: String, kind: TemplateKind, name: String, action: [String: JSONValue], source: SourceTrace? = nil, legacyContent: [String: String] = [:]
    ) {
        self.legacyContent = legacyContent
        self.id = id
        self.kind = kind
        self.name = name
        self.action = action
        self.source = source
    }
}
