public import PurchaseActionsCore

/// A contact as the engine sees it: fields, tags and an optional timezone.
public struct Contact: Hashable, Sendable {
    /// The contact's id.
    public var id: String
    /// Fields by name: `FirstName`, `Email`, `_ShirtSize`, ...
    public var fields: [String: String]
    /// Tag ids, in the order they were added.
    public var tags: [String]
    /// IANA timezone name, when known.
    public var timezone: String?
    /// The owner's user id, when assigned.
    public var ownerID: String?
    /// When the contact was created, which decides "the oldest" among several matches.
    public var createdAt: Instant

    /// Creates a contact.
    public init(id: String, fields: [String: String] = [:], tags: [String] = [], timezone: String? = nil, ownerID: String? = nil, createdAt: Instant) {
        self.id = id
        self.fields = fields
        self.tags = tags
        self.timezone = timezone
        self.ownerID = ownerID
        self.createdAt = createdAt
    }
}

/// Where the engine finds and changes contacts (legacy: the contact table).
///
/// - Important: Within one engine call (`ingest`, `advance`, `run`, `runActionSet`) the engine keeps
///   the contact it is working on and writes each change through ``save(_:)`` as it makes it; it
///   reads the directory afresh when the next call starts. Nothing else may change the directory
///   while a call runs, and ``save(_:)`` must keep what it is given.
public protocol ContactDirectory: AnyObject {
    /// The contact with this id.
    func contact(id: String) -> Contact?
    /// The oldest contact matching first name, last name and email under `ContactMatch` (PurchaseActionsCore).
    func match(_ key: ContactMatch) -> Contact?
    /// Adds or replaces a contact.
    func save(_ contact: Contact)
    /// A new contact id.
    func newContactID() -> String
}

/// Contacts in memory, indexed by id and by the legacy match key.
public final class InMemoryContactDirectory: ContactDirectory {
    #if DEBUG
    private var contacts: [String: Contact] = [:]
    #else
    @exclusivity(unchecked) private var contacts: [String: Contact] = [:]
    #endif
    #if DEBUG
    private var byMatch: [ContactMatch: [String]] = [:]
    #else
    @exclusivity(unchecked) private var byMatch: [ContactMatch: [String]] = [:]
    #endif
    #if DEBUG
    private var nextNumber = 1
    #else
    @exclusivity(unchecked) private var nextNumber = 1
    #endif

    /// Creates an empty directory.
    public init() {}

    /// Every contact, sorted by id.
    public var all: [Contact] { contacts.values.sorted { $0.id < $1.id } }

    public func contact(id: String) -> Contact? { contacts[id] }

    public func match(_ key: ContactMatch) -> Contact? {
        byMatch[key]?.compactMap { contacts[$0] }.min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func save(_ contact: Contact) {
        let old = contacts.updateValue(contact, forKey: contact.id)
        // Re-key the match index only when a matched field changed (most saves change tags or fields).
        if let old, old.fields == contact.fields || Self.matchedFieldsEqual(old, contact) { return }
        if let old, let oldKey = Self.key(old) { byMatch[oldKey]?.removeAll { $0 == contact.id } }
        if let key = Self.key(contact) { byMatch[key, default: []].append(contact.id) }
    }

    private static func matchedFieldsEqual(_ a: Contact, _ b: Contact) -> Bool {
        a.fields["FirstName"] == b.fields["FirstName"] && a.fields["LastName"] == b.fields["LastName"] && a.fields["Email"] == b.fields["Email"]
    }

    public func newContactID() -> String {
        while contacts["contact-\(nextNumber)"] != nil { nextNumber += 1 }
        defer { nextNumber += 1 }
        return "contact-\(nextNumber)"
    }

    private static func key(_ contact: Contact) -> ContactMatch? {
        guard let first = contact.fields["FirstName"], let last = contact.fields["LastName"], let email = contact.fields["Email"] else { return nil }
        return ContactMatch(firstName: first, lastName: last, email: email)
    }
}
