import Foundation
@testable import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("The built-in schema")
struct ExportSchemaTests {
    @Test("The schema built into the library is Docs/export-format.xsd, byte for byte (run Tools/embed-schema.sh)")
    func embeddedMatchesDocs() throws {
        let docs = try String(contentsOfFile: Repository.path("Docs/export-format.xsd"), encoding: .utf8)
        #expect(exportSchemaText + "\n" == docs || exportSchemaText == docs)
    }

    @Test("Every valid fixture passes --check with no warnings", arguments: Repository.exports)
    func fixturesPassCheck(file: String) throws {
        let document = try ExportReader(validatesSchema: true).read(file: Repository.path("Fixtures/exports/\(file)"))
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        #expect(!document.account.actionSets.isEmpty)
    }
}
