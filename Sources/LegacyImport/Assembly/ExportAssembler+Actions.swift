import PurchaseActionsCore

extension ExportAssembler {
    /// Reads the actions among a parent's children (an action set or a sequence step). Unknown elements
    /// of ours become opaque actions with a warning; extensions become opaque actions too.
    ///
    /// `sequence` is the sequence a step is in, whose other steps' action ids an id may repeat.
    func readActions(of parent: ElementReader, caller: String?, localIDs: inout LocalIDs, sequence: XMLNode? = nil) throws(ImportError) -> [Action] {
        var actions: [Action] = []
        actions.reserveCapacity(parent.node.children.count)
        let references = self.references
        let parentPath = parent.path
        for child in parent.node.children {
            let element = ElementReader(child, parentPath: parentPath, assembler: self)
            let action: Action
            if let kind = child.role.action {
                action = try readAction(element, kind, caller: caller, references: references)
            } else {
                if child.isOurs {
                    guard !child.role.contains(.known) else {
                        throw ImportError(
                            .unexpectedElement, "unexpected element <\(child.shownName)> in <\(parent.shownName)>: expected an action such as <apply-tag>",
                            at: element.location)
                    }
                    warn(
                        "unknown element <\(child.shownName)> is not an action of export format v1; kept as an opaque action (an error under --check)",
                        at: element.location)
                }
                let part = opaque(child, parentPath: parent.path)
                let id = child.attribute("id") ?? "\(child.shownName)@\(child.line):\(child.column)"
                action = Action(id: id, kind: .opaque(part), location: element.location)
            }
            guard Self.insert(action.id, into: &localIDs) else {
                throw duplicateAction(action.id, in: parent, sequence: sequence, at: element.location)
            }
            actions.append(consume action)
        }
        return actions
    }

    /// The error for an action id used twice in one action set or sequence, naming where the first is
    /// (found only now, so reading keeps no more than the ids).
    @inline(never)
    private func duplicateAction(_ id: String, in parent: ElementReader, sequence: XMLNode?, at location: FileLocation) -> ImportError {
        let shown = XMLNode.shown(id)
        func firstAction(in node: XMLNode) -> XMLNode? {
            node.children.first { ($0.attribute("id") ?? "\($0.shownName)@\($0.line):\($0.column)") == id }
        }
        if let sequence {
            for step in sequence.children where step.isOurs && step.name == "step" {
                guard let first = firstAction(in: step) else { continue }
                guard step.index != parent.node.index else { break }
                return ImportError(
                    .duplicateID,
                    "duplicate id '\(shown)': the action at line \(first.line) in step '\(XMLNode.shown(step.attribute("id") ?? ""))' of this sequence already uses it; action ids are unique within their sequence",
                    at: location)
            }
        }
        let line = firstAction(in: parent.node).map { " (at line \($0.line))" } ?? ""
        return ImportError(.duplicateID, "duplicate id '\(shown)': another action in this \(parent.shownName) already uses it\(line)", at: location)
    }

    private func readAction(
        _ element: ElementReader, _ name: ActionElement, caller: String?, references: CatalogueReferences
    ) throws(ImportError) -> Action {
        let id = try element.id()
        let at = FileLocation(
            file: file, parentPath: element.parentPath, element: element.name, id: id, line: element.node.line, column: element.node.column)
        func ref(_ attribute: String, _ kind: CatalogueReferences.Kind) throws(ImportError) -> String {
            let value = try element.reference(attribute, "a \(kind.rawValue)")
            try references.require(value, kind, at: at)
            return value
        }
        func optionalRef(_ attribute: String, _ kind: CatalogueReferences.Kind) throws(ImportError) -> String? {
            guard let value = element.optional(attribute) else { return nil }
            try references.require(value, kind, at: at)
            return value
        }
        func template(_ kind: TemplateKind, attribute: String = "template") throws(ImportError) -> String {
            let value = try element.reference(attribute, "a \(kind.elementName)")
            try references.requireTemplate(value, kind, at: at)
            return value
        }
        let kind: ActionKind
        switch name {
        case .applyTag, .removeTag:
            let tag = try ref("tag", .tag)
            kind = name == .applyTag ? .applyTag(tagID: tag) : .removeTag(tagID: tag)
        case .sendEmail:
            let templateID = try template(.email)
            var recipient = EmailRecipient.contact
            switch element.optional("to") {
            case nil, "contact": recipient = .contact
            case "owner": recipient = .owner
            case let user?:
                guard references.exists(user, .user) else {
                    throw ImportError(.unknownReference, "unknown user '\(ElementReader.shown(user))': to= takes contact, owner or the id of a user", at: at)
                }
                recipient = .user(user)
            }
            kind = .sendEmail(templateID: templateID, to: recipient)
        case .sendSMS:
            guard let message = try element.childText("message") else {
                throw ImportError(.missingAttribute, "<send-sms> needs a <message> with the text to send", at: at)
            }
            guard !message.trimmingWhitespace().isEmpty else {
                throw ImportError(.invalidValue, "invalid value: the <message> of <send-sms> is blank; write the text to send", at: at)
            }
            kind = .sendSMS(from: element.optional("from"), message: message)
        case .createTask:
            kind = .createTask(templateID: try template(.task))
        case .createNote:
            kind = .createNote(templateID: try template(.note))
        case .createAppointment:
            kind = .createAppointment(templateID: try template(.appointment))
        case .httpPost:
            kind = .httpPost(try readPost(element))
        case .setField:
            let field = try element.text("field", "a contact field name such as State or _ShirtSize")
            try references.requireField(field, at: at)
            kind = .setField(field: field, value: try element.text("value", "the value to set"))
        case .assignOwner:
            kind = .assignOwner(userID: try ref("user", .user))
        case .createOrder:
            kind = .createOrder(try readOrder(element, references: references))
        case .startSequence, .stopSequence:
            let sequence = try element.reference("sequence", "a sequence")
            try index.referSequence(sequence, at: at, sequencesFinished: section != "sequences")
            kind = name == .startSequence ? .startSequence(sequenceID: sequence) : .stopSequence(sequenceID: sequence)
        case .runActionSet:
            let target = try element.reference("action-set", "an action set")
            try index.referActionSet(target, from: caller, at: at)
            kind = .runActionSet(actionSetID: target)
        case .achieveGoal:
            kind = .achieveGoal(
                integration: try element.text("integration", "the goal's integration name"),
                callName: try element.text("call-name", "the goal's call name"))
        case .cancelSubscription:
            kind = .cancelSubscription(planID: try optionalRef("plan", .subscriptionPlan))
        case .completeTasks:
            var templateID: String?
            if let value = element.optional("template") {
                try references.requireTemplate(value, .task, at: at)
                templateID = value
            }
            kind = .completeTasks(templateID: templateID)
        case .createOpportunity:
            kind = .createOpportunity(
                title: try element.text("title", "the opportunity's title"), stage: element.optional("stage"),
                ownerID: try optionalRef("owner", .user))
        case .sendFax:
            kind = .sendFax(templateID: try template(.fax))
        case .sendLetter:
            kind = .sendLetter(templateID: try template(.letter))
        case .sendVoice:
            kind = .sendVoice(templateID: try template(.voice))
        case .sendFulfillmentList:
            kind = .sendFulfillmentList(templateID: try template(.fulfillmentList))
        }
        let extensions = element.extensions(allowed: name.attributes)
        try element.expectChildren(name.children)
        var rules: [XMLNode] = []
        for child in element.node.children where child.isOurs && child.name == "rule" { rules.append(child) }
        if rules.count > 1 {
            let second = ElementReader(rules[1], parentPath: element.path, assembler: self)
            throw ImportError(
                .unexpectedElement, "unexpected element <rule>: an action has at most one rule; combine the criteria in one <rule>",
                at: second.location)
        }
        let rule = try rules.first.map { (node) throws(ImportError) in
            try readRule(ElementReader(node, parentPath: element.path, assembler: self), references: references)
        }
        return Action(id: id, kind: kind, rule: rule, extensions: extensions + element.extensionChildren(), location: at)
    }

    private func readPost(_ element: ElementReader) throws(ImportError) -> HTTPPost {
        let url = try element.url("url", required: true)!
        var parameters: [HTTPPost.Parameter] = []
        let path = element.path
        for child in element.node.children where child.isOurs && child.name == "param" {
            let param = ElementReader(child, parentPath: path, assembler: self)
            param.ignoreExtensions(allowed: Self.parameterAttributes)
            try param.expectChildren([])
            parameters.append(.init(name: try param.text("name", "the parameter's name"), value: try param.text("value", "the parameter's value")))
        }
        return HTTPPost(url: url, mode: try element.choice("mode", as: HTTPPost.Mode.self) ?? .fields, parameters: parameters)
    }

    private func readOrder(_ element: ElementReader, references: CatalogueReferences) throws(ImportError) -> CreateOrder {
        var lines: [CreateOrder.Line] = []
        let path = element.path
        for child in element.node.children where child.isOurs && child.name == "order-line" {
            let line = ElementReader(child, parentPath: path, assembler: self)
            line.ignoreExtensions(allowed: Self.orderLineAttributes)
            try line.expectChildren([])
            let targets = ["product", "bundle", "subscription-plan"].filter { line.optional($0) != nil }
            guard targets.count == 1 else {
                throw ImportError(
                    .missingAttribute,
                    "<order-line> needs exactly one of product=, bundle= or subscription-plan= (found \(targets.isEmpty ? "none" : targets.joined(separator: ", ")))",
                    at: line.location)
            }
            let item: CreateOrder.Line.Item
            if line.optional("price-option") != nil, line.optional("product") == nil {
                throw ImportError(.invalidValue, "invalid value: price-option= goes with product=, not with a bundle or a plan", at: line.location)
            }
            if let product = line.optional("product") {
                try references.require(product, .product, at: line.location)
                let option = line.optional("price-option")
                if let option {
                    guard references.catalogue.products[product]?.priceOptions.contains(where: { $0.id == option }) == true else {
                        throw ImportError(.unknownReference, "unknown price option '\(ElementReader.shown(option))' of product '\(ElementReader.shown(product))'", at: line.location)
                    }
                }
                item = .product(id: product, priceOptionID: option)
            } else if let bundle = line.optional("bundle") {
                try references.require(bundle, .bundle, at: line.location)
                item = .bundle(id: bundle)
            } else {
                let plan = line.optional("subscription-plan")!
                try references.require(plan, .subscriptionPlan, at: line.location)
                item = .subscriptionPlan(id: plan)
            }
            lines.append(CreateOrder.Line(item: item, quantity: try line.number("quantity", .quantity) ?? 1))
        }
        guard !lines.isEmpty else {
            throw ImportError(.missingAttribute, "<create-order> needs at least one <order-line>", at: element.location)
        }
        let plan = element.optional("payment-plan")
        if let plan { try references.require(plan, .paymentPlan, at: element.location) }
        return CreateOrder(
            paymentPlanID: plan, autocharge: try element.bool("autocharge", default: true), promoCode: element.optional("promo-code"), lines: lines)
    }

    /// Whether `text` is a calendar date `YYYY-MM-DD` in the years 0001 to 9999 (the years of every
    /// instant and date in the package's formats).
    static func isDate(_ text: String) -> Bool {
        // `YYYY-MM-DD` is ten ASCII bytes: read in one pass, with no array made (a rule's date
        // criteria are read for every action that has one).
        guard text.utf8.count == 10 else { return false }
        var year = 0
        var month = 0
        var day = 0
        for (offset, byte) in text.utf8.enumerated() {
            if offset == 4 || offset == 7 {
                guard byte == UInt8(ascii: "-") else { return false }
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            let digit = Int(byte - UInt8(ascii: "0"))
            // At most four digits each: no overflow.
            if offset < 4 {
                year = year * 10 + digit
            } else if offset < 7 {
                month = month * 10 + digit
            } else {
                day = day * 10 + digit
            }
        }
        guard year >= 1, (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days =
            switch month {
            case 2: leap ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        return (1...days).contains(day)
    }

    static let parameterAttributes = ["name", "value"]
    static let orderLineAttributes = ["product", "bundle", "subscription-plan", "quantity", "price-option"]

    /// Adds an id to the ids of one action set or sequence; false if it was there.
    static func insert(_ id: String, into ids: inout LocalIDs) -> Bool { ids.insert(id) }
}

/// The ids inside one action set or sequence: a short list searched in order (cheaper than hashing for
/// the usual handful), turning into a set when it grows, so a huge set stays linear.
struct LocalIDs {
    private var list: [String] = []
    private var set: Set<String>?

    mutating func insert(_ id: String) -> Bool {
        if set != nil { return set!.insert(id).inserted }
        if list.contains(id) { return false }
        // Room for the usual handful at once, not grown 1, 2, 4, 8 for every action set.
        if list.isEmpty { list.reserveCapacity(16) }
        list.append(id)
        if list.count > 32 {
            set = Set(list)
            list = []
        }
        return true
    }
}
