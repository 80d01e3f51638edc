import CommandLineTesting
import Foundation
import Testing

/// Review 2 (a new user running the worker from the docs): a retention that deletes history as it
/// is written, and a `--clock` before the database's that was silently ignored.
@Suite("purchase-actions run: retention minimum and a clock that goes back")
struct WorkerReviewTwoTests {
    @Test("--retention under 1h is a usage error (exit 64) naming the minimum; 1h and none are taken", arguments: ["0d", "0m", "59m"])
    func retentionMinimum(span: String) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let refused = try scene.run(["run", "--events", "events", "--drain", "--retention", span])
        #expect(refused.status == 64, "\(refused.errors)")
        #expect(refused.errors.contains("--retention is at least 1h"), "\(refused.errors)")
        for taken in ["1h", "none"] {
            let result = try scene.run(["run", "--events", "events", "--drain", "--clock", "2025-03-01T12:00:00Z", "--retention", taken])
            #expect(result.status == 0, "\(taken): \(result.errors)")
        }
    }

    @Test("A --clock before the database's clock says so in a notice and the run stays at the stored clock")
    func clockBehind() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let first = try scene.run(["run", "--events", "events", "--drain", "--clock", "2025-03-09T00:00:00Z", "--retention", "none"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(!first.errors.contains("before the database's clock"), "\(first.errors)")
        let second = try scene.run(["run", "--events", "events", "--drain", "--clock", "2025-03-01T00:00:00Z", "--retention", "none"])
        #expect(second.status == 0, "\(second.errors)")
        #expect(second.errors.contains("--clock is before the database's clock"), "\(second.errors)")
        #expect(second.errors.contains("database-clock=2025-03-09T00:00:00"), "\(second.errors)")
        #expect(second.output.contains("clock at 2025-03-09T00:00:00"), "\(second.output)")
    }
}
