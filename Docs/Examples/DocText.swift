// Reading the Markdown docs in tests: sections by heading, fenced blocks, links and anchors.
import Foundation

/// A Markdown document of the repository, read for the tests that keep the docs true to the code.
struct DocText {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path relative to the repository's root, and the text.
    let path: String
    let text: String

    init(_ path: String) throws {
        self.path = path
        text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// The lines of the section under the heading `title` (any level, text after the `#`s), up to
    /// the next heading of the same or a higher level; `nil` when there is no such heading.
    func section(_ title: String) -> DocText? {
        var level: Int?
        var body: [Substring] = []
        var inFence = false
        for line in lines {
            if line.hasPrefix("```") { inFence.toggle() }
            let heading = inFence ? nil : Self.heading(line)
            if let current = level {
                if let (depth, _) = heading, depth <= current { break }
                body.append(line)
            } else if let (depth, text) = heading, text == title {
                level = depth
            }
        }
        return level == nil ? nil : DocText(path: path, text: body.joined(separator: "\n"))
    }

    /// A heading line's level and text.
    static func heading(_ line: Substring) -> (Int, String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, String(line.dropFirst(hashes + 1)).trimmingCharacters(in: .whitespaces))
    }

    /// The fenced blocks (```lang ... ```) with their language and lines.
    var fencedBlocks: [(language: String, lines: [String])] {
        var blocks: [(String, [String])] = []
        var current: (String, [String])?
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else {
                    current = (String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces), [])
                }
            } else if current != nil {
                current!.1.append(String(line))
            }
        }
        return blocks
    }

    /// The text with fenced blocks and inline code removed: where Markdown links are links.
    var prose: String {
        var kept: [Substring] = []
        var inFence = false
        for line in lines {
            if line.drop(while: { $0 == " " }).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if !inFence { kept.append(line) }
        }
        return kept.joined(separator: "\n").replacing(/`[^`\n]*`/, with: "")
    }

    /// The targets of the inline links `[text](target)` (images too) of the prose.
    var linkTargets: [String] {
        prose.matches(of: /\]\(([^)\s]+)\)/).map { String($0.output.1) }
    }

    /// The anchors GitHub makes for the headings: lower-cased, punctuation but `-` and `_` removed,
    /// spaces as `-`, a repeated one suffixed `-1`, `-2`, ...
    var anchors: Set<String> {
        var seen: [String: Int] = [:]
        var result: Set<String> = []
        var inFence = false
        for line in lines {
            if line.hasPrefix("```") { inFence.toggle() }
            guard !inFence, let (_, title) = Self.heading(line) else { continue }
            let slug = String(
                title.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == " " }
                    .map(Character.init)
            ).replacing(" ", with: "-")
            if let count = seen[slug] {
                seen[slug] = count + 1
                result.insert("\(slug)-\(count + 1)")
            } else {
                seen[slug] = 0
                result.insert(slug)
            }
        }
        return result
    }
}
