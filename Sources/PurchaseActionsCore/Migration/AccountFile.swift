/// The account an import's output folder describes (`account.json`): its settings (timezone,
/// currency, name) and its catalogue (products, plans, tags, custom fields, users, billing), so that
/// a migration read from files runs and renders as the export did. Templates are not in it: they
/// are stored once each under `templates/`.
public struct AccountFile: Hashable, Sendable {
    /// The account's settings.
    public var settings: AccountSettings
    /// The account's catalogue, without its templates.
    public var catalogue: Catalogue

    /// Creates the account file's content.
    public init(settings: AccountSettings, catalogue: Catalogue) {
        self.settings = settings
        self.catalogue = catalogue
    }
}
