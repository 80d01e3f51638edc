public import PurchaseActionsCore
public import PurchaseActionsEngine

/// The engine-throughput workload (Benchmarks/README.md, "Engine throughput").
///
/// A synthetic legacy account built in code: `products` products, each with a product-purchase slot
/// running its own action set of three actions (apply a tag, send an email template from the
/// catalogue, POST to a URL), "run purchase actions on all orders" on; compiled with
/// `LegacyCompiler.compile`. `contacts` contacts with first name, last name and email, and a list of
/// `payment.succeeded` events (contact by id, an order of 1 to 3 distinct products drawn with a fixed
/// seed, payment index 1, source cart) with increasing times and unique ids.
///
/// What is measured is "plan": ingest → match → enroll → run the immediate steps → effects recorded,
/// with rendering and delivery left out (`Engine.Options(keepsLog: false, rendersTemplates: false)`
/// and a sink that only counts).
public final class Workload {
    /// The number of products, which is the number of product-specific (slot) workflows.
    public let products: Int
    /// The compiled workflows: one per slot and one per action set (2 × `products`).
    public let workflows: [Workflow]
    /// The events, in time order.
    public let events: [Event]
    /// The product lines over all events (each line runs one slot workflow and its 3 actions).
    public let lines: Int
    /// The contacts, saved in every directory ``makeDirectory()`` makes.
    public let contacts: [Contact]
    /// The time of the first event.
    public let start: Instant

    /// The account's timezone: a real zone when the system's zone files are there, else UTC.
    public let timezone: String

    /// Builds the account, compiles it, and makes the contacts and events.
    public init(products: Int, contacts contactCount: Int = 100_000, events eventCount: Int, seed: UInt64 = 42) {
        precondition(products >= 3, "an order has up to 3 distinct products")
        self.products = products
        timezone = SystemTimeZoneDatabase().rules(named: "America/New_York") != nil ? "America/New_York" : "UTC"
        let account = Self.account(products: products, timezone: timezone)
        workflows = LegacyCompiler.compile(account).workflows
        start = Instant(millisecondsSinceEpoch: 1_767_225_600_000)  // 2026-01-01T00:00:00Z

        var random = SplitMix64(seed: seed)
        contacts = (1...contactCount).map { number in
            let first = Self.firstNames[Int(random.next() % UInt64(Self.firstNames.count))]
            let last = Self.lastNames[Int(random.next() % UInt64(Self.lastNames.count))]
            return Contact(
                id: Self.contactID(number),
                fields: ["FirstName": first, "LastName": last, "Email": "\(first.lowercased()).\(last.lowercased()).\(number)@example.com"],
                createdAt: Instant(millisecondsSinceEpoch: 1_700_000_000_000 + Int64(number) * 1000))
        }

        var events: [Event] = []
        events.reserveCapacity(eventCount)
        var lines = 0
        for number in 1...eventCount {
            let contact = Self.contactID(Int(random.next() % UInt64(contactCount)) + 1)
            let count = Int(random.next() % 3) + 1
            var chosen: [Int] = []
            while chosen.count < count {
                let product = Int(random.next() % UInt64(products)) + 1
                if !chosen.contains(product) { chosen.append(product) }
            }
            lines += count
            var event = Event(
                id: "evt-\(number)", type: .paymentSucceeded, occurredAt: start.adding(seconds: Int64(number - 1)),
                contact: ContactReference(id: contact))
            event.order = Order(
                id: "order-\(number)", source: .cart,
                lines: chosen.map { Order.Line(item: .product(id: Self.productID($0), priceOption: nil)) }, chargeMode: .card,
                gateway: "stripe")
            event.payment = Payment(index: 1, amount: 4_900 * count, currency: "USD", invoice: "inv-\(number)")
            events.append(event)
        }
        self.events = events
        self.lines = lines
    }

    /// A directory holding every contact of the workload.
    public func makeDirectory() -> InMemoryContactDirectory {
        let directory = InMemoryContactDirectory()
        for contact in contacts { directory.save(contact) }
        return directory
    }

    /// A new engine over the workflows, clock at the first event, with the "plan" options and a
    /// store that lets finished enrollments go, as a long-running engine's would.
    public func makeEngine(contacts: InMemoryContactDirectory, effects: CountingEffectSink) throws -> Engine {
        try Engine(
            workflows: workflows, start: start, options: Engine.Options(keepsLog: false, rendersTemplates: false),
            ports: Engine.Ports(contacts: contacts, effects: effects, store: InMemoryEnrollmentStore(keepsFinished: false)))
    }

    // MARK: The account

    static func productID(_ number: Int) -> String { "prod-\(number)" }
    static func contactID(_ number: Int) -> String { "contact-\(number)" }

    /// N products, N email templates, N tags, N action sets of 3 actions and N product-purchase slots.
    static func account(products: Int, timezone: String) -> LegacyAccount {
        let file = "synthetic-engine-benchmark.xml"
        func here(_ path: String) -> FileLocation { FileLocation(file: file, path: path) }
        let settings = AccountSettings(
            id: "acct-bench", name: "Engine benchmark", timezone: timezone, currency: "USD", runPurchaseActionsOnAllOrders: true,
            location: here("/export/account"))
        var catalogue = Catalogue()
        var actionSets: [ActionSet] = []
        var slots: [PurchaseSlot] = []
        actionSets.reserveCapacity(products)
        slots.reserveCapacity(products)
        for number in 1...products {
            let product = productID(number)
            let tag = "tag-bought-\(number)"
            let template = "tpl-welcome-\(number)"
            let set = "as-\(number)"
            catalogue.products[product] = Product(id: product, name: "Product \(number)", price: 4_900, location: here("/export/catalogue/product"))
            catalogue.tags[tag] = ContactTag(id: tag, name: "Bought product \(number)", location: here("/export/catalogue/tag"))
            catalogue.templates[template] = Template(
                id: template, name: "Welcome to product \(number)",
                content: .email(
                    EmailTemplate(
                        fromName: "Acme Shop", fromAddress: "shop@example.com", subject: "Welcome, ~Contact.FirstName~: product \(number)",
                        html: "<p>Hi ~Contact.FirstName~ ~Contact.LastName~,</p><p>thanks for buying product \(number).</p>",
                        text: "Hi ~Contact.FirstName~ ~Contact.LastName~, thanks for buying product \(number).")),
                location: here("/export/catalogue/email-template"))
            let actions = [
                Action(id: "\(set)-tag", kind: .applyTag(tagID: tag), location: here("/export/action-sets/action-set/apply-tag")),
                Action(
                    id: "\(set)-email", kind: .sendEmail(templateID: template, to: .contact),
                    location: here("/export/action-sets/action-set/send-email")),
                Action(
                    id: "\(set)-post",
                    kind: .httpPost(
                        HTTPPost(
                            url: "https://hooks.example.com/purchase/\(number)",
                            parameters: [
                                .init(name: "email", value: "~Contact.Email~"), .init(name: "product", value: product),
                            ])),
                    location: here("/export/action-sets/action-set/http-post")),
            ]
            actionSets.append(ActionSet(id: set, name: "After buying product \(number)", actions: actions, location: here("/export/action-sets/action-set")))
            slots.append(PurchaseSlot(kind: .product(id: product), actionSetID: set, location: here("/export/purchase-actions/product-purchase")))
        }
        return LegacyAccount(settings: settings, catalogue: catalogue, actionSets: actionSets, slots: slots)
    }

    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus", "Margaret", "John"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Wirth", "Hamilton"]
}

/// An outbox that only counts what it is handed.
public final class CountingEffectSink: EffectSink {
    /// Effects recorded so far.
    @exclusivity(unchecked) public private(set) var count = 0
    /// External effects recorded so far (email, POST).
    @exclusivity(unchecked) public private(set) var external = 0
    /// Creates a sink at zero.
    public init() {}
    public func record(_ effect: Effect) {
        count += 1
        if effect.isExternal { external += 1 }
    }
}

/// A small, fast, seeded generator (SplitMix64), so every run draws the same orders.
public struct SplitMix64 {
    private var state: UInt64
    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
