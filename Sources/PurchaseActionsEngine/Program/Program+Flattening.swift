import PurchaseActionsCore

/// Turns nested steps into one list of instructions with jumps.
struct Flattener {
    typealias Op = Program.Op
    let rank: (String) -> Int?
    /// Whether the workflow is a `dunning.` one, whose `retry-charge` is internal (the dunning
    /// runtime makes the charge itself).
    let chargesInternally: Bool
    var ops: [Op] = []
    /// The instructions the ops point at without holding them.
    var instructions: [ActionInstruction] = []
    var calls: [CallInstruction] = []
    var goals: [(index: Int, goal: Goal, stepID: String)] = []

    mutating func flatten(_ steps: [Step]) {
        for step in steps {
            switch step.kind {
            case .action(let action):
                let instruction = ActionInstruction(step: step, action: action, chargesInternally: chargesInternally)
                instructions.append(instruction)
                ops.append(.action(ActionOp(instruction)))
            case .goal(let goal):
                goals.append((ops.count, goal, step.id))
                ops.append(.goal(step, goal))
            case .exit: ops.append(.exit(step))
            case .call(let id):
                let call = CallInstruction(workflowID: id, target: rank(id))
                calls.append(call)
                ops.append(.call(CallOp(stepID: step.id, target: nil, instruction: call)))
            case .enroll(let id): ops.append(.enroll(step, id))
            case .unenroll(let id): ops.append(.unenroll(step, id))
            case .branch(let branches, let otherwise):
                let branchIndex = ops.count
                ops.append(.jump(-1))
                var targets: [(Branch, target: Int)] = []
                var exits: [Int] = []
                for branch in branches {
                    targets.append((branch, ops.count))
                    flatten(branch.steps)
                    exits.append(ops.count)
                    ops.append(.jump(-1))
                }
                let otherwiseStart = ops.count
                flatten(otherwise)
                let end = ops.count
                for index in exits { ops[index] = .jump(end) }
                ops[branchIndex] = .branch(step, targets, otherwise: otherwiseStart)
            case .wait(let wait):
                switch wait {
                case .untilCondition(_, _, let onTimeout), .untilEvent(_, _, _, let onTimeout):
                    let waitIndex = ops.count
                    ops.append(.jump(-1))
                    let skip = ops.count
                    ops.append(.jump(-1))
                    let timeoutStart = ops.count
                    flatten(onTimeout)
                    ops[skip] = .jump(ops.count)
                    ops[waitIndex] = .wait(step, wait, timeout: timeoutStart)
                default: ops.append(.wait(step, wait, timeout: nil))
                }
            }
        }
    }
}
