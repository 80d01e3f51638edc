import PurchaseActionsCore

extension ExportAssembler {
    func readAccount(_ node: XMLNode) throws(ImportError) -> AccountSettings {
        let element = ElementReader(node, parentPath: "/export", assembler: self)
        var extensions = element.extensions(allowed: ["id", "name", "timezone", "currency", "run-purchase-actions-on-all-orders"])
        try element.expectChildren(["billing-defaults"])
        let id = try element.id()
        let currency = try element.text("currency", "an ISO 4217 currency code such as USD")
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw element.invalid("currency", currency, "an ISO 4217 code of three capital letters, such as USD")
        }
        let timezone = try element.text("timezone", "an IANA timezone name such as America/New_York")
        // The schema's pattern: segments of ASCII letters, digits, _ + - joined by single slashes, so
        // a name can never climb out of a zone database folder (no "..", no leading "/").
        let segments = timezone.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard segments.allSatisfy({ segment in
            !segment.isEmpty && segment.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2B || byte == 0x2D
            }
        }) else {
            throw element.invalid("timezone", timezone, "an IANA timezone name such as America/New_York")
        }
        var billing = BillingDefaults()
        if let defaults = try element.onlyChild("billing-defaults") {
            let child = ElementReader(defaults, parentPath: element.path, assembler: self)
            extensions += child.extensions(allowed: ["max-retries", "days-between-retries", "days-before-autocharge", "max-invoice-age-months"])
            try child.expectChildren([])
            billing = BillingDefaults(
                maxRetries: try child.number("max-retries", .attempts) ?? billing.maxRetries,
                daysBetweenRetries: try child.number("days-between-retries", .days) ?? billing.daysBetweenRetries,
                daysBeforeAutocharge: try child.number("days-before-autocharge", .days) ?? billing.daysBeforeAutocharge,
                maxInvoiceAgeMonths: try child.number("max-invoice-age-months", .months) ?? billing.maxInvoiceAgeMonths,
                location: child.location)
        }
        try index.define(id, kind: "account", element: element, catalogue: catalogue)
        return AccountSettings(
            id: id, name: try element.headerText("name", "the account's name"), timezone: timezone, currency: currency,
            runPurchaseActionsOnAllOrders: try element.bool("run-purchase-actions-on-all-orders", default: false),
            billing: billing, extensions: extensions + element.extensionChildren(), location: element.location)
    }

    /// Reads one catalogue entry into ``catalogue``.
    func readCatalogueEntry(_ node: XMLNode) throws(ImportError) {
        guard node.isOurs else {
            catalogue.extensions.append(opaque(node, parentPath: "/export/catalogue"))
            return
        }
        let element = ElementReader(node, parentPath: "/export/catalogue", assembler: self)
        switch node.name {
        case "tag-category":
            element.ignoreExtensions(allowed: ["id", "name"])
            try element.expectChildren([])
            let id = try define(element)
            catalogue.tagCategories[id] = TagCategory(id: id, name: try element.text("name", "the category's name"), location: element.location)
        case "tag":
            element.ignoreExtensions(allowed: ["id", "name", "category", "description"])
            try element.expectChildren([])
            let id = try define(element)
            catalogue.tags[id] = ContactTag(
                id: id, name: try element.text("name", "the tag's name"), categoryID: element.optional("category"),
                description: element.optional("description"), location: element.location)
        case "custom-field":
            element.ignoreExtensions(allowed: ["id", "name", "type", "label"])
            try element.expectChildren([])
            let id = try define(element)
            let name = try element.text("name", "the field's name, starting with _ (such as _ShirtSize)")
            let rest = name.utf8.dropFirst()
            guard name.hasPrefix("_"), let first = rest.first, first != UInt8(ascii: "_"),
                rest.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F })
            else { throw element.invalid("name", name, "_ then letters, digits and _, such as _ShirtSize") }
            catalogue.customFields[id] = CustomField(
                id: id, name: name, type: try element.requiredChoice("type", as: CustomField.FieldType.self),
                label: element.optional("label"), location: element.location)
        case "user":
            element.ignoreExtensions(allowed: ["id", "name", "email"])
            try element.expectChildren([])
            let id = try define(element)
            catalogue.users[id] = User(
                id: id, name: try element.headerText("name", "the user's name"), email: try element.email("email", required: true)!,
                location: element.location)
        case "product":
            try readProduct(element)
        case "subscription-plan":
            element.ignoreExtensions(allowed: [
                "id", "product", "name", "price", "cycle", "frequency", "trial-days", "autocharge", "max-retries", "days-between-retries",
            ])
            try element.expectChildren([])
            let id = try define(element)
            let cycle = try element.requiredChoice("cycle", as: SubscriptionPlan.Cycle.self)
            let frequency = try element.number("frequency", .frequency) ?? 1
            // Every `frequency` cycles is at most 100 years: the schema cannot say this (it depends on
            // the cycle), so only the reader checks it.
            let mostCycles = switch cycle {
                case .day: ValueBound.maxDays
                case .week: ValueBound.maxDays / 7
                case .month: 1_200
                case .year: 100
                }
            guard frequency <= mostCycles else {
                throw ImportError(
                    .invalidValue,
                    "value out of range: frequency=\"\(frequency)\" with cycle=\"\(cycle.rawValue)\" on <subscription-plan> bills less than once in 100 years; expected at most \(ValueBound.grouped(mostCycles)) for a \(cycle.rawValue) cycle",
                    at: element.location)
            }
            catalogue.subscriptionPlans[id] = SubscriptionPlan(
                id: id, productID: try element.reference("product", "a product"), name: try element.text("name", "the plan's name"),
                price: try element.requiredNumber("price", .money), cycle: cycle,
                frequency: frequency, trialDays: try element.number("trial-days", .days),
                billing: try billingOverrides(element), location: element.location)
        case "bundle":
            element.ignoreExtensions(allowed: ["id", "name"])
            try element.expectChildren(["bundle-item"])
            let id = try define(element)
            var items: [PurchaseActionsCore.ProductBundle.Item] = []
            for child in element.ourChildren {
                let item = ElementReader(child, parentPath: element.path, assembler: self)
                item.ignoreExtensions(allowed: ["product", "quantity"])
                try item.expectChildren([])
                items.append(
                    .init(productID: try item.reference("product", "a product"), quantity: try item.number("quantity", .quantity) ?? 1, location: item.location))
            }
            guard !items.isEmpty else {
                throw ImportError(.missingAttribute, "<bundle> needs at least one <bundle-item product=\"...\">", at: element.location)
            }
            catalogue.bundles[id] = PurchaseActionsCore.ProductBundle(id: id, name: try element.text("name", "the bundle's name"), items: items, location: element.location)
        case "payment-plan":
            element.ignoreExtensions(allowed: [
                "id", "name", "payments", "interval-days", "first-payment", "autocharge", "max-retries", "days-between-retries",
            ])
            try element.expectChildren([])
            let id = try define(element)
            let payments = try element.requiredNumber("payments", .payments)
            let intervalDays = try element.requiredNumber("interval-days", .positiveDays)
            // The last payment is at most 100 years after the first (both factors are bounded, so the
            // product cannot overflow); the schema cannot say this, only the reader checks it.
            guard (payments - 1) * intervalDays <= ValueBound.maxDays else {
                throw ImportError(
                    .invalidValue,
                    "value out of range: payments=\"\(payments)\" every interval-days=\"\(intervalDays)\" on <payment-plan> spans \(ValueBound.grouped((payments - 1) * intervalDays)) days; the last payment is at most 36,500 days (100 years) after the first",
                    at: element.location)
            }
            catalogue.paymentPlans[id] = PaymentPlan(
                id: id, name: try element.text("name", "the plan's name"), payments: payments,
                intervalDays: intervalDays, firstPayment: try element.number("first-payment", .money),
                billing: try billingOverrides(element), location: element.location)
        default:
            if let kind = TemplateKind.allCases.first(where: { $0.elementName == node.name }) {
                try readTemplate(element, kind: kind)
            } else {
                throw ImportError(
                    .unexpectedElement,
                    "unexpected element <\(node.shownName)> in <catalogue>: expected one of \(Vocabulary.catalogueEntries.sorted().map { "<\($0)>" }.joined(separator: ", "))",
                    at: element.location)
            }
        }
    }

    private func define(_ element: ElementReader) throws(ImportError) -> String {
        let id = try element.id()
        let recorded = element.name == "product" || element.name == "price-option"
        try index.define(id, kind: element.name, element: element, catalogue: catalogue, recorded: recorded)
        return id
    }

    private func billingOverrides(_ element: ElementReader) throws(ImportError) -> BillingOverrides {
        BillingOverrides(
            autocharge: try element.bool("autocharge", default: true), maxRetries: try element.number("max-retries", .attempts),
            daysBetweenRetries: try element.number("days-between-retries", .days))
    }

    private func readProduct(_ element: ElementReader) throws(ImportError) {
        element.ignoreExtensions(allowed: ["id", "name", "price", "sku", "shippable"])
        try element.expectChildren(["price-option"])
        let id = try define(element)
        var options: [PriceOption] = []
        for child in element.ourChildren {
            let option = ElementReader(child, parentPath: element.path, assembler: self)
            option.ignoreExtensions(allowed: ["id", "name", "price"])
            try option.expectChildren([])
            let optionID = try define(option)
            options.append(
                PriceOption(id: optionID, name: try option.text("name", "the option's name"), price: try option.requiredNumber("price", .money), location: option.location))
        }
        catalogue.products[id] = Product(
            id: id, name: try element.text("name", "the product's name"), price: try element.requiredNumber("price", .money), sku: element.optional("sku"),
            shippable: try element.bool("shippable", default: false), priceOptions: options, location: element.location)
    }

    private func readTemplate(_ element: ElementReader, kind: TemplateKind) throws(ImportError) {
        let id: String
        let name: String
        let content: TemplateContent
        func body(_ child: String) throws(ImportError) -> String? {
            try element.expectChildren([child])
            return try element.childText(child)
        }
        switch kind {
        case .email:
            element.ignoreExtensions(allowed: ["id", "name", "from-name", "from-address", "subject", "reply-to"])
            try element.expectChildren(["html", "text"])
            id = try define(element)
            name = try element.text("name", "the template's name")
            let html = try element.childText("html")
            let text = try element.childText("text")
            guard html != nil || text != nil else {
                throw ImportError(.missingAttribute, "<email-template> needs an <html> or a <text> body, or both", at: element.location)
            }
            content = .email(
                EmailTemplate(
                    fromName: try element.headerText("from-name", "the sender's name"), fromAddress: try element.email("from-address", required: true)!,
                    replyTo: try element.email("reply-to", required: false), subject: try element.headerText("subject", "the subject line"),
                    html: html, text: text))
        case .task:
            element.ignoreExtensions(allowed: ["id", "title", "assign-to", "due-in-days", "priority"])
            id = try define(element)
            name = try element.text("title", "the task's title")
            content = .task(
                TaskTemplate(
                    assigneeID: element.optional("assign-to"), dueInDays: try element.number("due-in-days", .days),
                    priority: try element.choice("priority", as: TaskTemplate.Priority.self), description: try body("description")))
        case .note:
            element.ignoreExtensions(allowed: ["id", "title", "type"])
            id = try define(element)
            name = try element.text("title", "the note's title")
            content = .note(type: element.optional("type"), body: try body("body"))
        case .appointment:
            element.ignoreExtensions(allowed: ["id", "title", "assign-to", "in-days", "at", "duration-minutes"])
            id = try define(element)
            name = try element.text("title", "the appointment's title")
            content = .appointment(
                AppointmentTemplate(
                    assigneeID: element.optional("assign-to"), inDays: try element.number("in-days", .days), at: try element.time("at"),
                    durationMinutes: try element.number("duration-minutes", .minutes), description: try body("description")))
        case .letter, .fax:
            element.ignoreExtensions(allowed: ["id", "name"])
            id = try define(element)
            name = try element.text("name", "the template's name")
            content = kind == .letter ? .letter(body: try body("body")) : .fax(body: try body("body"))
        case .voice:
            element.ignoreExtensions(allowed: ["id", "name", "recording"])
            id = try define(element)
            name = try element.text("name", "the template's name")
            content = .voice(recording: try element.url("recording", required: false), script: try body("script"))
        case .fulfillmentList:
            element.ignoreExtensions(allowed: ["id", "name", "to", "fields", "queued"])
            try element.expectChildren([])
            id = try define(element)
            name = try element.headerText("name", "the list's name")
            let fields = element.optional("fields").map {
                $0.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
            } ?? []
            // The schema's FieldNameList: each name a letter or _, then letters, digits and _.
            func isName(_ name: String) -> Bool {
                let isLetter: (UInt8) -> Bool = { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
                guard let first = name.utf8.first, isLetter(first) else { return false }
                return name.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
            }
            if let bad = fields.first(where: { !isName($0) }) {
                throw element.invalid(
                    "fields", element.optional("fields") ?? "",
                    "contact field names separated by commas, each letters, digits and _ ('\(ElementReader.shown(bad))' is not one)")
            }
            content = .fulfillmentList(
                to: try element.email("to", required: true)!, fields: fields, queued: try element.bool("queued", default: false))
        }
        catalogue.templates[id] = Template(id: id, name: name, content: content, location: element.location)
    }

    /// Checks the catalogue's own references once the whole catalogue is read.
    ///
    /// Nothing is gathered for references that resolve: only failures are collected, and the first in
    /// document order is reported, whatever order the entries are stored in.
    func checkCatalogue() throws(ImportError) {
        references = CatalogueReferences(catalogue: catalogue)
        let references = self.references
        var failures: [(location: FileLocation, id: String, error: ImportError)] = []
        func check(_ location: FileLocation, _ id: String, _ body: () throws(ImportError) -> Void) {
            do throws(ImportError) { try body() } catch { failures.append((location, id, error)) }
        }
        for tag in catalogue.tags.values {
            if let category = tag.categoryID, !references.exists(category, .tagCategory) {
                check(tag.location, tag.id) { () throws(ImportError) in try references.require(category, .tagCategory, at: tag.location) }
            }
        }
        for plan in catalogue.subscriptionPlans.values where !references.exists(plan.productID, .product) {
            check(plan.location, plan.id) { () throws(ImportError) in try references.require(plan.productID, .product, at: plan.location) }
        }
        for bundle in catalogue.bundles.values {
            for item in bundle.items where !references.exists(item.productID, .product) {
                check(item.location, bundle.id + "/" + item.productID) { () throws(ImportError) in
                    try references.require(item.productID, .product, at: item.location)
                }
            }
        }
        for template in catalogue.templates.values {
            let user: String? =
                switch template.content {
                case .task(let task): task.assigneeID
                case .appointment(let appointment): appointment.assigneeID
                default: nil
                }
            if let user, !references.exists(user, .user) {
                check(template.location, template.id) { () throws(ImportError) in try references.require(user, .user, at: template.location) }
            }
        }
        if let first = failures.min(by: { ReferenceIndex.isEarlier($0.location, $1.location, $0.id, $1.id) }) { throw first.error }
    }
}
