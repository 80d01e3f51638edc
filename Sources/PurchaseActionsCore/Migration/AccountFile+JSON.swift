// Reading and writing `account.json` (Docs/workflow-format.md, "The migration folder").

extension AccountFile: JSONRepresentable {
    /// The version of the account file format this type reads and writes.
    public static let formatVersion = 1

    /// `{"formatVersion", "account", "catalogue", "source"}`: the settings (without their location,
    /// which is `source`) and the catalogue without its templates, each entry by id.
    public var json: JSONValue {
        .members([
            "formatVersion": Self.formatVersion.json,
            "account": .members([
                "id": settings.id.json, "name": settings.name.json, "timezone": settings.timezone.json, "currency": settings.currency.json,
                "runPurchaseActionsOnAllOrders": settings.runPurchaseActionsOnAllOrders.json, "billing": settings.billing.accountJSON,
                "extensions": .array(settings.extensions.map(\.accountJSON)),
            ]),
            "catalogue": catalogue.accountJSON,
            "source": settings.location.accountJSON,
        ])
    }

    /// Decodes `account.json`'s JSON form, refusing any member the format does not define, ids that
    /// are not export ids (``StableID``), a timezone that is not an IANA name, and negative counts
    /// or amounts. The catalogue's entries are kept in the order of their source lines.
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let formatVersion = try object.integer("formatVersion")
        guard formatVersion == Self.formatVersion else {
            throw JSONError(
                .invalidValue, "formatVersion \(formatVersion) is not one this reader knows: it reads formatVersion \(Self.formatVersion)",
                at: path.member("formatVersion"))
        }
        let location = try object.decode("source", FileLocation.init(accountJSON:at:))
        let settings = try object.decode("account") { (value, path) throws(JSONError) -> AccountSettings in
            var account = try JSONObjectReader(value, at: path)
            let settings = AccountSettings(
                id: try account.stableID("id"), name: try account.string("name"),
                timezone: try account.string(
                    "timezone", where: FormatText.isTimezone, "an IANA timezone name of at most 64 characters, such as America/Denver"),
                currency: try account.string("currency"), runPurchaseActionsOnAllOrders: try account.bool("runPurchaseActionsOnAllOrders"),
                billing: try account.decode("billing", BillingDefaults.init(accountJSON:at:)),
                extensions: try account.array("extensions", OpaquePart.init(accountJSON:at:)), location: location)
            try account.finish()
            return settings
        }
        let catalogue = try object.decode("catalogue", Catalogue.init(accountJSON:at:))
        try object.finish()
        self.init(settings: settings, catalogue: catalogue)
    }

    /// Parses and decodes `account.json` (UTF-8 JSON); every error has a line, as
    /// `Workflow.load(_:)` gives.
    public static func load(_ bytes: [UInt8]) throws(JSONError) -> AccountFile {
        try JSONValue.decodeLocated(bytes) { json throws(JSONError) in try AccountFile(json: json) }
    }
}

// MARK: - The catalogue

extension Catalogue {
    /// Every kind of entry but templates, each an object by id, and the extensions.
    var accountJSON: JSONValue {
        .members([
            "tagCategories": Self.table(tagCategories) { .members(["name": $0.name.json, "source": $0.location.accountJSON]) },
            "tags": Self.table(tags) {
                .members([
                    "name": $0.name.json, "category": $0.categoryID.json, "description": $0.description.json, "source": $0.location.accountJSON,
                ])
            },
            "customFields": Self.table(customFields) {
                .members(["name": $0.name.json, "type": $0.type.rawValue.json, "label": $0.label.json, "source": $0.location.accountJSON])
            },
            "users": Self.table(users) { .members(["name": $0.name.json, "email": $0.email.json, "source": $0.location.accountJSON]) },
            "products": Self.table(products) { product in
                .members([
                    "name": product.name.json, "price": product.price.json, "sku": product.sku.json, "shippable": product.shippable.json,
                    "priceOptions": .array(
                        product.priceOptions.map {
                            .members(["id": $0.id.json, "name": $0.name.json, "price": $0.price.json, "source": $0.location.accountJSON])
                        }),
                    "source": product.location.accountJSON,
                ])
            },
            "subscriptionPlans": Self.table(subscriptionPlans) {
                .members([
                    "product": $0.productID.json, "name": $0.name.json, "price": $0.price.json, "cycle": $0.cycle.rawValue.json,
                    "frequency": $0.frequency.json, "trialDays": $0.trialDays.json, "billing": $0.billing.accountJSON,
                    "source": $0.location.accountJSON,
                ])
            },
            "bundles": Self.table(bundles) { bundle in
                .members([
                    "name": bundle.name.json,
                    "items": .array(
                        bundle.items.map { .members(["product": $0.productID.json, "quantity": $0.quantity.json, "source": $0.location.accountJSON]) }),
                    "source": bundle.location.accountJSON,
                ])
            },
            "paymentPlans": Self.table(paymentPlans) {
                .members([
                    "name": $0.name.json, "payments": $0.payments.json, "intervalDays": $0.intervalDays.json, "firstPayment": $0.firstPayment.json,
                    "billing": $0.billing.accountJSON, "source": $0.location.accountJSON,
                ])
            },
            "extensions": .array(extensions.map(\.accountJSON)),
        ])
    }

    private static func table<Entry>(_ table: CatalogueTable<Entry>, _ entry: (Entry) -> JSONValue) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for value in table.values { object[value.id] = entry(value) }
        return .object(object)
    }

    /// Decodes the catalogue of `account.json` (no templates).
    init(accountJSON json: JSONValue, at path: JSONPath) throws(JSONError) {
        self.init()
        var object = try JSONObjectReader(json, at: path)
        tagCategories = try object.table("tagCategories") { (id, location, entry) throws(JSONError) in
            TagCategory(id: id, name: try entry.string("name"), location: location)
        }
        tags = try object.table("tags") { (id, location, entry) throws(JSONError) in
            ContactTag(
                id: id, name: try entry.string("name"), categoryID: try entry.optionalStableID("category"),
                description: try entry.optionalString("description"), location: location)
        }
        customFields = try object.table("customFields") { (id, location, entry) throws(JSONError) in
            CustomField(
                id: id, name: try entry.contactField("name"), type: try entry.enumeration("type", CustomField.FieldType.self),
                label: try entry.optionalString("label"), location: location)
        }
        users = try object.table("users") { (id, location, entry) throws(JSONError) in
            User(id: id, name: try entry.string("name"), email: try entry.string("email"), location: location)
        }
        products = try object.table("products") { (id, location, entry) throws(JSONError) in
            let options = try entry.array("priceOptions") { (value, path) throws(JSONError) -> PriceOption in
                var option = try JSONObjectReader(value, at: path)
                let result = PriceOption(
                    id: try option.stableID("id"), name: try option.string("name"), price: try option.integer("price", atLeast: 0),
                    location: try option.location())
                try option.finish()
                return result
            }
            return Product(
                id: id, name: try entry.string("name"), price: try entry.integer("price", atLeast: 0), sku: try entry.optionalString("sku"),
                shippable: try entry.bool("shippable"), priceOptions: options, location: location)
        }
        subscriptionPlans = try object.table("subscriptionPlans") { (id, location, entry) throws(JSONError) in
            SubscriptionPlan(
                id: id, productID: try entry.stableID("product"), name: try entry.string("name"), price: try entry.integer("price", atLeast: 0),
                cycle: try entry.enumeration("cycle", SubscriptionPlan.Cycle.self), frequency: try entry.integer("frequency", atLeast: 1),
                trialDays: try entry.optionalInteger("trialDays", atLeast: 0), billing: try entry.decode("billing", BillingOverrides.init(accountJSON:at:)),
                location: location)
        }
        bundles = try object.table("bundles") { (id, location, entry) throws(JSONError) in
            let items = try entry.array("items") { (value, path) throws(JSONError) -> ProductBundle.Item in
                var item = try JSONObjectReader(value, at: path)
                let result = ProductBundle.Item(
                    productID: try item.stableID("product"), quantity: try item.integer("quantity", atLeast: 1), location: try item.location())
                try item.finish()
                return result
            }
            return ProductBundle(id: id, name: try entry.string("name"), items: items, location: location)
        }
        paymentPlans = try object.table("paymentPlans") { (id, location, entry) throws(JSONError) in
            PaymentPlan(
                id: id, name: try entry.string("name"), payments: try entry.integer("payments", atLeast: 1),
                intervalDays: try entry.integer("intervalDays", atLeast: 0), firstPayment: try entry.optionalInteger("firstPayment", atLeast: 0),
                billing: try entry.decode("billing", BillingOverrides.init(accountJSON:at:)), location: location)
        }
        extensions = try object.array("extensions", OpaquePart.init(accountJSON:at:))
        try object.finish()
    }
}

// MARK: - Parts

extension BillingDefaults {
    var accountJSON: JSONValue {
        .members([
            "maxRetries": maxRetries.json, "daysBetweenRetries": daysBetweenRetries.json, "daysBeforeAutocharge": daysBeforeAutocharge.json,
            "maxInvoiceAgeMonths": maxInvoiceAgeMonths.json, "source": location?.accountJSON,
        ])
    }

    init(accountJSON json: JSONValue, at path: JSONPath) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        self.init(
            maxRetries: try object.integer("maxRetries", atLeast: 0), daysBetweenRetries: try object.integer("daysBetweenRetries", atLeast: 0),
            daysBeforeAutocharge: try object.integer("daysBeforeAutocharge", atLeast: 0),
            maxInvoiceAgeMonths: try object.integer("maxInvoiceAgeMonths", atLeast: 0),
            location: try object.optionalDecode("source", FileLocation.init(accountJSON:at:)))
        try object.finish()
    }
}

extension BillingOverrides {
    var accountJSON: JSONValue {
        .members(["autocharge": autocharge.json, "maxRetries": maxRetries.json, "daysBetweenRetries": daysBetweenRetries.json])
    }

    init(accountJSON json: JSONValue, at path: JSONPath) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        self.init(
            autocharge: try object.bool("autocharge"), maxRetries: try object.optionalInteger("maxRetries", atLeast: 0),
            daysBetweenRetries: try object.optionalInteger("daysBetweenRetries", atLeast: 0))
        try object.finish()
    }
}

extension OpaquePart {
    /// `{"kind", "namespace", "name", "attributes", "text", "children", "source"}`.
    var accountJSON: JSONValue {
        .members([
            "kind": kind.rawValue.json, "namespace": namespace.json, "name": name.json, "attributes": .object(attributes.mapValues(\.json)),
            "text": text.json, "children": .array(children.map(\.accountJSON)), "source": location.accountJSON,
        ])
    }

    init(accountJSON json: JSONValue, at path: JSONPath) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let kind = try object.enumeration("kind", Kind.self)
        let namespace = try object.optionalString("namespace")
        let name = try object.string("name")
        let attributesPath = path.member("attributes")
        let attributesValue = try object.required("attributes")
        guard case .object(let members) = attributesValue else {
            throw JSONError(.wrongType, "expected an object, found \(attributesValue.kindName)", at: attributesPath)
        }
        var attributes: [String: String] = [:]
        for (key, value) in members { attributes[key] = try value.string(at: attributesPath.member(key)) }
        let text = try object.string("text")
        let children = try object.array("children", OpaquePart.init(accountJSON:at:))
        let location = try object.location()
        try object.finish()
        self.init(kind: kind, namespace: namespace, name: name, attributes: attributes, text: text, children: children, location: location)
    }
}

extension FileLocation {
    /// `{"file", "path", "line", "column"}` (`column` when known).
    var accountJSON: JSONValue {
        .members(["file": file.json, "path": path.json, "line": line.json, "column": column.json])
    }

    init(accountJSON json: JSONValue, at path: JSONPath) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        self.init(
            file: try object.string("file"), path: try object.string("path"), line: try object.integer("line", atLeast: 0),
            column: try object.optionalInteger("column", atLeast: 1))
        try object.finish()
    }
}

extension JSONObjectReader {
    /// A required export id (``StableID``).
    fileprivate mutating func stableID(_ name: String) throws(JSONError) -> String {
        try string(name, where: StableID.isValid, "an export id: 1 to 64 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit")
    }

    /// An optional export id.
    fileprivate mutating func optionalStableID(_ name: String) throws(JSONError) -> String? {
        guard has(name) else { return nil }
        return try stableID(name)
    }

    /// The entry's `source`.
    fileprivate mutating func location() throws(JSONError) -> FileLocation { try decode("source", FileLocation.init(accountJSON:at:)) }

    /// A required object of entries by export id, each decoded by `entry` from its own closed
    /// object, in the order of their source lines (then ids).
    fileprivate mutating func table<Entry: CatalogueEntry>(
        _ name: String, _ entry: (String, FileLocation, inout JSONObjectReader) throws(JSONError) -> Entry
    ) throws(JSONError) -> CatalogueTable<Entry> {
        let tablePath = path.member(name)
        let value = try required(name)
        guard case .object(let members) = value else { throw JSONError(.wrongType, "expected an object, found \(value.kindName)", at: tablePath) }
        var entries: [(line: Int, column: Int, entry: Entry)] = []
        entries.reserveCapacity(members.count)
        for id in members.keys.sorted() {
            let entryPath = tablePath.member(id)
            guard StableID.isValid(id) else {
                throw JSONError(
                    .invalidValue, "'\(DisplayText.escape(id))' is not an export id: 1 to 64 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit",
                    at: entryPath)
            }
            var object = try JSONObjectReader(members[id] ?? .null, at: entryPath)
            let location = try object.location()
            let decoded = try entry(id, location, &object)
            try object.finish()
            entries.append((location.line, location.column ?? 0, decoded))
        }
        // Sorted by id above; a stable sort by place restores the export's order.
        entries.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        var table = CatalogueTable<Entry>()
        for item in entries { table[item.entry.id] = item.entry }
        return table
    }
}
