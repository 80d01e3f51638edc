internal import GRDB
import Dispatch
import Synchronization
import PurchaseActionsCore
import PurchaseActionsEngine

/// The first half of a log write (``SQLiteStore/appendLog(_:detailsText:in:)``): the records'
/// text cut into batches, with what each batch counts per workflow — everything but the rows'
/// sequence numbers, which only the database gives. Fed in pieces (``append(_:details:)``) it cuts
/// the same batches as fed at once: the records are one run, the open batch carried from piece
/// to piece. So a runtime can compose a caller's log while its later events still run
/// (``LogStream``), and write it after (``SQLiteStore/writeLog(_:in:)``).
struct LogComposer: Sendable {
    /// What a composer made: the batches in order, and the records that ended an enrollment in error.
    struct Composed: Sendable {
        /// The batches, each with at most ``SQLiteStore/logBatchLimit`` records of one contact (or none).
        var batches: [SQLiteStore.LogBatch] = []
        /// The enrollment and message of each `error` record, in order.
        var errors: [(enrollmentID: String, message: String)] = []
    }

    private var writer = LogRecord.CompactWriter()
    private var batch = SQLiteStore.LogBatch()
    private var composed = Composed()
    /// The effects' details text by idempotency key, as given so far.
    private var detailsText: [String: String]

    /// A composer with no record yet; `detailsText` as ``append(_:details:)`` takes it.
    init(detailsText: [String: String] = [:]) {
        self.detailsText = detailsText
    }

    /// Adds records after those given before. `details` (idempotency key, compact text), added to
    /// those given before (a key given again takes the new text), are the outbox's texts of the
    /// effects' details: a record's external effect takes its details from them, else composes them.
    mutating func append(_ records: some Sequence<LogRecord>, details: some Sequence<(String, String)> = EmptyCollection()) {
        for (key, value) in details { detailsText[key] = value }
        for record in records {
            // The record is written straight into the open batch (after its separator); when it
            // starts the next batch (another contact, or the limit), its text moves there.
            let end = batch.text.count
            if batch.count > 0 { batch.text.append(UInt8(ascii: "\n")) }
            let start = batch.text.count
            let heading = writer.append(record, to: &batch.text, detailsText: detailsText)
            if batch.count > 0, batch.contactID != heading.contactID || batch.count >= SQLiteStore.logBatchLimit {
                var next = SQLiteStore.LogBatch(reserving: end + end / 4)
                next.text.append(contentsOf: batch.text[start...])
                batch.text.removeSubrange(end...)
                composed.batches.append(batch)
                batch = next
            }
            batch.tally(heading)
            if heading.status == .error, let id = heading.enrollmentID {
                composed.errors.append((id, record.message))
            }
        }
    }

    /// `records` composed at once (`detailsText` as ``init(detailsText:)`` takes it): the log
    /// write of a caller whose log was not composed while its events ran.
    static func composed(_ records: [LogRecord], detailsText: [String: String]) -> Composed {
        var composer = LogComposer(detailsText: detailsText)
        composer.append(records)
        return composer.finish()
    }

    /// The batches made (the last one closed); the composer is then empty, as new.
    mutating func finish() -> Composed {
        if batch.count > 0 { composed.batches.append(batch) }
        defer { self = LogComposer() }
        return composed
    }
}

extension SQLiteStore {
    /// The second half of a log write: the composed batches as rows numbered from the log's next
    /// sequence (``nextLogSequence(_:)``), and the notes on the enrollments their `error`
    /// records ended. Refused before anything is written when the numbers would pass the largest
    /// (a `next_log` edited near it): the commit then fails as a whole.
    /// `next` is the log's next sequence when the caller knows it (it wrote the last batch
    /// itself), else it is read. Returns the next sequence after those written (`nil` when nothing
    /// was written and none was given).
    @discardableResult
    static func writeLog(_ composed: LogComposer.Composed, startingAt next: Int64? = nil, in db: Database) throws -> Int64? {
        guard !composed.batches.isEmpty else { return next }
        var next = try next ?? nextLogSequence(db)
        var sequences: [Int64] = []
        sequences.reserveCapacity(composed.batches.count)
        for batch in composed.batches {
            sequences.append(next)
            let (end, overflow) = next.addingReportingOverflow(Int64(batch.count))
            guard !overflow else { throw badBatch(next, "its records would be numbered past the largest number") }
            next = end
        }
        for (batch, sequence) in zip(composed.batches, sequences) { try batch.write(sequence: sequence, in: db) }
        for error in composed.errors { try SQLiteEnrollmentStore.noteError(error.message, enrollmentID: error.enrollmentID, in: db) }
        return next
    }
}

/// Callers' logs composed on another thread while their events run (``LogPipeline`` hands the
/// pieces on): each bunch of pieces is composed in order on `queue` (a serial queue the runtime
/// shares among its streams), each piece by its caller's ``LogComposer``, and ``finish()`` waits
/// for the last bunch and gives what each caller's composer made — the same batches as composing
/// the caller's records at once. The records and their programs never change once made
/// (`LogRecord` is `Sendable`), so the composing thread only reads what the engine's thread also
/// reads. The composers are touched only under their mutex (on `queue` while composing, then by
/// ``finish()`` once the queue has passed every bunch).
///
/// A stream dropped unfinished (its caller refused, its transaction failed) composes its pieces
/// to nothing: it writes nothing, and holds nothing of the database.
final class LogStream: Sendable {
    /// Records of one caller, with the effects' details the outbox took since the caller's last piece.
    struct Piece: Sendable {
        /// The caller's place in the transaction (from 0).
        var caller: Int
        var records: [LogRecord]
        var details: [(String, String)]
    }

    private let composers = Mutex<[LogComposer]>([])
    private let queue: DispatchQueue

    /// A stream composing on `queue` (serial).
    init(queue: DispatchQueue) { self.queue = queue }

    /// Composes the pieces, in order, after those handed on before, on the queue.
    func compose(_ pieces: [Piece]) {
        guard !pieces.isEmpty else { return }
        queue.async { [self] in
            composers.withLock { composers in
                for piece in pieces {
                    while composers.count <= piece.caller { composers.append(LogComposer()) }
                    composers[piece.caller].append(piece.records, details: piece.details)
                }
            }
        }
    }

    /// Waits until every piece handed on is composed, and gives each caller's batches (by its
    /// place; a caller with no piece has none); the stream is then empty, as new.
    func finish() -> [LogComposer.Composed] {
        // The queue is serial: once an empty block ran, every bunch handed on before it did.
        queue.sync {}
        return composers.withLock { composers in
            defer { composers = [] }
            return composers.indices.map { composers[$0].finish() }
        }
    }
}

/// The runtime's end of a ``LogStream``: each event's records (and the effects' details the
/// outbox took for them) are gathered here and handed on in bunches of about ``bunchRecords``
/// records, so the composing thread is woken once a bunch, not once an event.
struct LogPipeline {
    /// Records gathered before they are handed on: 256 (a dozen events of a product's order).
    static let bunchRecords = 256

    let stream: LogStream
    private var pending: [LogStream.Piece] = []
    private var pendingRecords = 0
    /// The place of the caller whose records are being added.
    private(set) var caller = 0

    /// A pipeline composing on `queue`.
    init(queue: DispatchQueue) { stream = LogStream(queue: queue) }

    /// Adds records of the current caller (after its earlier ones).
    mutating func add(_ records: ArraySlice<LogRecord>, details: [(String, String)]) {
        guard !records.isEmpty || !details.isEmpty else { return }
        pending.append(LogStream.Piece(caller: caller, records: Array(records), details: details))
        pendingRecords += records.count
        if pendingRecords >= Self.bunchRecords { handOn() }
    }

    /// Ends the current caller's records; returns its place (what ``finish()`` gives its batches at).
    mutating func endCaller() -> Int {
        defer { caller += 1 }
        return caller
    }

    /// Hands the gathered pieces to the stream.
    mutating func handOn() {
        stream.compose(pending)
        pending = []
        pendingRecords = 0
    }

    /// Every caller's batches, by place, once composed (the pipeline is then done).
    mutating func finish() -> [LogComposer.Composed] {
        handOn()
        return stream.finish()
    }
}
