/// A contact as it was at one moment, held by reference: the engine's working contact, and the
/// snapshot an action's report keeps to compose its record and effect from.
final class ContactBox: Sendable {
    let contact: Contact

    init(_ contact: Contact) { self.contact = contact }
}
