// What `validate` reads from templates/ and account.json.
//
// SWAP POINT (issue 12, helper "validate"): when the templates helper's `WorkflowTemplate.load(_:)`,
// `AccountFile.load(_:)` and `Workflow.load(_:templates:)` are merged, `readTemplate` and
// `readAccount` below become one call each (`WorkflowTemplate.load(bytes)`,
// `ValidationCatalogue(AccountFile.load(bytes).catalogue)`), and `WorkflowValidation.hydrate` can
// give way to `Workflow.load(_:templates:)`. Until then they read the members contract12.md §2 and
// §3 fix: a template's `id`, `kind`, `name` and `action` (with its `type`); account.json's
// `catalogue`, whose tables are objects keyed by id (`customFields` entries have a `name`).

/// The ids of an account's catalogue that workflows refer to, from `account.json`.
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

    /// The ids of a catalogue (an export's, or an `AccountFile`'s).
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

extension ValidationCatalogue {
    /// Reads the ids of `account.json` (contract12.md §3): the keys of each table of its
    /// `catalogue`, and the `name` of each custom field. Errors have the JSON path (and, for a
    /// syntax error, the line and column). SWAP POINT: `ValidationCatalogue(AccountFile.load(bytes).catalogue)`.
    public static func load(_ bytes: [UInt8]) throws(JSONError) -> ValidationCatalogue {
        do {
            return try read(bytes)
        } catch {
            var located = error
            if located.line == nil { located.line = JSONValue.position(of: error.path, in: bytes)?.line }
            throw located
        }
    }

    private static func read(_ bytes: [UInt8]) throws(JSONError) -> ValidationCatalogue {
        let json = try JSONValue.parse(bytes)
        guard case .object(let top) = json else { throw JSONError(.wrongType, "expected an object, found \(json.kindName)") }
        guard case .object(let catalogue)? = top["catalogue"] else {
            throw JSONError(.missingMember, "account.json holds a 'catalogue' object (contract: products, subscriptionPlans, tags, ...)")
        }
        func keys(_ name: String) throws(JSONError) -> Set<String> {
            guard let table = catalogue[name] else { return [] }
            guard case .object(let entries) = table else {
                throw JSONError(.wrongType, "expected an object of entries by id, found \(table.kindName)", at: JSONPath.root.member("catalogue").member(name))
            }
            return Set(entries.keys)
        }
        var known = ValidationCatalogue()
        known.tags = try keys("tags")
        known.products = try keys("products")
        known.plans = try keys("subscriptionPlans")
        known.users = try keys("users")
        known.bundles = try keys("bundles")
        known.paymentPlans = try keys("paymentPlans")
        if case .object(let fields)? = catalogue["customFields"] {
            for (id, entry) in fields {
                if case .object(let members) = entry, case .string(let name)? = members["name"] { known.customFields.insert(name) } else { known.customFields.insert(id) }
            }
        } else {
            _ = try keys("customFields")
        }
        return known
    }
}

extension WorkflowValidation {
    /// Reads `templates/<id>.json` (contract12.md §2): its `id`, `kind`, `name` and `action`. SWAP POINT.
    static func readTemplate(_ bytes: [UInt8]) throws(JSONError) -> WorkflowTemplate {
        let json = try JSONValue.parse(bytes)
        var object = try JSONObjectReader(json, at: .root)
        let id = try object.string("id")
        guard Workflow.isValidID(id) else { throw JSONError(.invalidValue, "'\(DisplayText.escape(id))' is not a valid id", at: JSONPath.root.member("id")) }
        let kindName = try object.string("kind")
        guard let kind = TemplateKind(rawValue: kindName) else {
            throw JSONError(
                .invalidValue, "'\(DisplayText.escape(kindName))' is not one of \(TemplateKind.allCases.map(\.rawValue).joined(separator: ", "))",
                at: JSONPath.root.member("kind"))
        }
        let name = try object.string("name")
        let actionValue = try object.required("action")
        guard case .object(let action) = actionValue else {
            throw JSONError(.wrongType, "expected an object, found \(actionValue.kindName)", at: JSONPath.root.member("action"))
        }
        guard case .string? = action["type"] else {
            throw JSONError(.missingMember, "a template's action names its action type ('type')", at: JSONPath.root.member("action"))
        }
        return WorkflowTemplate(id: id, kind: kind, name: name, action: action)
    }
}

extension ValidationCatalogue {
    /// Reads the ids of an `account.json` file (at most ``WorkflowLimits/fileBytes`` bytes).
    ///
    /// - Throws: ``LoadError``: `missing` or `wrong-kind` when it is not a file, `invalid` (with the
    ///   line and JSON path) when it is not an account file, `limit-exceeded`, `io`.
    public init(accountFile path: String) throws(LoadError) {
        try FileAccess.requireFile(path, "an account file (account.json)")
        let bytes = try FileAccess.contents(
            of: path, "an account file (account.json)", maxBytes: WorkflowLimits.fileBytes,
            tooLarge: "the file is larger than \(WorkflowLimits.fileBytes) bytes, the most an account file may hold")
        do {
            self = try Self.load(bytes)
        } catch {
            throw LoadError(error, file: path, line: error.line, column: error.path.components.isEmpty ? error.column : nil)
        }
    }
}
