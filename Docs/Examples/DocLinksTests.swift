import Foundation
import Testing

/// The docs a newcomer reads link only to what the repository holds, and every such link resolves.
@Suite("Docs: links")
struct DocLinksTests {
    /// README.md and every Docs/*.md.
    static func documents() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: DocText.root.appendingPathComponent("Docs").path)
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "Docs/" + $0 }
    }

    static func isExternal(_ target: String) -> Bool { target.firstMatch(of: /^[A-Za-z][A-Za-z0-9+.-]*:/) != nil }

    @Test("Docs/mapping.md links nowhere outside the repository: no http(s) link, no path out of it")
    func mappingStaysInside() throws {
        let mapping = try DocText("Docs/mapping.md")
        let external = mapping.linkTargets.filter(Self.isExternal)
        #expect(external.isEmpty, "external links: \(external)")
        let bare = mapping.text.matches(of: /https?:\/\/[^\s)>\]]+/).map { String($0.output) }
        #expect(bare.isEmpty, "http(s) addresses in the text: \(bare)")
        let outside = mapping.text.matches(of: /(?:\.\.\/)+shared\/[^\s)]*/).map { String($0.output) }
        #expect(outside.isEmpty, "paths outside the repository: \(outside)")
    }

    @Test("Every relative link of README.md and Docs/*.md points to a file of the repository, and its anchor to a heading")
    func relativeLinksResolve() throws {
        let root = DocText.root.standardizedFileURL.path
        var problems: [String] = []
        for path in try Self.documents() {
            let document = try DocText(path)
            for target in document.linkTargets where !Self.isExternal(target) {
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let file = String(parts[0])
                let anchor = parts.count > 1 ? String(parts[1]) : nil
                let base = DocText.root.appendingPathComponent(path).deletingLastPathComponent()
                let url = file.isEmpty ? DocText.root.appendingPathComponent(path) : base.appendingPathComponent(file).standardizedFileURL
                guard url.path.hasPrefix(root + "/") || url.path == root else {
                    problems.append("\(path): \(target) leads out of the repository")
                    continue
                }
                guard FileManager.default.fileExists(atPath: url.path) else {
                    problems.append("\(path): \(target): no such file")
                    continue
                }
                if let anchor, url.pathExtension == "md" {
                    let relative = String(url.path.dropFirst(root.count + 1))
                    if !(try DocText(relative).anchors.contains(anchor)) { problems.append("\(path): \(target): no heading with that anchor") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("The link check finds links, anchors and broken ones in a sample")
    func checkWorks() {
        let sample = DocText(
            path: "x.md",
            text: "# The `engine` page\n## Late events\n## Late events\nSee [a](engine.md#late-events) and `[b](nope.md)`.\n```\n[c](code.md)\n```\n[d](https://example.com)")
        #expect(sample.linkTargets == ["engine.md#late-events", "https://example.com"])
        #expect(sample.anchors == ["the-engine-page", "late-events", "late-events-1"])
        #expect(Self.isExternal("https://example.com") && !Self.isExternal("../Fixtures/a.json"))
    }
}
