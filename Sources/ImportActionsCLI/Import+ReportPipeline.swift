import CommandLineSupport
import LegacyImport
import MigrationReport
import PurchaseActionsCore

/// The report's per-workflow work on several threads, its bytes exactly the serial report's
/// (Benchmarks/README.md, "Import throughput"): the command's thread cuts the workflows into chunks
/// (``ReportChunker``), `workers` threads render them in turn (``ReportRenderer``: outline, JSON
/// entry, Markdown with its Mermaid picture, the HTML outline without the dictionary), and the
/// joining thread adds each chunk's workflows in order to the report (``ReportWriter``: counters,
/// JSON separators, the HTML dictionary, which depends on the order, and the body files).
///
/// Each renderer's state goes from one of its chunks to its next through a ``HandOff``, and each
/// chunk's result to the joining thread through another: nothing else is shared. Bounded: at most
/// ``workerCapacity`` chunks wait per renderer and ``joinCapacity`` chunks for the joining thread,
/// each of at most `chunkSize` workflows. With `workers` 0 every workflow is reported on the joining
/// thread as before.
///
/// Owned by the command's thread. The renderers start from the report's own renderer
/// (``ReportWriter/currentRenderer``), read when the joining thread has nothing queued: at the first
/// workflow, and again after a catalogue that comes after workflows (the report then names things
/// from it, as the serial report does).
struct ReportPipeline {
    /// The report, used by the joining thread (and read by this one only while that one is idle).
    let report: ReportBox
    /// The thread that adds the workflows to the report in order.
    let joining: BackgroundWriter
    private let workers: [BackgroundWriter]
    private var chunker: ReportChunker
    /// Each renderer's state as its last chunk leaves it; nil until the next workflow starts them.
    private var states: [HandOff<ReportRenderer>]?

    /// Chunks waiting for one renderer, at most: 2.
    static let workerCapacity = 2
    /// Jobs waiting for the joining thread, at most: 6.
    static let joinCapacity = 6
    /// The renderers an import uses: 2 (the machines it runs on have two cores or more).
    static let defaultWorkers = 2
    /// The workflows of a chunk: 32.
    static let defaultChunkSize = 32

    /// Starts the joining thread and `workers` renderers, for chunks of `chunkSize` workflows.
    init(_ writer: ReportWriter, directory: OutputDirectory, workers: Int = defaultWorkers, chunkSize: Int = defaultChunkSize) {
        report = ReportBox(writer)
        joining = BackgroundWriter(directory, capacity: workers > 0 ? Self.joinCapacity : BackgroundWriter.capacity)
        self.workers = (0..<Swift.max(0, workers)).map { _ in BackgroundWriter(directory, capacity: Self.workerCapacity) }
        chunker = ReportChunker(workers: Swift.max(1, workers), size: chunkSize)
    }

    /// Takes the account or the catalogue, in order with the workflows.
    mutating func add(_ item: ExportItem) throws(CommandError) {
        try flush()
        if case .catalogue = item { states = nil }
        let report = report
        try joining.perform { report.with { $0.add(item) } }
    }

    /// Adds one compiled workflow. `templateFindings` are taken with the first (as
    /// ``ReportWriter/add(_:templateFindings:)`` takes them).
    mutating func add(_ output: LegacyCompiler.Output, templateFindings: [MigrationFinding]) throws(CommandError) {
        let report = report
        guard !workers.isEmpty else {
            try joining.perform { () throws(CommandError) in
                try report.with { writer throws(CommandError) in try writer.add(output, templateFindings: { templateFindings }) }
            }
            return
        }
        if states == nil {
            try joining.perform { () throws(CommandError) in
                try report.with { writer throws(CommandError) in try writer.add([], templateFindings: { templateFindings }) }
            }
            try joining.drain()
            let renderer = report.with { $0.currentRenderer }
            states = workers.map { _ in HandOff(renderer) }
        }
        if let chunk = chunker.add(workflow: output.workflow, findings: output.findings) { try dispatch(chunk) }
    }

    private mutating func dispatch(_ chunk: ReportChunk) throws(CommandError) {
        guard var states else { return }
        let input = states[chunk.worker]
        let output = HandOff<ReportRenderer>()
        states[chunk.worker] = output
        self.states = states
        let rendered = HandOff<[RenderedWorkflow]>()
        try workers[chunk.worker].perform {
            var renderer = input.take()
            let workflows = renderer.render(chunk)
            output.set(renderer)
            rendered.set(workflows)
        }
        let report = report
        try joining.perform { () throws(CommandError) in
            let workflows = rendered.take()
            try report.with { writer throws(CommandError) in try writer.add(workflows) }
        }
    }

    /// Hands on the chunk begun, if any.
    mutating func flush() throws(CommandError) {
        if let chunk = chunker.flush() { try dispatch(chunk) }
    }

    /// Reports every workflow added and ends the threads; throws the first failure.
    mutating func finish() throws(CommandError) {
        try flush()
        for worker in workers { try worker.finish() }
        try joining.finish()
    }

    /// Drops what is queued and ends the threads. The joining thread first: the chunk it may wait
    /// for is rendered by a renderer still running.
    func cancel() {
        joining.cancel()
        for worker in workers { worker.cancel() }
    }
}
