import CommandLineSupport
import PurchaseActionsCore
import PurchaseActionsEngine

/// Prints a simulation: text for people, or the execution log as JSON Lines. Every line goes
/// through `Terminal`, so ids, names and subjects from the input cannot forge a line.
struct SimulationPrinter {
    let json: Bool
    private var events = 0
    /// Enrollments made so far (the engine does not keep its log).
    private var entered = 0

    init(json: Bool) { self.json = json }

    mutating func event(_ event: Event, _ records: [LogRecord]) {
        events += 1
        var current = ""
        var currentAt: Instant?
        for record in records {
            if record.cause != current || (record.cause != event.id && record.at != currentAt) { header(record.cause, at: record.at, event: event) }
            current = record.cause
            currentAt = record.at
            write(record)
        }
        if current != event.id { header(event.id, at: event.occurredAt, event: event) }
        if !json, !records.contains(where: { $0.cause == event.id }) { Terminal.line("  (no workflow fired)") }
    }

    mutating func timers(_ records: [LogRecord]) {
        var current = ""
        var currentAt: Instant?
        for record in records {
            if record.cause != current || record.at != currentAt { header(record.cause, at: record.at, event: nil) }
            current = record.cause
            currentAt = record.at
            write(record)
        }
    }

    private func header(_ cause: String, at instant: Instant, event: Event?) {
        guard !json else { return }
        if let event, cause == event.id {
            Terminal.blankLine()
            Terminal.line("\(event.occurredAt.rfc3339(offsetSeconds: event.offsetSeconds))  \(event.type)  \(event.id)")
        } else if let event, cause.hasPrefix(event.id + "/") {
            let derived = cause.dropFirst(event.id.count + 1)
            Terminal.blankLine()
            Terminal.line("\(event.occurredAt.rfc3339(offsetSeconds: event.offsetSeconds))  \(derived)  \(cause)  (this checkout creates the buyer)")
        } else if cause == "advance" {
            // The engine stopped a stretch of the clock at its advance budget (Docs/engine.md).
            Terminal.blankLine()
            Terminal.line("\(instant)  clock stopped")
        } else {
            Terminal.blankLine()
            Terminal.line("\(instant)  wake-up  \(cause.replacing("timer:", with: "enrollment "))")
        }
    }

    func summary(engine: Engine?, effects: RecordingEffectSink) {
        guard !json else { return }
        let external = effects.effects.filter(\.isExternal).count
        Terminal.blankLine()
        Terminal.line("\(events) event\(events == 1 ? "" : "s"), \(entered) enrollment\(entered == 1 ? "" : "s"), \(effects.effects.count) effects (\(external) to deliver); nothing was sent")
    }

    private mutating func write(_ record: LogRecord) {
        if record.status == .entered { entered += 1 }
        if json {
            Terminal.jsonLine(record.json.compactText)
            return
        }
        let contact = record.contactID.map { " [\($0)]" } ?? ""
        Terminal.line("  \(record.status.rawValue.padding(11))\(record.message)\(record.status == .entered ? contact : "")")
        guard let why = record.why else { return }
        for line in Self.explain(why) { Terminal.line("             \(line)") }
    }

    /// The conditions of a `why`, one comparison or group per line, groups indented:
    /// `✓ order.products contains "p1" (actual ["p1"])`, `✓ any of:`, `✗ not:`.
    static func explain(_ why: JSONValue) -> [String] {
        var lines: [String] = []
        func visit(_ value: JSONValue, _ depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            switch value {
            case .object(let members):
                let mark = members["held"].map { $0 == .bool(true) ? "✓ " : "✗ " } ?? ""
                if case .string(let field)? = members["field"], case .string(let op)? = members["op"] {
                    let expected = members["expected"].map { " " + $0.compactText } ?? ""
                    lines.append("\(indent)\(mark)\(field) \(op)\(expected) (actual \(members["actual"]?.compactText ?? "null"))")
                } else if let group = ["all", "any", "not"].first(where: { members[$0] != nil }) {
                    lines.append("\(indent)\(mark)\(group == "not" ? "not" : "\(group) of"):")
                    visit(members[group]!, depth + 1)
                } else {
                    // The wait's own definition holds conditions too; only evaluated ones are shown.
                    for key in members.keys.sorted() where key != "held" && key != "wait" { visit(members[key]!, depth) }
                }
            case .array(let values): values.forEach { visit($0, depth) }
            default: break
            }
        }
        visit(why, 0)
        return lines
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
