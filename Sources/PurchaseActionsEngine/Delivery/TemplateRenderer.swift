import Mustache
import PurchaseActions

/// Renders the modern template syntax (`{{contact.FirstName}}`) with swift-mustache, for an effect
/// recorded for delivery.
///
/// The context is `contact` (the contact's fields, and `Id`), `date` (`Current`, the date in the
/// workflow's timezone, `YYYY-MM-DD`), `owner` (the contact's owner's fields) and `company`, from
/// the engine's ``AccountProfile``. A missing field renders as empty text. HTML bodies escape values; every
/// other text (subjects, plain bodies, SMS, field values) does not.
struct TemplateRenderer {
    let context: [String: Any]
    let renders: Bool

    /// A renderer for a contact on a day (the date in the workflow's timezone); without a day,
    /// templates stay as written (rendering is off).
    init(contact: Contact, today: CivilDateTime?, account: AccountProfile) {
        guard let today else {
            renders = false
            context = [:]
            return
        }
        renders = true
        var fields = contact.fields
        fields["Id"] = contact.id
        let date = String(today.description.prefix(10))
        context = ["contact": fields, "date": ["Current": date], "owner": account.owner(of: contact), "company": account.company]
    }

    /// Renders plain text: values are not escaped.
    func text(_ template: String) -> String { render("{{% CONTENT_TYPE: TEXT}}" + template, fallback: template) }

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
    func html(_ template: String) -> String { render(template, fallback: template) }

    private func render(_ template: String, fallback: String) -> String {
        guard renders, template.contains("{{"), let compiled = try? MustacheTemplate(string: template) else { return fallback }
        return compiled.render(context)
    }
}
