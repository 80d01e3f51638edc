import ArgumentParser
import CommandLineSupport
import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import Testing

/// Issue 12, item 7: the report's per-workflow work on renderer threads joined in order
/// (`ReportPipeline`) writes exactly the serial report's bytes, and the one type the threads share,
/// `HandOff`, hands each value over once.
@Suite("import-actions: the report split over threads")
struct ReportPipelineTests {
    /// Every file under `folder`, by relative path, with its bytes.
    static func files(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
        while let path = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
            }
        }
        return files
    }

    static func importFolder(_ export: String, to folder: URL, workers: Int, chunkSize: Int) throws -> [String: Data] {
        let command = try Import.parse([export, "-o", folder.path, "-q"])
        try command.runImport(reportWorkers: workers, reportChunkSize: chunkSize)
        return try files(folder)
    }

    @Test("The fixtures and a generated export: 1 to 3 renderers, chunks of 1, 2, 3 and 32, the serial folder byte for byte",
          .requires(.python3))
    func sameFolders() throws {
        let scratch = try BuiltProducts.scratch("pa-split")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let generated = scratch.appendingPathComponent("n40.xml")
        let python = URL(fileURLWithPath: try #require(RequiredTool.executable(named: "python3")))
        let made = try BuiltProducts.runProgram(
            python, ["Tools/generate-export.py", "--action-sets", "40", "--seed", "7", "-q", "-o", generated.path], in: CLI.root)
        #expect(made.status == 0, "\(made.errors)")
        let exports = ["course-creator", "membership-site", "physical-goods-store"].map { CLI.root.appendingPathComponent("Fixtures/exports/\($0).xml").path }
            + [generated.path]
        for (number, export) in exports.enumerated() {
            let serial = try Self.importFolder(export, to: scratch.appendingPathComponent("serial-\(number)"), workers: 0, chunkSize: 1)
            #expect(serial.keys.contains("migration-report.html") && serial.keys.contains("migration-report.md"))
            for (workers, size) in [(1, 1), (2, 1), (2, 2), (3, 3), (2, 32)] {
                let folder = scratch.appendingPathComponent("split-\(number)-\(workers)-\(size)")
                let split = try Self.importFolder(export, to: folder, workers: workers, chunkSize: size)
                #expect(Set(split.keys) == Set(serial.keys), "\(export) \(workers) x \(size)")
                for (path, bytes) in serial where split[path] != bytes {
                    Issue.record("\(export), \(workers) renderers, chunks of \(size): \(path) differs")
                }
            }
        }
    }

    @Test("HandOff: a value set on one thread is taken on another, once, in a chain of 200 across two threads")
    func handOffChain() throws {
        let scratch = try BuiltProducts.scratch("pa-handoff")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let first = BackgroundWriter(directory, capacity: 2)
        let second = BackgroundWriter(directory, capacity: 2)
        // Each link takes the running total from the one before (on the other thread) and hands on its own.
        var previous = HandOff<[Int]>([])
        #expect(previous.isSet)
        for index in 0..<200 {
            let input = previous
            let output = HandOff<[Int]>()
            try (index.isMultiple(of: 2) ? first : second).perform {
                output.set(input.take() + [index])
            }
            previous = output
        }
        try first.finish()
        try second.finish()
        #expect(previous.take() == Array(0..<200))
        #expect(!previous.isSet)
    }

    @Test("HandOff: taking waits for the value; what was taken is no longer held")
    func handOffWaits() throws {
        let scratch = try BuiltProducts.scratch("pa-handoff")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let handOff = HandOff<String>()
        let gate = HandOff<Bool>()
        #expect(!handOff.isSet)
        let writer = BackgroundWriter(directory, capacity: 1)
        // The job waits for `gate`, which this thread sets only after queuing it: taking really waits.
        try writer.perform { handOff.set(gate.take() ? "opened" : "closed") }
        gate.set(true)
        #expect(handOff.take() == "opened")
        try writer.finish()
    }

    @Test("BackgroundWriter.drain waits for every queued job and keeps the thread")
    func drain() throws {
        let scratch = try BuiltProducts.scratch("pa-drain")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let record = ImportStreamingTests.Record()
        let writer = BackgroundWriter(directory, capacity: 3)
        for index in 0..<50 { try writer.perform { record.order.append(index) } }
        try writer.drain()
        #expect(record.order == Array(0..<50))
        try writer.perform { record.order.append(50) }
        try writer.finish()
        #expect(record.order == Array(0...50))
    }
}
