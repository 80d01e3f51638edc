/// Checks of the HTML report without a browser: every element that is opened is closed in order
/// (void elements aside), and nothing loads from outside the file.
import Foundation

public enum HTMLCheck {
    /// The report with every outline expanded as the page's script does when a section is opened:
    /// each `<script type=o>` replaced by its text with `{n}` made the dictionary's entry n and
    /// `{+n}` / `{-n}` the line n after / before the one before it.
    public static func expanded(_ html: String) throws -> String {
        guard let start = html.range(of: "<script>var D="), let end = html.range(of: ";</script>", range: start.upperBound..<html.endIndex) else {
            throw Failure(description: "no dictionary")
        }
        let data = Data(html[start.upperBound..<end.lowerBound].utf8)
        guard let entries = try JSONSerialization.jsonObject(with: data) as? [String] else { throw Failure(description: "the dictionary is not a list of strings") }
        var result = String(html[..<start.lowerBound]) + String(html[end.upperBound...])
        let open = "<script type=o>"
        while let outline = result.range(of: open) {
            guard let close = result.range(of: "</script>", range: outline.upperBound..<result.endIndex) else { throw Failure(description: "an outline is not closed") }
            let encoded = String(result[outline.upperBound..<close.lowerBound])
            var decoded = ""
            var rest = Substring(encoded)
            var line = 0
            while let brace = rest.firstIndex(of: "{") {
                decoded += rest[..<brace]
                rest = rest[rest.index(after: brace)...]
                if let sign = rest.first, sign == "+" || sign == "-" {
                    rest = rest.dropFirst()
                    let digits = rest.prefix { $0.isNumber }
                    guard let number = Int(digits), rest.dropFirst(digits.count).first == "}" else { throw Failure(description: "a bad line token") }
                    line += sign == "+" ? number : -number
                    decoded += " <small>\(line)</small>"
                    rest = rest.dropFirst(digits.count + 1)
                    continue
                }
                let digits = rest.prefix { $0.isNumber }
                guard !digits.isEmpty, rest.dropFirst(digits.count).first == "}", let number = Int(digits), number < entries.count else {
                    throw Failure(description: "a { that is not a token in \(encoded.prefix(200))")
                }
                decoded += entries[number]
                rest = rest.dropFirst(digits.count + 1)
            }
            decoded += rest
            result.replaceSubrange(outline.lowerBound..<close.upperBound, with: "<div>" + decoded + "</div>")
        }
        return result
    }

    /// What is wrong, for the test's message.
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// Elements with no end tag.
    public static let void: Set<String> = ["meta", "input", "br", "img", "hr", "link"]

    /// Tags balance: a stack of open elements, each closed by its own end tag; `<svg>` content may
    /// self-close its elements.
    public static func balanced(_ html: String) throws {
        var stack: [String] = []
        var rest = Substring(html)
        var inScript = false
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            if inScript {
                guard rest.hasPrefix("/script>") else { continue }
                inScript = false
            }
            if rest.hasPrefix("!") {
                guard let close = rest.firstIndex(of: ">") else { throw Failure(description: "unclosed declaration") }
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard let close = rest.firstIndex(of: ">") else { throw Failure(description: "unclosed tag at \(rest.prefix(40))") }
            let tag = rest[..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst()).lowercased()
                guard stack.last == name else { throw Failure(description: "</\(name)> closes <\(stack.last ?? "nothing")>") }
                stack.removeLast()
                continue
            }
            let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber }) else { throw Failure(description: "bad tag <\(tag.prefix(40))>") }
            if tag.hasSuffix("/") || void.contains(name) { continue }
            if name == "script" { inScript = true }
            stack.append(name)
        }
        guard stack.isEmpty else { throw Failure(description: "left open: \(stack)") }
    }

    /// No attribute or style loads anything: no src, href, url(...), @import, link element or
    /// external script.
    public static func selfContained(_ html: String) throws {
        let lowered = html.lowercased()
        for needle in [" src=", " href=", "url(", "@import", "<link", "<iframe", "<object", "<embed", "xlink:", "<base"] {
            guard !lowered.contains(needle) else { throw Failure(description: "the HTML holds \(needle)") }
        }
        // Text may mention URLs (a webhook's address), but never as an attribute value.
        for attribute in ["=\"http", "='http", "=http", "=\"//", "=\"data:"] {
            guard !lowered.contains(attribute) else { throw Failure(description: "the HTML has an attribute \(attribute)") }
        }
    }
}
