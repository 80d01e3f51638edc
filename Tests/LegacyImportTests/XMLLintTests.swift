// The independent check of Docs/export-format.xsd and the fixtures: libxml2's own `xmllint`
// validates every valid fixture and refuses every structurally broken one, and our reader with
// schema validation on (`--check`) agrees.
//
// xmllint runs as `xmllint --noout --nonet --schema Docs/export-format.xsd FILE`: never with
// --noent, --loaddtd or --xinclude (exports are untrusted; see the XSD's annotation).

import CommandLineTesting
import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("xmllint and the reader's --check agree with the fixtures")
struct XMLLintTests {
    // MARK: xmllint

    @Test("xmllint is installed", .requires(.xmllint))
    func xmllintIsInstalled() throws {
        _ = try XMLLint.requireExecutable()
    }

    @Test("xmllint validates every valid fixture against the XSD", .requires(.xmllint), arguments: XMLLint.validFixtures)
    func xmllintAcceptsValidFixture(fixture: String) throws {
        let result = try XMLLint.validate(XMLLint.path("Fixtures/exports/\(fixture)"))
        #expect(result.status == 0, "xmllint exit \(result.status) for Fixtures/exports/\(fixture):\n\(result.output)")
        #expect(result.output.contains("validates"), "xmllint did not say the file validates:\n\(result.output)")
    }

    @Test("xmllint refuses every structural malformed fixture", .requires(.xmllint), arguments: XMLLint.structuralEntries)
    func xmllintRejectsStructuralFixture(entry: Repository.Malformed) throws {
        let result = try XMLLint.validate(XMLLint.path("Fixtures/malformed/\(entry.file)"))
        #expect(
            result.status != 0,
            "xmllint accepted Fixtures/malformed/\(entry.file) (expected: \(entry.message) near line \(entry.line)):\n\(result.output)")
        #expect(!result.output.contains("\(entry.file) validates"), "xmllint said the file validates:\n\(result.output)")
    }

    // MARK: The reader with validatesSchema: true

    @Test("the reader with schema validation accepts every valid fixture with no warnings", arguments: XMLLint.validFixtures)
    func readerAcceptsValidFixture(fixture: String) throws {
        let document = try ExportReader(validatesSchema: true).read(file: XMLLint.path("Fixtures/exports/\(fixture)"))
        #expect(document.warnings.isEmpty, "warnings for \(fixture):\n\(document.warnings.map(\.description).joined(separator: "\n"))")
        #expect(!document.account.settings.id.isEmpty, "no account read from \(fixture)")
    }

    @Test("the reader with schema validation rejects every structural malformed fixture", arguments: XMLLint.structuralEntries)
    func readerRejectsStructuralFixture(entry: Repository.Malformed) {
        let reader = ExportReader(limits: Repository.limits(entry.options), validatesSchema: true)
        #expect(throws: ImportError.self, "the reader accepted Fixtures/malformed/\(entry.file) (expected: \(entry.message))") {
            _ = try reader.read(file: XMLLint.path("Fixtures/malformed/\(entry.file)"))
        }
    }

    // MARK: The inputs are not empty

    @Test("there are valid fixtures and structural manifest entries to check, and every manifest file exists")
    func inputsExist() {
        #expect(!XMLLint.validFixtures.isEmpty, "no .xml file in Fixtures/exports/")
        #expect(!XMLLint.structuralEntries.isEmpty, "no entry with \"structural\": true in Fixtures/malformed/manifest.json")
        for entry in XMLLint.manifest {
            #expect(FileManager.default.fileExists(atPath: XMLLint.path("Fixtures/malformed/\(entry.file)")), "missing \(entry.file)")
        }
    }
}

/// Paths, the manifest and the xmllint runner.
enum XMLLint {
    static let root = Repository.root

    static func path(_ relative: String) -> String { Repository.path(relative) }

    static let schemaPath = path("Docs/export-format.xsd")

    /// Every file in Fixtures/exports/ ending in .xml, sorted.
    static let validFixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path("Fixtures/exports"))) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()

    /// The manifest of Fixtures/malformed/ (shared with the other reader tests).
    static let manifest = Repository.malformed

    static let structuralEntries = manifest.filter(\.structural)

    // MARK: Running xmllint

    /// xmllint on PATH, if installed (the tests that run it say `.requires(.xmllint)`).
    static let executable: String? = RequiredTool.xmllint.path

    static func requireExecutable() throws -> String {
        guard let executable else { throw RequiredTool.Missing(tool: .xmllint) }
        return executable
    }

    /// Options xmllint must never get: they would load DTDs, substitute entities or process XInclude.
    static let forbiddenOptions: Set<String> = ["--noent", "--loaddtd", "--dtdattr", "--xinclude", "--valid", "--dtdvalid"]

    /// `xmllint --noout --nonet --schema Docs/export-format.xsd FILE`: its exit status and its output
    /// (stdout and stderr together).
    static func validate(_ file: String) throws -> (status: Int32, output: String) {
        let arguments = ["--noout", "--nonet", "--schema", schemaPath, file]
        precondition(forbiddenOptions.isDisjoint(with: arguments), "xmllint must never run with \(forbiddenOptions.sorted())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try requireExecutable())
        process.arguments = arguments
        process.currentDirectoryURL = root
        // xmllint writes the verdict and every error to stderr; --noout keeps stdout empty. One pipe
        // for both, read to the end before waiting, so a long error list cannot block xmllint.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
