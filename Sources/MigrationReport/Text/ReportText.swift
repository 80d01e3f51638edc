import PurchaseActionsCore

/// The one escaping of export text for the migration report: a name, subject or message from an
/// export can never break the Markdown or the HTML, and never puts a control character in either.
///
/// Both first escape control characters, direction overrides and backslashes as
/// ``DisplayText/escape(_:)`` does (a line feed in a name is shown as `\n`), then escape what the
/// format gives a meaning to.
///
/// ```swift
/// ReportText.markdown("a|b *c*")        // "a\\|b \\*c\\*"
/// ReportText.html("<script>")           // "&lt;script&gt;"
/// ```
public enum ReportText: Sendable {
    /// `text` for Markdown: controls escaped, then each character CommonMark or a GitHub table gives
    /// a meaning to (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `#` `!` `~` `&`) written with a backslash,
    /// and a leading `-`, `+`, `=` or list number's `.` / `)` escaped so the text never starts a block.
    public static func markdown(_ text: String) -> String {
        var result: [UInt8] = []
        markdown(text, into: &result)
        return String(decoding: result, as: UTF8.self)
    }

    /// `text` for HTML text or a quoted attribute value: controls escaped, then `&`, `<`, `>`, `"`
    /// and `'` written as character references.
    public static func html(_ text: String) -> String {
        let shown = DisplayText.escape(text)
        guard shown.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return shown }
        var result: [UInt8] = []
        result.reserveCapacity(shown.utf8.count + 16)
        htmlEntities(shown, into: &result)
        return String(decoding: result, as: UTF8.self)
    }

    /// At most ``quoteLimit`` characters of `text`, with `…` after it when there was more: how long a
    /// quoted subject, message or value may be in the report (the workflow files hold it whole).
    public static func cut(_ text: String, limit: Int = quoteLimit) -> String {
        // No more bytes than the limit: no more characters either (the common case, found without
        // counting characters).
        if text.utf8.count <= limit { return text }
        // Counted only up to the limit: a name of a mebibyte is cut without walking it all.
        guard let end = text.index(text.startIndex, offsetBy: Swift.max(limit, 0), limitedBy: text.endIndex), end < text.endIndex else { return text }
        return String(text[..<end]) + "…"
    }

    /// The most characters of one quoted text (a subject, an SMS, a value) the report shows: 80.
    public static let quoteLimit = 80

    /// The most characters of one name from the export (a workflow's, a tag's, a product's) the
    /// report shows: 120, then `…`. The export allows names of up to a mebibyte, and a name is
    /// repeated wherever it is used: uncut, a 75 KB export gave 40 MB of report.
    public static let nameLimit = 120
}
