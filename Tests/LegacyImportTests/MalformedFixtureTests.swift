import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("Malformed fixtures are refused where they go wrong")
struct MalformedFixtureTests {
    static let entries = Repository.malformed

    /// The reader alone: the manifest's message, line and kind.
    @Test("The reader refuses each malformed fixture with a located message", arguments: entries.map(\.file))
    func readerRefuses(file: String) throws {
        let entry = try #require(Self.entries.first { $0.file == file })
        let reader = ExportReader(limits: Repository.limits(entry.options))
        let path = Repository.path("Fixtures/malformed/\(entry.file)")
        var caught: ImportError?
        do { _ = try reader.read(file: path) } catch { caught = error }
        let error = try #require(caught, "\(file) was read without an error")
        #expect(error.message.lowercased().contains(entry.message), "\(file): \(error)")
        if entry.line > 0 { #expect(error.location.line == entry.line, "\(file): \(error)") }
        #expect(error.location.file == path, "locations name the file as given")
        if let secret = entry.secret {
            #expect(!error.description.contains(secret), "\(file) leaked the content it names")
        }
    }

    /// With schema validation on (`--check`): still refused, at the same line, never leaking.
    @Test("With --check each malformed fixture is refused at the same line", arguments: entries.map(\.file))
    func checkRefuses(file: String) throws {
        let entry = try #require(Self.entries.first { $0.file == file })
        let reader = ExportReader(limits: Repository.limits(entry.options), validatesSchema: true)
        var caught: ImportError?
        do { _ = try reader.read(file: Repository.path("Fixtures/malformed/\(entry.file)")) } catch { caught = error }
        let error = try #require(caught, "\(file) passed --check")
        if entry.line > 0 { #expect(error.location.line == entry.line, "\(file): \(error)") }
        if let secret = entry.secret { #expect(!error.description.contains(secret)) }
    }

    @Test("Hostile documents are refused before any entity, DTD or inclusion is processed")
    func hostileDocuments() throws {
        let hostile = Self.entries.filter(\.hostile)
        #expect(hostile.count >= 5)
        for entry in hostile {
            let error = try #require(Repository.error(
                String(decoding: try Data(contentsOf: URL(fileURLWithPath: Repository.path("Fixtures/malformed/\(entry.file)"))), as: UTF8.self)))
            #expect([ImportError.Code.doctype, .xinclude].contains(error.code), "\(entry.file): \(error)")
        }
    }

    @Test("An error past line 65,535 carries its exact line")
    func bigLineNumbers() throws {
        let entry = try #require(Self.entries.first { $0.file == "late-error.xml" })
        #expect(entry.line > 65_535)
        let error = try #require(Repository.error(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: Repository.path("Fixtures/malformed/late-error.xml"))), as: UTF8.self)))
        #expect(error.location.line == entry.line)
    }

    @Test("A cycle names every action set in it with its line")
    func cycleNamesEverySet() throws {
        let error = try #require(Repository.error(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: Repository.path("Fixtures/malformed/cycle.xml"))), as: UTF8.self)))
        #expect(error.code == .cycle)
        let lines = try String(contentsOfFile: Repository.path("Fixtures/malformed/cycle.xml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        var lineOfSet: [String: Int] = [:]
        for (number, text) in lines.enumerated() where text.contains("<action-set ") {
            lineOfSet[String(text.split(separator: "\"")[1])] = number + 1
        }
        // The fixture's cycle is as-onboard → as-review → as-loyalty → as-onboard; as-thanks only calls into it.
        for id in ["as-onboard", "as-review", "as-loyalty"] {
            let line = try #require(lineOfSet[id])
            #expect(error.message.contains("'\(id)' (line \(line))"), "\(id) at line \(line) missing from: \(error.message)")
        }
        #expect(!error.message.contains("as-thanks"), "a set outside the cycle is not named")
    }
}
