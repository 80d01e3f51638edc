#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
public import PurchaseActionsCore

/// Reads an export one item at a time: `while let item = try stream.next() { ... }`.
///
/// Only the catalogue and an index of ids stay in memory; each sequence, action set, slot and rule is
/// handed out as soon as it is read and then forgotten.
///
/// - Important: The stream is not `Sendable`; read it from one task. The items it hands out are.
public final class ExportStream {
    private let assembler: ExportAssembler
    /// The producer, when it runs on this thread (small inputs).
    private let producer: ExportProducer?
    /// Events the producer made on this thread, not yet read.
    private let pending: PendingEvents
    /// The queue from the producing thread, for large inputs.
    private let queue: ProducerQueue?
    private var finished = false
    private var failure: ImportError?
    /// How the producer on this thread stopped, once it has.
    private var producerOutcome: ProducerMessage?
    private let progress = ByteProgress()

    /// The size of the input in bytes (the file's size when the stream was opened), for a
    /// progress bar beside ``bytesRead``.
    public let size: Int

    /// How many bytes of the input the reader has read so far (it reads ahead of the items handed
    /// out by at most a few chunks of 256 KiB); at most ``size`` for a file that does not grow.
    public var bytesRead: Int { progress.bytes }

    init(file: String, limits: ExportLimits, validatesSchema: Bool, pipelineThreshold: Int, bytes: [UInt8]?) throws(ImportError) {
        let arenas = ArenaPool()
        assembler = ExportAssembler(file: file, arenas: arenas)
        let source: ExportProducer.Source
        let size: Int
        if let bytes {
            source = .bytes(bytes, offset: 0)
            size = bytes.count
        } else {
            guard let handle = fopen(file, "rb") else {
                let code = errno
                let location = FileLocation(file: file)
                if code == ENOENT {
                    throw ImportError(.missingInput, "no such file: check the path (an export is an .xml file)", at: location)
                }
                throw ImportError(.io, "cannot open the file: \(String(cString: strerror(code)))", at: location)
            }
            source = .file(handle)
            var info = stat()
            size = fstat(fileno(handle), &info) == 0 ? Int(info.st_size) : 0
        }
        self.size = size
        let schema = validatesSchema ? ExportSchema.shared : nil
        let pending = PendingEvents()
        self.pending = pending
        if size >= pipelineThreshold {
            let queue = ProducerQueue(capacity: 8)
            self.queue = queue
            producer = nil
            let batch = EventBatch()
            let threaded = ExportProducer(file: file, source: source, limits: limits, schema: schema, arenas: arenas, progress: progress) { event in
                batch.events.append(event)
                guard batch.events.count >= EventBatch.size else { return nil }
                return queue.put(.events(batch.flush())) ? nil : ImportError(.io, "reading was cancelled", at: FileLocation(file: file))
            }
            let work: @Sendable () -> Void = {
                LibXML2.prepareThread()
                var step = ExportProducer.Step.more
                // A cancelled queue (the stream was dropped) stops the work at the next chunk, even
                // inside a huge unit that sends nothing for a long time.
                while case .more = step, !queue.isCancelled { step = threaded.step() }
                if !batch.events.isEmpty, !queue.put(.events(batch.flush())) {
                    queue.markProducerDone()
                    return
                }
                switch step {
                case .failed(let error): _ = queue.put(.failure(error))
                default: _ = queue.put(.end)
                }
                queue.markProducerDone()
            }
            if !startThread(work) {
                // No thread could be made: produce everything here, into a queue without a bound,
                // rather than wait for a reader that is this very thread.
                queue.removeBound()
                work()
            }
        } else {
            queue = nil
            producer = ExportProducer(file: file, source: source, limits: limits, schema: schema, arenas: arenas, progress: progress) { event in
                pending.events.append(event)
                return nil
            }
        }
    }

    deinit {
        if let queue {
            queue.cancel()
            queue.waitForProducer()
        }
    }

    /// Warnings found so far: unknown elements kept as opaque actions, unknown attributes.
    ///
    /// At most 1,000 are kept; past that, a last warning says how many more there were.
    public var warnings: [ImportWarning] {
        guard assembler.uncountedWarnings > 0 else { return assembler.warnings }
        return assembler.warnings + [
            ImportWarning(
                "\(assembler.uncountedWarnings) more warnings like these were not listed", at: FileLocation(file: assembler.file))
        ]
    }

    /// The catalogue read so far (complete once the `.catalogue` item was handed out).
    public var catalogue: Catalogue { assembler.catalogue }

    /// The next item, or `nil` after the last one; throws the first problem found, with its location.
    public func next() throws(ImportError) -> ExportItem? {
        while true {
            if let failure { throw failure }
            if let item = assembler.takeReady() { return item }
            do throws(ImportError) {
                if let event = pending.take() {
                    try assembler.consume(event)
                    continue
                }
                if finished { return nil }
                switch fetch() {
                case .events(let events): pending.events.append(contentsOf: events)
                case .failure(let error): throw error
                case .end: finished = true
                }
            } catch {
                failure = error
                queue?.cancel()
                throw error
            }
        }
    }

    /// More from the producer: a batch from the producing thread, or one step of the producer here
    /// (whose events land in ``pending`` directly). Units made before the producer stopped are read
    /// before how it stopped.
    private func fetch() -> ProducerMessage {
        if let queue { return queue.take() }
        if let producerOutcome { return producerOutcome }
        switch producer!.step() {
        case .more: break
        case .done: producerOutcome = .end
        case .failed(let error): producerOutcome = .failure(error)
        }
        return .events([])
    }
}

/// Events the producing thread has gathered and not yet sent.
final class EventBatch: @unchecked Sendable {
    // Used only by the producing thread.
    static let size = 16
    var events: [StructureEvent] = []

    func flush() -> [StructureEvent] {
        defer { events = [] }
        return events
    }
}

/// Events the producer made on the stream's own thread, oldest first.
final class PendingEvents {
    var events: [StructureEvent] = []
    private var head = 0

    func take() -> StructureEvent? {
        guard head < events.count else {
            events.removeAll(keepingCapacity: true)
            head = 0
            return nil
        }
        head += 1
        return events[head - 1]
    }

}
