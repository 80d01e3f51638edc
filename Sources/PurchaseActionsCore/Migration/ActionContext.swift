/// Compiles one legacy action into a step kind, collecting what is not mapped exactly.
struct ActionContext {
    // Only what the action needs of the compiler, behind one reference: a context is made for
    // every action, and copying the whole compiler (settings, catalogue, tables) cost a reference
    // count for each of its parts.
    private let tables: CompilerTables
    private var templates: CatalogueTable<Template> { tables.templates }
    private var templateTexts: [String: [String: MergeFields.Translation]] { tables.templateTexts }
    private var customFieldNames: Set<String> { tables.customFieldNames }
    /// Whether the steps compiled once per template (`CompilerTables/templateSteps`) are used.
    private let usesTemplateSteps: Bool
    // The action is passed to each call, not kept: keeping it copied its strings for every action.
    let workflowID: String
    /// Whether what the template holds that is not mapped exactly is noted (in
    /// ``templateFindings``): only when the template itself is compiled
    /// (``LegacyCompiler/compileTemplate(_:)``); an action's compilation drops those notes, so it
    /// does not make their messages.
    let notesTemplates: Bool
    var findings: [MigrationFinding] = []
    /// What is not mapped exactly in the texts and values of the template the action uses: the
    /// compiler reports these once per template (``LegacyCompiler/compileTemplate(_:)``), so an
    /// action's compilation drops them.
    var templateFindings: [MigrationFinding] = []
    /// The template whose members the action takes (a template of the kind the action needs).
    var usedTemplate: String?
    /// The translated texts of the template last asked for (``translate(_:_:)``), by part.
    private var textsOf: (id: String, texts: [String: MergeFields.Translation]?)?

    init(compiler: LegacyCompiler, workflowID: String, notesTemplates: Bool = false) {
        self.init(tables: compiler.tables, workflowID: workflowID, notesTemplates: notesTemplates)
    }

    /// A context over `tables`; with `usesTemplateSteps: false`, every action is compiled from its
    /// template's parts (what `CompilerTables/templateSteps` holds is made so, and tests compare).
    init(tables: CompilerTables, workflowID: String, notesTemplates: Bool = false, usesTemplateSteps: Bool = true) {
        self.tables = tables
        self.workflowID = workflowID
        self.notesTemplates = notesTemplates
        // A template's own compilation notes what it holds: it never takes a step made before.
        self.usesTemplateSteps = usesTemplateSteps && !notesTemplates
    }

    /// The step kind of `action`.
    mutating func kind(of action: Action) -> Step.Kind {
        switch action.kind {
        case .applyTag(let tag): return .action(.addTag(tagID: tag))
        case .removeTag(let tag): return .action(.removeTag(tagID: tag))
        case .sendEmail(let templateID, let to):
            if let step = templateStep(templateID, .email) {
                guard to != .contact, case .action(.sendEmail(var message)) = step else { return step }
                message.to = Self.recipient(to)
                return .action(.sendEmail(message))
            }
            return email(action, templateID: templateID, to: to)
        case .sendSMS(let from, let message): return .action(.sendSMS(from: from, message: translate(action, message, "the SMS message")))
        case .createTask(let templateID): return templateStep(templateID, .task) ?? task(action, templateID: templateID)
        case .createNote(let templateID): return templateStep(templateID, .note) ?? note(action, templateID: templateID)
        case .createAppointment(let templateID): return templateStep(templateID, .appointment) ?? appointment(action, templateID: templateID)
        case .httpPost(let post):
            let fields = post.parameters.map { HTTPPost.Parameter(name: $0.name, value: translate(action, $0.value, "parameter '\($0.name)'")) }
            return .action(.webhook(Webhook(url: post.url, fields: fields, includeAllContactFields: post.mode == .allContactFields)))
        case .setField(let field, let value): return .action(.updateField(field: field, value: translate(action, value, "the value")))
        case .assignOwner(let user): return .action(.assignOwner(userID: user))
        case .createOrder(let order): return .action(.createOrder(bounded(action, order)))
        case .startSequence(let id): return .enroll(workflowID: LegacyWorkflowID.sequence(id))
        case .stopSequence(let id): return .unenroll(workflowID: LegacyWorkflowID.sequence(id))
        case .runActionSet(let id): return .call(workflowID: LegacyWorkflowID.actionSet(id))
        case .achieveGoal(let integration, let callName): return .action(.achieveGoal(integration: integration, callName: callName))
        case .cancelSubscription(let plan): return .action(.cancelSubscription(planID: plan))
        case .completeTasks(let templateID): return .action(.completeTasks(templateID: templateID))
        case .createOpportunity(let title, let stage, let owner):
            return .action(.createOpportunity(title: translate(action, title, "the title"), stage: stage, ownerID: owner))
        case .sendFax(let templateID): return legacy(action, templateID: templateID, kind: .fax, reason: LegacyReason.fax)
        case .sendLetter(let templateID): return legacy(action, templateID: templateID, kind: .letter, reason: LegacyReason.letter)
        case .sendVoice(let templateID): return legacy(action, templateID: templateID, kind: .voice, reason: LegacyReason.voice)
        case .sendFulfillmentList(let templateID): return fulfillmentList(action, templateID: templateID)
        case .opaque(let part):
            let name = part.namespace.map { "{\($0)}\(part.name)" } ?? part.name
            return legacy(action, element: name, templateID: nil, reason: LegacyReason.unknownElement)
        }
    }

    // MARK: Templates

    /// The step every action of `kind` naming template `id` compiles to, made once per template
    /// (`CompilerTables/templateSteps`; an email's for the contact), when the template is of that
    /// kind; the template is then the one used.
    private mutating func templateStep(_ id: String, _ kind: TemplateKind) -> Step.Kind? {
        guard usesTemplateSteps, let prepared = tables.templateSteps[id], prepared.kind == kind else { return nil }
        usedTemplate = id
        return prepared.step
    }

    /// Who an email goes to, in the workflow's terms.
    private static func recipient(_ to: EmailRecipient) -> Recipient {
        switch to {
        case .contact: .contact
        case .owner: .owner
        case .user(let id): .user(id)
        }
    }

    private mutating func email(_ action: Action, templateID: String, to: EmailRecipient) -> Step.Kind {
        guard case .email(let email)? = template(templateID, .email)?.content else { return missing(action, templateID) }
        let recipient = Self.recipient(to)
        let parts = TemplatePart.self
        let message = EmailMessage(
            to: recipient,
            from: Sender(
                name: header(action, templateText(action, templateID, parts.senderName) ?? email.fromName, "the sender's name", templateID), address: email.fromAddress),
            replyTo: email.replyTo, subject: header(action, templateText(action, templateID, parts.subject) ?? email.subject, "the subject", templateID),
            html: templateText(action, templateID, parts.html),
            text: templateText(action, templateID, parts.text), templateID: templateID)
        return .action(.sendEmail(message))
    }

    private mutating func task(_ action: Action, templateID: String) -> Step.Kind {
        guard let template = template(templateID, .task), case .task(let task) = template.content else { return missing(action, templateID) }
        let details = TaskDetails(
            title: templateText(action, templateID, TemplatePart.title) ?? template.name, description: templateText(action, templateID, TemplatePart.description),
            assigneeID: task.assigneeID, dueInDays: bounded(action, task.dueInDays, 0...WorkflowLimits.days, "due-in-days", templateID), priority: task.priority,
            templateID: templateID)
        return .action(.createTask(details))
    }

    private mutating func note(_ action: Action, templateID: String) -> Step.Kind {
        guard let template = template(templateID, .note), case .note(let type, _) = template.content else { return missing(action, templateID) }
        return .action(
            .createNote(
                title: templateText(action, templateID, TemplatePart.title) ?? template.name, type: type, body: templateText(action, templateID, TemplatePart.body),
                templateID: templateID))
    }

    private mutating func appointment(_ action: Action, templateID: String) -> Step.Kind {
        guard let template = template(templateID, .appointment), case .appointment(let value) = template.content else {
            return missing(action, templateID)
        }
        let details = AppointmentDetails(
            title: templateText(action, templateID, TemplatePart.title) ?? template.name, description: templateText(action, templateID, TemplatePart.description),
            assigneeID: value.assigneeID, inDays: bounded(action, value.inDays, 0...WorkflowLimits.days, "in-days", templateID), at: value.at,
            durationMinutes: bounded(action, value.durationMinutes, 1...WorkflowLimits.minutes, "duration-minutes", templateID), templateID: templateID)
        return .action(.createAppointment(details))
    }

    private mutating func fulfillmentList(_ action: Action, templateID: String) -> Step.Kind {
        guard let template = template(templateID, .fulfillmentList), case .fulfillmentList(let to, let fields, let queued) = template.content
        else { return missing(action, templateID) }
        if queued {
            note(
                action, .queuedFulfillmentList,
                "fulfillment list '\(templateID)' was queued (sent as one daily batch); the workflow notifies \(to) once per contact")
        }
        let notification = InternalNotification(
            to: .address(to), subject: templateText(action, templateID, TemplatePart.title) ?? template.name, fields: fields, templateID: templateID)
        return .action(.notify(notification))
    }

    private mutating func template(_ id: String, _ kind: TemplateKind) -> Template? {
        guard let template = templates[id], template.kind == kind else { return nil }
        usedTemplate = id
        return template
    }

    private mutating func missing(_ action: Action, _ templateID: String) -> Step.Kind {
        note(action, .missingReference, "\(action.kind.elementName) '\(action.id)' names template '\(templateID)', which the catalogue does not hold as that kind")
        return .action(.legacy(element: action.kind.elementName, templateID: templateID, reason: LegacyReason.missingTemplate))
    }

    private mutating func legacy(_ action: Action, element: String? = nil, templateID: String?, kind: TemplateKind? = nil, reason: String) -> Step.Kind {
        if let templateID, let kind { _ = template(templateID, kind) }
        let element = element ?? action.kind.elementName
        note(action, .legacyAction, "\(element) '\(action.id)' has no workflow equivalent: \(reason)")
        return .action(.legacy(element: element, templateID: templateID, reason: reason))
    }

    // MARK: Merge fields and findings

    /// A part of a template in the modern syntax, translated once by the compiler; its unknown merge
    /// fields and literal braces are template findings. `nil` if the template lacks the part.
    private mutating func templateText(_ action: Action, _ templateID: String, _ part: String) -> String? {
        // The template's texts are looked up once per action, not once per part.
        if textsOf?.id != templateID { textsOf = (templateID, templateTexts[templateID]) }
        guard let translation = textsOf?.texts?[part] else { return nil }
        guard notesTemplates else { return translation.text }
        for field in translation.unknown {
            templateNote(action, .unknownMergeField, "\(part) of template '\(templateID)' uses \(field), which the legacy system is not known to have; kept as written")
        }
        if translation.hasLiteralBraces {
            templateNote(action, .literalBraces, "\(part) of template '\(templateID)' holds {{ or }}, which templates will read as a tag; check how it renders")
        }
        return translation.text
    }

    /// `text` in the modern template syntax; unknown merge fields and literal braces are noted.
    private mutating func translate(_ action: Action, _ text: String, _ what: @autoclosure () -> String) -> String {
        let translation = MergeFields.translate(text, customFields: customFieldNames)
        note(action, translation, what)
        return translation.text
    }

    private mutating func note(_ action: Action, _ translation: MergeFields.Translation, _ what: () -> String) {
        // What the text is ("parameter 'x'") is made only when there is something to note.
        guard translation.hasLiteralBraces || translation.uses.contains(where: { $0.modern == nil }) else { return }
        let what = what()
        for field in translation.unknown {
            note(action, .unknownMergeField, "\(what) of \(action.kind.elementName) '\(action.id)' uses \(field), which the legacy system is not known to have; kept as written")
        }
        if translation.hasLiteralBraces {
            note(action, .literalBraces, "\(what) of \(action.kind.elementName) '\(action.id)' holds {{ or }}, which templates will read as a tag; check how it renders")
        }
    }

    /// A count within the format's `range`; one outside is written as the nearest bound, and reported
    /// (as a template finding when the count is the template's).
    private mutating func bounded(_ action: Action, _ value: Int?, _ range: ClosedRange<Int>, _ what: String, _ templateID: String? = nil) -> Int? {
        guard let value, !range.contains(value) else { return value }
        let written = Swift.min(Swift.max(value, range.lowerBound), range.upperBound)
        guard templateID == nil || notesTemplates else { return written }
        let message = "\(what) \(value) is outside \(range.lowerBound)...\(range.upperBound), what a workflow allows; written as \(written)"
        if let templateID { templateNote(action, .valueOutOfRange, "\(what) of template '\(templateID)': \(message)") } else { note(action, .valueOutOfRange, message) }
        return written
    }

    /// An order whose quantities are within the format's range.
    private mutating func bounded(_ action: Action, _ order: CreateOrder) -> CreateOrder {
        var order = order
        for index in order.lines.indices {
            order.lines[index].quantity = bounded(action, order.lines[index].quantity, 1...WorkflowLimits.quantity, "quantity") ?? 1
        }
        return order
    }

    /// Text for an email header with each CR, LF and NUL written as a space, and reported as a
    /// template finding.
    private mutating func header(_ action: Action, _ text: String, _ what: String, _ templateID: String) -> String {
        let cleaned = LegacyCompiler.headerText(text)
        if notesTemplates, cleaned != text {
            templateNote(
                action, .headerLineBreak, "\(what) of template '\(templateID)' holds a line break or NUL, which may not be in an email header; each is written as a space")
        }
        return cleaned
    }

    private mutating func note(_ action: Action, _ code: MigrationFinding.Code, _ message: String) {
        findings.append(MigrationFinding(code, message, at: action.location, workflowID: workflowID))
    }

    private mutating func templateNote(_ action: Action, _ code: MigrationFinding.Code, _ message: String) {
        guard notesTemplates else { return }
        templateFindings.append(MigrationFinding(code, message, at: action.location, workflowID: workflowID))
    }
}

/// What compiling an action reads of a `LegacyCompiler`, made once with it and shared by every
/// action's `ActionContext` through one reference.
final class CompilerTables: Sendable {
    /// The catalogue's templates.
    let templates: CatalogueTable<Template>
    /// Each template's texts in the modern syntax, by template id and part ("the subject"): translated
    /// once, however many actions use the template.
    let templateTexts: [String: [String: MergeFields.Translation]]
    /// The declared custom field names.
    let customFieldNames: Set<String>
    /// For each email, task, note and appointment template, by id, the step kind every action
    /// naming it compiles to (an email's sent to the contact): such an action takes everything from
    /// its template, and its compilation notes nothing when the template is of its kind (what the
    /// template holds is reported once, as the template's finding). Made by `ActionContext` itself,
    /// so each is exactly what compiling the action gives (`TemplateStepTests`).
    let templateSteps: [String: (kind: TemplateKind, step: Step.Kind)]

    init(catalogue: Catalogue) {
        let customFieldNames = Set(catalogue.customFields.values.map(\.name))
        let templateTexts = catalogue.templates.mapValues { template in
            template.textParts.mapValues { MergeFields.translate($0, customFields: customFieldNames) }
        }
        let plain = CompilerTables(templates: catalogue.templates, templateTexts: templateTexts, customFieldNames: customFieldNames, templateSteps: [:])
        var steps: [String: (kind: TemplateKind, step: Step.Kind)] = [:]
        for template in catalogue.templates.values {
            let kind: ActionKind
            switch template.kind {
            case .email: kind = .sendEmail(templateID: template.id, to: .contact)
            case .task: kind = .createTask(templateID: template.id)
            case .note: kind = .createNote(templateID: template.id)
            case .appointment: kind = .createAppointment(templateID: template.id)
            default: continue
            }
            var context = ActionContext(tables: plain, workflowID: "", usesTemplateSteps: false)
            let step = context.kind(of: Action(id: template.id, kind: kind, location: template.location))
            // Only a step that noted nothing and used the template is the same for every action.
            guard context.findings.isEmpty, context.usedTemplate == template.id else { continue }
            steps[template.id] = (template.kind, step)
        }
        self.templates = catalogue.templates
        self.templateTexts = templateTexts
        self.customFieldNames = customFieldNames
        self.templateSteps = steps
    }

    private init(
        templates: CatalogueTable<Template>, templateTexts: [String: [String: MergeFields.Translation]], customFieldNames: Set<String>,
        templateSteps: [String: (kind: TemplateKind, step: Step.Kind)]
    ) {
        self.templates = templates
        self.templateTexts = templateTexts
        self.customFieldNames = customFieldNames
        self.templateSteps = templateSteps
    }
}

/// Why a legacy action compiles to a `legacy` action (Docs/mapping.md, "Kept as legacy actions").
enum LegacyReason {
    static let fax = "faxes have no delivery channel in the engine; the action is recorded and nothing is sent"
    static let letter = "printed letters have no delivery channel in the engine; the action is recorded and nothing is sent"
    static let voice = "voice broadcasts have no delivery channel in the engine; the action is recorded and nothing is sent"
    static let unknownElement = "the element is not in export format v1; it is kept so nothing is lost, and does nothing"
    static let missingTemplate = "its template is missing or of another kind; the action is recorded and nothing is sent"
}

/// The names of a template's text parts, as findings print them.
enum TemplatePart {
    static let senderName = "the sender name"
    static let subject = "the subject"
    static let html = "the HTML body"
    static let text = "the text body"
    static let title = "the title"
    static let description = "the description"
    static let body = "the body"
}

extension Template {
    /// The template's texts that may hold merge fields, by part.
    var textParts: [String: String] {
        var parts = [TemplatePart.title: name]
        switch content {
        case .email(let email):
            parts = [TemplatePart.senderName: email.fromName, TemplatePart.subject: email.subject]
            parts[TemplatePart.html] = email.html
            parts[TemplatePart.text] = email.text
        case .task(let task): parts[TemplatePart.description] = task.description
        case .appointment(let appointment): parts[TemplatePart.description] = appointment.description
        case .note(_, let body): parts[TemplatePart.body] = body
        case .letter, .fax, .voice, .fulfillmentList: break
        }
        return parts
    }
}
