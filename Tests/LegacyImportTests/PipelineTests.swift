import Foundation
@testable import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("Reading on two threads gives exactly what reading on one gives")
struct PipelineTests {
    /// Everything a read produces, for comparing.
    struct Outcome: Equatable {
        var items: [ExportItem] = []
        var warnings: [ImportWarning] = []
        var error: ImportError?
    }

    static func read(_ path: String, limits: ExportLimits = .default, schema: Bool = false, threaded: Bool) -> Outcome {
        var reader = ExportReader(limits: limits, validatesSchema: schema)
        reader.pipelineThreshold = threaded ? 0 : .max
        var outcome = Outcome()
        do {
            let stream = try reader.stream(file: path)
            do {
                while let item = try stream.next() { outcome.items.append(item) }
            } catch {
                outcome.error = error
            }
            outcome.warnings = stream.warnings
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static let files: [String] =
        Repository.exports.map { "Fixtures/exports/\($0)" } + Repository.malformed.map { "Fixtures/malformed/\($0.file)" }
        + ((try? FileManager.default.contentsOfDirectory(atPath: Repository.path("Fixtures/fuzz-crashers"))) ?? [])
        .filter { $0.hasSuffix(".xml") }.sorted().map { "Fixtures/fuzz-crashers/\($0)" }

    @Test("Every fixture: the same items, warnings and error, with and without the schema", arguments: files)
    func sameOutcome(file: String) {
        let options = Repository.malformed.first { "Fixtures/malformed/\($0.file)" == file }?.options ?? []
        let limits = Repository.limits(options)
        for schema in [false, true] {
            let one = Self.read(Repository.path(file), limits: limits, schema: schema, threaded: false)
            let two = Self.read(Repository.path(file), limits: limits, schema: schema, threaded: true)
            #expect(one == two, "\(file), schema \(schema): \(String(describing: one.error)) vs \(String(describing: two.error))")
        }
    }

    @Test("A stream dropped part-way stops its producing thread")
    func abandonedStream() throws {
        var reader = ExportReader()
        reader.pipelineThreshold = 0
        for _ in 0..<20 {
            let stream = try reader.stream(file: Repository.path("Fixtures/malformed/late-error.xml"))
            #expect(try stream.next() != nil)
            // The stream goes out of scope here with most of the file unread; deinit must not hang.
        }
    }

    @Test("An error found by the model side stops the producing thread and is the one reported")
    func modelErrorStopsProducer() throws {
        var reader = ExportReader()
        reader.pipelineThreshold = 0
        let stream = try reader.stream(file: Repository.path("Fixtures/malformed/late-error.xml"))
        var caught: ImportError?
        do { while try stream.next() != nil {} } catch { caught = error }
        #expect(caught?.code == .unknownReference)
        #expect(caught?.location.line == Repository.malformed.first { $0.file == "late-error.xml" }?.line)
        #expect(throws: ImportError.self) { try stream.next() }
    }
}
