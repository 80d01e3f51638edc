import PurchaseActionsCore

/// The nodes and edges of a workflow's picture, in the order they are written, before either
/// syntax: ``WorkflowPicture`` writes them as Mermaid or DOT.
struct PictureLayout {
    /// How a node is drawn.
    enum Shape {
        case trigger, action, decision, wait, goal, call, enroll, unenroll, exit, end, more
    }

    /// A node: its id (safe in both syntaxes) and the lines of its label, raw.
    struct Node {
        var id: String
        var shape: Shape
        var lines: [String]
    }

    /// An edge, with the lines of its label (none for a plain edge).
    struct Edge {
        var from: String
        var to: String
        var lines: [String]
    }

    /// An edge not yet drawn: where it starts and its label; it ends at the next node drawn.
    private struct Exit {
        var from: String
        var lines: [String]
    }

    /// The workflow's name, id and whether it is a draft: the DOT picture's title.
    var title: String { workflowName + " (" + workflowID + (isDraft ? ", draft" : "") + ")" }
    private let workflowName: String
    private let workflowID: String
    private let isDraft: Bool
    private(set) var nodes: [Node] = []
    private(set) var edges: [Edge] = []
    private var budget = WorkflowPicture.maxElements
    private var notDrawn = 0
    private var moreID: String?

    init(_ workflow: Workflow) {
        workflowName = workflow.name
        workflowID = workflow.id
        isDraft = workflow.status == .draft
        // Room for a typical workflow's nodes and edges (a dozen steps) made once, not grown by doubling.
        nodes.reserveCapacity(16)
        edges.reserveCapacity(16)
        var exits: [Exit] = []
        if workflow.triggers.isEmpty {
            add(Node(id: "n_start", shape: .trigger, lines: ["no trigger", "runs when called or enrolled"]))
            exits.append(Exit(from: "n_start", lines: []))
        }
        for trigger in workflow.triggers {
            guard budget > 0 else {
                notDrawn += 1
                continue
            }
            budget -= 1
            let id = uniqueID(WorkflowPicture.sanitized(trigger.id, after: "t_"))
            add(Node(id: id, shape: .trigger, lines: PictureText.trigger(trigger)))
            exits.append(Exit(from: id, lines: []))
        }
        drawSteps(workflow.steps, exits: &exits)
        if notDrawn > 0 {
            // Only triggers were left out (no step reached the node), or the count is known only now.
            if moreID == nil {
                connect(exits, to: more())
                exits = []
            }
            let id = more()
            if let index = nodes.firstIndex(where: { $0.id == id }) { nodes[index].lines = PictureText.notDrawn(notDrawn) }
            exits.append(Exit(from: id, lines: []))
        }
        add(Node(id: "n_end", shape: .end, lines: ["end"]))
        connect(exits, to: "n_end")
    }

    // MARK: Building

    private mutating func add(_ node: Node) {
        nodes.append(node)
    }

    /// Whether a node has the id: the nodes are looked through (at most ``WorkflowPicture/maxElements``
    /// and four more, short ids), cheaper than hashing each id into a set.
    private func isUsed(_ id: String) -> Bool {
        nodes.contains { $0.id == id }
    }

    /// `base`, or `base_2`, `base_3`… when taken.
    private func uniqueID(_ base: String) -> String {
        guard isUsed(base) else { return base }
        var number = 2
        while isUsed(base + "_\(number)") { number += 1 }
        return base + "_\(number)"
    }

    private mutating func connect(_ exits: [Exit], to id: String) {
        for exit in exits { edges.append(Edge(from: exit.from, to: id, lines: exit.lines)) }
    }

    /// The node that stands for everything not drawn, made the first time it is needed.
    private mutating func more() -> String {
        if let moreID { return moreID }
        let id = "n_more"
        add(Node(id: id, shape: .more, lines: []))
        moreID = id
        return id
    }

    /// Draws `steps` after `exits`, leaving in `exits` those of the last step (none after an
    /// `exit`): one array of exits carried through a run of steps, not one made per step.
    private mutating func drawSteps(_ steps: [Step], exits: inout [Exit]) {
        for (index, step) in steps.enumerated() {
            guard budget > 0 else {
                notDrawn += Self.count(steps[index...])
                connect(exits, to: more())
                exits.removeAll()
                return
            }
            budget -= 1
            drawStep(step, exits: &exits)
        }
    }

    /// Draws `step` after `exits`, leaving its own exits in `exits`.
    private mutating func drawStep(_ step: Step, exits: inout [Exit]) {
        let id = uniqueID(WorkflowPicture.nodeID(step: step.id))
        switch step.kind {
        case .action(let action):
            add(Node(id: id, shape: .action, lines: PictureText.action(action)))
        case .branch(let branches, let otherwise):
            add(Node(id: id, shape: .decision, lines: ["if"]))
            connect(exits, to: id)
            exits.removeAll(keepingCapacity: true)
            for (index, branch) in branches.enumerated() {
                guard budget > 0 else {
                    notDrawn += branches.count - index + Self.count(branches[index...].flatMap(\.steps)[...]) + Self.count(otherwise[...])
                    connect([Exit(from: id, lines: [])], to: more())
                    return
                }
                budget -= 1
                var inner = [Exit(from: id, lines: PictureText.branch(branch))]
                drawSteps(branch.steps, exits: &inner)
                exits += inner
            }
            var inner = [Exit(from: id, lines: ["otherwise"])]
            drawSteps(otherwise, exits: &inner)
            exits += inner
            return
        case .wait(let wait):
            add(Node(id: id, shape: .wait, lines: PictureText.wait(wait)))
            connect(exits, to: id)
            exits.removeAll(keepingCapacity: true)
            exits.append(Exit(from: id, lines: []))
            switch wait {
            case .untilCondition(_, _, let onTimeout) where !onTimeout.isEmpty,
                .untilEvent(_, _, _, let onTimeout) where !onTimeout.isEmpty:
                var inner = [Exit(from: id, lines: ["timed out"])]
                drawSteps(onTimeout, exits: &inner)
                exits += inner
            default: break
            }
            return
        case .goal(let goal):
            add(Node(id: id, shape: .goal, lines: PictureText.goal(goal)))
        case .exit:
            add(Node(id: id, shape: .exit, lines: ["exit"]))
            connect(exits, to: id)
            exits.removeAll()
            return
        case .call(let target):
            add(Node(id: id, shape: .call, lines: ["call", target]))
        case .enroll(let target):
            add(Node(id: id, shape: .enroll, lines: ["enroll in", target]))
        case .unenroll(let target):
            add(Node(id: id, shape: .unenroll, lines: ["unenroll from", target]))
        }
        connect(exits, to: id)
        exits.removeAll(keepingCapacity: true)
        exits.append(Exit(from: id, lines: []))
    }

    /// The steps and branches in `steps`, nested ones included, counted without recursion (a
    /// workflow built in code may nest without limit).
    static func count(_ steps: ArraySlice<Step>) -> Int {
        var total = 0
        var pending: [ArraySlice<Step>] = [steps]
        while let list = pending.popLast() {
            for step in list {
                total += 1
                switch step.kind {
                case .branch(let branches, let otherwise):
                    total += branches.count
                    pending += branches.map { $0.steps[...] }
                    pending.append(otherwise[...])
                case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                    pending.append(onTimeout[...])
                default: break
                }
            }
        }
        return total
    }
}
