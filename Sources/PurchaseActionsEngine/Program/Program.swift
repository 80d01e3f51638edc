import PurchaseActions

/// A workflow's steps flattened into one list with jumps, so an enrollment's place is one number
/// (per nested call) and survives being stored.
///
/// A class, and its instructions one word each (an action's a shared ``ActionInstruction``, the
/// others boxed), so the engine passes programs and instructions around by reference instead of
/// copying the steps they hold, and a run touches little memory besides the instructions it runs.
final class Program: Sendable {
    /// One instruction.
    enum Op: Sendable {
        /// Run an action.
        case action(ActionInstruction)
        /// Test branches top to bottom; jump to the first that holds, else to `otherwise`.
        indirect case branch(Step, [(Branch, target: Int)], otherwise: Int)
        /// Go to an instruction.
        case jump(Int)
        /// Wait; on a timeout go to `timeout` (the `onTimeout` steps), else on to the next instruction.
        indirect case wait(Step, Wait, timeout: Int?)
        /// A goal: where a matching event pulls the enrollment.
        indirect case goal(Step, Goal)
        /// End the enrollment (or, inside a call, the called workflow).
        indirect case exit(Step)
        /// Run another workflow nested.
        case call(CallInstruction)
        /// Enroll the contact in another workflow.
        indirect case enroll(Step, String)
        /// End the contact's enrollments in another workflow.
        indirect case unenroll(Step, String)
    }

    // What every run reads, first, so it shares the object's first cache lines.
    /// Its place among the engine's workflows sorted by id: ties between triggers break on it.
    let rank: Int
    let ops: [Op]
    /// The workflow's id, version and priority.
    let id: String
    let version: Int
    let priority: Int
    /// Whether it is published (a draft is not entered or called).
    let isPublished: Bool
    /// Its settings every enrollment and message reads.
    let allowsReentry: Bool
    let isOnePerOrder: Bool
    let hasSendWindow: Bool
    let workflow: Workflow
    /// The instruction index of every goal, in order.
    let goals: [(index: Int, goal: Goal, stepID: String)]

    /// Flattens a workflow; `rank` finds a called workflow's rank (`nil`: no such workflow).
    init(_ workflow: Workflow, rank: Int, ranks: @escaping (String) -> Int?) {
        self.workflow = workflow
        self.rank = rank
        id = workflow.id
        version = workflow.version
        priority = workflow.priority
        isPublished = workflow.status == .published
        allowsReentry = workflow.settings.allowReentry
        isOnePerOrder = workflow.settings.onePerOrder
        hasSendWindow = workflow.settings.sendWindow != nil
        var flat = Flattener(rank: ranks)
        flat.flatten(workflow.steps)
        ops = flat.ops
        goals = flat.goals
    }
}

/// Turns nested steps into one list of instructions with jumps.
private struct Flattener {
    typealias Op = Program.Op
    let rank: (String) -> Int?
    var ops: [Op] = []
    var goals: [(index: Int, goal: Goal, stepID: String)] = []

    mutating func flatten(_ steps: [Step]) {
        for step in steps {
            switch step.kind {
            case .action(let action): ops.append(.action(ActionInstruction(step: step, action: action)))
            case .goal(let goal):
                goals.append((ops.count, goal, step.id))
                ops.append(.goal(step, goal))
            case .exit: ops.append(.exit(step))
            case .call(let id): ops.append(.call(CallInstruction(stepID: step.id, workflowID: id, target: rank(id))))
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

/// An action step as the engine runs it: shared by reference between the program, the run and what
/// the action reports, with what every run of it needs worked out once.
final class ActionInstruction: Sendable {
    // What every run reads comes first, on the object's first cache line; the step and the action,
    // read when a record is composed, after.
    /// The step's id.
    let stepID: String
    /// The action's `type`, which names its effect.
    let kind: String
    /// Whether its effect leaves the engine.
    let isExternal: Bool
    /// What it changes on the contact, read without copying the action.
    let change: Change
    /// Whether a send window may hold its message (an email to the contact, an SMS).
    let waitsForWindow: Bool
    /// Whether it retries the triggering payment's charge.
    let retriesCharge: Bool
    /// The step.
    let step: Step
    /// The action.
    let action: WorkflowAction

    /// What an action changes on the contact.
    enum Change: Sendable {
        case none
        case addTag(String)
        case removeTag(String)
        case updateField(String, template: String)
        case assignOwner(String)
    }

    init(step: Step, action: WorkflowAction) {
        stepID = step.id
        self.step = step
        self.action = action
        kind = action.typeName
        isExternal = action.isExternal
        switch action {
        case .addTag(let tag): change = .addTag(tag)
        case .removeTag(let tag): change = .removeTag(tag)
        case .updateField(let field, let value): change = .updateField(field, template: value)
        case .assignOwner(let user): change = .assignOwner(user)
        default: change = .none
        }
        switch action {
        case .sendEmail(let message): waitsForWindow = message.to == .contact
        case .sendSMS: waitsForWindow = true
        default: waitsForWindow = false
        }
        if case .retryCharge = action { retriesCharge = true } else { retriesCharge = false }
    }
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
