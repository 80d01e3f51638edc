/// A group of tags.
public struct TagCategory: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a tag category.
    public init(id: String, name: String, location: FileLocation) {
        self.id = id
        self.name = name
        self.location = location
    }
}

/// A tag (legacy: a contact group) that actions apply and remove and rules test.
public struct ContactTag: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// The tag category's id, if any.
    public var categoryID: String?
    /// Description, if any.
    public var description: String?
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a tag.
    public init(id: String, name: String, categoryID: String? = nil, description: String? = nil, location: FileLocation) {
        self.id = id
        self.name = name
        self.categoryID = categoryID
        self.description = description
        self.location = location
    }
}

/// A custom contact field; its name starts with an underscore, as in `~Contact._ShirtSize~`.
public struct CustomField: Hashable, Sendable, Codable {
    /// The kinds of value a custom field holds.
    public enum FieldType: String, Hashable, Sendable, Codable, CaseIterable {
        /// Free text.
        case text
        /// A number.
        case number
        /// A date, `YYYY-MM-DD`.
        case date
        /// Yes or no.
        case yesNo = "yes-no"
        /// One of a list of values.
        case list
    }
    /// Stable id.
    public var id: String
    /// The field name, starting with `_`.
    public var name: String
    /// The kind of value.
    public var type: FieldType
    /// A label for people, if any.
    public var label: String?
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a custom field.
    public init(id: String, name: String, type: FieldType, label: String? = nil, location: FileLocation) {
        self.id = id
        self.name = name
        self.type = type
        self.label = label
        self.location = location
    }
}

/// A staff user: a task's assignee, a contact's owner, an email recipient.
public struct User: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// Email address.
    public var email: String
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a user.
    public init(id: String, name: String, email: String, location: FileLocation) {
        self.id = id
        self.name = name
        self.email = email
        self.location = location
    }
}

/// A product that can be bought, with its price options.
public struct Product: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// Price in minor units of the account currency.
    public var price: Int
    /// Stock-keeping unit, if any.
    public var sku: String?
    /// Whether it is shipped.
    public var shippable: Bool
    /// Price options (tiers), in document order.
    public var priceOptions: [PriceOption]
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a product.
    public init(
        id: String, name: String, price: Int, sku: String? = nil, shippable: Bool = false, priceOptions: [PriceOption] = [],
        location: FileLocation
    ) {
        self.id = id
        self.name = name
        self.price = price
        self.sku = sku
        self.shippable = shippable
        self.priceOptions = priceOptions
        self.location = location
    }
}

/// A price option (tier) of a product, such as Basic or VIP.
public struct PriceOption: Hashable, Sendable, Codable {
    /// Stable id.
    public var id: String
    /// Display name.
    public var name: String
    /// Price in minor units.
    public var price: Int
    /// Where it was defined.
    public var location: FileLocation
    /// Creates a price option.
    public init(id: String, name: String, price: Int, location: FileLocation) {
        self.id = id
        self.name = name
        self.price = price
        self.location = location
    }
}
