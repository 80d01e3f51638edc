import PurchaseActionsCore

extension PictureLayout {
    // MARK: Mermaid

    /// The layout as a Mermaid flowchart.
    var mermaid: String {
        var labels = MermaidLabels(entryLimit: 0)
        return mermaid(labels: &labels)
    }

    /// The layout as a Mermaid flowchart, taking labels already written from `labels` (the same
    /// text: a label depends only on its lines; ``MermaidLabels``).
    func mermaid(labels: inout MermaidLabels) -> String {
        var text: [UInt8] = []
        mermaid(into: &text, labels: &labels)
        return String(decoding: text, as: UTF8.self)
    }

    /// ``mermaid(labels:)`` appended to `text`.
    func mermaid(into text: inout [UInt8], labels: inout MermaidLabels) {
        text.write("flowchart TD\n")
        for node in nodes {
            let (open, close) =
                switch node.shape {
                case .trigger: ("([", "])")
                case .action, .more: ("[", "]")
                case .decision: ("{", "}")
                case .wait: ("{{", "}}")
                case .goal: (">", "]")
                case .call: ("[[", "]]")
                case .enroll: ("[/", "/]")
                case .unenroll: ("[/", "\\]")
                case .exit: ("(((", ")))")
                case .end: ("((", "))")
                }
            text.write("    ")
            text.write(node.id)
            text.write(open)
            text.append(UInt8(ascii: "\""))
            labels.write(node.lines, maxCharacters: WorkflowPicture.maxLineCharacters, into: &text)
            text.append(UInt8(ascii: "\""))
            text.write(close)
            text.append(UInt8(ascii: "\n"))
        }
        for edge in edges {
            text.write("    ")
            text.write(edge.from)
            if edge.lines.isEmpty {
                text.write(" --> ")
            } else {
                text.write(" -->|\"")
                // An edge's label is a branch's condition, nearly always met once: not kept, so the
                // cache holds the node labels that come back (Benchmarks/README.md, "Import throughput").
                labels.write(edge.lines, maxCharacters: WorkflowPicture.maxEdgeLineCharacters, keep: false, into: &text)
                text.write("\"| ")
            }
            text.write(edge.to)
            text.append(UInt8(ascii: "\n"))
        }
    }

    /// A scalar as Mermaid shows it inside a quoted label: letters, digits, space, `.,-_/'!?@+=*()`
    /// and non-ASCII text as they are, anything else as an entity `#<decimal>;` (so `"`, `#`, `;`,
    /// `:`, `<`, `>`, `&`, `|`, backquotes, brackets and braces never act as syntax, HTML or
    /// Markdown).
    static func mermaidEscape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", " ", ".", ",", "-", "_", "/", "'", "!", "?", "@", "+", "=", "*", "(", ")":
            String(scalar)
        case _ where scalar.value >= 0x80: String(scalar)
        default: "#\(scalar.value);"
        }
    }

    // MARK: DOT

    /// The layout as a Graphviz digraph.
    var dot: String {
        let graphLabel = Self.line(title, maxCharacters: 2 * WorkflowPicture.maxLineCharacters, maxBytes: 2 * WorkflowPicture.maxLineBytes, Self.dotEscape)
        var text = "digraph workflow {\n"
        text += "    graph [label=\"" + graphLabel + "\", labelloc=t, fontname=\"Helvetica\"];\n"
        text += "    node [fontname=\"Helvetica\", fontsize=11];\n"
        text += "    edge [fontname=\"Helvetica\", fontsize=10];\n"
        for node in nodes {
            let attributes =
                switch node.shape {
                case .trigger: "shape=box, style=rounded"
                case .action: "shape=box"
                case .more: "shape=note"
                case .decision: "shape=diamond"
                case .wait: "shape=hexagon"
                case .goal: "shape=cds"
                case .call: "shape=box, peripheries=2"
                case .enroll: "shape=parallelogram"
                case .unenroll: "shape=trapezium"
                case .exit: "shape=octagon"
                case .end: "shape=circle"
                }
            let label = Self.label(node.lines, maxCharacters: WorkflowPicture.maxLineCharacters, Self.dotEscape, joiner: "\\n")
            text += "    " + node.id + " [" + attributes + ", label=\"" + label + "\"];\n"
        }
        for edge in edges {
            text += "    " + edge.from + " -> " + edge.to
            if !edge.lines.isEmpty {
                let label = Self.label(edge.lines, maxCharacters: WorkflowPicture.maxEdgeLineCharacters, Self.dotEscape, joiner: "\\n")
                text += " [label=\"" + label + "\"]"
            }
            text += ";\n"
        }
        return text + "}\n"
    }

    /// A scalar as DOT shows it inside a quoted string: `\` and `"` escaped with a backslash, `&` as
    /// `&amp;` (Graphviz reads entities in labels), everything else as it is.
    static func dotEscape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": "\\\\"
        case "\"": "\\\""
        case "&": "&amp;"
        default: String(scalar)
        }
    }

    // MARK: Labels

    /// The lines, each wrapped (``LabelWrap``), escaped and cut only past the label's bounds,
    /// joined by `joiner` (written as it is: it is syntax).
    static func label(
        _ lines: [String], maxCharacters: Int, _ escape: @escaping (Unicode.Scalar) -> String, joiner: String, asciiEscapes: [[UInt8]]? = nil
    ) -> String {
        LabelWrap.wrap(lines, maxCharacters: maxCharacters, escape: escape, asciiEscapes: asciiEscapes).joined(separator: joiner)
    }

    /// One label line: control characters written visibly (`DisplayText.escapeControls`), each
    /// scalar escaped for the syntax, at most `maxCharacters` characters and `maxBytes` bytes of
    /// escaped text, then `…` when anything was left out.
    static func line(_ raw: String, maxCharacters: Int, maxBytes: Int, _ escape: (Unicode.Scalar) -> String) -> String {
        let ellipsis = "…"
        var result = ""
        var bytes = 0
        var taken = 0
        for character in raw {
            var piece = ""
            for scalar in character.unicodeScalars {
                if DisplayText.isControl(scalar) {
                    for visible in DisplayText.escapeControls(String(scalar)).unicodeScalars { piece += escape(visible) }
                } else {
                    piece += escape(scalar)
                }
                if piece.utf8.count > maxBytes { break }
            }
            guard taken < maxCharacters, bytes + piece.utf8.count <= maxBytes - ellipsis.utf8.count else {
                return result + ellipsis
            }
            result += piece
            bytes += piece.utf8.count
            taken += 1
        }
        return result
    }
}
