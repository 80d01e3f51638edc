import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7: the report's per-workflow work split over several renderers
/// (`ReportRenderer`, `ReportChunker`) and joined in order (`MigrationReportBuilder.add(_:)`) gives
/// byte for byte the serial report, whatever the number of renderers, the chunk size and the order
/// the renderers run in: random workflows with hostile names, calls to action sets and sequences
/// named earlier (in another renderer's chunk), slots, findings.
@Suite("Report split: chunks rendered apart and joined in order are the serial report")
struct ReportSplitTests {
    typealias Input = [(Workflow, [MigrationFinding])]

    /// The random workflows' catalogue, with the templates their emails name (`tpl-0` to `tpl-2`).
    static let catalogue: Catalogue = {
        var catalogue = ReportBytesTests.catalogue
        for index in 0..<3 {
            catalogue.templates["tpl-\(index)"] = Template(
                id: "tpl-\(index)", name: "T\(index)", content: .fax(body: nil), location: FileLocation(file: "x.xml", line: 50 + index))
        }
        return catalogue
    }()

    static func builder(_ dictionary: HTMLDictionary? = nil) -> MigrationReportBuilder {
        var builder = MigrationReportBuilder(tool: "import-actions", version: "9.9.9", input: "x.xml")
        builder.add(catalogue: catalogue)
        // Findings of two of the templates the random emails name: their steps are approximated.
        builder.add(templateFindings: (0..<2).map { MigrationFinding(.unknownMergeField, "tpl \($0) (used by x)", at: FileLocation(file: "x.xml", line: 50 + $0), workflowID: "") })
        if let dictionary { builder.dictionary = dictionary }
        return builder
    }

    static func serial(_ workflows: Input, dictionary: HTMLDictionary? = nil) -> (MigrationReportBuilder, [ReportBody: [UInt8]]) {
        var builder = builder(dictionary)
        var bodies: [ReportBody: [UInt8]] = [:]
        for (workflow, findings) in workflows {
            for part in builder.add(workflow: workflow, findings: findings).parts { bodies[part.body, default: []] += part.bytes }
        }
        return (builder, bodies)
    }

    /// The split: chunks cut by a chunker, every renderer's chunks rendered before the next
    /// renderer's (the most out of order the threads can be: each renderer sees only its own chunks
    /// and the names it is handed), then joined in chunk order.
    static func split(_ workflows: Input, workers: Int, size: Int, dictionary: HTMLDictionary? = nil) -> (MigrationReportBuilder, [ReportBody: [UInt8]]) {
        var builder = builder(dictionary)
        var chunker = ReportChunker(workers: workers, size: size)
        var chunks: [ReportChunk] = []
        for (workflow, findings) in workflows {
            if let chunk = chunker.add(workflow: workflow, findings: findings) { chunks.append(chunk) }
        }
        if let chunk = chunker.flush() { chunks.append(chunk) }
        #expect(chunker.flush() == nil ? true : false)
        #expect(chunks.map(\.workflows.count).reduce(0, +) == workflows.count)
        #expect(chunks.allSatisfy { $0.workflows.count <= size && !$0.workflows.isEmpty })
        var rendered: [Int: [RenderedWorkflow]] = [:]
        for worker in (0..<workers).reversed() {
            var renderer = builder.currentRenderer
            for (index, chunk) in chunks.enumerated() where chunk.worker == worker { rendered[index] = renderer.render(chunk) }
        }
        var bodies: [ReportBody: [UInt8]] = [:]
        for index in chunks.indices {
            for workflow in rendered[index] ?? [] {
                for part in builder.add(workflow).parts { bodies[part.body, default: []] += part.bytes }
            }
        }
        return (builder, bodies)
    }

    static func expectSame(_ serial: (MigrationReportBuilder, [ReportBody: [UInt8]]), _ split: (MigrationReportBuilder, [ReportBody: [UInt8]]), _ comment: String) {
        let (old, oldBodies) = serial
        let (new, newBodies) = split
        #expect(Set(oldBodies.keys) == Set(newBodies.keys), "\(comment)")
        for (body, bytes) in oldBodies {
            #expect(newBodies[body] == bytes, "\(comment): \(body.fileName)")
        }
        #expect(old.workflows == new.workflows, "\(comment)")
        #expect(old.steps == new.steps, "\(comment)")
        #expect(old.workflowOutcomes == new.workflowOutcomes, "\(comment)")
        #expect(old.facts == new.facts, "\(comment)")
        #expect(old.pictured == new.pictured, "\(comment)")
        #expect(old.dictionary.entries == new.dictionary.entries, "\(comment)")
        #expect(old.htmlBodyBytes == new.htmlBodyBytes && old.htmlSummarized == new.htmlSummarized && old.htmlOmitted == new.htmlOmitted, "\(comment)")
        let ending = ReportEnding(digest: String(repeating: "0", count: 64), findings: [])
        for document in ReportDocument.allCases {
            #expect(old.document(document, ending: ending, bodies: oldBodies) == new.document(document, ending: ending, bodies: newBodies), "\(comment): \(document)")
        }
    }

    static func workflows(_ values: [Int], count: Int) -> Input {
        var choices = ReportBytesTests.Choices(values: values)
        return (0..<count).map { _ in ReportBytesTests.workflow(&choices) }
    }

    @Test("Random workflows, 1 to 3 renderers, chunks of 1 to 5: the serial bytes and counters")
    func randomSplits() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000).array(of: 0...400)) { values in
            let input = Self.workflows(values, count: 1 + (values.first ?? 0) % 13)
            let serial = Self.serial(input)
            for workers in 1...3 {
                for size in 1...5 { Self.expectSame(serial, Self.split(input, workers: workers, size: size), "\(workers) x \(size)") }
            }
        }
    }

    @Test("Chunk boundaries: 0, 1, N − 1, N and N + 1 workflows for chunks of N")
    func boundaries() {
        let size = 4
        let values = (0..<3000).map { ($0 * 7919 + 13) % 1_000_003 }
        for count in [0, 1, size - 1, size, size + 1, 2 * size + 1] {
            let input = Self.workflows(values, count: count)
            let serial = Self.serial(input)
            for workers in 1...3 { Self.expectSame(serial, Self.split(input, workers: workers, size: size), "\(count) workflows, \(workers) renderers") }
        }
    }

    @Test("With a full HTML dictionary, the split writes the phrases out as the serial report does")
    func fullDictionary() {
        var full = HTMLDictionary()
        var index = 0
        while full.token("<i>filler \(index)</i>") != "<i>filler \(index)</i>" { index += 1 }
        let values = (0..<2000).map { ($0 * 104_729 + 7) % 1_000_003 }
        let input = Self.workflows(values, count: 9)
        Self.expectSame(Self.serial(input, dictionary: full), Self.split(input, workers: 2, size: 2, dictionary: full), "full dictionary")
    }

    @Test("A workflow calling one defined in another renderer's earlier chunk names it; one defined later, by id")
    func namesAcrossChunks() {
        let settings = WorkflowSettings(accountTimezone: "UTC")
        let named = Workflow(id: "action-set.as-1", name: "Welcome *pack*", priority: 0, triggers: [], steps: [], settings: settings)
        let caller = Workflow(
            id: "slot.product-purchase.p", name: "Slot", priority: 0, triggers: [],
            steps: [Step(id: "c1", .call(workflowID: "action-set.as-1")), Step(id: "c2", .call(workflowID: "action-set.as-2"))], settings: settings)
        let later = Workflow(id: "action-set.as-2", name: "Later", priority: 0, triggers: [], steps: [], settings: settings)
        let input: Input = [(named, []), (caller, []), (later, [])]
        let (_, bodies) = Self.split(input, workers: 2, size: 1)
        let markdown = String(decoding: bodies[.markdown(.slot)] ?? [], as: UTF8.self)
        #expect(markdown.contains("Run action set *Welcome \\*pack\\** (`action-set.as-1`)"), "\(markdown)")
        #expect(markdown.contains("Run action set `action-set.as-2`"), "\(markdown)")
        Self.expectSame(Self.serial(input), Self.split(input, workers: 2, size: 1), "names")
    }

    @Test("The chunker: chunks in turn, each with the names its renderer has not seen, at most (workers − 1) × size")
    func chunker() {
        let settings = WorkflowSettings(accountTimezone: "UTC")
        func workflow(_ id: String) -> Workflow { Workflow(id: id, name: "n " + id, priority: 0, triggers: [], steps: [], settings: settings) }
        var chunker = ReportChunker(workers: 3, size: 2)
        #expect(chunker.workers == 3 && chunker.size == 2)
        #expect(ReportChunker(workers: 0, size: 0).workers == 1 && ReportChunker(workers: 0, size: 0).size == 1)
        var chunks: [ReportChunk] = []
        for index in 0..<13 {
            let id = index % 3 == 2 ? "slot.global-\(index)" : "action-set.as-\(index)"
            if let chunk = chunker.add(workflow: workflow(id), findings: []) { chunks.append(chunk) }
        }
        if let chunk = chunker.flush() { chunks.append(chunk) }
        #expect(chunks.map(\.worker) == [0, 1, 2, 0, 1, 2, 0])
        #expect(chunks.map(\.workflows.count) == [2, 2, 2, 2, 2, 2, 1])
        #expect(chunks[0].preceding.isEmpty && chunks[1].preceding.map(\.id) == ["action-set.as-0", "action-set.as-1"])
        // Renderer 0's second chunk: the names of chunks 1 and 2 (as-3, as-4; not the slots 2 and 5), in order.
        #expect(chunks[3].preceding.map(\.id) == ["action-set.as-3", "action-set.as-4"])
        #expect(chunks.allSatisfy { $0.preceding.count <= 2 * 2 })
    }

    @Test("The HTML outline's summary head is the summary-only section's start")
    func summaryHead() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000).array(of: 0...200)) { values in
            var choices = ReportBytesTests.Choices(values: values)
            let (workflow, findings) = ReportBytesTests.workflow(&choices)
            let outline = WorkflowOutline(workflow, findings: findings, names: ReportNames(catalogue: ReportBytesTests.catalogue))
            let html = outline.htmlOutline()
            var summary = Array(html.bytes[0..<html.summaryHeadCount])
            WorkflowOutline.htmlSummaryTail(into: &summary)
            var expected: [UInt8] = []
            outline.htmlSummaryOnly(into: &expected)
            #expect(summary == expected)
            #expect(html.holes.allSatisfy { $0.at >= html.summaryHeadCount && $0.at <= html.bytes.count })
        }
    }
}
