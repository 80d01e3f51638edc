public import PurchaseActionsCore

/// A workflow drawn as a flowchart: its triggers, steps and the branches between them.
///
/// The same picture is written as Mermaid (``mermaid``, for the Markdown report: GitHub and GitLab
/// render a ```` ```mermaid ```` block as is) and as Graphviz DOT (``dot``, for
/// `import-actions --pictures`, which turns it into SVG when Graphviz is installed).
///
/// What is drawn, top to bottom (Docs/cli.md, "Pictures"):
///
/// | part | Mermaid shape | DOT shape | label |
/// |---|---|---|---|
/// | trigger | stadium | rounded box | `when <event>` and its filters (`manual`: run by a call, an enroll or by hand) |
/// | action | rectangle | box | the action type and what it names: tag, subject, template, message, URL, field… |
/// | `if` | rhombus | diamond | `if`; each branch an edge labelled with its name and condition, `otherwise` the last |
/// | wait | hexagon | hexagon | how long or until what; a timeout's steps hang off a `timed out` edge |
/// | goal | flag | `cds` | the goal's name and event |
/// | call / enroll / unenroll | subroutine / parallelogram / trapezoid | double box / parallelogram / trapezium | the other workflow's id |
/// | exit | double circle | octagon | `exit` |
/// | end | circle | circle | `end` |
///
/// The text is deterministic: the same workflow gives the same bytes. Node ids come from the step
/// ids (``nodeID(step:)``), so any text can be an id. Every label is escaped for its syntax
/// (Mermaid: `#<code>;` entities for everything but letters, digits, spaces and `.,-_/'!?@+=*()`;
/// DOT: `\\`, `\"` and `&amp;`); control characters are first written visibly as
/// `DisplayText.escapeControls` writes them (`\n`, `\u{1B}`). Long label text wraps: a display
/// line holds at most ``maxLineCharacters`` characters, and fewer when escaping would make it longer
/// than ``maxLineBytes`` bytes, breaking at a space (after `and` / `or` where it can); each part of
/// a label wraps onto at most ``maxWrappedLines`` lines and a whole label takes at most
/// ``maxLabelBytes`` bytes; only past those bounds is text cut, and the cut is marked with `…`.
///
/// A picture is bounded whatever the workflow holds: at most ``maxElements`` triggers, steps
/// (nested ones included) and branches are drawn, in document order (triggers, then the steps depth
/// first); the rest are counted in one last node (`… and 12 more triggers, steps and branches not
/// drawn`). So the Mermaid text stays under 50,000 characters, Mermaid's own maximum
/// (`maxTextSize`), and 500 edges (`maxEdges`).
public struct WorkflowPicture: Sendable {
    /// The workflow drawn.
    public let workflow: Workflow

    /// The most triggers, steps and branches one picture draws: 60. The bundled migrations' largest
    /// workflow has 15; a workflow with more is drawn up to here, then one node counts the rest.
    public static let maxElements = 60
    /// The most characters one display line of a node's label holds: 60; longer text wraps onto
    /// the next line.
    public static let maxLineCharacters = 60
    /// The most characters one display line of an edge's label holds: 60.
    public static let maxEdgeLineCharacters = 60
    /// The most bytes one escaped display line may take in its syntax: 120. Text that escaping
    /// makes longer (quotes, `#`, control characters) wraps sooner.
    public static let maxLineBytes = 120
    /// The most display lines one part of a label (a subject, a condition, a URL) wraps onto: 6
    /// (about 360 characters); past that it is cut and ends with `…`.
    public static let maxWrappedLines = 6
    /// The most bytes of escaped text one whole label takes: 600 (six full lines of plain text and
    /// two short ones); past that the label is cut and ends with `…`. With ``maxElements`` this
    /// keeps a picture within Mermaid's maximums.
    public static let maxLabelBytes = 600

    /// Creates the picture of a workflow.
    public init(_ workflow: Workflow) {
        self.workflow = workflow
    }

    /// The picture as a Mermaid flowchart: the text inside a ```` ```mermaid ```` block, starting
    /// `flowchart TD` and ending with a line feed.
    public var mermaid: String { PictureLayout(workflow).mermaid }

    /// The picture as a Graphviz DOT digraph (`dot -Tsvg` draws it), ending with a line feed.
    public var dot: String { PictureLayout(workflow).dot }

    /// The node id of a step: `s_` and the step id with every character but ASCII letters and digits
    /// written as `_`, at most 32 of them (a second step with the same result gets `_2`, `_3`…, in
    /// document order). Safe unquoted in both syntaxes, and never a keyword (`end`, `graph`).
    public static func nodeID(step id: String) -> String { sanitized(id, after: "s_") }

    /// `id` with every character but ASCII letters and digits written as `_`, cut at 32, after
    /// `prefix` (made in one buffer, not joined: Benchmarks/README.md, "Import throughput").
    static func sanitized(_ id: String, after prefix: String = "") -> String {
        var result: [UInt8] = []
        result.reserveCapacity(prefix.utf8.count + 32)
        result.append(contentsOf: prefix.utf8)
        // One byte per scalar: its first (a byte that does not continue a scalar).
        // Read from the string's contiguous bytes (every native string's), not through its UTF-8 view.
        if id.utf8.withContiguousStorageIfAvailable({ appendSanitized($0, to: &result) }) == nil { appendSanitized(id.utf8, to: &result) }
        return String(decoding: result, as: UTF8.self)
    }

    /// The bytes of an id sanitized as ``sanitized(_:after:)`` says, appended to `result`.
    private static func appendSanitized<Bytes: Sequence<UInt8>>(_ id: Bytes, to result: inout [UInt8]) {
        var scalars = 0
        for byte in id where byte & 0xC0 != 0x80 {
            guard scalars < 32 else { break }
            scalars += 1
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): result.append(byte)
            default: result.append(UInt8(ascii: "_"))
            }
        }
    }
}
