import CommandLineTesting
import Foundation
import Testing

/// `import-actions` writes migration-report.json, .md and .html: the HTML self-contained and
/// naming every workflow, hostile names escaped in all three, the digest the export's.
@Suite("import-actions: the migration report")
struct ReportEndToEndTests {
    static let fixtures = ["course-creator", "membership-site", "physical-goods-store"]

    @Test("Each golden HTML report is balanced, self-contained and lists every workflow", arguments: fixtures)
    func goldenHTML(name: String) throws {
        let folder = CLI.root.appendingPathComponent("Fixtures/expected/\(name)")
        let html = try String(contentsOf: folder.appendingPathComponent("migration-report.html"), encoding: .utf8)
        try HTMLCheck.balanced(html)
        try HTMLCheck.selfContained(html)
        let expanded = try HTMLCheck.expanded(html)
        try HTMLCheck.balanced(expanded)
        try HTMLCheck.selfContained(expanded)
        let ids = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("workflows").path).map { String($0.dropLast(5)) }
        #expect(ids.count >= 10)
        for id in ids { #expect(html.contains(" <code>\(id)</code>"), "\(id) is missing") }
        let sections = html.components(separatedBy: "<div id=workflows>").last ?? ""
        #expect(sections.components(separatedBy: "<summary>").count - 1 == ids.count)
        #expect(expanded.components(separatedBy: "<ol><li>").count - 1 >= ids.count, "every workflow's outline has its steps")
    }

    @Test("Each golden Markdown report has the export's digest, a section and a Mermaid picture per workflow", arguments: fixtures)
    func goldenMarkdown(name: String) throws {
        let folder = CLI.root.appendingPathComponent("Fixtures/expected/\(name)")
        let markdown = try String(contentsOf: folder.appendingPathComponent("migration-report.md"), encoding: .utf8)
        let export = try Data(contentsOf: CLI.root.appendingPathComponent("Fixtures/exports/\(name).xml"))
        let digest = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", "Fixtures/exports/\(name).xml"], in: CLI.root
        ).output.prefix(64)
        #expect(!export.isEmpty && digest.count == 64)
        #expect(markdown.contains("(SHA-256 `\(digest)`)"))
        let ids = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("workflows").path).map { String($0.dropLast(5)) }
        for id in ids { #expect(markdown.contains("\n`\(id)` · "), "\(id) has no section") }
        #expect(markdown.components(separatedBy: "```mermaid\n").count - 1 == ids.count)
        #expect(markdown.contains("## Behaviour changes"))
    }

    @Test("Hostile names in an export break none of the three reports, and no control character is written raw")
    func hostileNames() throws {
        try ImportWritingTests.withScratch { scratch in
            let hostile = "Gold | *VIP* &lt;script&gt;alert(1)&lt;/script&gt; `x` [a](http://e.example) &#10;# forged&#x85;&#x202E;&#9;"
            let export = TestExports.withActionSets(
                """
                <action-set id="as-1" name="\(hostile)"><apply-tag id="as-1.t" tag="tag-a"/></action-set>
                """
            ).replacing(#"<account id="acct" name="Test""#, with: #"<account id="acct" name="\#(hostile.replacing("&#10;", with: "").replacing("&#x85;", with: ""))""#)
            let file = scratch.appendingPathComponent("hostile.xml")
            try export.write(to: file, atomically: true, encoding: .utf8)
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run([file.path, "-o", out.path])
            #expect(result.status == 0, "\(result.errors)")
            for report in ["migration-report.md", "migration-report.html", "migration-report.json"] {
                let text = try String(contentsOf: out.appendingPathComponent(report), encoding: .utf8)
                #expect(!OutputSafetyTests.hasRawControl(text.replacing("\t", with: "")), "\(report) holds a raw control character")
                if !report.hasSuffix(".json") { #expect(!text.contains("<script>alert"), "\(report) holds the script") }
            }
            let html = try String(contentsOf: out.appendingPathComponent("migration-report.html"), encoding: .utf8)
            try HTMLCheck.balanced(html)
            try HTMLCheck.selfContained(html)
            let expanded = try HTMLCheck.expanded(html)
            try HTMLCheck.balanced(expanded)
            #expect(!expanded.contains("<script>alert"))
            let markdown = try String(contentsOf: out.appendingPathComponent("migration-report.md"), encoding: .utf8)
            #expect(!markdown.contains("\n# forged"), "a line feed in a name cannot start a heading")
            #expect(markdown.contains("### Gold \\| \\*VIP\\* \\<script\\>"))
        }
    }

    @Test("Names equal under Unicode equivalence but spelled with other bytes keep their own bytes in all three reports")
    func equivalentSpellingsKeepTheirBytes() throws {
        // "Café" with one precomposed letter and with "e" plus a combining accent: `String`'s `==`
        // calls them equal, so a cache keyed by `String` gave the second the first one's bytes.
        let composed = "Caf\u{E9} club", decomposed = "Cafe\u{301} club"
        try ImportWritingTests.withScratch { scratch in
            let export = TestExports.withActionSets(
                """
                <action-set id="as-1" name="\(composed)"><send-sms id="as-1.s"><message>\(composed)</message></send-sms><apply-tag id="as-1.t" tag="tag-a"/></action-set>
                <action-set id="as-2" name="\(decomposed)"><send-sms id="as-2.s"><message>\(decomposed)</message></send-sms><apply-tag id="as-2.t" tag="tag-a"/></action-set>
                """
            )
            let file = scratch.appendingPathComponent("equivalent.xml")
            try Data(export.utf8).write(to: file)
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run([file.path, "-o", out.path])
            #expect(result.status == 0, "\(result.errors)")
            func holds(_ text: String, _ spelling: String) -> Bool { Array(text.utf8).firstRange(of: Array(spelling.utf8)) != nil }
            for report in ["migration-report.md", "migration-report.json", "migration-report.html"] {
                let text = try String(contentsOf: out.appendingPathComponent(report), encoding: .utf8)
                #expect(holds(text, composed), "\(report) lost the precomposed spelling")
                #expect(holds(text, decomposed), "\(report) lost the decomposed spelling")
            }
            let expanded = try HTMLCheck.expanded(String(contentsOf: out.appendingPathComponent("migration-report.html"), encoding: .utf8))
            #expect(holds(expanded, "\u{201C}\(composed)\u{201D}") && holds(expanded, "\u{201C}\(decomposed)\u{201D}"), "each SMS shows its own message")
            let markdown = try String(contentsOf: out.appendingPathComponent("migration-report.md"), encoding: .utf8)
            let pictures = markdown.components(separatedBy: "```mermaid\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }.joined()
            #expect(holds(pictures, composed) && holds(pictures, decomposed), "each picture's label keeps its own bytes")
        }
    }

    @Test("A step whose template has a finding is approximated in the report, pointing at the template's line")
    func templateFindingApproximatesItsStep() throws {
        try ImportWritingTests.withScratch { scratch in
            let export = TestExports.withActionSets(
                """
                <action-set id="as-1" name="Thanks"><send-email id="as-1.mail" template="tpl-thanks"/><apply-tag id="as-1.t" tag="tag-a"/></action-set>
                """
            ).replacing(
                #"<tag id="tag-a" name="A"/>"#,
                with: #"<tag id="tag-a" name="A"/>"# + "\n    "
                    + #"<email-template id="tpl-thanks" name="Thanks" from-name="Shop" from-address="shop@example.com" subject="Thanks for ~Order.Total~"><text>Hi ~Contact.FirstName~</text></email-template>"#)
            let file = scratch.appendingPathComponent("templated.xml")
            try export.write(to: file, atomically: true, encoding: .utf8)
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run([file.path, "-o", out.path, "-q"])
            #expect(result.status == 0, "\(result.errors)")
            let markdown = try String(contentsOf: out.appendingPathComponent("migration-report.md"), encoding: .utf8)
            let lines = markdown.split(separator: "\n")
            let step = try #require(lines.first { $0.contains("Send email") })
            #expect(step.contains("— **approximated**"), "\(markdown)")
            #expect(lines.contains { $0.contains("its template tpl-thanks") && $0.contains("see line 6") }, "\(markdown)")
            #expect(lines.contains { $0.hasPrefix("1. Add tag *A* (`tag-a`) — exact") })
            #expect(markdown.contains("| steps approximated | 1 |"))
        }
    }

    @Test("No body file is left in the output folder")
    func noBodyFilesLeft() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run(["Fixtures/exports/membership-site.xml", "-o", out.path])
            #expect(result.status == 0, "\(result.errors)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            #expect(names == ["account.json", "dunning-policy.yaml", "migration-report.html", "migration-report.json", "migration-report.md", "templates", "workflows"])
        }
    }
}
