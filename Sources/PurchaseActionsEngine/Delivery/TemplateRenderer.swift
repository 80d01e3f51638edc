import Mustache
import PurchaseActionsCore

/// Renders the modern template syntax (`{{contact.FirstName}}`) with swift-mustache, for an effect
/// recorded for delivery.
///
/// The context is `contact` (the contact's fields, and `Id`), `date` (`Current`, the date in the
/// workflow's timezone, `YYYY-MM-DD`), `owner` (the contact's owner's fields) and `company`, from
/// the engine's ``AccountProfile``. A missing field renders as empty text. HTML bodies escape values; every
/// other text (subjects, plain bodies, SMS, field values) does not.
///
/// Rendering is bounded (Docs/engine.md, "Rendered text"): the values a render looks up are
/// counted, and once they pass ``TemplateRenderer/renderedBytes`` every further value renders as
/// nothing, so a render never builds more than the template, the limit and one value (each value
/// HTML-escaped at most six times its size, after a transform such as `uppercased` at most three
/// times); the caller then checks the result's size.
struct TemplateRenderer {
    private let contact: Contact?
    private let date: String
    private let account: AccountProfile
    let renders: Bool

    /// The most bytes of UTF-8 one rendered text may have: 1 MiB (1,048,576), an event line's maximum.
    static var renderedBytes: Int { WorkflowLimits.renderedTextBytes }

    /// A renderer for a contact on a day (the date in the workflow's timezone); without a day,
    /// templates stay as written (rendering is off).
    init(contact: Contact, today: CivilDateTime?, account: AccountProfile) {
        guard let today else {
            renders = false
            self.contact = nil
            date = ""
            self.account = account
            return
        }
        renders = true
        self.contact = contact
        date = String(today.description.prefix(10))
        self.account = account
    }

    /// Renders plain text: values are not escaped.
    func text(_ template: String) -> String { render("{{% CONTENT_TYPE: TEXT}}" + template, fallback: template).text }

    /// Renders plain text, or `nil` when the text would be longer than `bytes` (UTF-8): the render
    /// stops taking values once they pass that size.
    func boundedText(_ template: String, bytes: Int) -> String? {
        let result = render("{{% CONTENT_TYPE: TEXT}}" + template, fallback: template, bytes: bytes)
        return result.fits && result.text.utf8.count <= bytes ? result.text : nil
    }

    /// Whether the template renders (as text, or as HTML when `html`) within ``renderedBytes``.
    func fits(_ template: String, html: Bool = false) -> Bool {
        let result = html ? render(template, fallback: template) : render("{{% CONTENT_TYPE: TEXT}}" + template, fallback: template)
        return result.fits && result.text.utf8.count <= Self.renderedBytes
    }

    /// Renders text that goes into an email header (a subject, a sender's name): as ``text(_:)``,
    /// then every CR, LF and NUL becomes a space, so a value holding `\r\nBcc: …` cannot end the
    /// header and start another (Docs/engine.md, "Email headers"). Tabs stay: headers allow them.
    func header(_ template: String) -> String { Self.headerSafe(text(template)) }

    /// The text with every CR, LF and NUL replaced by a space.
    static func headerSafe(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(scalar == "\r" || scalar == "\n" || scalar == "\0" ? " " : scalar) }
        return String(scalars)
    }

    /// Renders HTML: values are HTML-escaped.
    func html(_ template: String) -> String { render(template, fallback: template).text }

    private func render(_ template: String, fallback: String, bytes: Int = Self.renderedBytes) -> (text: String, fits: Bool) {
        guard renders, let contact, template.contains("{{"), let compiled = try? MustacheTemplate(string: template) else {
            return (fallback, true)
        }
        let budget = RenderBudget(bytes)
        let root = RenderScope.root(contact: contact, date: date, account: account, budget: budget)
        let text = compiled.render(root)
        return (text, !budget.spent)
    }
}

/// What one render may still take from the context, in bytes of UTF-8.
final class RenderBudget {
    private var remaining: Int
    /// Whether a value was refused (rendered as nothing) because the budget was spent.
    private(set) var spent = false

    init(_ bytes: Int) { remaining = bytes }

    /// The value, or empty text once the values taken pass the budget.
    func take(_ value: String) -> String {
        guard !spent else { return "" }
        remaining -= value.utf8.count
        if remaining < 0 {
            spent = true
            return ""
        }
        return value
    }
}

/// A level of the render context (the root, or `contact`, `date`, `owner`, `company`): values are
/// handed out through the render's ``RenderBudget``, and the contact's fields are read in place
/// (with `Id`), not copied.
struct RenderScope: MustacheParent, CustomStringConvertible {
    enum Values {
        case root(contact: Contact, date: String, account: AccountProfile)
        case fields([String: String], id: String?)
    }

    let values: Values
    let budget: RenderBudget

    static func root(contact: Contact, date: String, account: AccountProfile, budget: RenderBudget) -> RenderScope {
        RenderScope(values: .root(contact: contact, date: date, account: account), budget: budget)
    }

    func child(named name: String) -> Any? {
        switch values {
        case .root(let contact, let date, let account):
            switch name {
            case "contact": return RenderScope(values: .fields(contact.fields, id: contact.id), budget: budget)
            case "date": return RenderScope(values: .fields(["Current": date], id: nil), budget: budget)
            case "owner": return RenderScope(values: .fields(account.owner(of: contact), id: nil), budget: budget)
            case "company": return RenderScope(values: .fields(account.company, id: nil), budget: budget)
            default: return nil
            }
        case .fields(let fields, let id):
            if name == "Id", let id { return budget.take(id) }
            return fields[name].map(budget.take)
        }
    }

    /// A whole level rendered as a value (`{{contact}}`, `{{.}}` outside a field) renders as
    /// nothing, as a missing field does: only values merge, so one tag merges at most one value.
    var description: String { "" }
}
