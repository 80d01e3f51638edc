import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("CallGraph: cycles of run-action-set")
struct CallGraphTests {
    /// An independent check: a graph has a cycle exactly when Kahn's topological sort cannot remove every node.
    static func hasCycle(nodes: Int, edges: [(Int, Int)]) -> Bool {
        var incoming = [Int](repeating: 0, count: nodes)
        var outgoing = [[Int]](repeating: [], count: nodes)
        for (from, to) in edges {
            outgoing[from].append(to)
            incoming[to] += 1
        }
        var ready = (0..<nodes).filter { incoming[$0] == 0 }
        var removed = 0
        while let node = ready.popLast() {
            removed += 1
            for target in outgoing[node] {
                incoming[target] -= 1
                if incoming[target] == 0 { ready.append(target) }
            }
        }
        return removed < nodes
    }

    static let edgeLists = zip(Gen.int(in: 0...11), Gen.int(in: 0...11)).array(of: 0...20)

    @Test("Every reported cycle is a real cycle, and cycles are reported exactly when one exists")
    func cyclesAreRealAndComplete() async {
        await propertyCheck(count: 400, input: Self.edgeLists) { pairs in
            let edges = pairs.map { ($0.0, $0.1) }
            var graph = CallGraph()
            graph.addNode(11)
            for (from, to) in edges { graph.addEdge(from: from, to: to) }
            let cycles = graph.cycles()
            #expect(!cycles.isEmpty == Self.hasCycle(nodes: 12, edges: edges))
            let edgeSet = Set(edges.map { "\($0.0)>\($0.1)" })
            for cycle in cycles {
                for (offset, node) in cycle.enumerated() {
                    let next = cycle[(offset + 1) % cycle.count]
                    #expect(edgeSet.contains("\(node)>\(next)"), "cycle \(cycle) uses a missing edge \(node)→\(next)")
                }
                #expect(cycle.first == cycle.min(), "a cycle is listed from its lowest node")
                #expect(Set(cycle).count == cycle.count, "a cycle visits each node once")
            }
        }
    }

    @Test("A cycle of three action sets is named in call order")
    func namesActionSets() {
        let location = FileLocation(file: "x.xml")
        func set(_ id: String, runs: [String]) -> ActionSet {
            ActionSet(
                id: id, name: id,
                actions: runs.map { Action(id: "\(id).\($0)", kind: .runActionSet(actionSetID: $0), location: location) },
                location: location)
        }
        let sets = [set("as-a", runs: ["as-b"]), set("as-b", runs: ["as-c"]), set("as-c", runs: ["as-a"]), set("as-d", runs: ["as-a"])]
        #expect(CallGraph.actionSetCycles(in: sets) == [["as-a", "as-b", "as-c"]])
        #expect(CallGraph.actionSetCycles(in: [set("as-self", runs: ["as-self"])]) == [["as-self"]])
        #expect(CallGraph.actionSetCycles(in: [set("as-a", runs: ["as-b"]), set("as-b", runs: ["as-missing"])]).isEmpty)
    }

    @Test("A chain of 200,000 calls is searched without recursion")
    func longChain() {
        var graph = CallGraph()
        for node in 0..<200_000 { graph.addEdge(from: node, to: node + 1) }
        #expect(graph.cycles().isEmpty)
        graph.addEdge(from: 200_000, to: 0)
        #expect(graph.cycles().first?.count == 200_001)
    }
}

@Suite("CallGraph: expansion, counted on the graph")
struct CallGraphExpansionTests {
    /// An independent count: runs the calls (small graphs only).
    static func runs(_ node: Int, _ edges: [(Int, Int)], weights: [Int]) -> Int {
        weights[node] + edges.filter { $0.0 == node }.reduce(0) { $0 + runs($1.1, edges, weights: weights) }
    }

    @Test("A chain where each node runs the next four times: 4^k, without running anything")
    func chain() {
        var graph = CallGraph()
        for node in 0..<12 { for _ in 0..<4 { graph.addEdge(from: node, to: node + 1) } }
        let values = graph.expansion()
        // 1 + 4 + 16 + ... + 4^12 = (4^13 - 1) / 3
        #expect(values[0] == (67_108_864 - 1) / 3)
        #expect(values[12] == 1)
        #expect(values[11] == 5)
    }

    @Test("Saturates instead of overflowing: 70 levels of doubling is Int.max")
    func saturates() {
        var graph = CallGraph()
        for node in 0..<70 { graph.addEdge(from: node, to: node + 1); graph.addEdge(from: node, to: node + 1) }
        let values = graph.expansion()
        #expect(values[0] == .max)
        #expect(values[70] == 1)
        #expect(values[69] == 3)
    }

    @Test("A node that reaches a cycle has no bound; others are counted")
    func cycles() {
        var graph = CallGraph()
        graph.addEdge(from: 0, to: 1)
        graph.addEdge(from: 1, to: 2)
        graph.addEdge(from: 2, to: 1)
        graph.addEdge(from: 3, to: 4)
        graph.addEdge(from: 5, to: 5)
        let values = graph.expansion()
        #expect(values[0] == .max && values[1] == .max && values[2] == .max && values[5] == .max)
        #expect(values[3] == 2 && values[4] == 1)
    }

    @Test("A long chain is counted without recursion, in linear time")
    func longChain() {
        var graph = CallGraph()
        for node in 0..<200_000 { graph.addEdge(from: node, to: node + 1) }
        #expect(graph.expansion()[0] == 200_001)
    }

    @Test("Property: on random acyclic graphs the count equals running the calls")
    func matchesRunning() async {
        let input = zip(Gen.int(in: 0...7), Gen.int(in: 1...7)).array(of: 0...14)
        await propertyCheck(count: 300, input: input, Gen.int(in: 0...5).array(of: 8)) { pairs, weights in
            // Edges from lower to higher nodes only: acyclic.
            let edges = pairs.map { (Swift.min($0.0, $0.1), Swift.max($0.0, $0.1)) }.filter { $0.0 != $0.1 }
            var graph = CallGraph()
            graph.addNode(7)
            for (from, to) in edges { graph.addEdge(from: from, to: to) }
            let values = graph.expansion(weights: weights)
            for node in 0..<8 { #expect(values[node] == Self.runs(node, edges, weights: weights)) }
        }
    }

    @Test("Workflow expansion: steps in every branch, calls and enrolls with repetitions, cycles unbounded")
    func workflows() {
        let settings = WorkflowSettings(accountTimezone: "UTC")
        let leaf = Workflow(id: "leaf", name: "L", priority: 0, triggers: [], steps: [Step(id: "t", .action(.addTag(tagID: "x")))], settings: settings)
        let branch = Step(
            id: "if", .branch([Branch(name: "b", when: Condition(.all([])), steps: [Step(id: "c1", .call(workflowID: "leaf"))])], otherwise: [Step(id: "c2", .call(workflowID: "leaf"))]))
        let root = Workflow(
            id: "root", name: "R", priority: 0, triggers: [], steps: [branch, Step(id: "e", .enroll(workflowID: "leaf")), Step(id: "m", .call(workflowID: "missing"))],
            settings: settings)
        let loop = Workflow(id: "loop", name: "Loop", priority: 0, triggers: [], steps: [Step(id: "l", .enroll(workflowID: "loop"))], settings: settings)
        let values = CallGraph.workflowExpansion([leaf, root, loop])
        #expect(values["leaf"] == 2)
        // 1 + if, c1, c2, e, m (5 steps) + 3 × leaf (2 each) = 12
        #expect(values["root"] == 12)
        #expect(values["loop"] == .max)
    }
}
