import PurchaseActions

/// A workflow's steps flattened into one list with jumps, so an enrollment's place is one number
/// (per nested call) and survives being stored.
///
/// A class, and its instructions one word each (an action's a shared ``ActionInstruction``, the
/// others boxed), so the engine passes programs and instructions around by reference instead of
/// copying the steps they hold, and a run touches little memory besides the instructions it runs.
///
/// `@unchecked Sendable`: `ops` changes once, in ``link(_:)`` while the engine is made, and is only
/// read after that.
final class Program: @unchecked Sendable {
    /// One instruction.
    enum Op: Sendable {
        /// Run an action (what a run reads of it inline).
        case action(ActionOp)
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
        case call(CallOp)
        /// Enroll the contact in another workflow.
        indirect case enroll(Step, String)
        /// End the contact's enrollments in another workflow.
        indirect case unenroll(Step, String)
    }

    // What every run reads, first, so it fits the object's first cache line (64 bytes, 16 of them
    // the object header): Swift lays out a class's stored properties in the order declared.
    /// Its place among the engine's workflows sorted by id: ties between triggers break on it.
    let rank: Int
    private(set) var ops: [Op]
    /// Whether it is published (a draft is not entered or called).
    let isPublished: Bool
    /// Its settings every enrollment and message reads.
    let allowsReentry: Bool
    let isOnePerOrder: Bool
    let hasSendWindow: Bool
    /// The workflow's version, id and priority.
    let version: Int
    let id: String
    let priority: Int
    let workflow: Workflow
    /// The product of each subscription plan (the engine's), which `order.products` includes.
    let productOfPlan: [String: String]
    /// The instruction index of every goal, in order.
    let goals: [(index: Int, goal: Goal, stepID: String)]
    /// The action and call instructions, which `ops` points at without holding.
    let instructions: [ActionInstruction]
    let calls: [CallInstruction]

    /// Flattens a workflow; `rank` finds a called workflow's rank (`nil`: no such workflow).
    init(_ workflow: Workflow, rank: Int, productOfPlan: [String: String] = [:], ranks: @escaping (String) -> Int?) {
        self.workflow = workflow
        self.productOfPlan = productOfPlan
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
        instructions = flat.instructions
        calls = flat.calls
    }

    /// Points each `call` at the program it calls, once every program exists (`Engine.init`).
    func link(_ program: (Int) -> Program) {
        for index in ops.indices {
            guard case .call(var call) = ops[index] else { continue }
            call.target = call.instruction.target.map(program)
            ops[index] = .call(call)
        }
    }
}
