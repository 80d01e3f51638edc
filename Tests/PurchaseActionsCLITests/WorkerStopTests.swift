import CommandLineSupport
import CommandLineTesting
import Foundation
@testable import PurchaseActionsCLI
import PurchaseActionsSQLite
import Testing

/// A loopback TCP port that takes connections (the kernel's backlog completes them) and never
/// answers: a webhook that hangs.
final class SilentServer {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(descriptor, 16) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }
}

/// A worker started in the background: its standard error read until a line appears.
struct BackgroundWorker {
    let process = Process()
    let errors = Pipe()
    var text = ""

    init(_ scene: DurableScene, _ arguments: [String]) throws {
        process.executableURL = BuiltProducts.folder(holding: "purchase-actions").appendingPathComponent("purchase-actions")
        process.arguments = arguments
        process.currentDirectoryURL = scene.folder
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Reads standard error until it holds `needle` (or ends). No sleeping, no timing.
    mutating func wait(for needle: String) {
        while !text.contains(needle) {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
    }

    /// Reads standard error to its end and waits for the process.
    mutating func finish() {
        text += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
    }
}

@Suite("purchase-actions run: stopping while a webhook hangs, and one worker per database")
struct WorkerStopTests {
    @Test("A signal while a delivery hangs cancels it, starts no other, records none, and exits 0", arguments: [SIGTERM, SIGINT])
    func stopsDuringHangingDelivery(signal: Int32) throws {
        let server = try SilentServer()
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        var worker = try BackgroundWorker(
            scene,
            [
                "run", "--events", "events", "--clock", "2025-03-05T00:00:00Z", "--deliver-to", "http://127.0.0.1:\(server.port)/hook",
                "--log-level", "debug",
            ])
        worker.wait(for: "debug: delivering")
        kill(worker.process.processIdentifier, signal)
        worker.finish()
        #expect(worker.process.terminationReason == .exit && worker.process.terminationStatus == 0, "\(worker.text)")
        let starts = worker.text.components(separatedBy: "debug: delivering").count - 1
        #expect(starts == 1, "no delivery starts after the signal: \(worker.text)")
        #expect(!worker.text.contains("delivery failed"), "the attempt cut short is not a failure: \(worker.text)")
        #expect(worker.text.contains("info: stopped"), "\(worker.text)")
        let outbox = try DurableScene.objects(try scene.run(["outbox", "--json"]).output)
        #expect(outbox.count == 2 && outbox.allSatisfy { $0["state"] as? String == "pending" && $0["attempts"] as? Int == 0 }, "\(outbox)")
    }

    @Test("The first signal calls the graceful stop, the second the immediate exit; nothing more after it")
    func secondSignal() async {
        let calls = Calls()
        let signals = AsyncStream<Int32> { continuation in
            for signal in [SIGTERM, SIGINT, SIGTERM] { continuation.yield(signal) }
            continuation.finish()
        }
        await StopSignals.watch(signals, first: { calls.add("first \($0)") }, second: { calls.add("second") })
        #expect(calls.list == ["first \(SIGTERM)", "second"])
    }

    @Test("A second run on the same database is refused at once (exit 74) naming the first one's pid; --drain too")
    func oneWorkerPerDatabase() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        var worker = try BackgroundWorker(scene, ["run", "--events", "events", "--clock", "2025-03-01T12:00:00Z"])
        worker.wait(for: "info: ingested")
        let second = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(second.status == 74, "\(second.errors)")
        #expect(
            second.errors.contains(
                "error: another worker is running on purchase-actions.sqlite (pid \(worker.process.processIdentifier)); one worker per database (Docs/operations.md)"),
            "\(second.errors)")
        // Reading and publishing while the worker runs are allowed.
        #expect(try scene.run(["outbox"]).status == 0)
        kill(worker.process.processIdentifier, SIGTERM)
        worker.finish()
        #expect(worker.process.terminationStatus == 0, "\(worker.text)")
        // Once it stopped, the next worker runs.
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
    }

    @Test("SQLite's 'database is locked' says another process was writing and to run again")
    func lockedMessage() {
        let error = StoreError(.io, "could not commit 3 events: database is locked", path: "p.sqlite")
        #expect(error.diagnostic.contains("another process was writing the database"), "\(error.diagnostic)")
        #expect(error.diagnostic.contains("run it again"))
        #expect(error.exitStatus.code == 74)
    }
}

/// What the signal callbacks were called with, in order.
final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String] = []
    func add(_ call: String) { lock.withLock { calls.append(call) } }
    var list: [String] { lock.withLock { calls } }
}
