import PurchaseActionsCore

/// What a workflow's section says before its steps, in the three formats: the JSON object's
/// members up to `steps`, the Markdown heading, line and notes, and the HTML summary with the
/// trigger and the notes. One copy for the report's one-pass writer (``OutlineWriter``) and the
/// outline tree its tests compare with (``WorkflowOutline``).
struct OutlineHead {
    /// The workflow's name, already cut to ``ReportText/nameLimit``.
    let name: String
    /// The workflow's id.
    let id: String
    /// What kind of workflow it is.
    let kind: WorkflowKind
    /// Where it came from in the export.
    let source: SourceTrace?
    /// The worst outcome of its steps and its own findings.
    let outcome: ActionOutcome
    /// What fires it, in words.
    let fires: Sentence
    /// The workflow's own findings.
    let notes: [MigrationFinding]

    /// The object opened, its members written up to and including the key `steps` (its value next).
    func json(into writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.member("id", id)
        writer.member("kind", kind.rawValue)
        writer.member("name", DisplayText.escape(name))
        if !notes.isEmpty {
            writer.key("notes")
            WorkflowOutline.write(notes, to: &writer)
        }
        writer.member("outcome", outcome.rawValue)
        writer.member("runs", fires.plain)
        if let source {
            writer.key("source")
            source.write(to: &writer)
        }
        writer.key("steps")
    }

    /// The section's heading, its id, kind, line and outcome, what runs it and its notes.
    func markdown(into text: inout [UInt8]) {
        text.write("### ")
        ReportText.markdown(name, into: &text)
        text.write("\n\n`")
        text.write(Workflow.isValidID(id) ? id : "?")
        text.write("` · ")
        text.write(kind.singular)
        if let source {
            text.write(" · line ")
            text.write(decimal: source.line)
        }
        text.write(" · **")
        text.write(outcome.words)
        text.write("**\n\nRuns ")
        fires.markdown(into: &text)
        text.write(".\n\n")
        for note in notes {
            text.write("- ")
            WorkflowOutline.markdown(note, into: &text)
            text.append(UInt8(ascii: "\n"))
        }
        if !notes.isEmpty { text.append(UInt8(ascii: "\n")) }
    }

    /// The summary, the outline's script opened, what fires the workflow (but for action sets and
    /// sequences, which something else runs) and its notes' codes.
    func html(into outline: inout HTMLOutline) {
        outline.bytes.reserveCapacity(2048)
        // A hole per phrase: room for a typical workflow's made once, not grown by doubling.
        outline.holes.reserveCapacity(32)
        WorkflowOutline.summaryHead(name: name, id: id, outcome: outcome, into: &outline.bytes)
        outline.summaryHeadCount = outline.bytes.count
        outline.bytes.write("<script type=o>")
        if kind != .actionSet && kind != .sequence {
            outline.bytes.write("{3}{7}")
            outline.add(fires)
            outline.bytes.write(".{4}")
        }
        if !notes.isEmpty {
            outline.bytes.write("{3}")
            WorkflowOutline.codes(notes, into: &outline)
            outline.bytes.write("{4}")
        }
    }
}
