import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

/// Paths and fixtures shared by the reader's tests.
enum Repository {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The valid fixture exports, by file name.
    static let exports = ["course-creator.xml", "membership-site.xml", "physical-goods-store.xml"]

    /// One entry of Fixtures/malformed/manifest.json.
    struct Malformed: Decodable, Sendable, CustomTestStringConvertible {
        var file: String
        var options: [String]
        var exit: Int32
        var line: Int
        var message: String
        var structural: Bool
        var hostile: Bool
        var secret: String?
        var testDescription: String { file }
    }

    static let malformed: [Malformed] = {
        let data = try! Data(contentsOf: root.appendingPathComponent("Fixtures/malformed/manifest.json"))
        return try! JSONDecoder().decode([Malformed].self, from: data)
    }()

    /// Reader limits from a manifest entry's command-line options.
    static func limits(_ options: [String]) -> ExportLimits {
        var limits = ExportLimits()
        var iterator = options.makeIterator()
        while let option = iterator.next(), let value = iterator.next().flatMap(Int.init) {
            switch option {
            case "--max-depth": limits.maxDepth = value
            case "--max-attributes": limits.maxAttributes = value
            case "--max-text-bytes": limits.maxTextBytes = value
            case "--max-document-bytes": limits.maxDocumentBytes = value
            case "--max-unit-elements": limits.maxUnitElements = value
            case "--max-unit-bytes": limits.maxUnitBytes = value
            case "--max-catalogue-bytes": limits.maxCatalogueBytes = value
            case "--max-namespaces": limits.maxNamespaces = value
            case "--max-namespace-bytes": limits.maxNamespaceBytes = value
            case "--max-namespaces-in-scope": limits.maxNamespacesInScope = value
            case "--max-names": limits.maxNames = value
            case "--max-name-bytes": limits.maxNameBytes = value
            default: break
            }
        }
        return limits
    }

    /// Reads a document from a string.
    static func read(_ xml: String, limits: ExportLimits = .default, schema: Bool = false) throws(ImportError) -> ExportDocument {
        try ExportReader(limits: limits, validatesSchema: schema).read(bytes: Array(xml.utf8), name: "test.xml")
    }

    /// The error reading a document throws, if any.
    static func error(_ xml: String, limits: ExportLimits = .default, schema: Bool = false) -> ImportError? {
        do {
            _ = try read(xml, limits: limits, schema: schema)
            return nil
        } catch {
            return error
        }
    }
}


/// A minimal valid export with the given action-set content, for small tests.
enum Minimal {
    static let namespace = "urn:purchase-actions:export:v1"

    static func export(
        catalogue: String = "", sequences: String = "", actionSets: String = "", slots: String = "", billing: String = "",
        account: String = ""
    ) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <export xmlns="\(namespace)" version="1">
          <account id="acct" name="Test &amp; Co" timezone="Europe/Berlin" currency="EUR"\(account)/>
          <catalogue>
            <tag id="tag-a" name="A &amp; B"/>
            <user id="user-1" name="Ann" email="ann@example.com"/>
            <product id="prod-1" name="Course" price="4900"/>
            <email-template id="tpl-1" name="Hi" from-name="Shop" from-address="shop@example.com" subject="Hi ~Contact.FirstName~">
              <text>Hello &lt;you&gt; &amp; welcome</text>
            </email-template>
            \(catalogue)
          </catalogue>
          <sequences>\(sequences)</sequences>
          <action-sets>
            <action-set id="as-1" name="One">
              <apply-tag id="as-1.tag" tag="tag-a"/>
            </action-set>
            \(actionSets)
          </action-sets>
          <purchase-actions>\(slots)</purchase-actions>
          <billing-automation>\(billing)</billing-automation>
        </export>
        """
    }
}
