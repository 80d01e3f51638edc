import CommandLineTesting
import Foundation
import Testing

/// Issue 12, item 5: `simulate` warns once per product, plan or action set an event names that the
/// automation does not know (at the first line naming it); `--strict` makes it a bad line (exit 65).
@Suite("purchase-actions simulate: unknown products, plans and action sets in events")
struct SimulateUnknownNamesTests {
    static let export = "Fixtures/exports/course-creator.xml"

    static func event(_ id: String, minute: Int, order lines: String = #"[{"product":"prod-foundations-basic","quantity":1}]"#, extra: String = "") -> String {
        #"{"id":"\#(id)","type":"payment.succeeded","occurredAt":"2025-03-03T09:\#(minute < 10 ? "0" : "")\#(minute):00Z","contact":{"id":"c-1"},"order":{"id":"o-\#(id)","source":"cart","lines":\#(lines),"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":100,"currency":"USD"}}\#(extra)}"#
    }

    static func emailEvent(_ id: String, minute: Int, workflow: String) -> String {
        #"{"id":"\#(id)","type":"email.opened","occurredAt":"2025-03-03T09:\#(minute):00Z","contact":{"id":"c-1"},"email":{"message":"m-1","workflow":"\#(workflow)"}}"#
    }

    static func events(in scratch: URL) throws -> URL {
        let lines = [
            event("e1", minute: 1),
            event("e2", minute: 2, order: #"[{"product":"prod-ghost","quantity":1},{"subscriptionPlan":"plan-ghost"}]"#),
            event("e3", minute: 3, order: #"[{"product":"prod-ghost","quantity":1}]"#),
            emailEvent("e4", minute: 14, workflow: "action-set.as-ghost"),
            emailEvent("e5", minute: 15, workflow: "action-set.as-ghost"),
        ]
        let file = scratch.appendingPathComponent("events.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        return file
    }

    @Test("--export: one warning per unknown product, plan and action set, at the first line naming it; the run goes on (exit 0)")
    func warnings() throws {
        try Tool.withScratch { scratch in
            let events = try Self.events(in: scratch)
            let result = try Tool.simulate(["--export", Self.export, "--events", events.path])
            #expect(result.status == 0, "\(result.errors)")
            let warnings = result.errors.split(separator: "\n").filter { $0.contains(": warning: $.") }.map(String.init)
            let tail = "so no workflow can react to it as it would to a known one (later events naming it are not reported again; --strict makes this an error)"
            #expect(warnings == [
                "\(events.path):2: warning: $.order.lines[0].product: product 'prod-ghost' is not in the account's catalogue, \(tail)",
                "\(events.path):2: warning: $.order.lines[1].subscriptionPlan: subscription plan 'plan-ghost' is not in the account's catalogue, \(tail)",
                "\(events.path):4: warning: $.email.workflow: action set 'action-set.as-ghost' is not in the workflows, \(tail)",
            ])
            #expect(result.output.contains("5 events"))
        }
    }

    @Test("--export: an extension attribute on <export> or <catalogue> does not hide the catalogue (a known product is known; review 3 regression)")
    func extensionsBeforeTheCatalogue() throws {
        try Tool.withScratch { scratch in
            var text = try String(contentsOf: BuiltProducts.root.appendingPathComponent(Self.export), encoding: .utf8)
            text = text.replacing("<export ", with: "<export xmlns:k=\"urn:keap:x\" k:exported-by=\"bob\" ")
            text = text.replacing("<catalogue>", with: "<catalogue k:cat=\"catval\">")
            let export = scratch.appendingPathComponent("with-extensions.xml")
            try Data(text.utf8).write(to: export)
            let events = scratch.appendingPathComponent("known.jsonl")
            try Data((Self.event("e1", minute: 1) + "\n").utf8).write(to: events)
            let result = try Tool.simulate(["--export", export.path, "--events", events.path, "--strict"])
            #expect(result.status == 0, "\(result.errors)")
            #expect(!result.errors.contains("is not in the account's catalogue"))
        }
    }

    @Test("--strict: the first line naming an unknown product is a bad line (exit 65); with --keep-going the rest still run")
    func strict() throws {
        try Tool.withScratch { scratch in
            let events = try Self.events(in: scratch)
            let result = try Tool.simulate(["--export", Self.export, "--events", events.path, "--strict"])
            #expect(result.status == 65)
            #expect(result.errors.contains("\(events.path):2: error: $.order.lines[0].product: product 'prod-ghost'"))
            #expect(!result.errors.contains(":4: error:"))
            let going = try Tool.simulate(["--export", Self.export, "--events", events.path, "--strict", "--keep-going"])
            #expect(going.status == 65)
            #expect(going.errors.contains(":4: error: $.email.workflow: action set 'action-set.as-ghost'"))
            // Review of issue 12: with --strict the message says it is an error, and every line naming an unknown name is refused.
            #expect(result.errors.contains(
                "\(events.path):2: error: $.order.lines[0].product: product 'prod-ghost' is not in the account's catalogue, so no workflow could react to it as it would to a known one; with --strict the line is a bad line and does not run"))
            #expect(!going.errors.contains("--strict makes this an error") && !result.errors.contains("--strict makes this an error"))
            #expect(going.errors.contains(":3: error: $.order.lines[0].product: product 'prod-ghost'"))
            #expect(going.errors.contains(":5: error: $.email.workflow: action set 'action-set.as-ghost'"))
            #expect(going.output.contains("\n1 event, "), "only e1 ran: \(going.output)")
            // Without --keep-going: what ran is summed up, and a note says where the run stopped.
            #expect(result.output.contains("\n1 event, "), "\(result.output)")
            #expect(result.errors.hasSuffix(
                "note: the run stopped at line 2 of \(events.path), the first bad line: nothing after it ran (--keep-going skips bad lines and runs the rest)\n"))
        }
    }

    @Test("A folder of bare workflow files has no catalogue: products and plans are not checked, action sets are")
    func bareFolder() throws {
        try Tool.withScratch { scratch in
            let events = try Self.events(in: scratch)
            let result = try Tool.simulate(["--workflows", "Fixtures/workflows/course-creator", "--events", events.path])
            #expect(result.status == 0, "\(result.errors)")
            #expect(!result.errors.contains("prod-ghost"))
            #expect(result.errors.contains(":4: warning: $.email.workflow: action set 'action-set.as-ghost'"))
        }
    }

    @Test("An import's output folder (or its workflows/ alone): account.json's catalogue is what events are checked against", arguments: ["", "/workflows"])
    func migrationFolder(suffix: String) throws {
        try Tool.withScratch { scratch in
            let events = try Self.events(in: scratch)
            let result = try Tool.simulate(["--workflows", "Fixtures/expected/course-creator" + suffix, "--events", events.path])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.errors.contains(":2: warning: $.order.lines[0].product: product 'prod-ghost'"))
            #expect(result.errors.contains(":2: warning: $.order.lines[1].subscriptionPlan: subscription plan 'plan-ghost'"))
            #expect(!result.errors.contains("prod-foundations-basic"))
        }
    }
}
