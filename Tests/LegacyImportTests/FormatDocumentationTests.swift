import Foundation
import Testing

@Suite("Docs/export-format.md documents the whole schema")
struct FormatDocumentationTests {
    static let documentation = (try? String(contentsOfFile: Repository.path("Docs/export-format.md"), encoding: .utf8)) ?? ""

    @Test("Every element of the XSD is named in the format's documentation")
    func everyElementDocumented() throws {
        let schema = try SchemaCoverage.schema()
        #expect(!Self.documentation.isEmpty)
        #expect(schema.elements.count >= 70, "the XSD walker found only \(schema.elements.count) elements")
        let missing = schema.elements.keys.sorted().filter { !Self.documentation.contains("`\($0)`") && !Self.documentation.contains("<\($0)") }
        #expect(missing.isEmpty, "not in Docs/export-format.md: \(missing)")
    }

    @Test("Every attribute of the XSD is named in the format's documentation")
    func everyAttributeDocumented() throws {
        let schema = try SchemaCoverage.schema()
        let attributes = Set(schema.elements.values.flatMap(\.attributes))
        let missing = attributes.sorted().filter { !Self.documentation.contains("`\($0)`") && !Self.documentation.contains("**\($0)**") }
        #expect(missing.isEmpty, "not in Docs/export-format.md: \(missing)")
    }
}
