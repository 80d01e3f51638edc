/// A contact as it was at one moment, held by reference: the engine's working contact, and the
/// snapshot an action's report keeps to compose its record and effect from.
final class ContactBox: @unchecked Sendable {
    let contact: Contact

    init(_ contact: Contact) { self.contact = contact }

    /// The bytes (UTF-8) of the contact's longest value (a field's, or its id), measured the first
    /// time a template is checked against the contact: what one tag can merge from it.
    private(set) lazy var longestValueBytes: Int = contact.fields.values.reduce(contact.id.utf8.count) { max($0, $1.utf8.count) }
}
