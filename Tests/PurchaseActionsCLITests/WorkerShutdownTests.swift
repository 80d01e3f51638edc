import CommandLineTesting
import Foundation
import Testing

/// `purchase-actions run` without `--drain` runs until a signal, then stops gracefully (exit 0)
/// after the commit in progress (swift-service-lifecycle).
@Suite("purchase-actions run: graceful shutdown on SIGTERM and SIGINT")
struct WorkerShutdownTests {
    @Test("The worker reads the events folder, then a signal stops it with exit 0; a restart reads nothing again", arguments: [SIGTERM, SIGINT])
    func stopsOnSignal(signal: Int32) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let process = Process()
        process.executableURL = BuiltProducts.folder(holding: "purchase-actions").appendingPathComponent("purchase-actions")
        process.arguments = ["run", "--events", "events", "--clock", "2025-03-01T12:00:00Z", "--record", "deliveries.jsonl"]
        process.currentDirectoryURL = scene.folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Blocks until the worker says it committed the file's event (no sleeping, no timing).
        var text = ""
        while !text.contains("info: ingested") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        #expect(text.contains("info: ingested events=1 file=a.jsonl"), "\(text)")
        kill(process.processIdentifier, signal)
        text += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(text.contains("info: stopped"), "\(text)")
        let again = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(again.output.contains("0 events read"), "the position was stored: \(again.output)")
    }
}
