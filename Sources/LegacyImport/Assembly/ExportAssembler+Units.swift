import PurchaseActionsCore

extension ExportAssembler {
    /// Reads a complete unit of the current section and hands it out.
    func finishUnit(_ node: XMLNode) throws(ImportError) {
        let sectionPath = "/export/\(section ?? "")"
        if !node.isOurs, section != "catalogue" {
            emit(.extension(opaque(node, parentPath: sectionPath)))
            return
        }
        switch section {
        case "catalogue": try readCatalogueEntry(node)
        case "sequences": emit(.sequence(try readSequence(node)))
        case "action-sets": emit(.actionSet(try readActionSet(node)))
        case "purchase-actions": emit(.slot(try readSlot(node)))
        default: emit(.billingRule(try readBillingRule(node)))
        }
    }

    private func expect(_ node: XMLNode, in allowed: Set<String>) throws(ImportError) {
        guard allowed.contains(node.name) else {
            let element = ElementReader(node, parentPath: "/export/\(section ?? "")", assembler: self)
            throw ImportError(
                .unexpectedElement,
                "unexpected element <\(node.shownName)> in <\(section ?? "")>: expected \(allowed.sorted().map { "<\($0)>" }.joined(separator: ", "))",
                at: element.location)
        }
    }

    private func readSequence(_ node: XMLNode) throws(ImportError) -> FollowUpSequence {
        try expect(node, in: ["sequence"])
        let element = ElementReader(node, parentPath: "/export/sequences", assembler: self)
        let extensions = element.extensions(allowed: ["id", "name", "send-time"])
        let id = try element.id()
        try index.define(id, kind: "sequence", element: element, catalogue: catalogue)
        index.defineSequence(id)
        var steps: [FollowUpSequence.Step] = []
        var stepIDs = LocalIDs()
        var actionIDs = LocalIDs()
        var sequenceSize = 0
        for child in node.children {
            guard child.isOurs else { continue }
            let step = ElementReader(child, parentPath: element.path, assembler: self)
            guard child.name == "step" else {
                throw ImportError(.unexpectedElement, "unexpected element <\(child.shownName)> in <sequence>: expected <step>", at: step.location)
            }
            step.ignoreExtensions(allowed: ["id", "delay-days", "send-time"], childrenKept: true)
            let stepID = try step.id()
            guard Self.insert(stepID, into: &stepIDs) else {
                throw ImportError(.duplicateID, "duplicate id '\(stepID)': another step of this sequence already uses it", at: step.location)
            }
            let actions = try readActions(of: step, caller: nil, localIDs: &actionIDs, sequence: node)
            guard !actions.isEmpty else {
                throw ImportError(.missingAttribute, "<step> needs at least one action", at: step.location)
            }
            sequenceSize += 1 + actions.count
            if sequenceSize > Self.maxUnitSteps {
                throw ImportError(
                    .unexpectedElement,
                    "a sequence holds at most \(Self.maxUnitSteps) steps and actions together, and this step brings it to \(sequenceSize): its workflow would pass the workflow format's \(WorkflowLimits.steps) steps (a wait and an action with its rule's if step each); split the sequence",
                    at: step.location)
            }
            steps.append(
                FollowUpSequence.Step(
                    id: stepID, delayDays: try step.requiredNumber("delay-days", .days), sendTime: try step.time("send-time"), actions: actions,
                    location: step.location))
        }
        return FollowUpSequence(
            id: id, name: try element.text("name", "the sequence's name"), sendTime: try element.time("send-time"), steps: steps,
            extensions: extensions + element.extensionChildren(), location: element.location)
    }

    /// The most actions one action set holds, and the most steps and actions one sequence holds
    /// together: each compiles to at most twice as many workflow steps (an action inside its rule's
    /// `if`, a step's wait), within the workflow format's 2,000 (`WorkflowLimits.steps`).
    static let maxUnitSteps = WorkflowLimits.steps / 2

    private func readActionSet(_ node: XMLNode) throws(ImportError) -> ActionSet {
        try expect(node, in: ["action-set"])
        let element = ElementReader(node, parentPath: "/export/action-sets", assembler: self)
        let extensions = element.extensions(allowed: ["id", "name"])
        let id = try element.id()
        try index.define(id, kind: "action-set", element: element, catalogue: catalogue)
        index.defineActionSet(id, line: node.line)
        var actionIDs = LocalIDs()
        let actions = try readActions(of: element, caller: id, localIDs: &actionIDs)
        if actions.count > Self.maxUnitSteps {
            throw ImportError(
                .unexpectedElement,
                "an action set holds at most \(Self.maxUnitSteps) actions, and this one holds \(actions.count): its workflow would pass the workflow format's \(WorkflowLimits.steps) steps (an action and its rule's if step each); split it into sets that run each other with <run-action-set>",
                at: actions[Self.maxUnitSteps].location)
        }
        return ActionSet(
            id: id, name: try element.text("name", "the action set's name"), actions: actions, extensions: extensions,
            location: element.location)
    }

    private func readSlot(_ node: XMLNode) throws(ImportError) -> PurchaseSlot {
        try expect(node, in: Vocabulary.slots)
        let element = ElementReader(node, parentPath: "/export/purchase-actions", assembler: self)
        let references = self.references
        let kind: PurchaseSlot.Kind
        var attributes = ["action-set"]
        switch node.name {
        case "on-login": kind = .onLogin
        case "contact-creation": kind = .contactCreation
        case "successful-purchase": kind = .successfulPurchase
        case "failed-purchase": kind = .failedPurchase
        case "error-purchase": kind = .errorPurchase
        case "product-purchase":
            attributes.append("product")
            let product = try element.reference("product", "a product")
            try references.require(product, .product, at: element.location)
            kind = .product(id: product)
        default:
            attributes.append("plan")
            let plan = try element.reference("plan", "a subscription plan")
            try references.require(plan, .subscriptionPlan, at: element.location)
            kind = .subscriptionPlan(id: plan)
        }
        let extensions = element.extensions(allowed: attributes)
        try element.expectChildren([])
        if let line = slotLines[kind.key] {
            throw ImportError(
                .duplicateID, "duplicate slot '\(kind.key)': it is already set at line \(line); a slot runs one action set", at: element.location)
        }
        slotLines[kind.key] = node.line
        let actionSet = try element.reference("action-set", "an action set")
        try index.referActionSet(actionSet, from: nil, at: element.location)
        return PurchaseSlot(kind: kind, actionSetID: actionSet, extensions: extensions + element.extensionChildren(), location: element.location)
    }

    private func readBillingRule(_ node: XMLNode) throws(ImportError) -> BillingAutomationRule {
        try expect(node, in: Vocabulary.billingRules)
        let element = ElementReader(node, parentPath: "/export/billing-automation", assembler: self)
        let references = self.references
        let id = try element.id()
        try index.define(id, kind: node.name, element: element, catalogue: catalogue)
        func scope() throws(ImportError) -> BillingAutomationRule.Scope {
            let product = element.optional("product")
            let plan = element.optional("plan")
            switch (product, plan) {
            case (nil, nil): return .any
            case (let product?, nil):
                try references.require(product, .product, at: element.location)
                return .product(id: product)
            case (nil, let plan?):
                try references.require(plan, .subscriptionPlan, at: element.location)
                return .subscriptionPlan(id: plan)
            default:
                throw ImportError(.invalidValue, "invalid value: <\(node.shownName)> takes product= or plan=, not both", at: element.location)
            }
        }
        let trigger: BillingAutomationRule.Trigger
        let extensions: [OpaquePart]
        switch node.name {
        case "on-autocharge-failed":
            extensions = element.extensions(allowed: ["id", "attempt", "action-set", "product", "plan"])
            trigger = .autochargeFailed(attempt: try element.requiredNumber("attempt", .attempts), scope: try scope())
        case "on-autocharge-recovered":
            extensions = element.extensions(allowed: ["id", "action-set", "product", "plan"])
            trigger = .autochargeRecovered(scope: try scope())
        default:
            extensions = element.extensions(allowed: ["id", "days", "action-set"])
            trigger = .cardExpiring(days: try element.requiredNumber("days", .days))
        }
        try element.expectChildren([])
        let actionSet = try element.reference("action-set", "an action set")
        try index.referActionSet(actionSet, from: nil, at: element.location)
        return BillingAutomationRule(
            id: id, trigger: trigger, actionSetID: actionSet, extensions: extensions + element.extensionChildren(), location: element.location)
    }
}
