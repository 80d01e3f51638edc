import PurchaseActionsCore

/// Ids seen so far and references still to resolve, kept in memory that grows with the catalogue and the
/// number of action sets, never with the number of actions.
///
/// Top-level ids are indexed by a 64-bit digest keyed with a secret chosen per process (Swift's seeded
/// `Hasher`), so nobody can craft two ids that collide; two different ids with the
/// same digest would be reported as a duplicate, a chance of about 1 in 10⁹ for 200,000 ids.
struct ReferenceIndex {
    /// What an id names, in 8 bytes: its kind (an index into ``kinds``) and line, and for an action set
    /// its number in the call graph.
    private struct Definition {
        var kind: UInt8
        var line: Int32
    }
    private struct Reference {
        var id: String
        var location: FileLocation
    }
    /// Kinds of top-level element, as ``Definition/kind`` numbers them.
    private var kindNames: [String] = []

    private var definitions: [UInt64: Definition] = [:]
    private(set) var sequenceIDs: Set<String> = []
    /// The first reference to each sequence not yet read: one per id, not one per action, so memory
    /// never grows with the number of actions.
    private var pendingSequences: [String: Reference] = [:]

    private var actionSetNumbers: [UInt64: Int32] = [:]
    /// Line of each numbered action set; 0 while only referenced.
    private var actionSetLines: [Int32] = []
    /// The first reference to each action set not yet defined.
    private var undefinedActionSets: [Int32: Reference] = [:]
    /// Ids of the action sets that run others (only they can be in a cycle), packed in one buffer:
    /// the id of set `n` is `callerBytes[callerStart[n] ..< callerStart[n] + callerLength[n]]`.
    private var callerBytes: [UInt8] = []
    private var callerStart: [Int32] = []
    private var callerLength: [UInt8] = []
    private var graph = CallGraph()
    private(set) var actionSetsFinished = false

    /// The id's digest, keyed per process: never written anywhere, so it need not be stable.
    static func digest(_ id: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(id)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// Records a top-level id; fails on a duplicate, here or among the catalogue's entries.
    ///
    /// Catalogue entries other than products are not recorded (`recorded: false`): the catalogue's
    /// own tables find them, so their ids are not held twice. Products and price options are
    /// recorded, because a product enters its table only after its price options are read.
    mutating func define(_ id: String, kind: String, element: ElementReader, catalogue: Catalogue, recorded: Bool = true) throws(ImportError) {
        let digest = Self.digest(id)
        if let earlier = definitions[digest] {
            throw Self.duplicate(id, kind: kindNames[Int(earlier.kind)], line: Int(earlier.line), at: element.location)
        }
        if let earlier = catalogue.entry(id) {
            throw Self.duplicate(id, kind: earlier.kind, line: earlier.line, at: element.location)
        }
        guard recorded else { return }
        let code: Int
        if let known = kindNames.firstIndex(of: kind) {
            code = known
        } else {
            code = kindNames.count
            kindNames.append(kind)
        }
        definitions[digest] = Definition(kind: UInt8(truncatingIfNeeded: code), line: Int32(clamping: element.node.line))
    }

    private static func duplicate(_ id: String, kind: String, line: Int, at location: FileLocation) -> ImportError {
        ImportError(
            .duplicateID,
            "duplicate id '\(ElementReader.shown(id))': <\(kind)> at line \(line) already uses it; ids of top-level elements are unique across the export",
            at: location)
    }

    // MARK: Sequences

    mutating func defineSequence(_ id: String) { sequenceIDs.insert(id) }

    /// A reference to a sequence; one not yet read is checked when the sequences end.
    mutating func referSequence(_ id: String, at location: FileLocation, sequencesFinished: Bool) throws(ImportError) {
        if sequenceIDs.contains(id) { return }
        if sequencesFinished { throw Self.unknownSequence(id, at: location) }
        if pendingSequences[id] == nil { pendingSequences[id] = Reference(id: id, location: location) }
    }

    mutating func finishSequences() throws(ImportError) {
        let missing = pendingSequences.values.filter { !sequenceIDs.contains($0.id) }
        if let first = missing.min(by: { Self.isEarlier($0.location, $1.location, $0.id, $1.id) }) {
            throw Self.unknownSequence(first.id, at: first.location)
        }
        pendingSequences = [:]
    }

    private static func unknownSequence(_ id: String, at location: FileLocation) -> ImportError {
        ImportError(.unknownReference, "unknown sequence '\(ElementReader.shown(id))': no <sequence> with this id is in <sequences>", at: location)
    }

    // MARK: Action sets

    private mutating func number(_ id: String) -> Int32 {
        let digest = Self.digest(id)
        if let number = actionSetNumbers[digest] { return number }
        let number = Int32(actionSetLines.count)
        actionSetNumbers[digest] = number
        actionSetLines.append(0)
        callerStart.append(0)
        callerLength.append(0)
        graph.addNode(Int(number))
        return number
    }

    mutating func defineActionSet(_ id: String, line: Int) {
        let number = number(id)
        actionSetLines[Int(number)] = Int32(clamping: max(line, 1))
        undefinedActionSets[number] = nil
    }

    /// A reference to an action set; `caller` is the action set that runs it, if the reference is a call.
    mutating func referActionSet(_ id: String, from caller: String?, at location: FileLocation) throws(ImportError) {
        if actionSetsFinished {
            guard let number = actionSetNumbers[Self.digest(id)], actionSetLines[Int(number)] > 0 else {
                throw Self.unknownActionSet(id, at: location)
            }
            return
        }
        let target = number(id)
        if actionSetLines[Int(target)] == 0, undefinedActionSets[target] == nil {
            undefinedActionSets[target] = Reference(id: id, location: location)
        }
        if let caller {
            let source = number(caller)
            if callerLength[Int(source)] == 0 {
                callerStart[Int(source)] = Int32(callerBytes.count)
                callerLength[Int(source)] = UInt8(caller.utf8.count)  // ids are at most 64 bytes
                callerBytes.append(contentsOf: caller.utf8)
            }
            graph.addEdge(from: Int(source), to: Int(target))
        }
    }

    /// Resolves every reference to an action set and looks for cycles.
    mutating func finishActionSets(file: String) throws(ImportError) {
        actionSetsFinished = true
        if let missing = undefinedActionSets.values.min(by: { Self.isEarlier($0.location, $1.location, $0.id, $1.id) }) {
            throw Self.unknownActionSet(missing.id, at: missing.location)
        }
        undefinedActionSets = [:]
        guard let cycle = graph.cycles().first else { return }
        let members = cycle.map { (id: callerID($0), line: Int(actionSetLines[$0])) }
        let chain = (members + [members[0]]).map(\.id).joined(separator: " → ")
        let listing = members.map { "'\($0.id)' (line \($0.line))" }.joined(separator: ", ")
        throw ImportError(
            .cycle,
            "cycle of run-action-set: \(chain); the sets in the cycle are \(listing). An action set may not run itself, directly or through others",
            at: FileLocation(file: file, path: "/export/action-sets/action-set[@id='\(members[0].id)']", line: members[0].line))
    }

    /// The action set whose `run-action-set` calls, counted with repetitions on the call graph
    /// (``CallGraph/expansion(weights:)``, linear, never by running them), run the most action sets,
    /// if that is more than the engine's work budget for one event (Docs/mapping.md).
    func expansionOverBudget(file: String) -> (message: String, location: FileLocation)? {
        let runs = graph.expansion()
        let over = runs.indices.filter { runs[$0] > CallGraph.workBudget && callerLength[$0] > 0 }
        guard let largest = over.max(by: { (runs[$0], -$0) < (runs[$1], -$1) }) else { return nil }
        let id = callerID(largest)
        let others = over.count - 1
        return (
            "action set '\(id)' runs other sets, with repetitions, \(runs[largest] == .max ? "without bound" : "\(runs[largest]) times"): more than the \(CallGraph.workBudget) steps the engine runs for one event, so a run of it stops part way\(others > 0 ? " (\(others) more action set\(others == 1 ? "" : "s") too)" : "")",
            FileLocation(file: file, path: "/export/action-sets/action-set[@id='\(id)']", line: Int(actionSetLines[largest]))
        )
    }

    private func callerID(_ number: Int) -> String {
        let start = Int(callerStart[number])
        return String(decoding: callerBytes[start..<start + Int(callerLength[number])], as: UTF8.self)
    }

    /// Document order: line, then column; ids break a tie, so the first error never depends on how a
    /// dictionary happens to be ordered.
    static func isEarlier(_ a: FileLocation, _ b: FileLocation, _ aID: String, _ bID: String) -> Bool {
        (a.line, a.column ?? 0, aID) < (b.line, b.column ?? 0, bID)
    }

    private static func unknownActionSet(_ id: String, at location: FileLocation) -> ImportError {
        ImportError(.unknownReference, "unknown action set '\(ElementReader.shown(id))': no <action-set> with this id is in <action-sets>", at: location)
    }
}

extension Catalogue {
    /// The element name and line of the catalogue entry with this id, if any (price options are not
    /// looked for: they are not entries of their own).
    func entry(_ id: String) -> (kind: String, line: Int)? {
        let id = CatalogueKey(id)  // hashed once for every table
        if let entry = tags[id] { return ("tag", entry.location.line) }
        if let entry = tagCategories[id] { return ("tag-category", entry.location.line) }
        if let entry = customFields[id] { return ("custom-field", entry.location.line) }
        if let entry = users[id] { return ("user", entry.location.line) }
        if let entry = products[id] { return ("product", entry.location.line) }
        if let entry = subscriptionPlans[id] { return ("subscription-plan", entry.location.line) }
        if let entry = bundles[id] { return ("bundle", entry.location.line) }
        if let entry = paymentPlans[id] { return ("payment-plan", entry.location.line) }
        if let entry = templates[id] { return (entry.kind.elementName, entry.location.line) }
        return nil
    }
}
