/// Everything action sets refer to: tags, fields, users, products, plans, bundles and templates.
///
/// A streaming reader holds the catalogue in memory; everything else is handed out one at a time. Each
/// kind of entry is a ``CatalogueTable``: entries by id, read like a dictionary, stored compactly in
/// document order.
public struct Catalogue: Hashable, Sendable, Codable {
    /// Tag categories by id.
    public var tagCategories = CatalogueTable<TagCategory>()
    /// Tags by id.
    public var tags = CatalogueTable<ContactTag>()
    /// Custom fields by id.
    public var customFields = CatalogueTable<CustomField>()
    /// Users by id.
    public var users = CatalogueTable<User>()
    /// Products by id.
    public var products = CatalogueTable<Product>()
    /// Subscription plans by id.
    public var subscriptionPlans = CatalogueTable<SubscriptionPlan>()
    /// Bundles by id.
    public var bundles = CatalogueTable<ProductBundle>()
    /// Payment plans by id.
    public var paymentPlans = CatalogueTable<PaymentPlan>()
    /// Templates of every kind by id.
    public var templates = CatalogueTable<Template>()
    /// Extensions found among the catalogue entries.
    public var extensions: [OpaquePart] = []

    /// Creates an empty catalogue.
    public init() {}

    /// The number of entries of every kind.
    public var count: Int {
        tagCategories.count + tags.count + customFields.count + users.count + products.count
            + subscriptionPlans.count + bundles.count + paymentPlans.count + templates.count
    }

    /// The custom field with this name (such as `_ShirtSize`), if declared.
    public func customField(named name: String) -> CustomField? {
        customFields.values.first { $0.name == name }
    }

    /// The price option with this id, searched in every product.
    public func priceOption(id: String) -> (product: Product, option: PriceOption)? {
        for product in products.values {
            if let option = product.priceOptions.first(where: { $0.id == id }) { return (product, option) }
        }
        return nil
    }
}
