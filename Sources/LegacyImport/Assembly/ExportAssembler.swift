import PurchaseActionsCore

/// The consuming half of the reader: turns each unit the ``ExportStructure`` sends into model values,
/// checks values and references, and queues the items the stream hands out.
final class ExportAssembler {
    let file: String
    // Properties marked `@exclusivity(unchecked)` are touched for every unit, only from the thread
    // that reads the stream, never with two accesses at once, so the run-time exclusivity check is
    // skipped for them.

    /// Items ready to hand out, oldest first; `nil` once handed out.
    @exclusivity(unchecked) private var ready: [ExportItem?] = []
    @exclusivity(unchecked) private var readyHead = 0
    private(set) var warnings: [ImportWarning] = []
    var catalogue = Catalogue()
    /// Reference checks against the catalogue, made once the catalogue is complete.
    var references = CatalogueReferences(catalogue: Catalogue())
    @exclusivity(unchecked) var index = ReferenceIndex()

    /// The section of the unit being read.
    private(set) var section: String?
    /// Where emptied unit arenas go back to.
    let arenas: ArenaPool
    /// Lines of the slots read so far, by key.
    var slotLines: [String: Int] = [:]
    /// Extension attributes of `<export>`, handed out once the account (always the first item) is.
    var heldParts: [OpaquePart] = []
    /// Whether the account was handed out.
    var accountRead = false

    init(file: String, arenas: ArenaPool) {
        self.file = file
        self.arenas = arenas
    }

    /// Reads what the structure sent: a unit, or the end of a section.
    func consume(_ event: StructureEvent) throws(ImportError) {
        switch event {
        case .unit(let unit):
            defer { arenas.give(unit.arena) }
            section = unit.section
            if unit.isTopLevel { try finishTopLevel(unit.root) } else { try finishUnit(unit.root) }
        case .sectionEnd(let name):
            section = name
            try finishSection()
            section = nil
        case .strayText(let element, let location):
            warn("text inside <\(element)> is ignored: this element holds no text", at: location)
        case .outerAttributes(let element):
            reportAttributes(of: element)
        }
    }

    /// The most warnings kept; the rest are only counted, so memory stays bounded.
    static let maxWarnings = 1000
    /// Warnings past ``maxWarnings``.
    private(set) var uncountedWarnings = 0

    func warn(_ message: String, at location: FileLocation) {
        guard warnings.count < Self.maxWarnings else {
            uncountedWarnings += 1
            return
        }
        warnings.append(ImportWarning(message, at: location))
    }

    func emit(_ item: ExportItem) { ready.append(item) }

    /// The oldest item not yet handed out, moved out of the queue.
    func takeReady() -> ExportItem? {
        guard readyHead < ready.count else {
            if !ready.isEmpty {
                ready.removeAll(keepingCapacity: true)
                readyHead = 0
            }
            return nil
        }
        let item = ready[readyHead].take()
        readyHead += 1
        return item
    }

    private func finishTopLevel(_ node: XMLNode) throws(ImportError) {
        if node.isOurs {
            emit(.account(try readAccount(node)))
            emitHeldParts()
        } else {
            emit(.extension(opaque(node, parentPath: "/export")))
        }
    }

    private func finishSection() throws(ImportError) {
        switch section {
        case "catalogue":
            try checkCatalogue()
            emit(.catalogue(catalogue))
        case "sequences":
            try index.finishSequences()
        case "action-sets":
            try index.finishActionSets(file: file)
            if let over = index.expansionOverBudget(file: file) { warn(over.message, at: over.location) }
        default: break
        }
    }
}
