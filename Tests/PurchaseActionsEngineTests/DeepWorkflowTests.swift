import Foundation
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// A workflow nested to the JSON limit (256 levels: 63 nested `if`s around an action) is decoded,
/// flattened by the engine and run on a thread with a 512 KiB stack, the smallest a host might give
/// a secondary thread: the readers and the engine recurse safely to the limit (Docs/workflow-format.md, "Limits").
///
/// Measured (objdump of the frames, 2026-12-05): optimised, the deepest phase (parsing) takes about
/// 1 KB of stack per level, some 256 KB at the limit; unoptimised (debug) frames are about five
/// times larger, so a debug build runs the same test on 2 MiB (1 MiB is not enough there).
@Suite("Deep workflows: the nesting limit on a small stack")
struct DeepWorkflowTests {
    /// 63 nested `if`s whose innermost branch adds a tag: 4 levels per `if`, 3 around, 256 in all.
    static var atLimit: String {
        var steps = #"[{"id": "tag", "type": "action", "action": {"type": "add-tag", "tag": "deep"}}]"#
        for index in 0..<63 {
            steps = #"[{"id": "i\#(index)", "type": "if", "branches": [{"name": "b", "when": {"all": []}, "steps": \#(steps)}], "otherwise": []}]"#
        }
        return #"{"formatVersion": 1, "id": "deep", "name": "Deep", "version": 1, "status": "published", "priority": 0, "triggers": [{"id": "t", "event": "tag.added", "filters": []}], "steps": \#(steps), "settings": {"allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account", "accountTimezone": "UTC"}}"#
    }

    /// Runs `body` on a thread with a stack of `bytes` and waits for it.
    static func onThread(stack bytes: Int, _ body: @escaping @Sendable () -> String) -> String {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = ""
        let thread = Thread {
            result = body()
            done.signal()
        }
        thread.stackSize = bytes
        thread.start()
        done.wait()
        return result
    }

    #if DEBUG
        static let smallStack = 2 * 1024 * 1024
    #else
        static let smallStack = 512 * 1024
    #endif

    @Test("At the limit: decoded, flattened and run on a 512 KiB stack (2 MiB unoptimised); one level more is refused at its member")
    func atTheLimit() throws {
        let text = Self.atLimit
        let outcome = Self.onThread(stack: Self.smallStack) {
            do {
                let workflow = try Workflow.load(Array(text.utf8))
                let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-01-01T00:00:00Z"))
                let records = try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:01Z") { $0.tag = "x" })
                return records.map(\.message).joined(separator: "\n")
            } catch {
                return "error: \(error)"
            }
        }
        #expect(!outcome.hasPrefix("error:"), "\(outcome)")
        #expect(outcome.contains("deep"), "the innermost action ran: \(outcome)")
        let past = text.replacing(#""add-tag", "tag": "deep"}"#, with: #""add-tag", "tag": "deep", "x": {}}"#)
        let error = try #require(throws: JSONError.self) { try Workflow.load(Array(past.utf8)) }
        #expect(error.code == .limit && error.path.components.last == .member("x"), "\(error.path)")
    }
}
