public import PurchaseActionsCore

/// `migration-report.json`, format v2 (Docs/migration-report.schema.json): canonical JSON (keys
/// sorted, two-space indent), written as a header, the `outline` body, a middle part, the
/// `workflows` body and the rest, so each workflow's entry is written as it is compiled.
enum JSONFragment {
    /// The report's format version.
    static let formatVersion = 2

    /// `value`'s canonical text without its final newline, every line indented by `spaces`.
    /// (Written at that indent directly: a string's line breaks are escaped, so every line break
    /// of the text is one the indentation follows.)
    static func indented(_ value: JSONValue, by spaces: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces))
        value.write(to: &output, indent: spaces)
        return output
    }
}

extension MigrationFinding {
    /// The finding as an entry of the JSON report's `findings` list: its JSON (code, message,
    /// workflow, source) indented by four spaces, without the separator before it
    /// (``MigrationReportBuilder/findingsJSONSeparator(index:)``).
    public var reportJSONEntry: [UInt8] { JSONFragment.indented(json, by: 4) }

    /// The finding in an outline entry: code, message, outcome, what to do and the line.
    var outlineJSON: JSONValue {
        .members([
            "code": code.rawValue.json, "message": DisplayText.escapeControls(message).json, "outcome": outcome.rawValue.json,
            "advice": advice.json, "line": location.line.json,
        ])
    }
}

extension WorkflowOutline {
    /// The workflow's entry in `outline`.
    var json: JSONValue {
        .members([
            "id": id.json, "kind": kind.rawValue.json, "name": DisplayText.escape(name).json, "runs": fires.plain.json,
            "outcome": outcome.rawValue.json, "source": source?.json, "steps": .array(items.map(Self.json)),
            "notes": notes.isEmpty ? nil : .array(notes.map(\.outlineJSON)),
        ])
    }

    private static func json(_ item: Item) -> JSONValue {
        .members([
            "id": item.id.json, "does": item.does.plain.json, "outcome": item.counts ? item.outcome.rawValue.json : nil,
            "line": item.line?.json, "notes": item.notes.isEmpty ? nil : .array(item.notes.map(\.outlineJSON)),
            "steps": item.children.isEmpty ? nil : .array(item.children.map(json)),
        ])
    }

}

extension WorkflowOutline {
    /// ``jsonFragment`` written straight into bytes at its indent (``CanonicalJSONWriter``), the
    /// same bytes as the ``json`` tree's text indented by four spaces.
    var jsonFragment: [UInt8] {
        var writer = CanonicalJSONWriter(capacity: 2048, indent: 4)
        head.json(into: &writer)
        Self.write(items, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ items: [Item], to writer: inout CanonicalJSONWriter) {
        writer.beginArray()
        for item in items {
            writer.element()
            writer.beginObject()
            writer.member("does", item.plain ?? item.does.plain)
            writer.member("id", item.id)
            writer.member("line", item.line)
            if !item.notes.isEmpty {
                writer.key("notes")
                write(item.notes, messages: item.templateNotes?.messages ?? [], to: &writer)
            }
            if item.counts { writer.member("outcome", item.outcome.rawValue) }
            if !item.children.isEmpty {
                writer.key("steps")
                write(item.children, to: &writer)
            }
            writer.endObject()
        }
        writer.endArray()
    }

    /// The notes, the first taking their messages from `messages` (made already: a template's).
    static func write(_ notes: [MigrationFinding], messages: [String] = [], to writer: inout CanonicalJSONWriter) {
        writer.beginArray()
        for (index, note) in notes.enumerated() {
            writer.element()
            writer.beginObject()
            writer.member("advice", note.advice)
            writer.member("code", note.code.rawValue)
            writer.member("line", note.location.line)
            writer.member("message", index < messages.count ? messages[index] : DisplayText.escapeControls(note.message))
            writer.member("outcome", note.outcome.rawValue)
            writer.endObject()
        }
        writer.endArray()
    }
}

extension MigrationReportBuilder {
    /// The JSON document's pieces.
    func jsonPieces(_ ending: ReportEnding) -> [ReportPiece] {
        let outlineMark = "\u{1}outline"
        let idsMark = "\u{1}workflows"
        let summary = ending.summary
        var byCode: [String: JSONValue] = [:]
        for (code, count) in summary.counts { byCode[code] = count.json }
        let document = JSONValue.members([
            "formatVersion": JSONFragment.formatVersion.json,
            "tool": .members(["name": tool.json, "version": version.json]),
            "input": .members(["file": DisplayText.escape(input).json, "sha256": ending.digest.json]),
            "account": accountJSON,
            "totals": totalsJSON(findings: summary.total, warnings: ending.warnings.count),
            "behaviourChanges": .array(
                behaviourChanges(ending).map { .members(["id": $0.id.json, "title": $0.title.json, "explanation": $0.explanation.json]) }),
            "findingsByCode": .object(byCode),
            "findings": "\u{1}findings".json,
            "readerWarnings": .array(
                ending.warnings.map { .members(["message": DisplayText.escapeControls($0.message).json, "source": SourceTrace($0.location).json]) }),
            "outline": outlineMark.json,
            "workflows": idsMark.json,
        ])
        let text = document.canonicalText
        var pieces: [ReportPiece] = []
        var rest = Substring(text)
        // The findings (written here, at two spaces' indent), then the two bodies, in key order.
        let placeholder = "\n  \"findings\": \"\\u0001findings\""
        if let range = rest.firstRange(of: placeholder) {
            pieces.append(.text(Array((rest[..<range.lowerBound] + "\n  \"findings\": [").utf8)))
            var start = 0
            while start < summary.total {
                let end = Swift.min(start + Self.findingsChunk, summary.total)
                pieces.append(.findings(start..<end))
                start = end
            }
            pieces.append(.text(Array((summary.total == 0 ? "]" : "\n  ]").utf8)))
            rest = rest[range.upperBound...]
        }
        for (mark, body) in [(outlineMark, ReportBody.jsonOutline), (idsMark, .jsonIDs)] {
            let key = mark.dropFirst()
            let placeholder = "\n  \"\(key)\": \"\\u0001\(key)\""
            guard let range = rest.firstRange(of: placeholder) else { continue }
            let empty = workflowCount == 0
            pieces.append(.text(Array((rest[..<range.lowerBound] + "\n  \"\(key)\": [" + (empty ? "" : "\n")).utf8)))
            if !empty { pieces.append(.body(body)) }
            rest = rest[range.upperBound...]
            pieces.append(.text(Array((empty ? "]" : "\n  ]").utf8)))
        }
        pieces.append(.text(Array(rest.utf8)))
        return pieces
    }

    /// How many findings one ``ReportPiece/findings(_:)`` piece holds: 1,000.
    static let findingsChunk = 1_000

    /// The JSON text of some of the ending's findings, as they stand in the report's `findings`
    /// list: each indented by four spaces, separated by commas, the first after a line break.
    public func findingsJSON(_ ending: ReportEnding, _ range: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        for index in range where ending.findings.indices.contains(index) {
            bytes += Self.findingsJSONSeparator(index: index)
            bytes += ending.findings[index].reportJSONEntry
        }
        return bytes
    }

    /// What precedes the finding at `index` of the JSON report's `findings` list: a line break,
    /// after a comma unless it is the first.
    public static func findingsJSONSeparator(index: Int) -> [UInt8] {
        index == 0 ? [UInt8(ascii: "\n")] : [UInt8(ascii: ","), UInt8(ascii: "\n")]
    }

    private var accountJSON: JSONValue? {
        guard let settings else { return nil }
        return .members([
            "id": settings.id.json, "name": DisplayText.escape(settings.name).json, "timezone": settings.timezone.json,
            "currency": settings.currency.json, "runPurchaseActionsOnAllOrders": settings.runPurchaseActionsOnAllOrders.json,
            "billing": .members([
                "maxRetries": settings.billing.maxRetries.json, "daysBetweenRetries": settings.billing.daysBetweenRetries.json,
                "daysBeforeAutocharge": settings.billing.daysBeforeAutocharge.json,
                "maxInvoiceAgeMonths": settings.billing.maxInvoiceAgeMonths.json,
            ]),
            "planBilling": .array(planRetrySettings.map(\.json)),
            "dunningPolicy": policyJSON,
        ])
    }

    private func totalsJSON(findings: Int, warnings: Int) -> JSONValue {
        var kinds: [String: JSONValue] = [:]
        for kind in WorkflowKind.allCases { kinds[kind.rawValue] = (workflows[kind] ?? 0).json }
        var outcomes: [String: JSONValue] = [:]
        var byWorkflow: [String: JSONValue] = [:]
        for outcome in ActionOutcome.allCases {
            outcomes[outcome.rawValue] = (steps[outcome] ?? 0).json
            byWorkflow[outcome.rawValue] = (workflowOutcomes[outcome] ?? 0).json
        }
        return .members([
            "workflows": workflowCount.json, "workflowsByKind": .object(kinds), "workflowsByOutcome": .object(byWorkflow),
            "stepsByOutcome": .object(outcomes), "findings": findings.json, "readerWarnings": warnings.json,
        ])
    }
}
