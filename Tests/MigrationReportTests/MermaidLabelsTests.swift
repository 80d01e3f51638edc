import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7: the report keeps Mermaid labels already written (`MermaidLabels`); a label
/// taken from it is byte for byte the one written anew, the cache stays within its bounds, and a
/// picture drawn through it is the picture drawn without it.
@Suite("Mermaid labels: a kept label is the label written anew, within the bounds")
struct MermaidLabelsTests {
    static let pieces = ["a", " ", "and", "or", "\"", "&", "#", "<", "é", "…", "\t", "\n", "x", "Zz", "😀", "\\", "{", "|", "`"]
    static let line = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...90).map { $0.map { Self.pieces[$0] }.joined() }

    static func written(_ lines: [String], _ width: Int) -> String {
        PictureLayout.label(lines, maxCharacters: width, PictureLayout.mermaidEscape, joiner: "<br/>")
    }

    @Test("Random lines asked twice or more, at two widths: always the label written anew")
    func sameLabels() async {
        let input = zip(Self.line.array(of: 0...6).array(of: 1...8), Gen.int(in: 0...1))
        await propertyCheck(count: 300, input: input) { labels, wide in
            var cache = MermaidLabels(entryLimit: 3)
            let width = wide == 1 ? WorkflowPicture.maxLineCharacters : 12
            for lines in labels + labels.reversed() + labels {
                #expect(cache.label(lines, maxCharacters: width) == Self.written(lines, width))
            }
            #expect(cache.count <= 3)
        }
    }

    @Test("Lines equal under Unicode equivalence but with other bytes are separate labels, each with its own bytes")
    func equivalentSpellings() {
        // Long enough to be wrapped (and so kept), not written as lines that fit.
        let composed = [String(repeating: "Caf\u{E9} au lait ", count: 6)]
        let decomposed = [String(repeating: "Cafe\u{301} au lait ", count: 6)]
        #expect(composed == decomposed, "String's equality is canonical equivalence")
        var cache = MermaidLabels()
        for lines in [composed, decomposed, composed, decomposed] {
            let label = cache.label(lines, maxCharacters: WorkflowPicture.maxLineCharacters)
            #expect(Array(label.utf8) == Array(Self.written(lines, WorkflowPicture.maxLineCharacters).utf8))
        }
        #expect(cache.count == 2)
    }

    @Test("Labels of lines that fit, written byte by byte: the label written anew, at the character, line and label byte limits")
    func fittingLines() async {
        let ascii = Gen.int(in: 0x20...0x7E).array(of: 0...70).map { String(decoding: $0.map(UInt8.init), as: UTF8.self) }
        let texts = ["é", "e\u{301}", "×", "…", "😀", "👩‍👩‍👧", "\u{85}", "\u{202E}", "\u{7F}", "\r\n", "a", " ", "#"]
        let mixed = Gen.int(in: 0...(texts.count - 1)).array(of: 0...70).map { $0.map { texts[$0] }.joined() }
        await propertyCheck(count: 400, input: ascii.array(of: 0...8), Gen.int(in: 0...1)) { lines, wide in
            var cache = MermaidLabels()
            let width = wide == 1 ? WorkflowPicture.maxLineCharacters : 12
            #expect(cache.label(lines, maxCharacters: width) == Self.written(lines, width))
        }
        await propertyCheck(count: 400, input: mixed.array(of: 0...8), Gen.int(in: 0...1)) { lines, wide in
            var cache = MermaidLabels()
            let width = wide == 1 ? WorkflowPicture.maxLineCharacters : 12
            #expect(cache.label(lines, maxCharacters: width) == Self.written(lines, width))
        }
        // 29 `#` escape to 116 bytes, the most a line keeps beside a `…`; 30 do not fit. Five such
        // lines leave 20 of the label's 600 bytes, so a sixth does not fit either.
        for lines in [[String(repeating: "#", count: 29)], [String(repeating: "#", count: 30)], Array(repeating: String(repeating: "#", count: 29), count: 5),
            Array(repeating: String(repeating: "#", count: 29), count: 5) + ["#####"], Array(repeating: String(repeating: "#", count: 29), count: 5) + ["####"]]
        {
            var cache = MermaidLabels()
            var bytes: [UInt8] = []
            let fast = MermaidLabels.writeFittingLines(lines, maxCharacters: 60, into: &bytes)
            #expect(cache.label(lines, maxCharacters: 60) == Self.written(lines, 60))
            if fast { #expect(String(decoding: bytes, as: UTF8.self) == Self.written(lines, 60)) } else { #expect(bytes.isEmpty) }
        }
    }

    @Test("Bounds: at most the entry limit, none past the byte limit, long lines never kept")
    func bounds() {
        var cache = MermaidLabels(entryLimit: 5)
        for index in 0..<20 { _ = cache.label(["send email\t\(index)"], maxCharacters: 60) }
        #expect(cache.count == 5)
        var long = MermaidLabels()
        let line = String(repeating: "x", count: MermaidLabels.keyByteLimit + 1)
        #expect(long.label([line], maxCharacters: 60) == Self.written([line], 60))
        #expect(long.count == 0)
        var full = MermaidLabels()
        let kept = String(repeating: "y", count: MermaidLabels.keyByteLimit / 2)
        let asked = MermaidLabels.byteLimit / kept.utf8.count + 10
        for index in 0..<asked { _ = full.label([kept, "\(index)"], maxCharacters: 60) }
        #expect(full.bytes <= MermaidLabels.byteLimit)
        #expect(full.count > 0 && full.count < asked)
        #expect(full.label([kept, "last"], maxCharacters: 60) == Self.written([kept, "last"], 60))
        #expect(full.count < asked)
    }

    @Test("The fixture's workflows (hostile names), drawn twice through one cache: the pictures drawn without one")
    func samePictures() {
        let account = ReportFixture.account(productName: ReportFixture.hostile, tagName: ReportFixture.hostile)
        var run = MigrationRun()
        run.add(account: account.settings)
        run.add(catalogue: account.catalogue)
        let workflows = (account.sequences.map { run.add($0) } + account.actionSets.map { run.add($0) } + account.slots.map { run.add($0) }
            + account.billingRules.map { run.add($0) }).map(\.workflow)
        #expect(!workflows.isEmpty)
        var cache = MermaidLabels()
        for workflow in workflows + workflows {
            #expect(PictureLayout(workflow).mermaid(labels: &cache) == WorkflowPicture(workflow).mermaid, "\(workflow.id)")
        }
        #expect(cache.count > 0)
    }
}
