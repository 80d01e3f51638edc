import PurchaseActionsCore

/// The elements of one unit being read (an action set, a catalogue entry, ...), stored flat.
///
/// Elements and their attributes live in two buffers that are emptied, keeping their capacity, when
/// the next unit starts: an element costs no allocation of its own, reading a field takes no
/// reference count, and freeing a unit is one loop over plain values.
final class NodeArena {
    struct Record {
        var name: String
        var namespace: String?
        var role: ElementRole
        var attributeStart: Int32
        var attributeCount: Int32
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var nextSibling: Int32 = -1
        var childCount: Int32 = 0
        var line: Int32
        var column: Int32
        var text: String = ""
    }

    // An arena is used by one thread at a time (the structure fills it, the assembler reads it, the
    // pool hands it over under a lock), never with two accesses at once, so the run-time exclusivity
    // check on these fields, touched for every element and attribute, is skipped.
    @exclusivity(unchecked) private(set) var records: UnsafeMutablePointer<Record>
    @exclusivity(unchecked) private var recordCount = 0
    /// How many elements the arena holds.
    var count: Int { recordCount }
    @exclusivity(unchecked) private var recordCapacity = 64
    @exclusivity(unchecked) private(set) var attributes: UnsafeMutablePointer<XMLNode.Attribute>
    @exclusivity(unchecked) private var attributeCount = 0
    @exclusivity(unchecked) private var attributeCapacity = 128

    init() {
        records = .allocate(capacity: recordCapacity)
        attributes = .allocate(capacity: attributeCapacity)
    }

    deinit {
        reset()
        records.deallocate()
        attributes.deallocate()
    }

    /// Empties the arena for the next unit.
    func reset() {
        records.deinitialize(count: recordCount)
        attributes.deinitialize(count: attributeCount)
        recordCount = 0
        attributeCount = 0
    }

    /// Adds an attribute of the element about to be added with ``add(name:namespace:role:attributeCount:line:column:)``.
    func appendAttribute(_ attribute: consuming XMLNode.Attribute) {
        if attributeCount == attributeCapacity { attributes = Self.grow(attributes, count: attributeCount, to: &attributeCapacity) }
        (attributes + attributeCount).initialize(to: attribute)
        attributeCount += 1
    }

    /// Adds an element whose `attributeCount` attributes were just appended; returns it.
    func add(name: String, namespace: String?, role: ElementRole, attributeCount count: Int, line: Int, column: Int) -> XMLNode {
        if recordCount == recordCapacity { records = Self.grow(records, count: recordCount, to: &recordCapacity) }
        (records + recordCount).initialize(
            to: Record(
                name: name, namespace: namespace, role: role, attributeStart: Int32(attributeCount - count), attributeCount: Int32(count),
                line: Int32(clamping: line), column: Int32(clamping: column)))
        recordCount += 1
        return XMLNode(arena: self, index: Int32(recordCount - 1))
    }

    private static func grow<Element>(_ buffer: UnsafeMutablePointer<Element>, count: Int, to capacity: inout Int) -> UnsafeMutablePointer<Element> {
        capacity *= 2
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        larger.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        return larger
    }

    /// Makes `child` the last child of `parent`.
    func append(_ child: XMLNode, to parent: XMLNode) {
        let parentRecord = records + Int(parent.index)
        let last = parentRecord.pointee.lastChild
        if last >= 0 {
            records[Int(last)].nextSibling = child.index
        } else {
            parentRecord.pointee.firstChild = child.index
        }
        parentRecord.pointee.lastChild = child.index
        parentRecord.pointee.childCount += 1
    }
}

/// One element of the unit being read: a view into a ``NodeArena``.
struct XMLNode {
    /// An attribute as read; `namespace` is nil for unqualified attributes.
    struct Attribute {
        var name: String
        var namespace: String?
        var value: String
    }

    // The assembler owns both arenas for the whole read; a node is used only while its unit is read.
    unowned(unsafe) let arena: NodeArena
    let index: Int32

    private var record: UnsafeMutablePointer<NodeArena.Record> { arena.records + Int(index) }

    var name: String { record.pointee.name }
    /// The element's namespace URI, or nil.
    var namespace: String? { record.pointee.namespace }
    /// What the format says about the element, found once per distinct name.
    var role: ElementRole { record.pointee.role }
    /// Whether the element is in the export namespace.
    var isOurs: Bool { record.pointee.role.contains(.ours) }
    var line: Int { Int(record.pointee.line) }
    var column: Int { Int(record.pointee.column) }

    /// The element's text (for text elements and opaque parts).
    var text: String {
        get { record.pointee.text }
        nonmutating set { record.pointee.text = newValue }
    }

    /// Appends to the element's text.
    func appendText(_ more: String) { record.pointee.text += more }

    /// The element's attributes.
    @inline(__always)
    var attributes: UnsafeBufferPointer<Attribute> {
        UnsafeBufferPointer(start: arena.attributes + Int(record.pointee.attributeStart), count: Int(record.pointee.attributeCount))
    }

    /// The element's children, in document order.
    var children: Children { Children(arena: arena, first: record.pointee.firstChild, count: Int(record.pointee.childCount)) }

    /// The value of an unqualified attribute.
    func attribute(_ name: String) -> String? {
        let start = arena.attributes + Int(record.pointee.attributeStart)
        for position in 0..<Int(record.pointee.attributeCount) where start[position].namespace == nil && start[position].name == name {
            return start[position].value
        }
        return nil
    }

    /// The element's name as a message shows it (``shown(_:)``); the names the format defines are
    /// short and plain, and shown as they are.
    var shownName: String { role.contains(.known) ? name : Self.shown(name) }

    /// A name or value as a message or path shows it: control characters and backslashes escaped
    /// (`DisplayText.escape`) and at most 200 characters, so no input can make a line long or forge one.
    static func shown(_ text: String) -> String {
        // Paths are built for many elements: a short name or id of printable ASCII without a
        // backslash, the usual case, is shown as it is without going through the escaper.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count <= 200 && !bytes.contains { $0 < 0x20 || $0 >= 0x7F || $0 == 0x5C }
        }
        if plain == true { return text }
        return text.utf8.count <= 200 ? DisplayText.escape(text) : DisplayText.escape(text, maxScalars: 200)
    }

    /// The element's path step: `name` or `name[@id='x']`, each shown as ``shown(_:)`` writes it.
    var pathStep: String {
        if let id = attribute("id") { return "\(shownName)[@id='\(Self.shown(id))']" }
        return shownName
    }

    /// The element's path below its parent's path, built with one allocation; its name and id are
    /// shown as ``shown(_:)`` writes them.
    func path(under parent: String) -> String {
        ElementPath.join(parent: parent, name: shownName, id: attribute("id").map(Self.shown))
    }

    /// The children of a node, following the sibling links.
    struct Children: Sequence {
        unowned(unsafe) let arena: NodeArena
        let first: Int32
        /// How many children there are.
        let count: Int

        var isEmpty: Bool { count == 0 }

        func makeIterator() -> Iterator { Iterator(arena: arena, upcoming: first) }

        struct Iterator: IteratorProtocol {
            unowned(unsafe) let arena: NodeArena
            var upcoming: Int32

            mutating func next() -> XMLNode? {
                guard upcoming >= 0 else { return nil }
                let node = XMLNode(arena: arena, index: upcoming)
                upcoming = arena.records[Int(upcoming)].nextSibling
                return node
            }
        }
    }
}

/// What the format says about an element name in the export namespace: flags in the low byte, and
/// for an action element its position in ``ActionElement/all`` plus one in the high byte.
struct ElementRole: OptionSet, Hashable {
    let rawValue: UInt16
    /// In the export namespace.
    static let ours = ElementRole(rawValue: 1)
    /// An element the format defines.
    static let known = ElementRole(rawValue: 2)
    /// A text-only element (html, text, description, body, script, message).
    static let text = ElementRole(rawValue: 8)

    /// The action the element is, for action elements.
    var action: ActionElement? {
        let number = Int(rawValue >> 8)
        return number == 0 ? nil : ActionElement.all[number - 1]
    }

    /// The role of `name` in the export namespace.
    static func ofOurs(_ name: String) -> ElementRole {
        var role: ElementRole = .ours
        if Vocabulary.elements.contains(name) { role.insert(.known) }
        if TextElements.names.contains(name) { role.insert(.text) }
        if let action = ActionElement(rawValue: name) {
            role = ElementRole(rawValue: role.rawValue | UInt16(action.position + 1) << 8)
        }
        return role
    }
}
