// The test the schema-coverage issue asks for: list every element and attribute that
// Docs/export-format.xsd declares, and fail if one has no fixture in Fixtures/exports/ or no
// assertion on the value the reader parsed from it.
//
// How it works:
//   1. `SchemaCoverage.Walker` reads the XSD with Foundation's XMLParser (our own, trusted file) and
//      follows element declarations, named complex types, groups, attribute groups and
//      complexContent / simpleContent extensions, starting from every global element. It collects,
//      per element name, the attribute names and whether the element holds text. Any construct it
//      does not understand (xs:include, xs:redefine, a complexContent restriction, an attribute
//      ref, ...) makes it throw, so a change to the XSD cannot silently shrink the list.
//   2. Every fixture export is parsed with XMLParser too; each element in the export namespace
//      becomes an `Occurrence` with its attributes, text, line and ancestors (names and ids).
//   3. `SchemaCoverage.table` maps every (element, attribute) pair of the XSD, and the pseudo
//      attribute "#text" of every text element, to a closure that finds the value the reader
//      parsed into `LegacyAccount` for that occurrence and renders it the way the XML writes it.
//   4. The tests compare: XSD elements vs. fixtures, XSD pairs vs. fixtures, XSD pairs vs. table,
//      and, for every occurrence of every pair, the table's model value vs. the raw XML value.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LegacyImport
import PurchaseActionsCore
import Testing

// MARK: - Tests

@Suite("Schema coverage: every XSD element and attribute has a fixture and an assertion on its parsed value")
struct SchemaCoverageTests {
    @Test("the XSD walker finds the format's root, its elements, attributes and text elements")
    func schemaVocabulary() throws {
        let schema = try SchemaCoverage.schema()
        #expect(schema.elements["export"] != nil, "the XSD declares no <export>")
        // The specification (Docs/export-format.md) names these as the elements that hold text.
        let expectedText: Set<String> = ["html", "text", "description", "body", "script", "message"]
        #expect(
            schema.textElements == expectedText,
            "text elements derived from the XSD: \(schema.textElements.sorted()); the specification says \(expectedText.sorted())")
        // A floor, so that a walker that stops following types (and finds almost nothing) fails here
        // rather than making the coverage tests pass vacuously.
        #expect(schema.elements.count >= 70, "only \(schema.elements.count) elements found in the XSD")
        #expect(schema.pairs.count >= 150, "only \(schema.pairs.count) (element, attribute) pairs found in the XSD")
    }

    @Test("(a) every element of the XSD occurs in at least one fixture")
    func everyElementHasAFixture() throws {
        let schema = try SchemaCoverage.schema()
        let occurrences = try SchemaCoverage.allOccurrences()
        let missing = SchemaCoverage.elementsWithoutFixture(schema: schema, occurrences: occurrences)
        #expect(
            missing.isEmpty,
            "elements the XSD declares that no file in Fixtures/exports/ uses: \(missing.map { "<\($0)>" }.joined(separator: ", "))")
    }

    @Test("(b) every (element, attribute) pair of the XSD occurs in at least one fixture")
    func everyAttributeHasAFixture() throws {
        let schema = try SchemaCoverage.schema()
        let occurrences = try SchemaCoverage.allOccurrences()
        let missing = SchemaCoverage.pairsWithoutFixture(schema: schema, occurrences: occurrences)
        #expect(
            missing.isEmpty,
            SchemaCoverage.listing("attributes / text the XSD declares that no file in Fixtures/exports/ uses:", missing))
    }

    @Test("(c) the value table has one entry for every XSD pair, and no stale entry")
    func tableMatchesSchema() throws {
        let schema = try SchemaCoverage.schema()
        let keys = Set(SchemaCoverage.table.keys)
        let missing = schema.pairs.subtracting(keys).sorted()
        let stale = keys.subtracting(schema.pairs).sorted()
        #expect(
            missing.isEmpty,
            SchemaCoverage.listing("XSD pairs with no closure in SchemaCoverage.entries (no assertion on their parsed value):", missing))
        #expect(
            stale.isEmpty,
            SchemaCoverage.listing("closures in SchemaCoverage.entries for pairs the XSD does not declare:", stale))
        #expect(
            SchemaCoverage.duplicateEntries.isEmpty,
            "pairs with more than one closure in SchemaCoverage.entries: \(SchemaCoverage.duplicateEntries.map(\.description))")
        let strayNormalizers = Set(SchemaCoverage.rawNormalizers.keys).subtracting(schema.pairs)
        #expect(strayNormalizers.isEmpty, "raw-value normalizers for pairs the XSD does not declare: \(strayNormalizers.sorted())")
    }

    @Test("(d) for every occurrence of every pair, the value the reader parsed equals the XML", arguments: SchemaCoverage.fixtureNames)
    func parsedValuesMatchTheXML(fixture: String) throws {
        let schema = try SchemaCoverage.schema()
        let occurrences = try SchemaCoverage.occurrences(inFixture: fixture)
        let document = try ExportReader().read(file: SchemaCoverage.fixturePath(fixture))
        let result = SchemaCoverage.compareValues(account: document.account, occurrences: occurrences, schema: schema)
        #expect(
            result.failures.isEmpty,
            SchemaCoverage.listing("\(result.failures.count) value(s) of \(fixture) differ between the XML and the parsed model:", result.failures))
        // Not vacuous: the fixture had values to compare.
        #expect(result.compared > 0, "no values compared in \(fixture)")
    }

    @Test("every fixture uses only elements and attributes the XSD declares")
    func fixturesUseOnlySchemaVocabulary() throws {
        let schema = try SchemaCoverage.schema()
        var unknown: [String] = []
        for occurrence in try SchemaCoverage.allOccurrences() {
            guard let element = schema.elements[occurrence.element] else {
                unknown.append("\(occurrence.position): <\(occurrence.element)> is not declared in the XSD")
                continue
            }
            for name in occurrence.attributes.keys.sorted() where !element.attributes.contains(name) {
                unknown.append("\(occurrence.position): attribute '\(name)' on <\(occurrence.element)> is not declared in the XSD")
            }
        }
        #expect(unknown.isEmpty, SchemaCoverage.listing("fixtures use vocabulary the XSD does not declare:", unknown))
    }

    // MARK: The checks themselves can fail

    @Test("the XSD walker fails loudly on constructs it does not understand", arguments: SchemaCoverage.unsupportedSchemas)
    func walkerRejectsUnknownConstructs(sample: SchemaCoverage.SchemaSample) {
        #expect(throws: SchemaCoverage.Failure.self, "the walker accepted \(sample.name)") {
            _ = try SchemaCoverage.Walker.vocabulary(xsd: Data(sample.xsd.utf8))
        }
    }

    @Test("the XSD walker follows named types, extensions, groups and attribute groups")
    func walkerFollowsTypes() throws {
        let xsd = SchemaCoverage.SchemaSample.wrap(
            """
            <xs:element name="root" type="pa:Root"/>
            <xs:complexType name="Base">
              <xs:sequence><xs:element name="inherited" type="xs:string"/></xs:sequence>
              <xs:attribute name="base-attr" type="xs:string"/>
              <xs:anyAttribute namespace="##other"/>
            </xs:complexType>
            <xs:complexType name="Root">
              <xs:complexContent>
                <xs:extension base="pa:Base">
                  <xs:sequence>
                    <xs:group ref="pa:children"/>
                    <xs:any namespace="##other" minOccurs="0"/>
                  </xs:sequence>
                  <xs:attributeGroup ref="pa:common"/>
                </xs:extension>
              </xs:complexContent>
            </xs:complexType>
            <xs:group name="children">
              <xs:choice>
                <xs:element name="leaf">
                  <xs:complexType><xs:attribute name="leaf-attr" type="xs:string"/></xs:complexType>
                </xs:element>
                <xs:element name="note" type="pa:Note"/>
              </xs:choice>
            </xs:group>
            <xs:attributeGroup name="common">
              <xs:attribute name="group-attr" type="xs:string"/>
            </xs:attributeGroup>
            <xs:complexType name="Note">
              <xs:simpleContent>
                <xs:extension base="xs:string"><xs:attribute name="lang" type="xs:string"/></xs:extension>
              </xs:simpleContent>
            </xs:complexType>
            """)
        let schema = try SchemaCoverage.Walker.vocabulary(xsd: Data(xsd.utf8))
        #expect(schema.elements.keys.sorted() == ["inherited", "leaf", "note", "root"])
        #expect(schema.elements["root"]?.attributes == ["base-attr", "group-attr"])
        #expect(schema.elements["leaf"]?.attributes == ["leaf-attr"])
        #expect(schema.elements["note"]?.attributes == ["lang"])
        #expect(schema.textElements == ["inherited", "note"])
    }

    @Test("a parsed value that differs from the XML is reported, with fixture, line, element and attribute")
    func valueComparisonCanFail() throws {
        let fixture = "course-creator.xml"
        let schema = try SchemaCoverage.schema()
        let occurrences = try SchemaCoverage.occurrences(inFixture: fixture)
        var account = try ExportReader().read(file: SchemaCoverage.fixturePath(fixture)).account
        account.settings.name += " (changed)"
        account.actionSets[0].actions.removeAll()
        let failures = SchemaCoverage.compareValues(account: account, occurrences: occurrences, schema: schema).failures
        #expect(failures.contains { $0.hasPrefix("\(fixture):") && $0.contains("<account>@name") })
        #expect(failures.contains { $0.contains("<send-email>@template") && $0.contains("no value") })
    }

    @Test("an element or attribute that no fixture uses is reported")
    func coverageCanFail() throws {
        let schema = try SchemaCoverage.schema()
        let oneFixture = try SchemaCoverage.occurrences(inFixture: "course-creator.xml")
        let elements = SchemaCoverage.elementsWithoutFixture(schema: schema, occurrences: oneFixture)
        let pairs = SchemaCoverage.pairsWithoutFixture(schema: schema, occurrences: oneFixture)
        // course-creator.xml has no sequences and no bundle.
        #expect(elements.contains("sequence") && elements.contains("bundle-item"))
        #expect(pairs.contains(SchemaCoverage.ElementAttributeKey("step", "send-time")))
        #expect(SchemaCoverage.elementsWithoutFixture(schema: schema, occurrences: []).count == schema.elements.count)
    }
}

// MARK: - Support

/// Everything the schema-coverage tests share: paths, the XSD walker, fixture occurrences and the
/// table of model values.
enum SchemaCoverage {
    static let exportNamespace = "urn:purchase-actions:export:v1"
    static let xsdNamespace = "http://www.w3.org/2001/XMLSchema"

    static let root = Repository.root
    static let schemaURL = root.appendingPathComponent("Docs/export-format.xsd")
    static let fixturesURL = root.appendingPathComponent("Fixtures/exports")

    /// Every file in Fixtures/exports/ ending in .xml, sorted.
    static let fixtureNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesURL.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()

    static func fixturePath(_ name: String) -> String { fixturesURL.appendingPathComponent(name).path }

    /// A comment of a header and one indented line per item.
    static func listing(_ header: String, _ items: [some CustomStringConvertible]) -> Comment {
        Comment(rawValue: ([header] + items.map { "  \($0)" }).joined(separator: "\n"))
    }

    /// Why the tests' own XML or XSD handling failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Keys

    /// An element name and one of its attributes, or `#text` for the element's text.
    struct ElementAttributeKey: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
        static let text = "#text"
        var element: String
        var attribute: String

        init(_ element: String, _ attribute: String) {
            self.element = element
            self.attribute = attribute
        }

        /// `"element@attribute"`, such as `"account@id"` or `"html@#text"`.
        init(stringLiteral value: String) {
            let parts = value.split(separator: "@", maxSplits: 1).map(String.init)
            precondition(parts.count == 2, "a key is written element@attribute: \(value)")
            self.init(parts[0], parts[1])
        }

        var description: String { attribute == Self.text ? "<\(element)> text" : "<\(element)>@\(attribute)" }

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.element, lhs.attribute) < (rhs.element, rhs.attribute) }
    }

    // MARK: XML trees

    /// One element of a parsed XML document (the XSD or a fixture).
    struct Node: Sendable {
        var name: String
        var namespace: String?
        /// Attributes as XMLParser reports them: unqualified names as is, qualified ones as `prefix:name`.
        var attributes: [String: String]
        /// The element's own character data and CDATA, entities decoded, in document order.
        var text = ""
        var children: [Node] = []
        /// XMLParser's line when the start tag was reported (the line where the start tag ends).
        var line: Int

        func children(inNamespace namespace: String) -> [Node] { children.filter { $0.namespace == namespace } }
        func child(_ name: String, inNamespace namespace: String) -> Node? {
            children.first { $0.namespace == namespace && $0.name == name }
        }
    }

    struct Document: Sendable {
        var root: Node
        /// Every namespace prefix the document binds, with every namespace it binds it to.
        var prefixes: [String: Set<String>]
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [Node] = []
        var root: Node?
        var prefixes: [String: Set<String>] = [:]

        func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
            prefixes[prefix, default: []].insert(namespaceURI)
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let namespace = namespaceURI.flatMap { $0.isEmpty ? nil : $0 }
            stack.append(Node(name: elementName, namespace: namespace, attributes: attributes, line: parser.lineNumber))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let node = stack.popLast() else { return }
            if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
        }
    }

    /// Parses XML with namespaces processed and external entities never resolved.
    static func parseXML(_ data: Data, name: String) throws -> Document {
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let error = parser.parserError.map { "\($0)" } ?? "unknown error"
            throw Failure("\(name):\(parser.lineNumber): XMLParser failed: \(error)")
        }
        return Document(root: root, prefixes: builder.prefixes)
    }

    // MARK: The XSD

    /// What the XSD declares.
    struct Vocabulary: Sendable {
        struct Element: Sendable {
            var attributes: Set<String> = []
            var holdsText = false
            /// The types the element is declared with (a name, `xs:...`, or `inline ...`).
            var types: Set<String> = []
        }
        var elements: [String: Element] = [:]

        var textElements: Set<String> { Set(elements.filter(\.value.holdsText).keys) }

        /// Every (element, attribute) pair, and (element, #text) for every text element.
        var pairs: Set<ElementAttributeKey> {
            var pairs: Set<ElementAttributeKey> = []
            for (name, element) in elements {
                for attribute in element.attributes { pairs.insert(ElementAttributeKey(name, attribute)) }
                if element.holdsText { pairs.insert(ElementAttributeKey(name, ElementAttributeKey.text)) }
            }
            return pairs
        }
    }

    static func schema() throws -> Vocabulary {
        try Walker.vocabulary(xsd: Data(contentsOf: schemaURL), name: "Docs/export-format.xsd")
    }

    /// Walks an XML Schema 1.0 document the way Docs/export-format.xsd is written: global and local
    /// element declarations, named and anonymous complex types, model groups, attribute groups and
    /// complexContent / simpleContent extensions. Wildcards (xs:any, xs:anyAttribute) and identity
    /// constraints are skipped; every other construct throws.
    struct Walker {
        private let xs = SchemaCoverage.xsdNamespace
        private let name: String
        private let targetNamespace: String
        private let prefixes: [String: String]
        private var globalElements: [String: Node] = [:]
        private var complexTypes: [String: Node] = [:]
        private var simpleTypes: [String: Node] = [:]
        private var groups: [String: Node] = [:]
        private var attributeGroups: [String: Node] = [:]
        private var visited: Set<String> = []
        private var vocabulary = Vocabulary()

        /// Attributes, text and child element declarations of one complex type.
        private struct Content {
            var attributes: Set<String> = []
            var holdsText = false
            var elements: [Node] = []
        }

        static func vocabulary(xsd: Data, name: String = "schema.xsd") throws -> Vocabulary {
            var walker = try Walker(document: parseXML(xsd, name: name), name: name)
            for element in walker.globalElements.values.sorted(by: { $0.line < $1.line }) {
                try walker.element(element)
            }
            return walker.vocabulary
        }

        private init(document: Document, name: String) throws {
            self.name = name
            let schema = document.root
            guard schema.namespace == SchemaCoverage.xsdNamespace, schema.name == "schema" else {
                throw Failure("\(name): the root is <\(schema.name)>, not xs:schema")
            }
            var prefixes: [String: String] = [:]
            for (prefix, namespaces) in document.prefixes {
                guard namespaces.count == 1, let namespace = namespaces.first else {
                    throw Failure("\(name): prefix '\(prefix)' is bound to several namespaces; the walker does not scope prefixes")
                }
                prefixes[prefix] = namespace
            }
            self.prefixes = prefixes
            guard let target = schema.attributes["targetNamespace"] else {
                throw Failure("\(name): xs:schema has no targetNamespace")
            }
            targetNamespace = target
            guard schema.attributes["elementFormDefault"] == "qualified" else {
                throw Failure("\(name): the walker expects elementFormDefault=\"qualified\" (local elements in the target namespace)")
            }
            guard (schema.attributes["attributeFormDefault"] ?? "unqualified") == "unqualified" else {
                throw Failure("\(name): the walker expects attributeFormDefault=\"unqualified\"")
            }
            for child in schema.children {
                guard child.namespace == xs else { throw unsupported(child, "a top-level element outside the XSD namespace") }
                switch child.name {
                case "annotation": continue
                case "element": globalElements[try declaredName(child)] = child
                case "complexType": complexTypes[try declaredName(child)] = child
                case "simpleType": simpleTypes[try declaredName(child)] = child
                case "group": groups[try declaredName(child)] = child
                case "attributeGroup": attributeGroups[try declaredName(child)] = child
                default: throw unsupported(child, "top-level xs:\(child.name)")
                }
            }
            guard !globalElements.isEmpty else { throw Failure("\(name): no global element declaration") }
        }

        private func unsupported(_ node: Node, _ what: String) -> Failure {
            Failure("\(name):\(node.line): the schema-coverage walker does not understand \(what); teach it before changing the XSD this way")
        }

        private func declaredName(_ node: Node) throws -> String {
            guard let value = node.attributes["name"] else { throw unsupported(node, "xs:\(node.name) without a name") }
            return value
        }

        /// Children in the XSD namespace, failing on any other child and any XSD child not in `allowed`.
        private func xsChildren(_ node: Node, allowed: Set<String>) throws -> [Node] {
            for child in node.children where child.namespace != xs || !allowed.contains(child.name) {
                throw unsupported(child, "<\(child.name)> inside xs:\(node.name)")
            }
            return node.children
        }

        private func resolve(_ qname: String, at node: Node) throws -> (namespace: String, local: String) {
            let parts = qname.split(separator: ":", maxSplits: 1).map(String.init)
            let (prefix, local) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
            guard let namespace = prefixes[prefix] else { throw unsupported(node, "the QName '\(qname)' (unbound prefix)") }
            return (namespace, local)
        }

        private func named(_ qname: String, in table: [String: Node], at node: Node) throws -> Node? {
            let (namespace, local) = try resolve(qname, at: node)
            guard namespace == targetNamespace else { return nil }
            return table[local]
        }

        // Elements

        private mutating func element(_ node: Node) throws {
            let children = try xsChildren(node, allowed: ["annotation", "complexType", "simpleType", "unique", "key", "keyref"])
            if let ref = node.attributes["ref"] {
                guard let global = try named(ref, in: globalElements, at: node) else {
                    throw unsupported(node, "an element ref to '\(ref)', which is not a global element of the target namespace")
                }
                return try element(global)
            }
            let name = try declaredName(node)
            for attribute in ["form", "substitutionGroup", "abstract"] where node.attributes[attribute] != nil {
                throw unsupported(node, "the attribute '\(attribute)' on element '\(name)'")
            }
            if vocabulary.elements[name] == nil { vocabulary.elements[name] = Vocabulary.Element() }
            let typeKey: String
            let typeNode: Node
            if let type = node.attributes["type"] {
                let (namespace, local) = try resolve(type, at: node)
                if namespace == xs {
                    guard local != "anyType" else { throw unsupported(node, "xs:anyType on element '\(name)'") }
                    vocabulary.elements[name]!.types.insert("xs:\(local)")
                    vocabulary.elements[name]!.holdsText = true
                    return
                }
                guard namespace == targetNamespace else { throw unsupported(node, "the type '\(type)' from another namespace") }
                if simpleTypes[local] != nil {
                    vocabulary.elements[name]!.types.insert(local)
                    vocabulary.elements[name]!.holdsText = true
                    return
                }
                guard let complex = complexTypes[local] else { throw unsupported(node, "the undeclared type '\(type)'") }
                typeKey = local
                typeNode = complex
            } else if let inline = children.first(where: { $0.name == "complexType" }) {
                typeKey = "inline complexType at line \(inline.line)"
                typeNode = inline
            } else if children.contains(where: { $0.name == "simpleType" }) {
                vocabulary.elements[name]!.types.insert("inline simpleType")
                vocabulary.elements[name]!.holdsText = true
                return
            } else {
                throw unsupported(node, "element '\(name)' without a type (xs:anyType)")
            }
            vocabulary.elements[name]!.types.insert(typeKey)
            guard visited.insert("\(name) | \(typeKey)").inserted else { return }
            var content = Content()
            try complexType(typeNode, into: &content, depth: 0)
            vocabulary.elements[name]!.attributes.formUnion(content.attributes)
            if content.holdsText { vocabulary.elements[name]!.holdsText = true }
            for child in content.elements { try element(child) }
        }

        // Complex types

        private func complexType(_ node: Node, into content: inout Content, depth: Int) throws {
            guard depth < 32 else { throw unsupported(node, "a chain of more than 32 base types (a cycle?)") }
            let children = try xsChildren(
                node,
                allowed: [
                    "annotation", "sequence", "choice", "all", "group", "attribute", "attributeGroup", "anyAttribute", "simpleContent",
                    "complexContent",
                ])
            if node.attributes["mixed"] == "true" { content.holdsText = true }
            for child in children {
                switch child.name {
                case "annotation", "anyAttribute": continue
                case "sequence", "choice", "all", "group": try particle(child, into: &content, depth: 0)
                case "attribute", "attributeGroup": try attribute(child, into: &content, depth: 0)
                case "simpleContent": try simpleContent(child, into: &content, depth: depth)
                case "complexContent": try complexContent(child, into: &content, depth: depth)
                default: throw unsupported(child, "xs:\(child.name) in a complex type")
                }
            }
        }

        private func simpleContent(_ node: Node, into content: inout Content, depth: Int) throws {
            for child in try xsChildren(node, allowed: ["annotation", "extension", "restriction"]) where child.name != "annotation" {
                guard child.name == "extension" else { throw unsupported(child, "a simpleContent restriction") }
                guard let base = child.attributes["base"] else { throw unsupported(child, "an extension without a base") }
                let (namespace, local) = try resolve(base, at: child)
                if namespace == xs || (namespace == targetNamespace && simpleTypes[local] != nil) {
                    content.holdsText = true
                } else if namespace == targetNamespace, let complex = complexTypes[local] {
                    var baseContent = Content()
                    try complexType(complex, into: &baseContent, depth: depth + 1)
                    guard baseContent.holdsText, baseContent.elements.isEmpty else {
                        throw unsupported(child, "a simpleContent extension of '\(base)', which is not a simple-content type")
                    }
                    content.attributes.formUnion(baseContent.attributes)
                    content.holdsText = true
                } else {
                    throw unsupported(child, "the base type '\(base)'")
                }
                for item in try xsChildren(child, allowed: ["annotation", "attribute", "attributeGroup", "anyAttribute"]) {
                    if item.name == "attribute" || item.name == "attributeGroup" { try attribute(item, into: &content, depth: 0) }
                }
            }
        }

        private func complexContent(_ node: Node, into content: inout Content, depth: Int) throws {
            if node.attributes["mixed"] == "true" { content.holdsText = true }
            for child in try xsChildren(node, allowed: ["annotation", "extension", "restriction"]) where child.name != "annotation" {
                guard child.name == "extension" else {
                    throw unsupported(child, "a complexContent restriction (it may prohibit or narrow the base's attributes)")
                }
                guard let base = child.attributes["base"] else { throw unsupported(child, "an extension without a base") }
                let (namespace, local) = try resolve(base, at: child)
                if namespace == xs, local == "anyType" {
                    // Nothing inherited.
                } else if namespace == targetNamespace, let complex = complexTypes[local] {
                    try complexType(complex, into: &content, depth: depth + 1)
                } else {
                    throw unsupported(child, "a complexContent extension of '\(base)'")
                }
                let items = try xsChildren(
                    child, allowed: ["annotation", "sequence", "choice", "all", "group", "attribute", "attributeGroup", "anyAttribute"])
                for item in items {
                    switch item.name {
                    case "sequence", "choice", "all", "group": try particle(item, into: &content, depth: 0)
                    case "attribute", "attributeGroup": try attribute(item, into: &content, depth: 0)
                    default: continue
                    }
                }
            }
        }

        // Content models

        private func particle(_ node: Node, into content: inout Content, depth: Int) throws {
            guard depth < 64 else { throw unsupported(node, "model groups nested more than 64 deep (a cycle of group refs?)") }
            switch node.name {
            case "element":
                content.elements.append(node)
            case "any":
                _ = try xsChildren(node, allowed: ["annotation"])
            case "sequence", "choice", "all":
                let children = try xsChildren(node, allowed: ["annotation", "element", "group", "sequence", "choice", "any"])
                for child in children where child.name != "annotation" { try particle(child, into: &content, depth: depth + 1) }
            case "group":
                guard let ref = node.attributes["ref"] else { throw unsupported(node, "a local xs:group without ref") }
                guard let definition = try named(ref, in: groups, at: node) else { throw unsupported(node, "the undeclared group '\(ref)'") }
                let children = try xsChildren(definition, allowed: ["annotation", "sequence", "choice", "all"])
                for child in children where child.name != "annotation" { try particle(child, into: &content, depth: depth + 1) }
            default:
                throw unsupported(node, "xs:\(node.name) in a content model")
            }
        }

        // Attributes

        private func attribute(_ node: Node, into content: inout Content, depth: Int) throws {
            guard depth < 32 else { throw unsupported(node, "attribute groups nested more than 32 deep (a cycle?)") }
            switch node.name {
            case "attribute":
                _ = try xsChildren(node, allowed: ["annotation", "simpleType"])
                guard node.attributes["ref"] == nil else { throw unsupported(node, "an attribute ref (a qualified attribute)") }
                guard (node.attributes["form"] ?? "unqualified") == "unqualified" else {
                    throw unsupported(node, "a qualified attribute (form=\"qualified\")")
                }
                guard node.attributes["use"] != "prohibited" else { throw unsupported(node, "use=\"prohibited\"") }
                content.attributes.insert(try declaredName(node))
            case "attributeGroup":
                guard let ref = node.attributes["ref"] else { throw unsupported(node, "a local xs:attributeGroup without ref") }
                guard let definition = try named(ref, in: attributeGroups, at: node) else {
                    throw unsupported(node, "the undeclared attribute group '\(ref)'")
                }
                for child in try xsChildren(definition, allowed: ["annotation", "attribute", "attributeGroup", "anyAttribute"])
                where child.name == "attribute" || child.name == "attributeGroup" {
                    try attribute(child, into: &content, depth: depth + 1)
                }
            default:
                throw unsupported(node, "xs:\(node.name) among attributes")
            }
        }
    }

    /// Small schemas the walker must refuse, each using one construct it does not model.
    struct SchemaSample: Sendable, CustomTestStringConvertible {
        var name: String
        var xsd: String
        var testDescription: String { name }

        static func wrap(_ body: String) -> String {
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:pa="\(SchemaCoverage.exportNamespace)"
                       targetNamespace="\(SchemaCoverage.exportNamespace)" elementFormDefault="qualified">
            \(body)
            </xs:schema>
            """
        }
    }

    static let unsupportedSchemas: [SchemaSample] = [
        SchemaSample(
            name: "xs:include",
            xsd: SchemaSample.wrap(#"<xs:include schemaLocation="other.xsd"/><xs:element name="a" type="xs:string"/>"#)),
        SchemaSample(
            name: "xs:redefine",
            xsd: SchemaSample.wrap(#"<xs:redefine schemaLocation="other.xsd"/><xs:element name="a" type="xs:string"/>"#)),
        SchemaSample(
            name: "a complexContent restriction",
            xsd: SchemaSample.wrap(
                """
                <xs:complexType name="B"><xs:attribute name="x" type="xs:string"/></xs:complexType>
                <xs:element name="a"><xs:complexType><xs:complexContent><xs:restriction base="pa:B"/></xs:complexContent></xs:complexType></xs:element>
                """)),
        SchemaSample(
            name: "an attribute ref",
            xsd: SchemaSample.wrap(
                #"<xs:element name="a"><xs:complexType><xs:attribute ref="pa:x"/></xs:complexType></xs:element>"#)),
        SchemaSample(
            name: "an element without a type",
            xsd: SchemaSample.wrap(#"<xs:element name="a"/>"#)),
        SchemaSample(
            name: "an undeclared type",
            xsd: SchemaSample.wrap(#"<xs:element name="a" type="pa:Missing"/>"#)),
        SchemaSample(
            name: "a substitution group",
            xsd: SchemaSample.wrap(
                #"<xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string" substitutionGroup="pa:a"/>"#)),
        SchemaSample(
            name: "unqualified local elements",
            xsd: """
                <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">
                  <xs:element name="a" type="xs:string"/>
                </xs:schema>
                """),
    ]

    // MARK: Fixtures

    /// One element of a fixture in the export namespace.
    struct Occurrence: Sendable {
        struct Ancestor: Sendable {
            var name: String
            var id: String?
        }
        var fixture: String
        var line: Int
        var element: String
        /// Unqualified attributes (the format's own); extension attributes are left out.
        var attributes: [String: String]
        /// The element's text as written (CDATA and escapes decoded), whitespace included.
        var text: String
        /// Outermost first; the element itself is not included.
        var ancestors: [Ancestor]
        /// Position among the parent's children in the export namespace that have the same name.
        var indexAmongSameName: Int
        /// Position among all of the parent's children in the export namespace.
        var indexAmongOurs: Int

        var id: String? { attributes["id"] }
        var parent: Ancestor? { ancestors.last }
        func ancestor(_ name: String) -> Ancestor? { ancestors.last { $0.name == name } }
        var position: String { "\(fixture):\(line)" }
    }

    static func occurrences(inFixture fixture: String) throws -> [Occurrence] {
        let data = try Data(contentsOf: fixturesURL.appendingPathComponent(fixture))
        let document = try parseXML(data, name: fixture)
        var result: [Occurrence] = []
        func visit(_ node: Node, ancestors: [Occurrence.Ancestor], sameName: Int, ours: Int) {
            // Extension elements (other namespaces) are opaque to the format, and so is their content.
            guard node.namespace == exportNamespace else { return }
            let attributes = node.attributes.filter { !$0.key.contains(":") }
            result.append(
                Occurrence(
                    fixture: fixture, line: node.line, element: node.name, attributes: attributes, text: node.text,
                    ancestors: ancestors, indexAmongSameName: sameName, indexAmongOurs: ours))
            let path = ancestors + [Occurrence.Ancestor(name: node.name, id: attributes["id"])]
            var counts: [String: Int] = [:]
            var index = 0
            for child in node.children where child.namespace == exportNamespace {
                visit(child, ancestors: path, sameName: counts[child.name, default: 0], ours: index)
                counts[child.name, default: 0] += 1
                index += 1
            }
        }
        visit(document.root, ancestors: [], sameName: 0, ours: 0)
        return result
    }

    static func allOccurrences() throws -> [Occurrence] {
        guard !fixtureNames.isEmpty else { throw Failure("no .xml file in \(fixturesURL.path)") }
        return try fixtureNames.flatMap { try occurrences(inFixture: $0) }
    }

    static func elementsWithoutFixture(schema: Vocabulary, occurrences: [Occurrence]) -> [String] {
        let used = Set(occurrences.map(\.element))
        return schema.elements.keys.filter { !used.contains($0) }.sorted()
    }

    static func pairsWithoutFixture(schema: Vocabulary, occurrences: [Occurrence]) -> [ElementAttributeKey] {
        var used: Set<ElementAttributeKey> = []
        for occurrence in occurrences {
            for name in occurrence.attributes.keys { used.insert(ElementAttributeKey(occurrence.element, name)) }
            if schema.elements[occurrence.element]?.holdsText == true {
                used.insert(ElementAttributeKey(occurrence.element, ElementAttributeKey.text))
            }
        }
        return schema.pairs.subtracting(used).sorted()
    }

    /// Compares, for every occurrence of every XSD pair, the table's model value with the XML's.
    static func compareValues(
        account: LegacyAccount, occurrences: [Occurrence], schema: Vocabulary
    ) -> (compared: Int, failures: [String]) {
        var compared = 0
        var failures: [String] = []
        for occurrence in occurrences {
            guard let element = schema.elements[occurrence.element] else { continue }  // reported by fixturesUseOnlySchemaVocabulary
            var raw: [(String, String)] = occurrence.attributes.filter { element.attributes.contains($0.key) }.sorted { $0.key < $1.key }
            if element.holdsText { raw.append((ElementAttributeKey.text, occurrence.text)) }
            for (attribute, xmlValue) in raw {
                let key = ElementAttributeKey(occurrence.element, attribute)
                guard let lookup = table[key] else {
                    failures.append("\(occurrence.position): \(key): no closure in SchemaCoverage.entries")
                    continue
                }
                compared += 1
                let expected = rawNormalizers[key].map { $0(xmlValue) } ?? xmlValue
                guard let actual = lookup(account, occurrence) else {
                    failures.append("\(occurrence.position): \(key): the XML has \(expected.debugDescription), the parsed model has no value")
                    continue
                }
                if actual != expected {
                    failures.append(
                        "\(occurrence.position): \(key): the XML has \(expected.debugDescription), the parsed model has \(actual.debugDescription)")
                }
            }
        }
        return (compared, failures)
    }

    // MARK: The table

    /// Finds, in the parsed account, the value of one attribute (or text) of one occurrence, rendered
    /// as the XML writes it; `nil` when the model has no such value.
    typealias ModelValue = @Sendable (LegacyAccount, Occurrence) -> String?

    /// Raw XML values that the model keeps in a canonical form: the raw value is normalised before
    /// it is compared.
    static let rawNormalizers: [ElementAttributeKey: @Sendable (String) -> String] = [
        // "FirstName, LastName" is read as ["FirstName", "LastName"] and compared as "FirstName,LastName".
        "fulfillment-list-template@fields": { raw in
            raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                .joined(separator: ",")
        }
    ]

    static let table: [ElementAttributeKey: ModelValue] = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })

    static let duplicateEntries: [ElementAttributeKey] = {
        var seen: Set<ElementAttributeKey> = []
        return entries.map(\.key).filter { !seen.insert($0).inserted }
    }()

    // Rendering as the XML writes values.
    private static func string(_ value: Int?) -> String? { value.map { String($0) } }
    private static func string(_ value: Bool) -> String { value ? "true" : "false" }

    static let entries: [(key: ElementAttributeKey, value: ModelValue)] = [
        // <export>: the model has no version; the reader refuses any version but "1" (ReaderTests), so
        // an account read from a fixture was read from version="1".
        ("export@version", { account, _ in account.settings.id.isEmpty ? nil : "1" }),

        // 1. account
        ("account@id", settings { $0.id }),
        ("account@name", settings { $0.name }),
        ("account@timezone", settings { $0.timezone }),
        ("account@currency", settings { $0.currency }),
        ("account@run-purchase-actions-on-all-orders", settings { string($0.runPurchaseActionsOnAllOrders) }),
        ("billing-defaults@max-retries", billingDefaults { String($0.maxRetries) }),
        ("billing-defaults@days-between-retries", billingDefaults { String($0.daysBetweenRetries) }),
        ("billing-defaults@days-before-autocharge", billingDefaults { String($0.daysBeforeAutocharge) }),
        ("billing-defaults@max-invoice-age-months", billingDefaults { String($0.maxInvoiceAgeMonths) }),

        // 2. catalogue
        ("tag-category@id", byID(\.catalogue.tagCategories) { $0.id }),
        ("tag-category@name", byID(\.catalogue.tagCategories) { $0.name }),
        ("tag@id", byID(\.catalogue.tags) { $0.id }),
        ("tag@name", byID(\.catalogue.tags) { $0.name }),
        ("tag@category", byID(\.catalogue.tags) { $0.categoryID }),
        ("tag@description", byID(\.catalogue.tags) { $0.description }),
        ("custom-field@id", byID(\.catalogue.customFields) { $0.id }),
        ("custom-field@name", byID(\.catalogue.customFields) { $0.name }),
        ("custom-field@type", byID(\.catalogue.customFields) { $0.type.rawValue }),
        ("custom-field@label", byID(\.catalogue.customFields) { $0.label }),
        ("user@id", byID(\.catalogue.users) { $0.id }),
        ("user@name", byID(\.catalogue.users) { $0.name }),
        ("user@email", byID(\.catalogue.users) { $0.email }),
        ("product@id", byID(\.catalogue.products) { $0.id }),
        ("product@name", byID(\.catalogue.products) { $0.name }),
        ("product@price", byID(\.catalogue.products) { String($0.price) }),
        ("product@sku", byID(\.catalogue.products) { $0.sku }),
        ("product@shippable", byID(\.catalogue.products) { string($0.shippable) }),
        ("price-option@id", priceOption { $0.id }),
        ("price-option@name", priceOption { $0.name }),
        ("price-option@price", priceOption { String($0.price) }),
        ("subscription-plan@id", byID(\.catalogue.subscriptionPlans) { $0.id }),
        ("subscription-plan@product", byID(\.catalogue.subscriptionPlans) { $0.productID }),
        ("subscription-plan@name", byID(\.catalogue.subscriptionPlans) { $0.name }),
        ("subscription-plan@price", byID(\.catalogue.subscriptionPlans) { String($0.price) }),
        ("subscription-plan@cycle", byID(\.catalogue.subscriptionPlans) { $0.cycle.rawValue }),
        ("subscription-plan@frequency", byID(\.catalogue.subscriptionPlans) { String($0.frequency) }),
        ("subscription-plan@trial-days", byID(\.catalogue.subscriptionPlans) { string($0.trialDays) }),
        ("subscription-plan@autocharge", byID(\.catalogue.subscriptionPlans) { string($0.billing.autocharge) }),
        ("subscription-plan@max-retries", byID(\.catalogue.subscriptionPlans) { string($0.billing.maxRetries) }),
        ("subscription-plan@days-between-retries", byID(\.catalogue.subscriptionPlans) { string($0.billing.daysBetweenRetries) }),
        ("bundle@id", byID(\.catalogue.bundles) { $0.id }),
        ("bundle@name", byID(\.catalogue.bundles) { $0.name }),
        ("bundle-item@product", bundleItem { $0.productID }),
        ("bundle-item@quantity", bundleItem { String($0.quantity) }),
        ("payment-plan@id", byID(\.catalogue.paymentPlans) { $0.id }),
        ("payment-plan@name", byID(\.catalogue.paymentPlans) { $0.name }),
        ("payment-plan@payments", byID(\.catalogue.paymentPlans) { String($0.payments) }),
        ("payment-plan@interval-days", byID(\.catalogue.paymentPlans) { String($0.intervalDays) }),
        ("payment-plan@first-payment", byID(\.catalogue.paymentPlans) { string($0.firstPayment) }),
        ("payment-plan@autocharge", byID(\.catalogue.paymentPlans) { string($0.billing.autocharge) }),
        ("payment-plan@max-retries", byID(\.catalogue.paymentPlans) { string($0.billing.maxRetries) }),
        ("payment-plan@days-between-retries", byID(\.catalogue.paymentPlans) { string($0.billing.daysBetweenRetries) }),

        // Templates: `name` and `title` are both Template.name.
        ("email-template@id", template { template, _ in template.id }),
        ("email-template@name", template { template, _ in template.name }),
        ("email-template@from-name", template { _, content in emailTemplate(content)?.fromName }),
        ("email-template@from-address", template { _, content in emailTemplate(content)?.fromAddress }),
        ("email-template@subject", template { _, content in emailTemplate(content)?.subject }),
        ("email-template@reply-to", template { _, content in emailTemplate(content)?.replyTo }),
        ("html@#text", parentTemplate { emailTemplate($0)?.html }),
        ("text@#text", parentTemplate { emailTemplate($0)?.text }),
        ("task-template@id", template { template, _ in template.id }),
        ("task-template@title", template { template, _ in template.name }),
        ("task-template@assign-to", template { _, content in taskTemplate(content)?.assigneeID }),
        ("task-template@due-in-days", template { _, content in string(taskTemplate(content)?.dueInDays) }),
        ("task-template@priority", template { _, content in taskTemplate(content)?.priority?.rawValue }),
        (
            "description@#text",
            parentTemplate { content in
                switch content {
                case .task(let task): task.description
                case .appointment(let appointment): appointment.description
                default: nil
                }
            }
        ),
        ("note-template@id", template { template, _ in template.id }),
        ("note-template@title", template { template, _ in template.name }),
        ("note-template@type", template { _, content in if case .note(let type, _) = content { type } else { nil } }),
        (
            "body@#text",
            parentTemplate { content in
                switch content {
                case .note(_, let body), .letter(let body), .fax(let body): body
                default: nil
                }
            }
        ),
        ("appointment-template@id", template { template, _ in template.id }),
        ("appointment-template@title", template { template, _ in template.name }),
        ("appointment-template@assign-to", template { _, content in appointmentTemplate(content)?.assigneeID }),
        ("appointment-template@in-days", template { _, content in string(appointmentTemplate(content)?.inDays) }),
        ("appointment-template@at", template { _, content in appointmentTemplate(content)?.at }),
        ("appointment-template@duration-minutes", template { _, content in string(appointmentTemplate(content)?.durationMinutes) }),
        ("letter-template@id", template { template, _ in template.id }),
        ("letter-template@name", template { template, _ in template.name }),
        ("fax-template@id", template { template, _ in template.id }),
        ("fax-template@name", template { template, _ in template.name }),
        ("voice-template@id", template { template, _ in template.id }),
        ("voice-template@name", template { template, _ in template.name }),
        ("voice-template@recording", template { _, content in if case .voice(let recording, _) = content { recording } else { nil } }),
        ("script@#text", parentTemplate { content in if case .voice(_, let script) = content { script } else { nil } }),
        ("fulfillment-list-template@id", template { template, _ in template.id }),
        ("fulfillment-list-template@name", template { template, _ in template.name }),
        ("fulfillment-list-template@to", template { _, content in if case .fulfillmentList(let to, _, _) = content { to } else { nil } }),
        (
            "fulfillment-list-template@fields",
            template { _, content in
                if case .fulfillmentList(_, let fields, _) = content { fields.joined(separator: ",") } else { nil }
            }
        ),
        (
            "fulfillment-list-template@queued",
            template { _, content in if case .fulfillmentList(_, _, let queued) = content { string(queued) } else { nil } }
        ),

        // 3. sequences
        ("sequence@id", sequence { $0.id }),
        ("sequence@name", sequence { $0.name }),
        ("sequence@send-time", sequence { $0.sendTime }),
        ("step@id", step { $0.id }),
        ("step@delay-days", step { String($0.delayDays) }),
        ("step@send-time", step { $0.sendTime }),

        // 4. action sets, rules and actions
        ("action-set@id", actionSet { $0.id }),
        ("action-set@name", actionSet { $0.name }),
        ("rule@match", enclosingAction { action, _ in action.rule?.match.rawValue }),
        ("field@name", criterion { if case .field(let name, _, _) = $0 { name } else { nil } }),
        ("field@op", criterion { if case .field(_, let op, _) = $0 { op.rawValue } else { nil } }),
        ("field@value", criterion { if case .field(_, _, let value) = $0 { value } else { nil } }),
        ("has-tag@tag", criterion { if case .hasTag(let tag) = $0 { tag } else { nil } }),
        ("lacks-tag@tag", criterion { if case .lacksTag(let tag) = $0 { tag } else { nil } }),

        ("apply-tag@id", action { $0.id }),
        ("apply-tag@tag", actionKind { if case .applyTag(let tag) = $0 { tag } else { nil } }),
        ("remove-tag@id", action { $0.id }),
        ("remove-tag@tag", actionKind { if case .removeTag(let tag) = $0 { tag } else { nil } }),
        ("send-email@id", action { $0.id }),
        ("send-email@template", actionKind { if case .sendEmail(let template, _) = $0 { template } else { nil } }),
        (
            "send-email@to",
            actionKind { kind in
                guard case .sendEmail(_, let to) = kind else { return nil }
                switch to {
                case .contact: return "contact"
                case .owner: return "owner"
                case .user(let id): return id
                }
            }
        ),
        ("send-sms@id", action { $0.id }),
        ("send-sms@from", actionKind { if case .sendSMS(let from, _) = $0 { from } else { nil } }),
        ("message@#text", enclosingAction { action, _ in if case .sendSMS(_, let message) = action.kind { message } else { nil } }),
        ("create-task@id", action { $0.id }),
        ("create-task@template", actionKind { if case .createTask(let template) = $0 { template } else { nil } }),
        ("create-note@id", action { $0.id }),
        ("create-note@template", actionKind { if case .createNote(let template) = $0 { template } else { nil } }),
        ("create-appointment@id", action { $0.id }),
        ("create-appointment@template", actionKind { if case .createAppointment(let template) = $0 { template } else { nil } }),
        ("http-post@id", action { $0.id }),
        ("http-post@url", actionKind { if case .httpPost(let post) = $0 { post.url } else { nil } }),
        ("http-post@mode", actionKind { if case .httpPost(let post) = $0 { post.mode.rawValue } else { nil } }),
        ("param@name", parameter { $0.name }),
        ("param@value", parameter { $0.value }),
        ("set-field@id", action { $0.id }),
        ("set-field@field", actionKind { if case .setField(let field, _) = $0 { field } else { nil } }),
        ("set-field@value", actionKind { if case .setField(_, let value) = $0 { value } else { nil } }),
        ("assign-owner@id", action { $0.id }),
        ("assign-owner@user", actionKind { if case .assignOwner(let user) = $0 { user } else { nil } }),
        ("create-order@id", action { $0.id }),
        ("create-order@payment-plan", actionKind { if case .createOrder(let order) = $0 { order.paymentPlanID } else { nil } }),
        ("create-order@autocharge", actionKind { if case .createOrder(let order) = $0 { string(order.autocharge) } else { nil } }),
        ("create-order@promo-code", actionKind { if case .createOrder(let order) = $0 { order.promoCode } else { nil } }),
        ("order-line@product", orderLine { if case .product(let id, _) = $0.item { id } else { nil } }),
        ("order-line@price-option", orderLine { if case .product(_, let option) = $0.item { option } else { nil } }),
        ("order-line@bundle", orderLine { if case .bundle(let id) = $0.item { id } else { nil } }),
        ("order-line@subscription-plan", orderLine { if case .subscriptionPlan(let id) = $0.item { id } else { nil } }),
        ("order-line@quantity", orderLine { String($0.quantity) }),
        ("start-sequence@id", action { $0.id }),
        ("start-sequence@sequence", actionKind { if case .startSequence(let id) = $0 { id } else { nil } }),
        ("stop-sequence@id", action { $0.id }),
        ("stop-sequence@sequence", actionKind { if case .stopSequence(let id) = $0 { id } else { nil } }),
        ("run-action-set@id", action { $0.id }),
        ("run-action-set@action-set", actionKind { if case .runActionSet(let id) = $0 { id } else { nil } }),
        ("achieve-goal@id", action { $0.id }),
        ("achieve-goal@integration", actionKind { if case .achieveGoal(let integration, _) = $0 { integration } else { nil } }),
        ("achieve-goal@call-name", actionKind { if case .achieveGoal(_, let callName) = $0 { callName } else { nil } }),
        ("cancel-subscription@id", action { $0.id }),
        ("cancel-subscription@plan", actionKind { if case .cancelSubscription(let plan) = $0 { plan } else { nil } }),
        ("complete-tasks@id", action { $0.id }),
        ("complete-tasks@template", actionKind { if case .completeTasks(let template) = $0 { template } else { nil } }),
        ("create-opportunity@id", action { $0.id }),
        ("create-opportunity@title", actionKind { if case .createOpportunity(let title, _, _) = $0 { title } else { nil } }),
        ("create-opportunity@stage", actionKind { if case .createOpportunity(_, let stage, _) = $0 { stage } else { nil } }),
        ("create-opportunity@owner", actionKind { if case .createOpportunity(_, _, let owner) = $0 { owner } else { nil } }),
        ("send-fax@id", action { $0.id }),
        ("send-fax@template", actionKind { if case .sendFax(let template) = $0 { template } else { nil } }),
        ("send-letter@id", action { $0.id }),
        ("send-letter@template", actionKind { if case .sendLetter(let template) = $0 { template } else { nil } }),
        ("send-voice@id", action { $0.id }),
        ("send-voice@template", actionKind { if case .sendVoice(let template) = $0 { template } else { nil } }),
        ("send-fulfillment-list@id", action { $0.id }),
        ("send-fulfillment-list@template", actionKind { if case .sendFulfillmentList(let template) = $0 { template } else { nil } }),

        // 5. purchase-actions: slots have no id; the n-th slot element is account.slots[n].
        ("on-login@action-set", slot { $0.actionSetID }),
        ("contact-creation@action-set", slot { $0.actionSetID }),
        ("successful-purchase@action-set", slot { $0.actionSetID }),
        ("failed-purchase@action-set", slot { $0.actionSetID }),
        ("error-purchase@action-set", slot { $0.actionSetID }),
        ("product-purchase@product", slot { if case .product(let id) = $0.kind { id } else { nil } }),
        ("product-purchase@action-set", slot { $0.actionSetID }),
        ("subscription-purchase@plan", slot { if case .subscriptionPlan(let id) = $0.kind { id } else { nil } }),
        ("subscription-purchase@action-set", slot { $0.actionSetID }),

        // 6. billing-automation
        ("on-autocharge-failed@id", billingRule { $0.id }),
        ("on-autocharge-failed@attempt", billingRule { if case .autochargeFailed(let attempt, _) = $0.trigger { String(attempt) } else { nil } }),
        ("on-autocharge-failed@action-set", billingRule { $0.actionSetID }),
        ("on-autocharge-failed@product", billingRule { scopeProduct($0.trigger) }),
        ("on-autocharge-failed@plan", billingRule { scopePlan($0.trigger) }),
        ("on-autocharge-recovered@id", billingRule { $0.id }),
        ("on-autocharge-recovered@action-set", billingRule { $0.actionSetID }),
        ("on-autocharge-recovered@product", billingRule { scopeProduct($0.trigger) }),
        ("on-autocharge-recovered@plan", billingRule { scopePlan($0.trigger) }),
        ("on-card-expiring@id", billingRule { $0.id }),
        ("on-card-expiring@days", billingRule { if case .cardExpiring(let days) = $0.trigger { String(days) } else { nil } }),
        ("on-card-expiring@action-set", billingRule { $0.actionSetID }),
    ]

    // MARK: Lookups

    private static func settings(_ value: @escaping @Sendable (AccountSettings) -> String?) -> ModelValue {
        { account, occurrence in occurrence.parent?.name == "export" ? value(account.settings) : nil }
    }

    private static func billingDefaults(_ value: @escaping @Sendable (BillingDefaults) -> String?) -> ModelValue {
        { account, occurrence in occurrence.parent?.name == "account" ? value(account.settings.billing) : nil }
    }

    /// A catalogue entry by the occurrence's own id.
    private static func byID<Entry: CatalogueEntry>(
        _ entries: @escaping @Sendable (LegacyAccount) -> CatalogueTable<Entry>, _ value: @escaping @Sendable (Entry) -> String?
    ) -> ModelValue {
        { account, occurrence in
            guard occurrence.parent?.name == "catalogue", let id = occurrence.id, let entry = entries(account)[id] else { return nil }
            return value(entry)
        }
    }

    /// A price option by its product's id and its own.
    private static func priceOption(_ value: @escaping @Sendable (PriceOption) -> String?) -> ModelValue {
        { account, occurrence in
            guard let parent = occurrence.parent, parent.name == "product", let productID = parent.id, let id = occurrence.id,
                let option = account.catalogue.products[productID]?.priceOptions.first(where: { $0.id == id })
            else { return nil }
            return value(option)
        }
    }

    /// A bundle item by its bundle's id and its position.
    private static func bundleItem(_ value: @escaping @Sendable (PurchaseActionsCore.ProductBundle.Item) -> String?) -> ModelValue {
        { account, occurrence in
            guard let parent = occurrence.parent, parent.name == "bundle", let bundleID = parent.id,
                let items = account.catalogue.bundles[bundleID]?.items, items.indices.contains(occurrence.indexAmongSameName)
            else { return nil }
            return value(items[occurrence.indexAmongSameName])
        }
    }

    /// A template by the occurrence's own id; `nil` unless its kind is the occurrence's element.
    private static func template(_ value: @escaping @Sendable (Template, TemplateContent) -> String?) -> ModelValue {
        { account, occurrence in
            guard let id = occurrence.id, let template = account.catalogue.templates[id], template.kind.elementName == occurrence.element
            else { return nil }
            return value(template, template.content)
        }
    }

    /// The template a text element (html, text, description, body, script) belongs to, by the parent's id.
    private static func parentTemplate(_ value: @escaping @Sendable (TemplateContent) -> String?) -> ModelValue {
        { account, occurrence in
            guard let parent = occurrence.parent, let id = parent.id, let template = account.catalogue.templates[id],
                template.kind.elementName == parent.name
            else { return nil }
            return value(template.content)
        }
    }

    private static func emailTemplate(_ content: TemplateContent) -> EmailTemplate? {
        if case .email(let email) = content { email } else { nil }
    }

    private static func taskTemplate(_ content: TemplateContent) -> TaskTemplate? {
        if case .task(let task) = content { task } else { nil }
    }

    private static func appointmentTemplate(_ content: TemplateContent) -> AppointmentTemplate? {
        if case .appointment(let appointment) = content { appointment } else { nil }
    }

    private static func sequence(_ value: @escaping @Sendable (FollowUpSequence) -> String?) -> ModelValue {
        { account, occurrence in
            guard occurrence.parent?.name == "sequences", let id = occurrence.id,
                let sequence = account.sequences.first(where: { $0.id == id })
            else { return nil }
            return value(sequence)
        }
    }

    private static func step(_ value: @escaping @Sendable (FollowUpSequence.Step) -> String?) -> ModelValue {
        { account, occurrence in
            guard let parent = occurrence.parent, parent.name == "sequence", let sequenceID = parent.id, let id = occurrence.id,
                let step = account.sequences.first(where: { $0.id == sequenceID })?.steps.first(where: { $0.id == id })
            else { return nil }
            return value(step)
        }
    }

    private static func actionSet(_ value: @escaping @Sendable (ActionSet) -> String?) -> ModelValue {
        { account, occurrence in
            guard occurrence.parent?.name == "action-sets", let id = occurrence.id,
                let set = account.actionSets.first(where: { $0.id == id })
            else { return nil }
            return value(set)
        }
    }

    /// The action at the end of `chain` (outermost first): an element whose parent is an action set
    /// or a sequence step, found by its id within that parent (and the step's sequence).
    private static func findAction(_ account: LegacyAccount, chain: [Occurrence.Ancestor]) -> Action? {
        guard let index = chain.indices.last(where: { $0 > 0 && ["action-set", "step"].contains(chain[$0 - 1].name) }),
            let id = chain[index].id, let containerID = chain[index - 1].id
        else { return nil }
        let actions: [Action]?
        if chain[index - 1].name == "action-set" {
            actions = account.actionSets.first { $0.id == containerID }?.actions
        } else {
            guard let sequenceID = chain[..<(index - 1)].last(where: { $0.name == "sequence" })?.id else { return nil }
            actions = account.sequences.first { $0.id == sequenceID }?.steps.first { $0.id == containerID }?.actions
        }
        guard let action = actions?.first(where: { $0.id == id }), action.kind.elementName == chain[index].name else { return nil }
        return action
    }

    /// The action the occurrence is.
    private static func action(_ value: @escaping @Sendable (Action) -> String?) -> ModelValue {
        { account, occurrence in
            guard ["action-set", "step"].contains(occurrence.parent?.name ?? "") else { return nil }
            let chain = occurrence.ancestors + [Occurrence.Ancestor(name: occurrence.element, id: occurrence.id)]
            return findAction(account, chain: chain).flatMap(value)
        }
    }

    private static func actionKind(_ value: @escaping @Sendable (ActionKind) -> String?) -> ModelValue {
        action { value($0.kind) }
    }

    /// The action an id-less element (rule, criterion, param, order-line, message) belongs to.
    private static func enclosingAction(_ value: @escaping @Sendable (Action, Occurrence) -> String?) -> ModelValue {
        { account, occurrence in findAction(account, chain: occurrence.ancestors).flatMap { value($0, occurrence) } }
    }

    /// The n-th criterion of the enclosing action's rule (a rule's children in our namespace are all criteria).
    private static func criterion(_ value: @escaping @Sendable (Criterion.Test) -> String?) -> ModelValue {
        enclosingAction { action, occurrence in
            guard occurrence.parent?.name == "rule", let criteria = action.rule?.criteria, criteria.indices.contains(occurrence.indexAmongOurs)
            else { return nil }
            return value(criteria[occurrence.indexAmongOurs].test)
        }
    }

    private static func parameter(_ value: @escaping @Sendable (HTTPPost.Parameter) -> String?) -> ModelValue {
        enclosingAction { action, occurrence in
            guard case .httpPost(let post) = action.kind, post.parameters.indices.contains(occurrence.indexAmongSameName) else { return nil }
            return value(post.parameters[occurrence.indexAmongSameName])
        }
    }

    private static func orderLine(_ value: @escaping @Sendable (CreateOrder.Line) -> String?) -> ModelValue {
        enclosingAction { action, occurrence in
            guard case .createOrder(let order) = action.kind, order.lines.indices.contains(occurrence.indexAmongSameName) else { return nil }
            return value(order.lines[occurrence.indexAmongSameName])
        }
    }

    /// The slot at the occurrence's position in <purchase-actions>; `nil` unless its kind is the element.
    private static func slot(_ value: @escaping @Sendable (PurchaseSlot) -> String?) -> ModelValue {
        { account, occurrence in
            guard occurrence.parent?.name == "purchase-actions", account.slots.indices.contains(occurrence.indexAmongOurs) else { return nil }
            let slot = account.slots[occurrence.indexAmongOurs]
            guard slot.kind.key.split(separator: ":").first.map(String.init) == occurrence.element else { return nil }
            return value(slot)
        }
    }

    /// A billing-automation rule by id; `nil` unless its trigger is the element.
    private static func billingRule(_ value: @escaping @Sendable (BillingAutomationRule) -> String?) -> ModelValue {
        { account, occurrence in
            guard occurrence.parent?.name == "billing-automation", let id = occurrence.id,
                let rule = account.billingRules.first(where: { $0.id == id })
            else { return nil }
            let element =
                switch rule.trigger {
                case .autochargeFailed: "on-autocharge-failed"
                case .autochargeRecovered: "on-autocharge-recovered"
                case .cardExpiring: "on-card-expiring"
                }
            return element == occurrence.element ? value(rule) : nil
        }
    }

    private static func scope(_ trigger: BillingAutomationRule.Trigger) -> BillingAutomationRule.Scope? {
        switch trigger {
        case .autochargeFailed(_, let scope), .autochargeRecovered(let scope): scope
        case .cardExpiring: nil
        }
    }

    private static func scopeProduct(_ trigger: BillingAutomationRule.Trigger) -> String? {
        if case .product(let id) = scope(trigger) { id } else { nil }
    }

    private static func scopePlan(_ trigger: BillingAutomationRule.Trigger) -> String? {
        if case .subscriptionPlan(let id) = scope(trigger) { id } else { nil }
    }
}
