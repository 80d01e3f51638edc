import CommandLineTesting
import Foundation
import Testing

/// Python's `re` (what jsonschema uses) lets `$` match before a final line feed, so a pattern
/// without `(?!\n)` accepts `"hostile\n"` where the decoders refuse it.
@Suite("The JSON Schemas: every pattern refuses a trailing line feed, as the decoders do")
struct SchemaPatternTests {
    @Test("Each anchored pattern of the workflow and events schemas ends with (?!\\n)$", arguments: [
        "Docs/workflow-format.schema.json", "Docs/events.schema.json", "Docs/template-format.schema.json", "Docs/account-format.schema.json",
    ])
    func patternsRefuseTrailingLineFeed(_ file: String) throws {
        let text = try String(contentsOf: BuiltProducts.root.appendingPathComponent(file), encoding: .utf8)
        // Anchored patterns (ending in `$`); the unanchored ones (`\S`, a `not` of control
        // characters) look for a character anywhere, where a line feed changes nothing.
        let lines = text.split(separator: "\n").filter { $0.contains(#""pattern""#) && $0.contains(#"$""#) }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.contains(#"(?!\\n)$""#), "\(file): \(line.trimmingCharacters(in: .whitespaces))")
        }
    }
}
