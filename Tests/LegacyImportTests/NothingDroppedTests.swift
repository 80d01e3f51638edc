// Issue 12, item 1: nothing is dropped silently. Every element and attribute of an export is either
// carried into the output folder or named in a finding at its line.
//
// How it works:
//   1. The marker exports are generated here, from the bundled exports (which together use every
//      element and attribute the XSD declares: SchemaCoverageTests (a) and (b), and test 1 below
//      checks it again on the generated files with the same XSD walker). Each is re-written with a
//      distinct marker in every value whose type allows one: ids (and every reference to them)
//      become `m<n>q-<id>`, free text gets ` zq<n>q` appended, emails `zq<n>q` prepended, URLs
//      `#zq<n>q` appended, the text of text elements ` zq<n>q` appended, extension attributes
//      ` zq<n>q` appended. Values from a closed set (booleans, enumerations, times, custom-field
//      names) and numbers (their ranges are narrow) keep their value and are checked weakly (see
//      `Check.weak`).
//   2. `import-actions` (the built binary) imports each into a scratch folder.
//   3. Every marker must appear in some file of the output folder, or in a finding of
//      migration-report.json at the marker's line whose message names the marker or the attribute
//      (or element).
//
// Catalogue entries and the account are carried whole by account.json, and templates by
// templates/<id>.json (issue 12, item 2, the templates helper's part). Until an output folder holds
// those files, markers that only they would carry are not checked; see `carriedByAccountFile` and
// `carriedByTemplateFiles` (the check is on the files' presence, not a flag).

import CommandLineTesting
import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("Nothing dropped: every marker of a generated export is in the output or in a finding at its line")
struct NothingDroppedTests {
    @Test("The generated marker exports use every element and attribute the XSD declares")
    func markerExportsCoverTheSchema() throws {
        let schema = try SchemaCoverage.schema()
        var used: Set<SchemaCoverage.ElementAttributeKey> = []
        for fixture in SchemaCoverage.fixtureNames {
            used.formUnion(try MarkerExport(fixture: fixture, schema: schema).pairs)
        }
        let missing = schema.pairs.subtracting(used).sorted()
        #expect(missing.isEmpty, SchemaCoverage.listing("XSD pairs no marker export uses:", missing))
        #expect(used.count >= 150)
    }

    @Test("Every marker is carried into the output folder or named in a finding at its line", arguments: SchemaCoverage.fixtureNames)
    func everyMarkerAccountedFor(fixture: String) throws {
        let schema = try SchemaCoverage.schema()
        let export = try MarkerExport(fixture: fixture, schema: schema)
        let scratch = try BuiltProducts.scratch("pa-markers")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("markers.xml")
        try Data(export.text.utf8).write(to: file)
        let out = scratch.appendingPathComponent("out")
        let result = try BuiltProducts.run("import-actions", [file.path, "-o", out.path, "-q"])
        try #require(result.status == 0, "the marker export of \(fixture) does not import: \(result.errors)")
        let output = try OutputFolder(out)
        let check = Check(output: output)
        var unaccounted: [String] = []
        var skipped = 0
        for marker in export.markers {
            switch check.verdict(marker) {
            case .found: continue
            case .skipped: skipped += 1
            case .missing: unaccounted.append(marker.description)
            }
        }
        #expect(
            unaccounted.isEmpty,
            SchemaCoverage.listing("\(unaccounted.count) value(s) of the marker export of \(fixture) appear neither in the output nor in a finding at their line:", unaccounted))
        #expect(export.markers.count - skipped > 20, "almost nothing checked in \(fixture)")
    }

    @Test("The check fails for a marker the output does not hold, and accepts a finding at the marker's line")
    func checkCanFail() throws {
        let output = OutputFolder(text: #"{"id": "m1q-as-1"}"#, findings: [(line: 7, message: "attribute max-retries is not used")], files: [])
        let check = Check(output: output)
        let base = MarkerExport.Marker(value: "m1q-as-1", line: 3, element: "action-set", attribute: "id", path: ["export", "action-sets", "action-set"], kind: .distinct)
        #expect(check.verdict(base) == .found)
        var gone = base
        gone.value = "zq9q"
        #expect(check.verdict(gone) == .missing)
        var atFinding = gone
        atFinding.line = 7
        atFinding.attribute = "max-retries"
        #expect(check.verdict(atFinding) == .found)
        var inCatalogue = gone
        inCatalogue.path = ["export", "catalogue", "product"]
        #expect(check.verdict(inCatalogue) == .skipped, "no account.json: catalogue markers wait for it")
        let withAccount = Check(output: OutputFolder(text: "", findings: [], files: ["account.json"]))
        #expect(withAccount.verdict(inCatalogue) == .missing, "once account.json exists, catalogue markers are checked")
        // The extension attribute on every element: a finding at its line must name the attribute,
        // and a catalogue element is checked whether or not account.json exists.
        let onSection = MarkerExport.Marker(
            value: "zq5q", line: 4, element: "action-sets", attribute: "ndq:dropcheck", path: ["export", "action-sets"], kind: .extension)
        let namingElement = Check(output: OutputFolder(text: "", findings: [(line: 4, message: "text inside <action-sets> is ignored")], files: []))
        #expect(namingElement.verdict(onSection) == .missing)
        let namingAttribute = Check(
            output: OutputFolder(text: "", findings: [(line: 4, message: "extension attribute 'dropcheck' on <action-sets>")], files: []))
        #expect(namingAttribute.verdict(onSection) == .found)
        #expect(Check(output: OutputFolder(text: "", findings: [(line: 5, message: "extension attribute 'dropcheck'")], files: [])).verdict(onSection) == .missing)
        var onTag = onSection
        onTag.path = ["export", "catalogue", "tag"]
        #expect(Check(output: OutputFolder(text: "", findings: [], files: [])).verdict(onTag) == .missing)
    }
}

// MARK: - The marker export

/// A bundled export re-written with a distinct marker in every value that can hold one.
struct MarkerExport {
    struct Marker: CustomStringConvertible, Equatable {
        enum Kind: Equatable {
            /// A marker unique in the export.
            case distinct
            /// A value kept as it was (a number): found as a JSON value anywhere, or a finding at its line.
            case weak
            /// The value of the extension attribute the generator adds to every element of ours:
            /// found in the output, or in a finding or reader warning at its line that names the
            /// attribute (naming only the element is not enough).
            case `extension`
        }
        var value: String
        var line: Int
        var element: String
        var attribute: String
        /// Element names from the root to the element.
        var path: [String]
        var kind: Kind
        var description: String { "line \(line): <\(element)>@\(attribute) = \(value) (\(path.joined(separator: "/")))" }
    }

    private(set) var text = ""
    private(set) var markers: [Marker] = []
    private(set) var pairs: Set<SchemaCoverage.ElementAttributeKey> = []
    private var line = 1
    private var counter = 0
    private var ids: [String: String] = [:]
    private let prefixes: [String: String]
    private let textElements: Set<String>

    /// The extension attribute added to every element of ours: `ndq:dropcheck` in this namespace.
    static let extensionNamespace = "urn:purchase-actions:test:nothing-dropped"
    static let extensionPrefix = "ndq"
    static let extensionName = "dropcheck"

    static let idAttributes: Set<String> = [
        "id", "action-set", "assign-to", "bundle", "category", "owner", "payment-plan", "plan", "price-option", "product", "sequence",
        "subscription-plan", "tag", "template", "user", "to",
    ]
    static let freeText: Set<String> = [
        "name", "title", "subject", "from-name", "from", "label", "description", "text", "stage", "sku", "promo-code", "call-name",
        "channel", "integration", "type", "value",
    ]
    static let standardFields: Set<String> = [
        "FirstName", "LastName", "Email", "EmailAddress2", "Phone1", "Company", "JobTitle", "StreetAddress1", "StreetAddress2", "City",
        "State", "PostalCode", "Country", "ContactType", "Leadsource", "Birthday", "DateCreated", "OwnerID",
    ]

    init(fixture: String, schema: SchemaCoverage.Vocabulary) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: SchemaCoverage.fixturePath(fixture)))
        let document = try SchemaCoverage.parseXML(data, name: fixture)
        var prefixes: [String: String] = [:]
        for (prefix, namespaces) in document.prefixes { if let namespace = namespaces.first { prefixes[namespace] = prefix } }
        self.prefixes = prefixes
        textElements = schema.textElements
        collectIDs(document.root)
        emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        write(document.root, path: [], isRoot: true, declarations: document.prefixes)
    }

    private mutating func collectIDs(_ node: SchemaCoverage.Node) {
        if node.namespace == SchemaCoverage.exportNamespace, let id = node.attributes["id"], ids[id] == nil {
            counter += 1
            ids[id] = "m\(counter)q-\(id)"
        }
        for child in node.children { collectIDs(child) }
    }

    private mutating func next() -> String {
        counter += 1
        return "zq\(counter)q"
    }

    private mutating func emit(_ string: String) {
        text += string
        line += string.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private func qualified(_ node: SchemaCoverage.Node) -> String {
        guard let namespace = node.namespace, let prefix = prefixes[namespace], !prefix.isEmpty else { return node.name }
        return "\(prefix):\(node.name)"
    }

    private mutating func write(_ node: SchemaCoverage.Node, path: [String], isRoot: Bool, declarations: [String: Set<String>]) {
        let ours = node.namespace == SchemaCoverage.exportNamespace
        let path = path + [node.name]
        var attributes: [(String, String)] = []
        if isRoot {
            for (prefix, namespaces) in declarations.sorted(by: { $0.key < $1.key }) {
                attributes.append((prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)", namespaces.first ?? ""))
            }
            attributes.append(("xmlns:\(Self.extensionPrefix)", Self.extensionNamespace))
        }
        for (name, value) in node.attributes.sorted(by: { $0.key < $1.key }) where !name.hasPrefix("xmlns") {
            if ours, !name.contains(":") { pairs.insert(.init(node.name, name)) }
            attributes.append((name, isRoot ? value : markedAttribute(name, value, element: node.name, ours: ours, path: path)))
        }
        if ours {
            // Every element of ours, the root and the section elements included, also gets an
            // extension attribute of its own with a distinct marker.
            let marker = next()
            let name = "\(Self.extensionPrefix):\(Self.extensionName)"
            markers.append(Marker(value: marker, line: line, element: node.name, attribute: name, path: path, kind: .extension))
            attributes.append((name, marker))
        }
        let tag = qualified(node)
        emit("<\(tag)" + attributes.map { " \($0.0)=\"\(Self.escapeAttribute($0.1))\"" }.joined() + ">")
        let holdsText = ours && textElements.contains(node.name)
        if holdsText {
            pairs.insert(.init(node.name, SchemaCoverage.ElementAttributeKey.text))
            let marker = next()
            markers.append(Marker(value: marker, line: line, element: node.name, attribute: "#text", path: path, kind: .distinct))
            emit(Self.escapeText(node.text + " " + marker))
        } else if !ours, !node.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            emit(Self.escapeText(node.text))
        }
        if !node.children.isEmpty {
            emit("\n")
            for child in node.children { write(child, path: path, isRoot: false, declarations: [:]) }
        }
        emit("</\(tag)>\n")
    }

    /// The attribute's value with a marker in it where its type allows, recording the marker.
    private mutating func markedAttribute(_ name: String, _ value: String, element: String, ours: Bool, path: [String]) -> String {
        func record(_ shown: String, _ kind: Marker.Kind = .distinct) {
            markers.append(Marker(value: shown, line: line, element: element, attribute: name, path: path, kind: kind))
        }
        guard ours, !name.contains(":") else {
            // An extension attribute: named in an extension-not-carried finding.
            let marker = next()
            record(marker)
            return value + " " + marker
        }
        if Self.idAttributes.contains(name), let mapped = ids[value] {
            record(mapped)
            return mapped
        }
        if !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            record(value, .weak)
            return value
        }
        if value.contains("@"), !value.contains(" "), !value.contains("~") {
            let marker = next()
            record(marker)
            return marker + value
        }
        if value.hasPrefix("http://") || value.hasPrefix("https://") {
            let marker = next()
            record(marker)
            return value + (value.contains("#") ? marker : "#" + marker)
        }
        let closed =
            value.hasPrefix("_") || Self.standardFields.contains(value) || (element == "custom-field" && name == "type")
            || value.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil
        if Self.freeText.contains(name), !closed {
            let marker = next()
            record(marker)
            return value + " " + marker
        }
        // A value from a closed set (a boolean, an enumeration, a time, a keyword, a field name):
        // it cannot carry a marker, and is not checked.
        return value
    }

    static func escapeText(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }

    static func escapeAttribute(_ text: String) -> String {
        escapeText(text).replacing("\"", with: "&quot;").replacing("\n", with: "&#10;").replacing("\r", with: "&#13;")
            .replacing("\t", with: "&#9;")
    }
}

// MARK: - The output and the check

/// An import's output folder: the text of every file in it, and the findings of its report.
struct OutputFolder {
    var text: String
    var findings: [(line: Int, message: String)]
    /// Paths relative to the folder, folders ending in `/`.
    var files: Set<String>

    init(text: String, findings: [(line: Int, message: String)], files: Set<String>) {
        self.text = text
        self.findings = findings
        self.files = files
    }

    init(_ folder: URL) throws {
        var text = ""
        var files: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            let full = folder.appendingPathComponent(relative).path
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
            if isFolder.boolValue {
                files.insert(relative + "/")
            } else {
                files.insert(relative)
                text += String(decoding: try Data(contentsOf: URL(fileURLWithPath: full)), as: UTF8.self)
            }
        }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("migration-report.json"))) as? [String: Any]
        // Findings and reader warnings both name what was not carried, each at its line.
        let findings = ((report?["findings"] as? [[String: Any]] ?? []) + (report?["readerWarnings"] as? [[String: Any]] ?? [])).map { finding in
            ((finding["source"] as? [String: Any])?["line"] as? Int ?? 0, finding["message"] as? String ?? "")
        }
        self.init(text: text, findings: findings, files: files)
    }
}

struct Check {
    enum Verdict: Equatable { case found, missing, skipped }

    /// Elements (below `<catalogue>`, and the account) whose values only account.json carries
    /// (issue 12, item 2: the templates helper's part); checked once an output folder has account.json.
    static let carriedByAccountFile: Set<String> = [
        "account", "billing-defaults", "tag-category", "tag", "custom-field", "user", "product", "price-option", "subscription-plan",
        "bundle", "bundle-item", "payment-plan",
    ]
    /// Template elements (and their text children) whose values only templates/<id>.json carries
    /// when no action uses the template; checked once an output folder has templates/.
    static let carriedByTemplateFiles: Set<String> = [
        "email-template", "task-template", "note-template", "appointment-template", "letter-template", "fax-template",
        "voice-template", "fulfillment-list",
    ]

    let output: OutputFolder

    func verdict(_ marker: MarkerExport.Marker) -> Verdict {
        if marker.kind == .distinct, output.text.contains(marker.value) { return .found }
        if marker.kind == .weak, Self.holdsNumber(output.text, marker.value) { return .found }
        if marker.kind == .extension {
            if output.text.contains(marker.value) { return .found }
            let named = output.findings.contains { $0.line == marker.line && $0.message.contains(MarkerExport.extensionName) }
            return named ? .found : .missing
        }
        let local = marker.attribute.split(separator: ":").last.map(String.init) ?? marker.attribute
        let named = output.findings.contains { finding in
            finding.line == marker.line
                && (finding.message.contains(marker.value) || finding.message.contains(local) || finding.message.contains(marker.element))
        }
        if named { return .found }
        let inCatalogue = marker.path.contains("catalogue") || marker.path.last == "account" || marker.path.contains("billing-defaults")
        let inTemplate = marker.path.contains { Self.carriedByTemplateFiles.contains($0) }
        if inTemplate, !output.files.contains("templates/") { return .skipped }
        if inCatalogue, !inTemplate, !output.files.contains("account.json") { return .skipped }
        return .missing
    }

    /// Whether `text` holds `number` as a JSON number or string of its own.
    static func holdsNumber(_ text: String, _ number: String) -> Bool {
        [": \(number)\n", ": \(number),", "\"\(number)\"", " \(number)\n", "=\"\(number)\""].contains { text.contains($0) }
    }
}
