/// A directed graph of "runs" edges between numbered nodes, such as action sets running other action sets.
///
/// Finds cycles without recursion, so a chain of a million calls cannot overflow the stack.
public struct CallGraph: Sendable {
    /// Edges as a flat list (8 bytes each); adjacency is built only when cycles are searched.
    private var sources: [Int32] = []
    private var targets: [Int32] = []
    private var count = 0

    /// Creates an empty graph.
    public init() {}

    /// The number of nodes.
    public var nodeCount: Int { count }

    /// Makes sure node `index` exists.
    public mutating func addNode(_ index: Int) {
        count = Swift.max(count, index + 1)
    }

    /// Adds the edge `from` → `to`.
    public mutating func addEdge(from: Int, to: Int) {
        addNode(Swift.max(from, to))
        sources.append(Int32(from))
        targets.append(Int32(to))
    }

    /// One cycle per strongly connected part that has one, each listed from its lowest node and in call
    /// order (`[a, b, c]` means a → b → c → a); parts ordered by their lowest node.
    public func cycles() -> [[Int]] {
        let edges = Adjacency(nodes: count, sources: sources, targets: targets)
        return stronglyConnectedCycles(edges).map { shortestCycle(in: $0, edges) }.sorted { $0[0] < $1[0] }
    }

    /// Compressed adjacency lists: the targets of node `n` are `targets[start[n]..<start[n + 1]]`, in
    /// the order the edges were added.
    struct Adjacency {
        var start: [Int32]
        var targets: [Int32]

        init(nodes: Int, sources: [Int32], targets edgeTargets: [Int32]) {
            var start = [Int32](repeating: 0, count: nodes + 1)
            for source in sources { start[Int(source) + 1] += 1 }
            for node in 0..<nodes { start[node + 1] += start[node] }
            var next = start
            var targets = [Int32](repeating: 0, count: edgeTargets.count)
            for (source, target) in zip(sources, edgeTargets) {
                targets[Int(next[Int(source)])] = target
                next[Int(source)] += 1
            }
            self.start = start
            self.targets = targets
        }

        subscript(node: Int) -> ArraySlice<Int32> { targets[Int(start[node])..<Int(start[node + 1])] }
    }

    /// Tarjan's algorithm, iterative; keeps parts with more than one node or a self edge.
    private func stronglyConnectedCycles(_ edges: Adjacency) -> [Set<Int>] {
        var index = [Int32](repeating: -1, count: count)
        var low = [Int32](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var next: Int32 = 0
        var parts: [Set<Int>] = []
        for root in 0..<count where index[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = next
            low[root] = next
            next += 1
            stack.append(root)
            onStack[root] = true
            while let (node, edge) = work.last {
                let outgoing = edges[node]
                if edge < outgoing.count {
                    work[work.count - 1].edge += 1
                    let target = Int(outgoing[outgoing.startIndex + edge])
                    if index[target] < 0 {
                        index[target] = next
                        low[target] = next
                        next += 1
                        stack.append(target)
                        onStack[target] = true
                        work.append((target, 0))
                    } else if onStack[target] {
                        low[node] = Swift.min(low[node], index[target])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.node] = Swift.min(low[parent.node], low[node]) }
                guard low[node] == index[node] else { continue }
                var part = Set<Int>()
                while let member = stack.popLast() {
                    onStack[member] = false
                    part.insert(member)
                    if member == node { break }
                }
                if part.count > 1 || edges[node].contains(Int32(node)) { parts.append(part) }
            }
        }
        return parts
    }

    /// The shortest cycle through the part's lowest node, found breadth first inside the part.
    private func shortestCycle(in part: Set<Int>, _ edges: Adjacency) -> [Int] {
        let start = part.min()!
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for target in edges[node].map(Int.init).sorted() where part.contains(target) {
                if target == start {
                    var cycle = [node]
                    while let before = previous[cycle[0]] { cycle.insert(before, at: 0) }
                    return cycle
                }
                if previous[target] == nil, target != start {
                    previous[target] = node
                    queue.append(target)
                }
            }
        }
        return [start]
    }
}

extension CallGraph {
    /// The graph of `run-action-set` among these action sets: node `i` is `actionSets[i]`, a call
    /// goes to the first action set with its target id, and calls to ids not in `actionSets` are
    /// left out.
    init(actionSets: [ActionSet]) {
        var numbers: [String: Int] = [:]
        for (offset, set) in actionSets.enumerated() where numbers[set.id] == nil { numbers[set.id] = offset }
        self.init()
        addNode(actionSets.count - 1)
        for (offset, set) in actionSets.enumerated() {
            for target in set.runsActionSets { if let to = numbers[target] { addEdge(from: offset, to: to) } }
        }
    }

    /// The cycles of `run-action-set` among these action sets, as lists of action-set ids in call order.
    ///
    /// Calls to ids that are not in `actionSets` are ignored here (they are unknown references).
    public static func actionSetCycles(in actionSets: [ActionSet]) -> [[String]] {
        let graph = CallGraph(actionSets: actionSets)
        return graph.cycles().map { $0.map { actionSets[$0].id } }
    }
}

// MARK: - Expansion: how much work one run may cause

extension CallGraph {
    /// The work budget of the engine (`Engine.defaultWorkBudget`): the steps and enrollments one
    /// event, wake-up or run may cause. Imports warn about call graphs whose expansion is above it.
    public static let workBudget = 10_000

    /// For every node, the work one run of it may cause: its own `weights[node]` plus, for every
    /// edge out of it (each counted as often as it was added), the expansion of the edge's target.
    ///
    /// Counted on the graph, never by running it: linear in nodes and edges, iterative (no
    /// recursion), with saturating arithmetic, so a chain of 13 action sets each running the next
    /// four times gives 4¹² without doing 4¹² of anything. A node from which a cycle can be
    /// reached has no bound and gets `Int.max`. Nodes without a weight weigh 1.
    public func expansion(weights: [Int] = []) -> [Int] {
        let edges = Adjacency(nodes: count, sources: sources, targets: targets)
        // 0: not seen, 1: on the path being explored, 2: done.
        var state = [UInt8](repeating: 0, count: count)
        var value = [Int](repeating: 0, count: count)
        for root in 0..<count where state[root] == 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            state[root] = 1
            value[root] = root < weights.count ? Swift.max(weights[root], 0) : 1
            while let (node, edge) = work.last {
                let outgoing = edges[node]
                if edge < outgoing.count {
                    work[work.count - 1].edge += 1
                    let target = Int(outgoing[outgoing.startIndex + edge])
                    switch state[target] {
                    case 0:
                        state[target] = 1
                        value[target] = target < weights.count ? Swift.max(weights[target], 0) : 1
                        work.append((target, 0))
                    case 1:
                        value[node] = .max  // a cycle: no bound
                    default:
                        value[node] = Self.saturatingSum(value[node], value[target])
                    }
                    continue
                }
                work.removeLast()
                state[node] = 2
                if let parent = work.last { value[parent.node] = Self.saturatingSum(value[parent.node], value[node]) }
            }
        }
        return value
    }

    /// `a + b`, or `Int.max` when it would overflow.
    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// The expansion of every action set: how many action-set runs and actions one run of it
    /// causes, counting each `run-action-set` as often as it appears (saturating; `Int.max` on a
    /// cycle). Calls to ids not in `actionSets` are ignored (they are unknown references).
    public static func actionSetExpansion(in actionSets: [ActionSet]) -> [String: Int] {
        let graph = CallGraph(actionSets: actionSets)
        // One for the run itself, one for each action.
        let values = graph.expansion(weights: actionSets.map { saturatingSum($0.actions.count, 1) })
        var result: [String: Int] = [:]
        for (offset, set) in actionSets.enumerated() where result[set.id] == nil { result[set.id] = values[offset] }
        return result
    }

    /// The expansion of every workflow: the most steps and enrollments one run of it may cause —
    /// one for its enrollment, each of its steps (every branch counted, as if all ran), and for each
    /// `call` the called workflow's expansion, for each `enroll` the enrolled one's (saturating;
    /// `Int.max` when a cycle of calls or enrolls can be reached). Missing workflows count nothing.
    public static func workflowExpansion(_ workflows: [Workflow]) -> [String: Int] {
        var numbers: [String: Int] = [:]
        for (offset, workflow) in workflows.enumerated() where numbers[workflow.id] == nil { numbers[workflow.id] = offset }
        var graph = CallGraph()
        graph.addNode(workflows.count - 1)
        var weights: [Int] = []
        weights.reserveCapacity(workflows.count)
        for (offset, workflow) in workflows.enumerated() {
            var steps = 1
            var pending = [workflow.steps[...]]
            while var list = pending.popLast() {
                guard let step = list.popFirst() else { continue }
                pending.append(list)
                steps = saturatingSum(steps, 1)
                switch step.kind {
                case .branch(let branches, let otherwise):
                    pending.append(otherwise[...])
                    for branch in branches { pending.append(branch.steps[...]) }
                case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                    pending.append(onTimeout[...])
                case .call(let id), .enroll(let id):
                    if let target = numbers[id] { graph.addEdge(from: offset, to: target) }
                case .action, .wait, .goal, .exit, .unenroll:
                    break
                }
            }
            weights.append(steps)
        }
        let values = graph.expansion(weights: weights)
        var result: [String: Int] = [:]
        for (id, number) in numbers { result[id] = values[number] }
        return result
    }
}
