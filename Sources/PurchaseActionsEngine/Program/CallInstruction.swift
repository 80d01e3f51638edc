/// A `call` step in a program's list: its instruction, not retained (the program holds it).
struct CallOp: Sendable {
    unowned(unsafe) let instruction: CallInstruction
}

/// A `call` step as the engine runs it: the called workflow found when the engine was made.
///
/// `@unchecked Sendable`: ``program`` is set once, by `Engine.init` after every program exists, and
/// only read after that.
final class CallInstruction: @unchecked Sendable {
    /// The step's id.
    let stepID: String
    /// The called workflow's id.
    let workflowID: String
    /// The called workflow's rank (`nil`: no such workflow).
    let target: Int?
    /// The called workflow's program (`nil`: no such workflow). Not retained: the engine holds
    /// every program for as long as it runs any, and workflows may call each other in a cycle.
    unowned(unsafe) var program: Program?

    init(stepID: String, workflowID: String, target: Int?) {
        self.stepID = stepID
        self.workflowID = workflowID
        self.target = target
    }
}
