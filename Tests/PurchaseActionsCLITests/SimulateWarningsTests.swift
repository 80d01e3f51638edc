import CommandLineTesting
import Foundation
import PurchaseActionsCore
import Testing

/// Issue 10, simulate: what the reader, the compiler and the engine's work budget find is printed
/// as `import-actions` prints it; workflow files and folders have a maximum size; a workflow that
/// grows over simulated time is bounded (Docs/cli.md, "Warnings"; Docs/workflow-format.md, "Limits").
@Suite("purchase-actions simulate: warnings, workflow file limits, growth over time")
struct SimulateWarningsTests {
    static func simulate(_ arguments: [String]) throws -> BuiltProducts.Result { try Tool.simulate(arguments) }

    static func withScratch(_ body: (URL) throws -> Void) throws { try Tool.withScratch(body) }

    static func write(_ workflow: Workflow, in folder: URL) throws {
        try Data(workflow.json.canonicalBytes).write(to: folder.appendingPathComponent(workflow.id + ".json"))
    }

    static func workflow(_ id: String, _ steps: [Step]) -> Workflow {
        Workflow(
            id: id, name: id, priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])], steps: steps,
            settings: WorkflowSettings(accountTimezone: "UTC"))
    }

    static let tagEvent = #"{"id":"ev-1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"tag":"tag-x"}"#

    @Test("--workflows: a workflow over the work budget is a warning on standard error naming its file; the run goes on")
    func overBudgetWarning() throws {
        try Self.withScratch { scratch in
            let loop = Self.workflow("loop", ["c1", "c2", "c3"].map { Step(id: $0, .call(workflowID: "loop")) })
            try Self.write(loop, in: scratch)
            try Self.write(Self.workflow("fine", [Step(id: "t1", .action(.addTag(tagID: "tag-y")))]), in: scratch)
            let events = scratch.appendingPathComponent("events.jsonl")
            try Data((Self.tagEvent + "\n").utf8).write(to: events)
            let result = try Self.simulate(["--workflows", scratch.path, "--events", events.path])
            #expect(result.status == 0, "\(result.errors)")
            let warnings = result.errors.split(separator: "\n").filter { $0.contains(": warning: ") }.map(String.init)
            #expect(warnings == [
                "\(scratch.path)/loop.json: warning: workflow 'loop' runs steps and enrollments, with repetitions, without end (a cycle of calls or enroll steps): more than the 10000 the engine runs for one event, so a run of it stops part way (Docs/engine.md, \"The work budget\")"
            ])
            #expect(result.output.contains("the work budget (10000 steps and enrollments"))
        }
    }

    @Test("--export: the reader's warnings (the call-graph expansion) and the compiler's findings are printed as import-actions prints them")
    func exportWarnings() throws {
        try Self.withScratch { scratch in
            let sets = (1...13).map { number in
                let runs = number < 13 ? (1...4).map { #"<run-action-set id="as-\#(number).r\#($0)" action-set="as-\#(number + 1)"/>"# }.joined() : ""
                return #"<action-set id="as-\#(number)" name="S\#(number)">\#(runs)<apply-tag id="as-\#(number).t" tag="tag-a"/></action-set>"#
            }.joined(separator: "\n")
            let export = scratch.appendingPathComponent("chain.xml")
            try Data(Self.export(actionSets: sets).utf8).write(to: export)
            let events = scratch.appendingPathComponent("events.jsonl")
            try Data((Self.tagEvent + "\n").utf8).write(to: events)
            let imported = try Tool.run("import-actions", [export.path, "-o", scratch.appendingPathComponent("out").path])
            let simulated = try Self.simulate(["--export", export.path, "--events", events.path])
            #expect(simulated.status == 0, "\(simulated.errors)")
            // The reader's warning, word for word as import-actions prints it.
            let warning = try #require(imported.errors.split(separator: "\n").first { $0.contains(": warning: ") })
            #expect(warning.hasPrefix("\(export.path):"))
            #expect(simulated.errors.split(separator: "\n").contains(warning))
            // The compiler's finding for each set over the budget, as a note with its code.
            #expect(simulated.errors.contains(": note: ") && simulated.errors.contains("[expansion-over-budget]"))
        }
    }

    @Test("A physical-goods export prints its queued fulfilment list note, as import-actions does")
    func exportFindings() throws {
        let export = "Fixtures/exports/physical-goods-store.xml"
        let result = try Self.simulate(["--export", export, "--events", "Fixtures/events/physical-goods-store.jsonl"])
        let imported = try Tool.run("import-actions", [export, "--check", "--no-schema"])
        #expect(result.status == 0 && imported.status == 0)
        #expect(result.errors.split(separator: "\n").contains { $0.hasPrefix("\(export):181:79: note: fulfillment list 'fl-warehouse' was queued") })
    }

    static func export(actionSets: String) -> String { TestExports.withActionSets(actionSets) }

    @Test("A workflow file one byte past --max-workflow-bytes is refused with exit 65; at it, it is read")
    func workflowFileSize() throws {
        try Self.withScratch { scratch in
            try Self.write(Self.workflow("fine", [Step(id: "t1", .action(.addTag(tagID: "tag-y")))]), in: scratch)
            let file = scratch.appendingPathComponent("fine.json")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
            let events = scratch.appendingPathComponent("events.jsonl")
            try Data((Self.tagEvent + "\n").utf8).write(to: events)
            let atLimit = try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--max-workflow-bytes", "\(size)"])
            #expect(atLimit.status == 0, "\(atLimit.errors)")
            let past = try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--max-workflow-bytes", "\(size - 1)"])
            #expect(past.status == 65)
            #expect(past.errors == "\(file.path): error: the file is larger than \(size - 1) bytes, the most a workflow file may hold (Docs/workflow-format.md, \"Limits\")\n")
            #expect(past.output.isEmpty)
            #expect(try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--max-workflow-bytes", "0"]).status == 64)
        }
    }

    @Test("A folder one file past --max-workflow-files is refused with exit 65; at it, it is read")
    func workflowFileCount() throws {
        try Self.withScratch { scratch in
            let folder = scratch.appendingPathComponent("w")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            for number in 1...3 { try Self.write(Self.workflow("w\(number)", [Step(id: "t1", .action(.addTag(tagID: "tag-y")))]), in: folder) }
            // Not workflow files: not counted.
            try Data("x".utf8).write(to: folder.appendingPathComponent("README.txt"))
            try Data("x".utf8).write(to: folder.appendingPathComponent("._w1.json"))
            let events = scratch.appendingPathComponent("events.jsonl")
            try Data((Self.tagEvent + "\n").utf8).write(to: events)
            let atLimit = try Self.simulate(["--workflows", folder.path, "--events", events.path, "--max-workflow-files", "3"])
            #expect(atLimit.status == 0, "\(atLimit.errors)")
            let past = try Self.simulate(["--workflows", folder.path, "--events", events.path, "--max-workflow-files", "2"])
            #expect(past.status == 65)
            #expect(past.errors == "\(folder.path): error: the folder holds more than 2 workflow files (*.json), the most a folder of workflows may hold (Docs/workflow-format.md, \"Limits\")\n")
            #expect(try Self.simulate(["--workflows", folder.path, "--events", events.path, "--max-workflow-files", "0"]).status == 64)
        }
    }

    @Test("A workflow that waits an hour then enrolls itself three times runs --until 2d within 100 running enrollments")
    func growthOverTime() throws {
        try Self.withScratch { scratch in
            let grow = Self.workflow(
                "grow",
                [Step(id: "hour", .wait(.delay(Delay(hours: 1), calendarDays: false, at: nil, from: .now)))]
                    + ["e1", "e2", "e3"].map { Step(id: $0, .enroll(workflowID: "grow")) })
            try Self.write(grow, in: scratch)
            let events = scratch.appendingPathComponent("events.jsonl")
            try Data((Self.tagEvent + "\n").utf8).write(to: events)
            let result = try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--until", "2d"])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("the contact has 100 running enrollments in grow, the most one contact may have in one workflow"))
            // 3^48 enrollments without the limit; with it, about 100 an hour.
            let entered = result.output.split(separator: "\n").filter { $0.hasPrefix("  entered ") }.count
            #expect(entered <= 48 * 100 + 1)
        }
    }
}

extension SimulateWarningsTests {
    /// 20 contacts each waiting an hour three times, and a late event the next day.
    static func slowFolder(_ scratch: URL) throws -> URL {
        let steps = (1...3).map { Step(id: "w\($0)", .wait(.delay(Delay(hours: 1), calendarDays: false, at: nil, from: .now))) }
        try Self.write(Self.workflow("slow", steps), in: scratch)
        let lines = (1...20).map { #"{"id":"ev-\#($0)","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-\#($0)"},"tag":"tag-x"}"# }
        let events = scratch.appendingPathComponent("events.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: events)
        return events
    }

    @Test("--max-advance-work: the wake-ups before --until stopping at it is exit 65, what ran shown; one more and it completes")
    func advanceWorkUntil() throws {
        try Self.withScratch { scratch in
            let events = try Self.slowFolder(scratch)
            // 20 contacts x (2 wake-ups of 2 units + 1 of 1 unit) = 100 units.
            let fits = try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--until", "1d", "--max-advance-work", "100"])
            #expect(fits.status == 0, "\(fits.errors)")
            let stopped = try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--until", "1d", "--max-advance-work", "99"])
            #expect(stopped.status == 65)
            #expect(stopped.errors.hasPrefix("error: the simulation stopped at 2025-01-01T03:00:00Z, before --until (2025-01-02T00:00:00Z): the wake-ups due did 99 steps"), "\(stopped.errors)")
            #expect(stopped.output.contains("clock stopped"))
            #expect(stopped.output.contains("resumed"))
            #expect(try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--max-advance-work", "0"]).status == 64)
        }
    }

    @Test("--max-advance-work: an event the wake-ups before it cannot reach stops the run (exit 65, even with --keep-going)")
    func advanceWorkEvent() throws {
        try Self.withScratch { scratch in
            let events = try Self.slowFolder(scratch)
            let handle = try FileHandle(forWritingTo: events)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((#"{"id":"late","type":"tag.added","occurredAt":"2025-01-02T00:00:00Z","contact":{"id":"c-late"},"tag":"tag-x"}"# + "\n").utf8))
            try handle.close()
            let stopped = try Self.simulate(["--workflows", scratch.path, "--events", events.path, "--max-advance-work", "50", "--keep-going"])
            #expect(stopped.status == 65)
            #expect(stopped.errors.hasPrefix("\(events.path):21: error: the simulation stopped at 2025-01-01T02:00:00Z, before event 'late'"), "\(stopped.errors)")
            #expect(!stopped.output.contains("c-late"))
        }
    }
}
