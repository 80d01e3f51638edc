// The calls the FuzzEvents and FuzzWorkflow harnesses make for one input, shared with the replay test.
//
// This file is compiled twice: here, as the `FuzzHarness` library of the fuzz package, and as
// Tests/PurchaseActionsEngineTests/FuzzHarnessCalls.swift (a symbolic link to this file), so the
// replay test (FuzzEngineCrasherReplayTests) makes exactly the calls the harnesses make. Its public
// API uses standard-library types only (the test target imports the engine internally), and it
// compiles in both Swift 5 mode (the fuzz package is tools 5.4) and Swift 6 mode.
//
// Any `JSONError` or `EngineError` is a fine outcome. A crash, a trap, a sanitizer report, a hang
// (over libFuzzer's -timeout) or memory over -rss_limit_mb is a bug.

import Foundation
import PurchaseActionsCore
import PurchaseActionsEngine

/// What one input did: how many lines or workflows decoded, what was refused, what the engine logged.
public struct FuzzOutcome: CustomStringConvertible {
    /// Event lines (FuzzEvents) or workflows (FuzzWorkflow) that decoded.
    public var decoded = 0
    /// The first decoding error (`path: message`), if any.
    public var decodingError: String?
    /// Engine errors (an event in the past, an unknown timezone, ...), each `EngineError.description`.
    public var engineErrors: [String] = []
    /// Log records the engine wrote (every ingest, run and the final advance).
    public var records = 0
    /// Log records with status `error` (a call too deep, a missing workflow, ...).
    public var errorRecords = 0
    /// Something derived from every message and JSON record, so nothing is optimised away.
    public var checksum = 0

    public var description: String {
        "\(decoded) decoded, \(records) records (\(errorRecords) errors)"
            + (decodingError.map { ", refused: \($0)" } ?? "") + (engineErrors.isEmpty ? "" : ", engine: \(engineErrors)")
    }
}

/// The calls, as in `purchase-actions simulate`.
public enum FuzzHarness {
    /// How far the clock runs after the last event: `simulate --until`'s maximum span (100 years of 366 days).
    public static let horizonSeconds: Int64 = 100 * 366 * 86_400

    /// The repository's root: the nearest folder above this file holding both Package.swift and Fixtures/.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let manager = FileManager.default
            if manager.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
                manager.fileExists(atPath: url.appendingPathComponent("Fixtures/events").path)
            {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        fatalError("FuzzHarness: no repository root above \(#filePath)")
    }()

    /// The system's zones, read once for all inputs (the other ports are new for each input).
    /// One caller at a time: libFuzzer runs inputs one by one, and the replay test runs each in its own process.
    nonisolated(unsafe) static let timeZones = SystemTimeZoneDatabase()

    // MARK: FuzzEvents

    /// An events file's non-blank lines, split exactly as `SimulationInput.eventLines` does: on LF, a
    /// CR before it dropped, lines of only spaces, tabs and CRs skipped.
    public static func eventLines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).compactMap { line in
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            return trimmed.allSatisfy { [0x20, 0x09, 0x0D].contains($0) } ? nil : Array(trimmed)
        }
    }

    /// The FuzzEvents input: each line through `Event.load` (as `simulate --keep-going`: a bad line is
    /// reported and skipped), then the first `maximumIngested` events that decoded through an engine running every workflow
    /// of Fixtures/expected/*/workflows plus `anyEventWorkflow`, the clock run on 100 years at the end.
    public static func runEvents(_ bytes: [UInt8]) -> FuzzOutcome {
        var outcome = FuzzOutcome()
        var events: [Event] = []
        for line in eventLines(bytes) {
            do {
                events.append(try Event.load(line))
                outcome.decoded += 1
            } catch {
                outcome.decodingError = outcome.decodingError ?? "\(error.path): \(error.message)"
                outcome.checksum &+= "\(error.line ?? 0):\(error.column ?? 0)".utf8.count &+ error.description.utf8.count
            }
        }
        guard let first = events.first else { return outcome }
        let engine: Engine
        do {
            engine = try Engine(workflows: eventWorkflows, start: first.occurredAt, ports: Engine.Ports(timeZones: timeZones))
        } catch {
            outcome.engineErrors.append(error.description)
            return outcome
        }
        var last = first.occurredAt
        for event in events.prefix(maximumIngested) {
            do {
                outcome.add(try engine.ingest(event))
                last = max(last, event.occurredAt)
            } catch {
                outcome.engineErrors.append(error.description)
            }
        }
        outcome.add(engine.advance(to: last.adding(seconds: horizonSeconds)))
        return outcome
    }

    /// How many of the decoded events the engine takes (every line is decoded): bounds one input's
    /// work so the fuzzer stays fast; the engine's handling of long streams is the benchmarks' part.
    public static let maximumIngested = 16

    /// The workflows the events run through: the fixtures' (the first of each id) and one entered by
    /// every event type, with a calendar wait, a field wait and an event wait.
    static let eventWorkflows: [Workflow] = {
        var byID: [String: Workflow] = [:]
        let expected = root + "/Fixtures/expected"
        let manager = FileManager.default
        for migration in ((try? manager.contentsOfDirectory(atPath: expected)) ?? []).sorted() {
            let folder = expected + "/" + migration + "/workflows"
            // The migration's templates, which its workflows' actions refer to.
            var templates: [String: WorkflowTemplate] = [:]
            let templateFolder = expected + "/" + migration + "/templates"
            for name in ((try? manager.contentsOfDirectory(atPath: templateFolder)) ?? []) where name.hasSuffix(".json") {
                guard let data = manager.contents(atPath: templateFolder + "/" + name), let template = try? WorkflowTemplate.load([UInt8](data)) else {
                    fatalError("FuzzHarness: cannot load \(templateFolder)/\(name)")
                }
                templates[template.id] = template
            }
            for name in ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted() where name.hasSuffix(".json") {
                guard let data = manager.contents(atPath: folder + "/" + name), let workflow = try? Workflow.load([UInt8](data), templates: templates) else {
                    fatalError("FuzzHarness: cannot load \(folder)/\(name)")
                }
                if byID[workflow.id] == nil { byID[workflow.id] = workflow }
            }
        }
        guard byID.count > 10 else { fatalError("FuzzHarness: no fixture workflows under \(expected)") }
        do {
            let any = try Workflow.load(Array(anyEventWorkflow.utf8))
            byID[any.id] = any
        } catch {
            fatalError("FuzzHarness: anyEventWorkflow: \(error)")
        }
        return byID.keys.sorted().map { byID[$0]! }
    }()

    /// A workflow every event type enters: tags, waits of each kind, a condition and a call.
    static let anyEventWorkflow: String = {
        let types = EventType.all.map(\.rawValue)
        let triggers = types.enumerated().map { index, type in #"{"id":"t\#(index)","event":"\#(type)","filters":[]}"# }
        return """
            {"formatVersion":1,"id":"fuzz.any-event","name":"Fuzz: every event","version":1,"status":"published","priority":5,
             "triggers":[\(triggers.joined(separator: ","))],
             "steps":[
              {"id":"tag","type":"action","action":{"type":"add-tag","tag":"tag-fuzz"}},
              {"id":"w1","type":"wait","wait":{"until":"delay","delay":{"days":1},"calendarDays":true,"from":"now","at":"02:30"}},
              {"id":"w2","type":"wait","wait":{"until":"field","field":"contact.fields._FuzzDate","offsetDays":-3,"at":"01:30"}},
              {"id":"w3","type":"wait","wait":{"until":"event","event":"tag.added","filters":[{"id":"f","field":"tag","op":"equals","value":"tag-fuzz-2"}],
                "timeout":{"days":3,"hours":1},"onTimeout":[{"id":"late","type":"action","action":{"type":"remove-tag","tag":"tag-fuzz"}}]}},
              {"id":"w4","type":"wait","wait":{"until":"delay","delay":{"days":7},"calendarDays":true,"from":"enrollment"}},
              {"id":"untag","type":"action","action":{"type":"remove-tag","tag":"tag-fuzz"}}
             ],
             "settings":{"accountTimezone":"Europe/Dublin","allowReentry":true,"onePerOrder":false,"stopOnResponse":true,"timezone":"contact"}}
            """
    }()

    // MARK: FuzzWorkflow

    /// The contact the fixed events are about, with date fields for `until: field` waits (one far
    /// ahead, one far back, one in a leap year) and a zone with daylight-saving time.
    static let contact = ContactReference(
        firstName: "Ada", lastName: "Byrne", email: "ada.byrne@example.com", timezone: "America/St_Johns",
        fields: ["Birthday": "1992-02-29", "_FuzzDate": "2025-03-30", "_Far": "9999-12-31", "_Past": "0001-01-01", "_Text": "soon"],
        tags: ["tag-vip", "tag-basic"])

    /// The clock at the first fixed event: 00:30 UTC on the day Europe turns its clocks forward.
    static let start = Instant(secondsSinceEpoch: 1_743_294_600)

    /// One example of each event type, from Fixtures/events/examples.jsonl, by type.
    static let examples: [String: Event] = {
        let path = root + "/Fixtures/events/examples.jsonl"
        guard let data = FileManager.default.contents(atPath: path) else { fatalError("FuzzHarness: cannot read \(path)") }
        var examples: [String: Event] = [:]
        for line in eventLines([UInt8](data)) {
            guard let event = try? Event.load(line) else { fatalError("FuzzHarness: a bad line in \(path)") }
            if examples[event.type.rawValue] == nil { examples[event.type.rawValue] = event }
        }
        return examples
    }()

    /// The `index`th fixed event of a type (nil for types without an example, such as `manual`): the
    /// example, about `contact`, `index` hours and 7 minutes after `start`.
    static func fixedEvent(_ type: String, _ index: Int) -> Event? {
        guard var event = examples[type] else { return nil }
        event.id = "fuzz-\(type)-\(index)"
        event.occurredAt = start.adding(seconds: Int64(index) * 3_600 + 420)
        event.offsetSeconds = -9_000
        event.contact = contact
        return event
    }

    /// The FuzzWorkflow input: decoded as one workflow file (as `simulate --workflows` does); when it
    /// decodes, written back and read again (the two must agree), then run by an engine holding it
    /// alone: two fixed events of each of its triggers' types (up to four types; a `manual` trigger
    /// runs it by id for a contact made by `contact.created`), one of each other type the file names
    /// (up to four: what its goals and event waits listen for), then the clock 100 years on.
    public static func runWorkflow(_ bytes: [UInt8]) -> FuzzOutcome {
        var outcome = FuzzOutcome()
        let workflow: Workflow
        do {
            workflow = try Workflow.load(bytes)
            outcome.decoded = 1
        } catch {
            outcome.decodingError = "\(error.path): \(error.message)"
            outcome.checksum &+= "\(error.line ?? 0):\(error.column ?? 0)".utf8.count &+ error.description.utf8.count
            return outcome
        }
        // Workflow+JSON is the exact inverse of Workflow+Decoding (Docs/workflow-format.md).
        let written = workflow.json.canonicalBytes
        guard let again = try? Workflow.load(written), again == workflow else {
            fatalError("FuzzHarness: the workflow does not read back as written: \(String(decoding: written, as: UTF8.self))")
        }
        let engine: Engine
        do {
            engine = try Engine(workflows: [workflow], start: start, ports: Engine.Ports(timeZones: timeZones))
        } catch {
            outcome.engineErrors.append(error.description)
            return outcome
        }
        let types = Array(Set(workflow.triggers.map(\.event.rawValue))).sorted().prefix(4)
        var index = 0
        var contactID: String?
        for type in types {
            for _ in 0..<2 {
                index += 1
                if type == EventType.manual.rawValue {
                    if contactID == nil, let creation = fixedEvent(EventType.contactCreated.rawValue, index) {
                        do {
                            outcome.add(try engine.ingest(creation))
                        } catch {
                            outcome.engineErrors.append(error.description)
                        }
                        contactID = engine.log.compactMap(\.contactID).first
                    }
                    guard let contactID else { continue }
                    do {
                        outcome.add(try engine.run(workflowID: workflow.id, contactID: contactID))
                    } catch {
                        outcome.engineErrors.append(error.description)
                    }
                } else if let event = fixedEvent(type, index) {
                    do {
                        outcome.add(try engine.ingest(event))
                    } catch {
                        outcome.engineErrors.append(error.description)
                    }
                }
            }
        }
        // Then one event of each other type the file names (up to four; goals and event waits
        // listen for them), so waits resume and goals are reached, not only entered.
        let text = String(decoding: written, as: UTF8.self)
        let others = EventType.all.map(\.rawValue).filter { !types.contains($0) && text.contains("\"\($0)\"") }.prefix(4)
        for type in others {
            index += 1
            guard let event = fixedEvent(type, index) else { continue }
            do {
                outcome.add(try engine.ingest(event))
            } catch {
                outcome.engineErrors.append(error.description)
            }
        }
        outcome.add(engine.advance(to: start.adding(seconds: horizonSeconds)))
        return outcome
    }
}

extension FuzzOutcome {
    mutating func add(_ batch: [LogRecord]) {
        records += batch.count
        for record in batch {
            if record.status == .error { errorRecords += 1 }
            checksum &+= record.message.utf8.count &+ record.json.compactText.utf8.count
        }
    }
}
