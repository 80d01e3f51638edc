import PurchaseActionsCore

/// A workflow's steps flattened into one list with jumps, so an enrollment's place is one number
/// (per nested call) and survives being stored.
///
/// One object holds the workflow's settings a run reads and, after them in the same allocation,
/// its instructions (a `ManagedBuffer`): an action's and a call's inline (``ActionOp``,
/// ``CallOp``), the others boxed. Entering a workflow and running its actions so reads one stretch
/// of memory, which matters when there are thousands of workflows and few are hot.
///
/// Not `Sendable` (no `ManagedBuffer` is), though it is immutable once ``link(_:)`` has run while
/// the engine is made: what holds a program says so with `@unchecked Sendable`.
final class Program: CheckedBuffer<Program.Header, Program.Op> {
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

        /// The id of the step the instruction belongs to (`nil` for a jump).
        var stepID: String? {
            switch self {
            case .action(let action): action.instruction.stepID
            case .branch(let step, _, _), .wait(let step, _, _), .goal(let step, _), .exit(let step), .enroll(let step, _), .unenroll(let step, _): step.id
            case .jump: nil
            case .call(let call): call.stepID
            }
        }
    }

    /// What the program holds before its instructions: what a run reads (64 bytes), and a
    /// reference to the rest, so the instructions start right after.
    struct Header: CheckedBufferHeader {
        let count: Int
        let rank: Int
        let isPublished: Bool
        let allowsReentry: Bool
        let isOnePerOrder: Bool
        let hasSendWindow: Bool
        /// A `dunning.` workflow: its enrollments move only by ``Engine/signal(_:enrollmentID:keepingEvent:)``.
        let isSignalOnly: Bool
        let version: Int
        let id: String
        let priority: Int
        let details: Details
    }

    /// What a run reads rarely: the workflow itself, and what the instructions point at.
    final class Details {
        let workflow: Workflow
        let productOfPlan: [String: String]
        /// What templates know of the account (the engine's).
        let account: AccountProfile
        /// The bytes of the account's longest value (a company or user field): what one tag merges at most from it.
        let accountValueBytes: Int
        let goals: [(index: Int, goal: Goal, stepID: String)]
        /// The action and call instructions, which the instructions point at without holding.
        let instructions: [ActionInstruction]
        let calls: [CallInstruction]

        init(_ workflow: Workflow, productOfPlan: [String: String], account: AccountProfile, _ flat: Flattener) {
            self.workflow = workflow
            self.productOfPlan = productOfPlan
            self.account = account
            accountValueBytes = account.users.values.reduce(account.company.values.reduce(0) { max($0, $1.utf8.count) }) { longest, user in
                user.values.reduce(longest) { max($0, $1.utf8.count) }
            }
            goals = flat.goals
            instructions = flat.instructions
            calls = flat.calls
        }
    }

    /// Flattens a workflow; `ranks` finds a called workflow's rank (`nil`: no such workflow).
    static func make(
        _ workflow: Workflow, rank: Int, productOfPlan: [String: String] = [:], account: AccountProfile = AccountProfile(), ranks: @escaping (String) -> Int?
    ) -> Program {
        var flat = Flattener(rank: ranks, chargesInternally: workflow.id.hasPrefix(EventType.internalWorkflowPrefix))
        flat.flatten(workflow.steps)
        let header = Header(
            count: flat.ops.count, rank: rank, isPublished: workflow.status == .published, allowsReentry: workflow.settings.allowReentry,
            isOnePerOrder: workflow.settings.onePerOrder, hasSendWindow: workflow.settings.sendWindow != nil,
            isSignalOnly: workflow.id.hasPrefix(EventType.internalWorkflowPrefix), version: workflow.version,
            id: workflow.id, priority: workflow.priority, details: Details(workflow, productOfPlan: productOfPlan, account: account, flat))
        return Program.make(header, flat.ops)
    }

    /// The instruction just before `position` (the one a frame at `position` last ran), or `nil`
    /// when `position` is not within `1...count`: how a stored place is read, never out of bounds.
    func instruction(before position: Int) -> Op? {
        guard position > 0 else { return nil }
        return element(at: position - 1)
    }

    /// Its place among the engine's workflows sorted by id: ties between triggers break on it.
    var rank: Int { withUnsafeMutablePointerToHeader { $0.pointee.rank } }
    /// Whether it is published (a draft is not entered or called).
    var isPublished: Bool { withUnsafeMutablePointerToHeader { $0.pointee.isPublished } }
    /// Its settings every enrollment and message reads.
    var allowsReentry: Bool { withUnsafeMutablePointerToHeader { $0.pointee.allowsReentry } }
    var isOnePerOrder: Bool { withUnsafeMutablePointerToHeader { $0.pointee.isOnePerOrder } }
    var hasSendWindow: Bool { withUnsafeMutablePointerToHeader { $0.pointee.hasSendWindow } }
    /// Whether its enrollments move only by signals (a `dunning.` workflow): an event the engine
    /// ingests resumes none of their waits and reaches none of their goals.
    var isSignalOnly: Bool { withUnsafeMutablePointerToHeader { $0.pointee.isSignalOnly } }
    /// The workflow's version, id and priority.
    var version: Int { withUnsafeMutablePointerToHeader { $0.pointee.version } }
    var id: String { withUnsafeMutablePointerToHeader { $0.pointee.id } }
    var priority: Int { withUnsafeMutablePointerToHeader { $0.pointee.priority } }
    /// The workflow.
    var workflow: Workflow { withUnsafeMutablePointerToHeader { $0.pointee.details.workflow } }
    /// The product of each subscription plan (the engine's), which `order.products` includes.
    var productOfPlan: [String: String] { withUnsafeMutablePointerToHeader { $0.pointee.details.productOfPlan } }
    /// What templates know of the account.
    var account: AccountProfile { withUnsafeMutablePointerToHeader { $0.pointee.details.account } }
    /// The bytes of the account's longest value.
    var accountValueBytes: Int { withUnsafeMutablePointerToHeader { $0.pointee.details.accountValueBytes } }
    /// The instruction index of every goal, in order.
    var goals: [(index: Int, goal: Goal, stepID: String)] { withUnsafeMutablePointerToHeader { $0.pointee.details.goals } }

    /// The program the first instruction calls, if it is a call (a slot's action set).
    var firstCallee: Program? {
        guard count > 0, case .call(let call) = self[0] else { return nil }
        return call.target
    }

    /// Points each `call` at the program it calls, once every program exists (`Engine.init`).
    func link(_ program: (Int) -> Program) {
        updateEach { op in
            guard case .call(var call) = op else { return nil }
            call.target = call.instruction.target.map(program)
            return .call(call)
        }
    }
}
