import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

/// Issue 12, item 1: attributes on `<export>` and the section elements were read by no one and
/// dropped with no warning, no finding and nothing in the output.
@Suite("Attributes on <export> and the section elements are warned about at their line, never dropped silently")
struct OuterAttributeTests {
    /// Each element outside units, the text that opens it in ``Minimal/export(catalogue:sequences:actionSets:slots:billing:account:)``, and its line there.
    static let elements: [(name: String, opening: String, line: Int)] = [
        ("export", #"<export xmlns="urn:purchase-actions:export:v1" version="1""#, 2),
        ("catalogue", "<catalogue", 4),
        ("sequences", "<sequences", 13),
        ("action-sets", "<action-sets", 14),
        ("purchase-actions", "<purchase-actions", 20),
        ("billing-automation", "<billing-automation", 21),
    ]

    static func export(_ element: String, adding attributes: String) throws -> String {
        let entry = try #require(elements.first { $0.name == element })
        let xml = Minimal.export()
        let range = try #require(xml.range(of: entry.opening))
        return xml.replacingCharacters(in: range, with: entry.opening + " " + attributes)
    }

    static func items(_ xml: String, schema: Bool = false) throws -> (items: [ExportItem], warnings: [ImportWarning]) {
        let stream = try ExportReader(validatesSchema: schema).stream(bytes: Array(xml.utf8), name: "x.xml")
        var items: [ExportItem] = []
        while let item = try stream.next() { items.append(item) }
        return (items, stream.warnings)
    }

    @Test("An extension attribute is a warning at its line and an opaque attribute handed out after the account", arguments: elements.map(\.name))
    func extensionAttribute(element: String) throws {
        let line = try #require(Self.elements.first { $0.name == element }).line
        for schema in [false, true] {
            let (items, warnings) = try Self.items(try Self.export(element, adding: #"xmlns:k="urn:keap:x" k:marker="M1""#), schema: schema)
            let warning = try #require(warnings.first { $0.message.contains("'marker'") }, "\(element): \(warnings)")
            #expect(warning.location.line == line && warning.location.column != nil, "\(warning)")
            #expect(warning.message.contains("urn:keap:x") && warning.message.contains("<\(element)>"), "\(warning)")
            let parts = items.compactMap { item -> OpaquePart? in if case .extension(let part) = item { part } else { nil } }
            #expect(parts.count == 1, "\(items)")
            let part = try #require(parts.first)
            #expect(part.kind == .attribute && part.namespace == "urn:keap:x" && part.name == "marker" && part.text == "M1")
            #expect(part.location.line == line)
            if case .account = items.first {} else { Issue.record("the account is no longer the first item: \(items.first.map { "\($0)" } ?? "none")") }
        }
    }

    @Test("An unqualified attribute the format does not define is a warning at its line", arguments: elements.map(\.name))
    func unknownAttribute(element: String) throws {
        let line = try #require(Self.elements.first { $0.name == element }).line
        let (items, warnings) = try Self.items(try Self.export(element, adding: #"marker="M2""#))
        let warning = try #require(warnings.first { $0.message.contains("unknown attribute 'marker'") }, "\(element): \(warnings)")
        #expect(warning.location.line == line, "\(warning)")
        #expect(!items.contains { if case .extension = $0 { true } else { false } })
    }

    @Test("Two extension attributes on <export> are both handed out, in document order, after the account")
    func twoOnExport() throws {
        let (items, warnings) = try Self.items(try Self.export("export", adding: #"xmlns:k="urn:keap:x" k:a="1" k:b="2""#))
        #expect(warnings.count == 2)
        let names = items.compactMap { item -> String? in if case .extension(let part) = item { part.name } else { nil } }
        #expect(names == ["a", "b"])
        if case .account = items.first {} else { Issue.record("the account is not first") }
    }

    @Test("Only the attributes the format defines: no warning and no extra item")
    func nothingExtra() throws {
        let (items, warnings) = try Self.items(Minimal.export())
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(!items.contains { if case .extension = $0 { true } else { false } })
    }
}
