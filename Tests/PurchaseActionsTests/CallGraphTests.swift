import PropertyBased
import PurchaseActions
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
        let location = SourceLocation(file: "x.xml")
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
