/// The log records a query matched, and the records it could not read (``SQLiteStore/logListing(_:)``).
///
/// A record that cannot be read — a batch edited by hand or damaged — does not hide the others: they
/// are listed, and the unreadable ones are named. At most ``LogListing/unreadableKept`` errors are
/// kept (those the reading met first); ``LogListing/unreadableCount`` counts them all.
public struct LogListing: Hashable, Sendable {
    /// How many unreadable records' errors a listing keeps: enough to find the damage, bounded
    /// however much of the log is damaged.
    public static let unreadableKept = 100

    /// The records that matched, oldest first.
    public var records: [StoredLogRecord] = []
    /// Why records could not be read, each naming its batch and record, in log order (at most
    /// ``unreadableKept``: the oldest, or with a query's `limit` the latest).
    public var unreadable: [StoreError] = []
    /// How many records (or whole batches, when a batch cannot be split) could not be read.
    public var unreadableCount = 0

    /// An empty listing.
    public init() {}

    /// Counts an unreadable record, keeping its error while fewer than ``unreadableKept`` are kept.
    mutating func noteUnreadable(_ error: StoreError) {
        unreadableCount += 1
        if unreadable.count < Self.unreadableKept { unreadable.append(error) }
    }
}
