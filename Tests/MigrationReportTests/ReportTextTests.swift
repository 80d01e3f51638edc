@testable import MigrationReport
import PropertyBased
import PurchaseActionsCore
import Testing

/// Export text can never break the report: Markdown and HTML escaping, on hostile names and on
/// random text.
@Suite("Report text escaping")
struct ReportTextTests {
    static func hasRawControl(_ text: String) -> Bool { text.unicodeScalars.contains(where: DisplayText.isControl) }

    @Test("A dollar sign is escaped (GitHub renders $…$ as mathematics); a name is cut at nameLimit characters in every form")
    func dollarsAndLongNames() {
        let math = ReportText.markdown("$x^2$ costs $5")
        #expect(math == "\\$x^2\\$ costs \\$5")
        let long = String(repeating: "B", count: 100_000)
        let cut = String(repeating: "B", count: ReportText.nameLimit) + "…"
        #expect(Phrase.name(long).markdown == "*" + cut + "*")
        #expect(Phrase.name(long).html == "<i>" + cut + "</i>")
        #expect(Phrase.name(long).plain == cut)
        #expect(Phrase.named(long, id: "tag-1").plain == cut + " (tag-1)")
        let exact = String(repeating: "B", count: ReportText.nameLimit)
        #expect(Phrase.name(exact).plain == exact)
    }

    @Test("Markdown escaping leaves no construct and no control character")
    func markdownHostile() {
        let text = ReportText.markdown(ReportFixture.hostile)
        #expect(!Self.hasRawControl(text))
        #expect(!text.contains("\n"))
        for mark in ["|", "*", "`", "<", "[", "#", "&"] {
            // Every one of these is preceded by a backslash.
            let parts = text.split(separator: Character(mark), omittingEmptySubsequences: false)
            for part in parts.dropLast() { #expect(part.hasSuffix("\\"), "unescaped \(mark) in \(text)") }
        }
        #expect(ReportText.markdown("- item") == "\\- item")
        #expect(ReportText.markdown("12. x") == "12\\. x")
        #expect(ReportText.markdown("a-b 1.5") == "a-b 1.5")
    }

    @Test("HTML escaping leaves no tag, quote or control character")
    func htmlHostile() {
        let text = ReportText.html(ReportFixture.hostile)
        #expect(!Self.hasRawControl(text))
        for character in ["<", ">", "\"", "'"] { #expect(!text.contains(character)) }
        #expect(text.contains("&lt;script&gt;"))
        #expect(text.contains("\\n") && text.contains("\\u{1B}") && text.contains("\\u{202E}") && text.contains("\\0"))
    }

    @Test("Random text: HTML never holds a raw <, > or quote, Markdown never a raw control character or unescaped pipe")
    func randomText() async {
        await propertyCheck(count: 500, input: Self.text) { text in
            let html = ReportText.html(text)
            #expect(!html.contains("<") && !html.contains(">") && !html.contains("\"") && !html.contains("'"))
            #expect(!Self.hasRawControl(html))
            let markdown = ReportText.markdown(text)
            #expect(!Self.hasRawControl(markdown))
            var escaped = false
            for character in markdown {
                if character == "|" || character == "`" || character == "<" { #expect(escaped, "\(markdown.debugDescription)") }
                escaped = !escaped && character == "\\"
            }
        }
    }

    /// Text from characters Markdown, HTML and terminals give a meaning to.
    static let alphabet: [Character] = Array("a1 -+.=)#*_`|<>&\"'[]()!~\\\n\r\t\u{0}\u{1B}\u{7F}\u{85}\u{202E}\u{2028}é—")
    static let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...40)

    @Test("Quotes are cut at the documented length")
    func cut() {
        #expect(ReportText.cut(String(repeating: "x", count: 81)) == String(repeating: "x", count: 80) + "…")
        #expect(ReportText.cut(String(repeating: "x", count: 80)) == String(repeating: "x", count: 80))
    }
}
