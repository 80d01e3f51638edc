/// A `call` step as a run reads it, inline in its program's list: the step's id and the called
/// program, so entering it touches nothing but the two programs.
///
/// `@unchecked Sendable`: a program is immutable (see `Program`).
struct CallOp: @unchecked Sendable {
    /// The step's id.
    let stepID: String
    /// The called workflow's program (`nil`: no such workflow), set by ``Program/link(_:)`` once
    /// every program exists. Not retained (an ``UnownedLink``): the engine holds every program for
    /// as long as it runs any, and workflows may call each other in a cycle.
    var target: Program? {
        get { targetLink?.object }
        set { targetLink = newValue.map(UnownedLink.init) }
    }
    private var targetLink: UnownedLink<Program>?
    /// The step's instruction; not retained (its program holds it, in `Program.Details.calls`).
    var instruction: CallInstruction { instructionLink.object }
    private let instructionLink: UnownedLink<CallInstruction>

    init(stepID: String, target: Program?, instruction: CallInstruction) {
        self.stepID = stepID
        targetLink = target.map(UnownedLink.init)
        instructionLink = UnownedLink(instruction)
    }
}

/// A `call` step: the called workflow's id and rank, found when the engine was made.
final class CallInstruction: Sendable {
    /// The called workflow's id.
    let workflowID: String
    /// The called workflow's rank (`nil`: no such workflow).
    let target: Int?

    init(workflowID: String, target: Int?) {
        self.workflowID = workflowID
        self.target = target
    }
}
