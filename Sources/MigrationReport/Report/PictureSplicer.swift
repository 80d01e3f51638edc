/// Puts the workflows' SVG pictures into the HTML report while its bodies are copied: each HTML
/// fragment ends with a marker (NUL, the workflow id, NUL — escaped export text never holds a raw
/// NUL), which becomes the picture when the report shows one for that workflow and one was made,
/// else nothing. Works on chunks of any size, holding at most one id between them.
///
/// Pictures are inlined only after ``SVGPicture/inline(_:)`` accepts them, and at most `budget`
/// bytes of them in one document (``MigrationReportBuilder/pictureBudget(_:)``); past it, a picture
/// is named instead.
public struct PictureSplicer {
    private let shows: (String) -> Bool
    private let inlineSVG: (String) -> [UInt8]?
    private let budget: Int
    private var inMarker = false
    private var id: [UInt8] = []
    /// Picture bytes inlined so far.
    public private(set) var inlinedBytes = 0

    /// The most bytes of pictures one HTML report inlines: 1,000,000 (with the outlines of 10,000
    /// workflows, the report stays under 5 MB).
    public static let byteBudget = 1_000_000
    /// The longest id a marker may hold (a workflow id's maximum).
    static let idLimit = 128

    /// Creates a splicer that asks `shows` whether a workflow gets a picture and `inlineSVG` for its
    /// SVG (nil: none was made), and inlines at most `budget` bytes of pictures.
    public init(shows: @escaping (String) -> Bool, inlineSVG: @escaping (String) -> [UInt8]?, budget: Int = byteBudget) {
        self.shows = shows
        self.inlineSVG = inlineSVG
        self.budget = Swift.min(budget, Self.byteBudget)
    }

    /// The output for the next chunk of a body.
    public mutating func feed(_ chunk: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(chunk.count)
        var start = chunk.startIndex
        var index = chunk.startIndex
        while index < chunk.endIndex {
            let byte = chunk[index]
            if inMarker {
                if byte == 0 {
                    inMarker = false
                    output += picture(String(decoding: id, as: UTF8.self))
                    id.removeAll(keepingCapacity: true)
                    start = index + 1
                } else if id.count < Self.idLimit {
                    id.append(byte)
                }
            } else if byte == 0 {
                output += chunk[start..<index]
                inMarker = true
            }
            index += 1
        }
        if !inMarker { output += chunk[start..<chunk.endIndex] }
        return output
    }

    /// Ends a body: a marker left open (a truncated body) is dropped.
    public mutating func finish() -> [UInt8] {
        inMarker = false
        id.removeAll()
        return []
    }

    private mutating func picture(_ id: String) -> [UInt8] {
        guard shows(id), let bytes = inlineSVG(id) else { return [] }
        guard let svg = SVGPicture.inline(bytes) else {
            return Array("<p>Picture: pictures/\(ReportText.html(id)).svg (left out here: it holds more than a drawing).</p>".utf8)
        }
        guard inlinedBytes + svg.utf8.count + 25 <= budget else {
            return Array("<p>Picture: pictures/\(ReportText.html(id)).svg (left out here to keep this file small).</p>".utf8)
        }
        inlinedBytes += svg.utf8.count + 25
        return Array(("<div class=pic>" + svg + "</div>").utf8)
    }
}

/// An SVG picture from Graphviz, made safe to inline in the HTML report.
public enum SVGPicture {
    /// The elements a Graphviz drawing is made of; anything else refuses the picture.
    static let elements: Set<String> = [
        "svg", "g", "title", "polygon", "polyline", "path", "ellipse", "circle", "rect", "line", "text", "tspan",
    ]
    /// The attributes those elements may have.
    static let attributes: Set<String> = [
        "width", "height", "viewbox", "transform", "id", "class", "fill", "stroke", "stroke-width", "stroke-dasharray",
        "points", "d", "cx", "cy", "rx", "ry", "r", "x", "y", "x1", "y1", "x2", "y2", "font-family", "font-size", "font-weight",
        "font-style", "text-anchor", "fill-opacity", "stroke-opacity", "xml:space", "preserveaspectratio", "opacity",
    ]

    /// The `<svg>` element of `bytes` with the XML declaration, doctype, comments and namespace
    /// attributes left out, or nil when it holds anything but drawing elements and attributes (a
    /// script, a link, a URL reference, an event handler) or a control character.
    public static func inline(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.firstRange(of: "<svg"), let end = text.ranges(of: "</svg>").last else { return nil }
        let svg = text[start.lowerBound..<end.upperBound]
        var output = ""
        output.reserveCapacity(svg.utf8.count)
        var rest = svg[...]
        while let open = rest.firstIndex(of: "<") {
            let textPart = rest[..<open]
            guard !textPart.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else { return nil }
            output += textPart
            rest = rest[open...]
            if rest.hasPrefix("<!--") {
                guard let close = rest.firstRange(of: "-->") else { return nil }
                rest = rest[close.upperBound...]
                continue
            }
            guard let close = rest.firstIndex(of: ">") else { return nil }
            guard let tag = tag(rest[rest.index(after: open)..<close]) else { return nil }
            output += tag
            rest = rest[rest.index(after: close)...]
        }
        guard !rest.contains(where: { $0 == "<" || $0 == ">" }) else { return nil }
        output += rest
        return output
    }

    /// A tag's text (between `<` and `>`) rebuilt from its allowed name and attributes, or nil.
    private static func tag(_ inside: Substring) -> String? {
        var body = inside
        var closing = false
        if body.hasPrefix("/") {
            closing = true
            body = body.dropFirst()
        }
        var selfClosing = false
        if body.hasSuffix("/") {
            selfClosing = true
            body = body.dropLast()
        }
        let name = body.prefix { !$0.isWhitespace }
        guard elements.contains(name.lowercased()) else { return nil }
        if closing { return body.dropFirst(name.count).allSatisfy(\.isWhitespace) ? "</\(name)>" : nil }
        var result = "<" + name
        var rest = body.dropFirst(name.count)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.isEmpty { break }
            let attribute = rest.prefix { $0 != "=" && !$0.isWhitespace }
            rest = rest.dropFirst(attribute.count)
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst()
            guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { return nil }
            let value = rest[..<end]
            rest = rest[rest.index(after: end)...]
            let lowered = attribute.lowercased()
            if lowered == "xmlns" || lowered.hasPrefix("xmlns:") { continue }
            guard attributes.contains(lowered), !value.lowercased().contains("url("), !value.contains("<"),
                !value.unicodeScalars.contains(where: { $0.value < 0x20 })
            else { return nil }
            result += " \(attribute)=\"\(value.replacing("\"", with: "&quot;"))\""
        }
        return result + (selfClosing ? "/>" : ">")
    }
}
