// The references of one decoded workflow, walked with the JSON path of each member as
// Workflow+JSON.swift writes it (so a problem's path, and its line, point into the file).

/// Finds the references of one workflow that name nothing: workflows not in the set, contact fields
/// that are neither standard nor custom fields of the account, and (with the account's catalogue)
/// tags, products, plans, bundles, payment plans and users it does not have.
struct ReferenceCheck {
    /// The workflow ids of the set (the names of its files).
    let ids: Set<String>
    /// The account's catalogue, when `account.json` was read.
    let catalogue: ValidationCatalogue?
    /// What was found.
    var problems: [(ValidationProblem.Code, String, JSONPath)] = []
    /// Every `call`, `enroll` and `unenroll`: its target, the path of its `workflow` member, and its kind.
    var calls: [(target: String, path: JSONPath, kind: String)] = []

    init(ids: Set<String>, catalogue: ValidationCatalogue?) {
        self.ids = ids
        self.catalogue = catalogue
    }

    mutating func check(_ workflow: Workflow) {
        for (index, trigger) in workflow.triggers.enumerated() {
            let path = JSONPath.root.member("triggers").index(index).member("filters")
            for (position, filter) in trigger.filters.enumerated() { condition(filter, at: path.index(position)) }
        }
        steps(workflow.steps, at: JSONPath.root.member("steps"))
    }

    private mutating func steps(_ steps: [Step], at path: JSONPath) {
        for (index, step) in steps.enumerated() {
            let here = path.index(index)
            switch step.kind {
            case .action(let action): self.action(action, at: here.member("action"))
            case .branch(let branches, let otherwise):
                for (position, branch) in branches.enumerated() {
                    let branchPath = here.member("branches").index(position)
                    condition(branch.when, at: branchPath.member("when"))
                    self.steps(branch.steps, at: branchPath.member("steps"))
                }
                self.steps(otherwise, at: here.member("otherwise"))
            case .wait(let wait):
                let waitPath = here.member("wait")
                switch wait {
                case .untilField(let field, _, _):
                    contactField(String(field.dropFirst(Condition.contactFieldPrefix.count)), at: waitPath.member("field"))
                case .untilCondition(let condition, _, let onTimeout):
                    self.condition(condition, at: waitPath.member("condition"))
                    self.steps(onTimeout, at: waitPath.member("onTimeout"))
                case .untilEvent(_, let filters, _, let onTimeout):
                    for (position, filter) in filters.enumerated() { condition(filter, at: waitPath.member("filters").index(position)) }
                    self.steps(onTimeout, at: waitPath.member("onTimeout"))
                default: break
                }
            case .goal(let goal):
                for (position, filter) in goal.filters.enumerated() { condition(filter, at: here.member("goal").member("filters").index(position)) }
            case .exit: break
            case .call(let target): workflow(target, "call", at: here.member("workflow"))
            case .enroll(let target): workflow(target, "enroll", at: here.member("workflow"))
            case .unenroll(let target): workflow(target, "unenroll", at: here.member("workflow"))
            }
        }
    }

    private mutating func workflow(_ target: String, _ kind: String, at path: JSONPath) {
        calls.append((target, path, kind))
        guard !ids.contains(target) else { return }
        problems.append((
            .unknownWorkflow,
            "\(kind) of workflow '\(DisplayText.escape(target))', which is not among the workflows validated (no \(DisplayText.escape(target)).json)", path
        ))
    }

    private mutating func action(_ action: WorkflowAction, at path: JSONPath) {
        switch action {
        case .addTag(let tag), .removeTag(let tag): known(tag, .unknownTag, at: path.member("tag"))
        case .sendEmail(let email): recipient(email.to, at: path.member("to"))
        case .notify(let notification):
            recipient(notification.to, at: path.member("to"))
            for (index, field) in notification.fields.enumerated() { contactField(field, at: path.member("fields").index(index)) }
        case .createTask(let task): if let user = task.assigneeID { known(user, .unknownUser, at: path.member("assignee")) }
        case .createAppointment(let appointment):
            if let user = appointment.assigneeID { known(user, .unknownUser, at: path.member("assignee")) }
        case .createOpportunity(_, _, let owner): if let owner { known(owner, .unknownUser, at: path.member("owner")) }
        case .updateField(let field, _): contactField(field, at: path.member("field"))
        case .assignOwner(let user): known(user, .unknownUser, at: path.member("user"))
        case .cancelSubscription(let plan): if let plan { known(plan, .unknownPlan, at: path.member("subscriptionPlan")) }
        case .createOrder(let order):
            for (index, line) in order.lines.enumerated() {
                let linePath = path.member("lines").index(index)
                switch line.item {
                case .product(let product, _): known(product, .unknownProduct, at: linePath.member("product"))
                case .bundle(let bundle): known(bundle, .unknownBundle, at: linePath.member("bundle"))
                case .subscriptionPlan(let plan): known(plan, .unknownPlan, at: linePath.member("subscriptionPlan"))
                }
            }
            if let plan = order.paymentPlanID { known(plan, .unknownPaymentPlan, at: path.member("paymentPlan")) }
        default: break
        }
    }

    private mutating func recipient(_ recipient: Recipient, at path: JSONPath) {
        if case .user(let user) = recipient { known(user, .unknownUser, at: path.member("user")) }
    }

    /// A condition, its parts, and the ids its values name (`contact.tags`, `tag`, `order.products`, ...).
    private mutating func condition(_ condition: Condition, at path: JSONPath) {
        switch condition.test {
        case .compare(let field, let op, let value):
            if Condition.isContactFieldPath(field) {
                contactField(String(field.dropFirst(Condition.contactFieldPrefix.count)), at: path.member("field"))
            }
            guard let code = Self.idFields[field], Self.identityOperators.contains(op), let value else { return }
            switch value {
            case .text(let id): known(id, code, at: path.member("value"))
            case .list(let list): for (index, id) in list.enumerated() { known(id, code, at: path.member("value").index(index)) }
            case .integer: break
            }
        case .all(let parts): for (index, part) in parts.enumerated() { self.condition(part, at: path.member("all").index(index)) }
        case .any(let parts): for (index, part) in parts.enumerated() { self.condition(part, at: path.member("any").index(index)) }
        case .not(let part): self.condition(part, at: path.member("not"))
        }
    }

    /// The event and contact fields whose values are catalogue ids, and the kind of id.
    static let idFields: [String: ValidationProblem.Code] = [
        "contact.tags": .unknownTag, "tag": .unknownTag, "order.products": .unknownProduct, "order.subscriptionPlans": .unknownPlan,
        "order.paymentPlan": .unknownPaymentPlan,
    ]

    /// The operators that compare a value with ids as they are (not `starts-with` and the like).
    static let identityOperators: Set<ConditionOperator> = [.equals, .notEquals, .contains, .notContains, .in, .notIn]

    /// A contact field by name (`FirstName`, `_ShirtSize`): a standard one, or (with the account)
    /// one of its custom fields; without the account, any name starting with `_`.
    private mutating func contactField(_ name: String, at path: JSONPath) {
        if ContactFields.standard.contains(name) { return }
        if name.hasPrefix("_") {
            guard let catalogue, !catalogue.customFields.contains(name) else { return }
            problems.append((
                .unknownField, "custom field '\(DisplayText.escape(name))' is not in account.json (catalogue.customFields)", path
            ))
            return
        }
        problems.append((
            .unknownField,
            "'\(DisplayText.escape(name))' is not a standard contact field (\(ContactFields.standard.sorted().joined(separator: ", "))); custom fields start with _",
            path
        ))
    }

    /// An id of the account's catalogue, checked when the account was read.
    private mutating func known(_ id: String, _ code: ValidationProblem.Code, at path: JSONPath) {
        guard let catalogue else { return }
        let (table, noun): (Set<String>, String) =
            switch code {
            case .unknownTag: (catalogue.tags, "tag")
            case .unknownProduct: (catalogue.products, "product")
            case .unknownPlan: (catalogue.plans, "subscription plan")
            case .unknownUser: (catalogue.users, "user")
            case .unknownBundle: (catalogue.bundles, "bundle")
            default: (catalogue.paymentPlans, "payment plan")
            }
        guard !table.contains(id) else { return }
        let member =
            switch code {
            case .unknownTag: "tags"
            case .unknownProduct: "products"
            case .unknownPlan: "subscriptionPlans"
            case .unknownUser: "users"
            case .unknownBundle: "bundles"
            default: "paymentPlans"
            }
        problems.append((code, "\(noun) '\(DisplayText.escape(id))' is not in account.json (catalogue.\(member))", path))
    }
}
