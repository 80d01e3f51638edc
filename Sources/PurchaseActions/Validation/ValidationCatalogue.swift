/// The ids of an account's catalogue that workflows refer to: from `account.json`
/// (``AccountFile``) or an export's catalogue.
public struct ValidationCatalogue: Hashable, Sendable {
    /// Tag ids.
    public var tags: Set<String> = []
    /// Product ids.
    public var products: Set<String> = []
    /// Subscription plan ids.
    public var plans: Set<String> = []
    /// User ids.
    public var users: Set<String> = []
    /// Bundle ids.
    public var bundles: Set<String> = []
    /// Payment plan ids.
    public var paymentPlans: Set<String> = []
    /// Custom field names, such as `_ShirtSize`.
    public var customFields: Set<String> = []

    /// An empty catalogue.
    public init() {}

    /// The ids of a catalogue (an export's, or an ``AccountFile``'s).
    public init(_ catalogue: Catalogue) {
        tags = Set(catalogue.tags.map(\.key))
        products = Set(catalogue.products.map(\.key))
        plans = Set(catalogue.subscriptionPlans.map(\.key))
        users = Set(catalogue.users.map(\.key))
        bundles = Set(catalogue.bundles.map(\.key))
        paymentPlans = Set(catalogue.paymentPlans.map(\.key))
        customFields = Set(catalogue.customFields.map(\.value.name))
    }
}
