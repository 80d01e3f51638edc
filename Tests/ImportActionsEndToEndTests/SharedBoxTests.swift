import CommandLineSupport
import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import PurchaseActionsCore
import Testing

/// The two boxes the import's threads share the report through: `ReportBox` (the report writer
/// behind a lock, used by the joining thread and then the command's) and `FinishBox` (handed once
/// to the thread writing the JSON document); and workflow files written by name into a folder held
/// open (`BackgroundWriter.write(_:in:shownFolder:_:)`).
@Suite("import-actions: the boxes shared between threads")
struct SharedBoxTests {
    @Test("ReportBox: what one thread does to the writer, the next thread sees; with returns the body's value")
    func reportBoxKeepsState() throws {
        let scratch = try BuiltProducts.scratch("pa-box")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let box = ReportBox(ReportWriter(directory: directory, export: "x.xml"))
        let asked = HandOff<Bool>()
        let writer = BackgroundWriter(directory, capacity: 1)
        // The template findings are asked for once: on the writer's thread first, then never again.
        try writer.perform { () throws(CommandError) in
            try box.with { report throws(CommandError) in try report.add([], templateFindings: { asked.set(true); return [] }) }
        }
        try writer.finish()
        #expect(asked.take())
        var askedAgain = false
        try box.with { report throws(CommandError) in try report.add([], templateFindings: { askedAgain = true; return [] }) }
        #expect(!askedAgain)
        #expect(box.with { _ in 42 } == 42)
    }

    @Test("FinishBox: the writer and the findings are handed out once, as given")
    func finishBoxTakesOnce() throws {
        let scratch = try BuiltProducts.scratch("pa-box")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let findings = try FindingSpill(in: directory)
        let box = FinishBox(ReportWriter(directory: directory, export: "x.xml"), findings)
        let taken = HandOff<Bool>()
        let writer = BackgroundWriter(directory, capacity: 1)
        let given = ObjectIdentifier(findings)
        try writer.perform { taken.set(ObjectIdentifier(box.take().findings) == given) }
        try writer.finish()
        #expect(taken.take())
        try findings.close()
        findings.remove()
    }

    @Test("FinishBox: a second take stops the program")
    func finishBoxTakenTwice() async {
        await #expect(processExitsWith: .failure) {
            let scratch = try BuiltProducts.scratch("pa-box")
            let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
            let box = FinishBox(ReportWriter(directory: directory, export: "x.xml"), try FindingSpill(in: directory))
            _ = box.take()
            _ = box.take()
        }
    }

    @Test("Files written by name into a folder held open hold the bytes handed; a name written twice fails, naming the file")
    func folderWrites() throws {
        let scratch = try BuiltProducts.scratch("pa-box")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = try OutputDirectory(destination: scratch.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        let folder = try FileSystem.Folder(directory.staging + "/workflows")
        let writer = BackgroundWriter(directory, capacity: 4)
        let values = (0..<100).map { JSONValue.members(["id": .string("w\($0)"), "n": .integer($0)]) }
        for (index, value) in values.enumerated() {
            try writer.write("w\(index).json", in: folder, shownFolder: "workflows") { create throws(FileSystem.Failure) in
                try Self.hand(value.canonicalBytes, to: create)
            }
        }
        try writer.finish()
        for (index, value) in values.enumerated() {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory.staging + "/workflows/w\(index).json")))
            #expect(bytes == value.canonicalBytes)
        }
        let again = BackgroundWriter(directory, capacity: 4)
        var failure: CommandError?
        do {
            try again.write("w0.json", in: folder, shownFolder: "workflows") { create throws(FileSystem.Failure) in
                try Self.hand([1], to: create)
            }
            try again.finish()
        } catch {
            failure = error
        }
        again.cancel()
        #expect(failure?.description.contains(directory.destination + "/workflows/w0.json") == true, "\(String(describing: failure))")
    }

    /// Hands `bytes` to `create` in place (`Array.withUnsafeBytes` rethrows untyped: the failure is carried out).
    static func hand(_ bytes: [UInt8], to create: (UnsafeRawBufferPointer) throws(FileSystem.Failure) -> Void) throws(FileSystem.Failure) {
        let failure: FileSystem.Failure? = bytes.withUnsafeBytes { raw in
            do throws(FileSystem.Failure) {
                try create(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}
