public import PurchaseActionsEngine

/// A `Deliverer` that records each attempt as one line of JSON appended to a file (JSON Lines),
/// for tests, dry runs and the crash test: nothing leaves the machine.
///
/// Each attempt appends ``PurchaseActionsEngine/OutboxMessage/deliveryLine`` and a newline:
///
/// ```json
/// {"attempt":1,"details":{"subject":"Welcome"},"key":"e1/1/welcome:send","kind":"send-email"}
/// ```
///
/// The line is written with one `write` on a file opened with `O_APPEND`, then `fsync`'d before the
/// attempt is reported delivered: after a crash a line is whole or absent. Calls from many tasks are
/// serialized (one line at a time). A write that fails (disk full, I/O error) is undone (the file
/// cut back to its length before) and reported `failed` (not permanent: tried again later).
///
/// Opening a file whose last line has no newline (a crash during a write) cuts that partial line
/// off, if it starts like a recording line (`{`); otherwise the file is refused (`not-a-recording`).
///
/// ```swift
/// let deliverer = try RecordingDeliverer(path: "deliveries.jsonl")
/// let outcome = await deliverer.deliver(message)   // .delivered once the line is on disk
/// ```
public struct RecordingDeliverer: Deliverer {
    /// The file the lines are appended to, as given.
    public let path: String
    let file: RecordingFile

    /// Opens (or creates, mode `0600`) the file at `path` for appending.
    ///
    /// Throws `cannot-open` when it cannot be opened or created, `not-a-regular-file` for a folder,
    /// FIFO or device, `not-a-recording` when it ends in a partial line that is not JSON.
    public init(path: String) throws(DeliveryError) {
        self.path = path
        self.file = try RecordingFile(path: path)
    }

    /// Appends the message's line and `fsync`s it: `delivered` once it is on disk, `failed`
    /// (not permanent) with the system's reason when it could not be written.
    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        var line = Array(message.deliveryLine.utf8)
        line.append(UInt8(ascii: "\n"))
        return await file.append(line)
    }
}
