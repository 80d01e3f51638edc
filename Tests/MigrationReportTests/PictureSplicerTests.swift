import PurchaseActionsCore
import MigrationReport
import Testing

/// Pictures go into the HTML report where their markers are, in any chunking, only when safe and
/// within the budget.
@Suite("Picture splicer and SVG inlining")
struct PictureSplicerTests {
    static let svg = Array("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"8pt\"><!-- a --><g id=\"node1\" class=\"node\"><title>x</title><text x=\"1\" y=\"2\">a &lt; b</text></g></svg>\n".utf8)
    static let body = Array("<details>one\u{0}slot.a\u{0}</details>\n<details>two\u{0}action-set.b\u{0}</details>\n".utf8)

    static func splice(_ chunkSize: Int, budget: Int = PictureSplicer.byteBudget) -> String {
        var splicer = PictureSplicer(shows: { $0 == "slot.a" }, inlineSVG: { _ in svg }, budget: budget)
        var output: [UInt8] = []
        var start = 0
        while start < body.count {
            output += splicer.feed(body[start..<min(start + chunkSize, body.count)])
            start += chunkSize
        }
        output += splicer.finish()
        return String(decoding: output, as: UTF8.self)
    }

    @Test("Any chunking gives the same output; only the shown workflow gets its picture; no marker is left")
    func chunks() {
        let whole = Self.splice(Self.body.count)
        #expect(whole.contains("<details>one<div class=pic><svg width=\"8pt\"><g id=\"node1\" class=\"node\"><title>x</title><text x=\"1\" y=\"2\">a &lt; b</text></g></svg></div></details>"), "\(whole)")
        #expect(whole.contains("<details>two</details>"))
        #expect(!whole.contains("\u{0}") && !whole.contains("xmlns") && !whole.contains("<!--") && !whole.contains("<?xml"))
        for size in [1, 2, 3, 7, 16] { #expect(Self.splice(size) == whole, "chunks of \(size)") }
    }

    @Test("Past the budget a picture is named, not inlined")
    func budget() {
        let output = Self.splice(64, budget: 10)
        #expect(!output.contains("<svg"))
        #expect(output.contains("pictures/slot.a.svg (left out here to keep this file small)"))
    }

    @Test("An SVG holding anything but a drawing is refused", arguments: [
        "<svg><script>alert(1)</script></svg>", "<svg onload=\"alert(1)\"></svg>", "<svg><a xlink:href=\"http://x\"><text>a</text></a></svg>",
        "<svg><image href=\"http://x/i.png\"/></svg>", "<svg><g fill=\"url(http://x)\"></g></svg>", "<svg><foreignObject></foreignObject></svg>",
        "<svg><text>a\u{1B}[31m</text></svg>", "<svg><g style=\"background:url(x)\"></g></svg>", "no svg here",
    ])
    func refused(svg: String) {
        #expect(SVGPicture.inline(Array(svg.utf8)) == nil, "\(svg)")
    }
}

@Suite("HTML report size")
struct HTMLReportSizeTests {
    @Test("With a large picture for every shown workflow, the HTML stays within its size limit")
    func pictureBudget() {
        var builder = MigrationReportBuilder(tool: "t", version: "1", input: "x.xml")
        var bodies: [ReportBody: [UInt8]] = [:]
        let settings = WorkflowSettings(accountTimezone: "UTC")
        for index in 0..<400 {
            let workflow = Workflow(id: "slot.s\(index)", name: "S", priority: 30, triggers: [], steps: [Step(id: "run", .call(workflowID: "action-set.a\(index)"))], settings: settings)
            for part in builder.add(workflow: workflow, findings: []).parts { bodies[part.body, default: []] += part.bytes }
        }
        let picture = Array(("<svg width=\"1\">" + String(repeating: "<g id=\"n\"><title>x</title></g>", count: 700) + "</svg>").utf8)
        let ending = ReportEnding(digest: String(repeating: "0", count: 64), findings: [])
        let html = builder.document(.html, ending: ending, bodies: bodies) { _ in picture }
        #expect(picture.count > 20_000 && html.count > 1_000_000, "some pictures are inlined")
        #expect(html.count <= MigrationReportBuilder.htmlSizeLimit + 400 * 120, "\(html.count) bytes")
        #expect(html.count > 400 * 20_000 / 10, "pictures fill the budget")
    }
}
