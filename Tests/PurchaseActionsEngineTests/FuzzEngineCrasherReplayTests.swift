import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replays the inputs of Fixtures/fuzz-crashers/ that the FuzzEvents and FuzzWorkflow harnesses
/// (Tools/Fuzz) found, through the very calls the harnesses make (FuzzHarnessCalls.swift is a link to
/// Tools/Fuzz/Sources/FuzzHarness/HarnessCalls.swift): `events-*` files as events files, `workflow-*`
/// files as workflow files run by an engine. Each may be refused (a `JSONError`) or run (engine errors
/// and `error` records included); a trap, a crash or a hang is a bug.
///
/// Each input runs in a child process (an exit test), so a crasher fails its own test case; the child
/// stops itself after `secondsPerInput` (SIGALRM), so unbounded work fails instead of hanging.
@Suite("Fuzz crashers of the events and workflow harnesses replay cleanly")
struct FuzzEngineCrasherReplayTests {
    /// Fixtures/fuzz-crashers/, found from this file's path.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-crashers")

    /// The inputs of one harness: the files whose names start with `prefix`.
    static func inputs(_ prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Inputs that did unbounded work before the engine's work budget (a workflow calling or
    /// enrolling itself: 2^16 to 3^16 runs per event and gigabytes of log). They run in their own
    /// test, which also checks that the budget stopped them with an `error` record.
    static let unboundedBeforeFix: Set<String> = [
        "workflow-calls-itself-three-times-hang.json",
        "workflow-enrolls-itself-three-times-hang.json",
        "workflow-manual-calls-itself-twice-hang.json",
    ]

    /// How long one input may run in the child process, in a debug build, before it counts as a hang.
    static let secondsPerInput: UInt32 = 120

    @Test("Fixtures/fuzz-crashers holds events and workflow inputs")
    func folderHoldsInputs() {
        #expect(!Self.inputs("events-").isEmpty)
        #expect(!Self.inputs("workflow-").isEmpty)
    }

    @Test("Each events-* input is refused or runs, as FuzzEvents reads it", arguments: inputs("events-"))
    func replayEvents(file: String) async throws {
        let path = Self.folder.appendingPathComponent(file).path
        #expect(FileManager.default.isReadableFile(atPath: path))
        await #expect(processExitsWith: .success, "\(file) crashed or hung the events decoder or the engine") { [path = path as String] in
            alarm(FuzzEngineCrasherReplayTests.secondsPerInput)
            _ = FuzzHarness.runEvents([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
        }
    }

    @Test(
        "Each workflow-* input is refused or runs, as FuzzWorkflow reads it",
        arguments: inputs("workflow-").filter { !unboundedBeforeFix.contains($0) })
    func replayWorkflow(file: String) async throws {
        let path = Self.folder.appendingPathComponent(file).path
        #expect(FileManager.default.isReadableFile(atPath: path))
        await #expect(processExitsWith: .success, "\(file) crashed or hung the workflow decoder or the engine") { [path = path as String] in
            alarm(FuzzEngineCrasherReplayTests.secondsPerInput)
            _ = FuzzHarness.runWorkflow([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
        }
    }

    @Test(
        "Workflows that call or enroll themselves run within the work budget",
        arguments: unboundedBeforeFix.sorted())
    func replayUnbounded(file: String) async throws {
        let path = Self.folder.appendingPathComponent(file).path
        #expect(FileManager.default.isReadableFile(atPath: path))
        await #expect(processExitsWith: .success, "\(file) did unbounded work") { [path = path as String] in
            alarm(FuzzEngineCrasherReplayTests.secondsPerInput)
            let outcome = FuzzHarness.runWorkflow([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
            // The budget stops each event's runs with an error record naming the workflow.
            if outcome.errorRecords == 0 { exit(2) }
        }
    }

    @Test("The harnesses' calls run the fixtures in this process: every line decodes, every workflow runs")
    func fixturesInProcess() throws {
        // In this process on purpose: the exit tests above prove nothing if the child processes do not
        // reach the decoder. The examples hold one event of each type; all 33 lines decode.
        let root = Self.folder.deletingLastPathComponent()
        let events = try #require(FileManager.default.contents(atPath: root.appendingPathComponent("events/examples.jsonl").path))
        let outcome = FuzzHarness.runEvents([UInt8](events))
        #expect(outcome.decoded == 33, "\(outcome)")
        #expect(outcome.decodingError == nil)
        #expect(outcome.records > 33, "every event enters the harness's any-event workflow at least: \(outcome)")

        let workflow = root.appendingPathComponent("expected/course-creator/workflows/slot.product-purchase.prod-foundations-vip.json")
        let run = FuzzHarness.runWorkflow([UInt8](try #require(FileManager.default.contents(atPath: workflow.path))))
        #expect(run.decoded == 1 && run.decodingError == nil && run.engineErrors.isEmpty, "\(run)")
        #expect(run.records > 0, "a payment of the VIP course enters the slot: \(run)")

        let refused = FuzzHarness.runWorkflow(Array(#"{"formatVersion":1}"#.utf8))
        #expect(refused.decoded == 0 && refused.decodingError != nil, "\(refused)")
    }
}
