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
        var text = "flowchart TD\n"
        for node in nodes {
            let label = "\"" + labels.label(node.lines, maxCharacters: WorkflowPicture.maxLineCharacters) + "\""
            let shaped =
                switch node.shape {
                case .trigger: "([" + label + "])"
                case .action, .more: "[" + label + "]"
                case .decision: "{" + label + "}"
                case .wait: "{{" + label + "}}"
                case .goal: ">" + label + "]"
                case .call: "[[" + label + "]]"
                case .enroll: "[/" + label + "/]"
                case .unenroll: "[/" + label + "\\]"
                case .exit: "(((" + label + ")))"
                case .end: "((" + label + "))"
                }
            text += "    " + node.id + shaped + "\n"
        }
        for edge in edges {
            if edge.lines.isEmpty {
                text += "    " + edge.from + " --> " + edge.to + "\n"
            } else {
                let label = labels.label(edge.lines, maxCharacters: WorkflowPicture.maxEdgeLineCharacters)
                text += "    " + edge.from + " -->|\"" + label + "\"| " + edge.to + "\n"
            }
        }
        return text
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
    static func label(_ lines: [String], maxCharacters: Int, _ escape: @escaping (Unicode.Scalar) -> String, joiner: String) -> String {
        LabelWrap.wrap(lines, maxCharacters: maxCharacters, escape: escape).joined(separator: joiner)
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
