/// A directed graph of "runs" edges between numbered nodes, such as action sets running other action sets.
///
/// Finds cycles without recursion, so a chain of a million calls cannot overflow the stack.
public struct CallGraph: Sendable {
    private var edges: [[Int32]] = []

    /// Creates an empty graph.
    public init() {}

    /// The number of nodes.
    public var nodeCount: Int { edges.count }

    /// Makes sure node `index` exists.
    public mutating func addNode(_ index: Int) {
        if index >= edges.count { edges.append(contentsOf: repeatElement([], count: index - edges.count + 1)) }
    }

    /// Adds the edge `from` → `to`.
    public mutating func addEdge(from: Int, to: Int) {
        addNode(Swift.max(from, to))
        edges[from].append(Int32(to))
    }

    /// One cycle per strongly connected part that has one, each listed from its lowest node and in call
    /// order (`[a, b, c]` means a → b → c → a); parts ordered by their lowest node.
    public func cycles() -> [[Int]] {
        stronglyConnectedCycles().map(shortestCycle(in:)).sorted { $0[0] < $1[0] }
    }

    /// Tarjan's algorithm, iterative; keeps parts with more than one node or a self edge.
    private func stronglyConnectedCycles() -> [Set<Int>] {
        let count = edges.count
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
                if edge < edges[node].count {
                    work[work.count - 1].edge += 1
                    let target = Int(edges[node][edge])
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
    private func shortestCycle(in part: Set<Int>) -> [Int] {
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
    /// The cycles of `run-action-set` among these action sets, as lists of action-set ids in call order.
    ///
    /// Calls to ids that are not in `actionSets` are ignored here (they are unknown references).
    public static func actionSetCycles(in actionSets: [ActionSet]) -> [[String]] {
        var numbers: [String: Int] = [:]
        for (offset, set) in actionSets.enumerated() where numbers[set.id] == nil { numbers[set.id] = offset }
        var graph = CallGraph()
        graph.addNode(actionSets.count - 1)
        for (offset, set) in actionSets.enumerated() {
            for target in set.runsActionSets { if let to = numbers[target] { graph.addEdge(from: offset, to: to) } }
        }
        return graph.cycles().map { $0.map { actionSets[$0].id } }
    }
}
