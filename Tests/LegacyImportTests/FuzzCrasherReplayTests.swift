import Foundation
@testable import LegacyImport
import PurchaseActionsCore
import Testing

/// Replays every input in Fixtures/fuzz-crashers/ (inputs that once crashed, hung or exhausted memory
/// in the libFuzzer harness, Tools/Fuzz) through the same calls as the harness. Reading one may give a
/// document or an `ImportError`; anything else (a crash, a trap) is a bug.
///
/// Each file is read in a child process (an exit test), so a crasher fails its own test instead of
/// ending the whole run. Memory errors such as a use-after-free rarely crash a plain build: run
/// `swift test --sanitize=address --filter FuzzCrasherReplayTests` to see them (Tools/Fuzz/README.md).
@Suite("Fuzz crashers replay without crashing")
struct FuzzCrasherReplayTests {
    /// Fixtures/fuzz-crashers/, found from this file's path.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-crashers")

    /// The inputs in the folder, by name; README.md describes them and is no input. `events-*` and
    /// `workflow-*` are the other harnesses' (Tests/PurchaseActionsEngineTests/FuzzEngineCrasherReplayTests.swift).
    static let inputs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0 != "README.md" && !$0.hasPrefix(".") && !$0.hasPrefix("events-") && !$0.hasPrefix("workflow-") }.sorted()
    }()

    @Test("Fixtures/fuzz-crashers exists and holds inputs")
    func folderExists() {
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: Self.folder.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(!Self.inputs.isEmpty, "the handcrafted inputs at least should be there")
    }

    @Test("Each input reads to a document or an ImportError, in every configuration of the harness", arguments: inputs)
    func replay(file: String) async throws {
        let path = Self.folder.appendingPathComponent(file).path
        #expect(FileManager.default.isReadableFile(atPath: path))
        await #expect(processExitsWith: .success, "\(file) crashed the reader") { [path = path as String] in
            let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            FuzzReplay.readAll(bytes)
        }
    }

    @Test("A handcrafted nasty input (deep extensions, many attributes) reads in process")
    func nastyInProcess() throws {
        // In this process on purpose: the exit tests above prove nothing about the reader if the
        // child processes cannot start.
        let path = Self.folder.appendingPathComponent("handmade-deep-extensions-many-attributes.xml").path
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let outcomes = FuzzReplay.readAll([UInt8](bytes), schema: false)
        #expect(outcomes.count == 3)
        // Over the small limits it is refused, with the limit named.
        #expect(outcomes[1].error?.code == .limitExceeded, "\(outcomes[1])")
    }
}

/// The harness's calls (Tools/Fuzz/Sources/FuzzExportReader/FuzzExportReader.swift): keep in step.
enum FuzzReplay {
    static let smallLimits = ExportLimits(maxDepth: 16, maxAttributes: 8, maxTextBytes: 4096, maxDocumentBytes: 1 << 20)

    /// What one configuration gave: the number of items read, or the error.
    struct Outcome: CustomStringConvertible {
        var items = 0
        var error: ImportError?
        var description: String { error.map { "\($0.code): \($0)" } ?? "\(items) items" }
    }

    /// Drains a stream in each configuration (default and small limits, each without and with the
    /// schema when `schema` is true), then reads the whole document once with the defaults.
    @discardableResult
    static func readAll(_ bytes: [UInt8], schema: Bool = true) -> [Outcome] {
        var readers = [ExportReader(limits: .default), ExportReader(limits: smallLimits)]
        if schema {
            readers.insert(ExportReader(limits: .default, validatesSchema: true), at: 1)
            readers.append(ExportReader(limits: smallLimits, validatesSchema: true))
        }
        var outcomes = readers.map { drain($0, bytes) }
        do throws(ImportError) {
            let document = try ExportReader().read(bytes: bytes, name: "crasher.xml")
            outcomes.append(Outcome(items: document.account.actionSets.count))
        } catch {
            outcomes.append(Outcome(error: error))
        }
        return outcomes
    }

    static func drain(_ reader: ExportReader, _ bytes: [UInt8]) -> Outcome {
        var outcome = Outcome()
        do throws(ImportError) {
            let stream = try reader.stream(bytes: bytes, name: "crasher.xml")
            while try stream.next() != nil { outcome.items += 1 }
            _ = try stream.next()
        } catch {
            outcome.error = error
            _ = error.description
        }
        return outcome
    }
}
