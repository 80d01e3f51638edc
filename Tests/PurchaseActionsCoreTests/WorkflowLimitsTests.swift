import CommandLineTesting
import Foundation
import PurchaseActionsCore
import Testing

/// Every count and offset of workflow format v1 has a documented maximum (Docs/workflow-format.md,
/// "Limits"), and the Swift decoder and the JSON Schema (checked with Python's jsonschema through
/// Tools/check-json.py) agree on it: the maximum (and minimum) is accepted by both, one past it
/// refused by both, at the member's JSON path.
@Suite("Workflow format limits: decoder and schema agree")
struct WorkflowLimitsTests {
    /// One bounded member: where it is, how to write a workflow holding `value` there, its bounds.
    struct Bounded: CustomStringConvertible, Sendable {
        var name: String
        /// The decoder's path (and the schema's, unless `schemaPath` says otherwise).
        var path: String
        /// Where jsonschema reports it: a `oneOf` reports the object it chose among, not the member.
        var schemaPath: String?
        var range: ClosedRange<Int>
        /// Whether one below the minimum is new here too (else only the maximum is tested).
        var testsMinimum: Bool
        /// What the decoder says one past a bound: a value the JSON reader cannot hold is `not-an-integer`.
        var code: JSONError.Code = .invalidValue
        var make: @Sendable (Int) -> String
        var description: String { name }

        /// The workflow with `value`, given as JSON text, in the member.
        func text(_ value: String) -> String { make(Int.min + 12_345).replacingOccurrences(of: String(Int.min + 12_345), with: value) }
    }

    static let settings = #"{"allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account", "accountTimezone": "UTC"}"#

    static func workflow(version: Int = 1, priority: Int = 0, line: Int = 1, triggers: String = "[]", steps: String = "[]") -> String {
        #"{"formatVersion": 1, "id": "w", "name": "W", "version": \#(version), "status": "draft", "priority": \#(priority), "triggers": \#(triggers), "steps": \#(steps), "settings": \#(settings), "source": {"file": "f.xml", "path": "/export", "line": \#(line)}}"#
    }

    static func step(_ json: String) -> String { "[\(json)]" }
    static func wait(_ json: String) -> String { step(#"{"id": "s", "type": "wait", "wait": \#(json)}"#) }
    static func action(_ json: String) -> String { step(#"{"id": "s", "type": "action", "action": \#(json)}"#) }

    static let bounded: [Bounded] = [
        Bounded(name: "version", path: "$.version", range: 1...WorkflowLimits.version, testsMinimum: false) { workflow(version: $0) },
        Bounded(name: "priority", path: "$.priority", range: WorkflowLimits.priority, testsMinimum: true) { workflow(priority: $0) },
        Bounded(name: "source line", path: "$.source.line", range: 0...WorkflowLimits.line, testsMinimum: false) { workflow(line: $0) },
        Bounded(name: "calendar delay days", path: "$.steps[0].wait.delay.days", range: 0...WorkflowLimits.days, testsMinimum: false) {
            workflow(steps: wait(#"{"until": "delay", "delay": {"days": \#($0)}, "calendarDays": true, "from": "now", "at": "08:30"}"#))
        },
        Bounded(name: "elapsed delay days", path: "$.steps[0].wait.delay.days", range: 0...WorkflowLimits.days, testsMinimum: false) {
            workflow(steps: wait(#"{"until": "delay", "delay": {"days": \#($0)}, "calendarDays": false, "from": "enrollment"}"#))
        },
        Bounded(name: "delay hours", path: "$.steps[0].wait.delay.hours", range: 0...WorkflowLimits.hours, testsMinimum: false) {
            workflow(steps: wait(#"{"until": "delay", "delay": {"hours": \#($0)}, "calendarDays": false, "from": "now"}"#))
        },
        Bounded(name: "delay minutes", path: "$.steps[0].wait.delay.minutes", range: 0...WorkflowLimits.minutes, testsMinimum: false) {
            workflow(steps: wait(#"{"until": "delay", "delay": {"minutes": \#($0)}, "calendarDays": false, "from": "now"}"#))
        },
        Bounded(name: "condition timeout days", path: "$.steps[0].wait.timeout.days", range: 0...WorkflowLimits.days, testsMinimum: false) {
            workflow(steps: wait(#"{"until": "condition", "condition": {"field": "contact.tags", "op": "contains", "value": "t"}, "timeout": {"days": \#($0)}, "onTimeout": []}"#))
        },
        Bounded(name: "event timeout hours", path: "$.steps[0].wait.timeout.hours", range: 0...WorkflowLimits.hours, testsMinimum: false) {
            workflow(steps: wait(#"{"until": "event", "event": "tag.added", "filters": [], "timeout": {"hours": \#($0)}, "onTimeout": []}"#))
        },
        Bounded(name: "offsetDays", path: "$.steps[0].wait.offsetDays", range: -WorkflowLimits.days...WorkflowLimits.days, testsMinimum: true) {
            workflow(steps: wait(#"{"until": "field", "field": "contact.fields._Renewal", "offsetDays": \#($0)}"#))
        },
        Bounded(name: "dueInDays", path: "$.steps[0].action.dueInDays", range: 0...WorkflowLimits.days, testsMinimum: false) {
            workflow(steps: action(#"{"type": "create-task", "title": "T", "dueInDays": \#($0)}"#))
        },
        Bounded(name: "inDays", path: "$.steps[0].action.inDays", range: 0...WorkflowLimits.days, testsMinimum: false) {
            workflow(steps: action(#"{"type": "create-appointment", "title": "T", "inDays": \#($0)}"#))
        },
        Bounded(name: "durationMinutes", path: "$.steps[0].action.durationMinutes", range: 1...WorkflowLimits.minutes, testsMinimum: false) {
            workflow(steps: action(#"{"type": "create-appointment", "title": "T", "durationMinutes": \#($0)}"#))
        },
        Bounded(
            name: "quantity", path: "$.steps[0].action.lines[0].quantity", schemaPath: "$.steps[0].action.lines[0]", range: 1...WorkflowLimits.quantity,
            testsMinimum: false
        ) { workflow(steps: action(#"{"type": "create-order", "lines": [{"product": "p", "quantity": \#($0)}], "autocharge": false}"#)) },
        Bounded(name: "condition integer value", path: "$.triggers[0].filters[0].value", range: Int.min...Int.max, testsMinimum: true, code: .notAnInteger) {
            workflow(triggers: #"[{"id": "t", "event": "payment.succeeded", "filters": [{"field": "payment.amount", "op": "at-least", "value": \#($0)}]}]"#)
        },
    ]

    /// The values one past each bound that must be refused (as JSON text: one past 64 bits too).
    static func refused(_ bounded: Bounded) -> [String] {
        func past(_ value: Int, _ step: Int) -> String {
            let (next, overflow) = value.addingReportingOverflow(step)
            return overflow ? (step > 0 ? "9223372036854775808" : "-9223372036854775809") : String(next)
        }
        return [past(bounded.range.upperBound, 1)] + (bounded.testsMinimum ? [past(bounded.range.lowerBound, -1)] : [])
    }

    @Test("The Swift decoder accepts each bound and refuses one past it, at the member's path", arguments: bounded)
    func decoder(_ bounded: Bounded) throws {
        for value in [bounded.range.lowerBound, bounded.range.upperBound] {
            #expect(throws: Never.self, "\(bounded.name) = \(value)") { try Workflow.load(Array(bounded.make(value).utf8)) }
        }
        for value in Self.refused(bounded) {
            let error = try #require(throws: JSONError.self) { try Workflow.load(Array(bounded.text(value).utf8)) }
            #expect(error.path.description == bounded.path, "\(bounded.name) = \(value): \(error)")
            #expect(error.code == bounded.code)
        }
    }

    @Test("Python's jsonschema accepts each bound and refuses one past it, at the member's path", .requires(.jsonschema))
    func schema() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workflow-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var accepted: [String] = []
        var manifest: [[String: String]] = []
        for (index, bounded) in Self.bounded.enumerated() {
            for (end, value) in [("min", bounded.range.lowerBound), ("max", bounded.range.upperBound)] {
                let file = folder.appendingPathComponent("ok-\(index)-\(end).json")
                try bounded.make(value).write(to: file, atomically: true, encoding: .utf8)
                accepted.append(file.path)
            }
            for (offset, value) in Self.refused(bounded).enumerated() {
                let name = "refused-\(index)-\(offset).json"
                try bounded.text(value).write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
                manifest.append(["file": name, "path": bounded.schemaPath ?? bounded.path, "why": "\(bounded.name) = \(value)"])
            }
        }
        let manifestFile = folder.appendingPathComponent("manifest.json")
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestFile)
        let valid = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json"] + accepted)
        #expect(valid.status == 0, "\(valid.output)")
        let invalid = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", "--invalid", manifestFile.path])
        #expect(invalid.status == 0, "\(invalid.output)")
    }

    @Test("accountTimezone: 64 characters are read, 65 refused at its path, by the decoder and the schema", .requires(.jsonschema))
    func timezoneLength() throws {
        func workflow(_ zone: String) -> String { Self.workflow().replacing(#""accountTimezone": "UTC""#, with: #""accountTimezone": "\#(zone)""#) }
        let longest = "Zone/" + String(repeating: "a", count: 59)
        #expect(longest.utf8.count == 64)
        #expect(throws: Never.self) { try Workflow.load(Array(workflow(longest).utf8)) }
        let error = try #require(throws: JSONError.self) { try Workflow.load(Array(workflow(longest + "b").utf8)) }
        #expect(error.path.description == "$.settings.accountTimezone", "\(error)")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workflow-timezone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try workflow(longest).write(to: folder.appendingPathComponent("ok.json"), atomically: true, encoding: .utf8)
        try workflow(longest + "b").write(to: folder.appendingPathComponent("long.json"), atomically: true, encoding: .utf8)
        let manifest = folder.appendingPathComponent("manifest.json")
        try JSONSerialization.data(withJSONObject: [["file": "long.json", "path": "$.settings.accountTimezone", "why": "65 characters"]])
            .write(to: manifest)
        let valid = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", folder.appendingPathComponent("ok.json").path])
        #expect(valid.status == 0, "\(valid.output)")
        let invalid = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", "--invalid", manifest.path])
        #expect(invalid.status == 0, "\(invalid.output)")
    }

    /// Header fields with CR, LF or NUL: refused by both, at the member's path.
    static let headerCases: [(name: String, path: String, text: String)] = [
        ("subject with CRLF", "$.steps[0].action.subject", workflow(steps: action(#"{"type": "send-email", "to": {"type": "contact"}, "from": {"name": "N", "address": "a@b.c"}, "subject": "Hi\r\nBcc: x@y.z", "text": "t"}"#))),
        ("subject with NUL", "$.steps[0].action.subject", workflow(steps: action(#"{"type": "send-email", "to": {"type": "contact"}, "from": {"name": "N", "address": "a@b.c"}, "subject": "Hi\u0000", "text": "t"}"#))),
        ("sender name with LF", "$.steps[0].action.from.name", workflow(steps: action(#"{"type": "send-email", "to": {"type": "contact"}, "from": {"name": "N\nBcc: x@y.z", "address": "a@b.c"}, "subject": "S", "text": "t"}"#))),
        ("sender address with NUL", "$.steps[0].action.from.address", workflow(steps: action(#"{"type": "send-email", "to": {"type": "contact"}, "from": {"name": "N", "address": "a@b.c\u0000"}, "subject": "S", "text": "t"}"#))),
        ("reply-to with CR", "$.steps[0].action.replyTo", workflow(steps: action(#"{"type": "send-email", "to": {"type": "contact"}, "from": {"name": "N", "address": "a@b.c"}, "replyTo": "a@b.c\r", "subject": "S", "text": "t"}"#))),
        ("recipient address with NUL", "$.steps[0].action.to.address", workflow(steps: action(#"{"type": "notify", "to": {"type": "address", "address": "x@y.z\u0000"}, "subject": "S", "fields": []}"#))),
        ("notify subject with LF", "$.steps[0].action.subject", workflow(steps: action(#"{"type": "notify", "to": {"type": "owner"}, "subject": "S\nX-Evil: 1", "fields": []}"#))),
    ]

    @Test("CR, LF and NUL in email header fields are refused by the decoder and the schema, at the member's path", .requires(.jsonschema))
    func headerFields() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workflow-headers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var manifest: [[String: String]] = []
        for (index, item) in Self.headerCases.enumerated() {
            let error = try #require(throws: JSONError.self, "\(item.name)") { try Workflow.load(Array(item.text.utf8)) }
            #expect(error.path.description == item.path, "\(item.name): \(error)")
            #expect(!error.message.contains("\r") && !error.message.contains("\n") && !error.message.contains("\0"), "\(item.name): raw control in \(error.message)")
            try item.text.write(to: folder.appendingPathComponent("h\(index).json"), atomically: true, encoding: .utf8)
            manifest.append(["file": "h\(index).json", "path": item.path, "why": item.name])
        }
        let manifestFile = folder.appendingPathComponent("manifest.json")
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestFile)
        let invalid = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", "--invalid", manifestFile.path])
        #expect(invalid.status == 0, "\(invalid.output)")
        // A tab in a subject is still fine (folded headers allow it), and so is any other text.
        let tab = Self.workflow(steps: Self.action(#"{"type": "send-email", "to": {"type": "contact"}, "from": {"name": "N", "address": "a@b.c"}, "subject": "Hi\tthere — ünïcode", "text": "t"}"#))
        #expect(throws: Never.self) { try Workflow.load(Array(tab.utf8)) }
    }

    /// Fixtures/workflows/invalid: hostile workflow files, each refused at its manifest's path.
    static let invalidFolder = WorkflowDecodingTests.root.appendingPathComponent("Fixtures/workflows/invalid")

    @Test("Every file of Fixtures/workflows/invalid is refused by the decoder and the schema at its manifest's path", .requires(.jsonschema))
    func invalidFixtures() throws {
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.invalidFolder.appendingPathComponent("manifest.json"))) as? [[String: String]])
        #expect(manifest.count >= 10)
        for entry in manifest {
            let file = try #require(entry["file"])
            let bytes = try [UInt8](Data(contentsOf: Self.invalidFolder.appendingPathComponent(file)))
            let error = try #require(throws: JSONError.self, "\(file)") { try Workflow.load(bytes) }
            #expect(error.path.description == entry["path"], "\(file): \(error)")
        }
        let run = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", "--invalid", "Fixtures/workflows/invalid/manifest.json"])
        #expect(run.status == 0, "\(run.output)")
    }

    struct Run {
        var status: Int32
        var output: String
    }

    static func checkJSON(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "Tools/check-json.py"] + arguments
        process.currentDirectoryURL = WorkflowDecodingTests.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
