/// Why a deliverer or the HTTP payment gateway could not be set up: a bad URL, header or timeout,
/// a recording file that cannot be opened.
///
/// The one error type of `PurchaseActionsDelivery`. It is for configuration only: a delivery
/// attempt never throws, it returns a `DeliveryOutcome`; a charge or status look-up of
/// ``HTTPPaymentGateway`` never throws either (a failure is an `unknown` outcome). Its ``description`` reads
/// `<what>: <message>`, with control characters in ``what`` escaped.
public struct DeliveryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem. Codes are stable: tests and scripts may match on them.
    public enum Code: String, Hashable, Sendable {
        /// The URL does not parse, is not `http` or `https`, has no host, or carries control
        /// characters or spaces; for ``HTTPPaymentGateway``, it also has a query or fragment.
        case invalidURL = "invalid-url"
        /// A header name is not an HTTP token, a value carries control characters, or the header
        /// is one the deliverer sets itself (`Idempotency-Key`, `Content-Type`, `Content-Length`,
        /// `Transfer-Encoding`, `Host`, `Connection`; ``HTTPPaymentGateway`` also `Accept`).
        case invalidHeader = "invalid-header"
        /// The timeout is not above zero or is longer than ``HTTPPostDeliverer/maximumTimeout``
        /// (``HTTPPaymentGateway/maximumTimeout`` for the payment gateway).
        case invalidTimeout = "invalid-timeout"
        /// The recording file cannot be opened or created for appending (missing folder, no
        /// permission, read-only file system).
        case cannotOpen = "cannot-open"
        /// The recording path names something other than a regular file (a folder, a FIFO, a device).
        case notARegularFile = "not-a-regular-file"
        /// The recording file ends in a partial line that is not a recording line (so it is not a
        /// recording file and is left alone).
        case notARecording = "not-a-recording"
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong and what to do, for people.
    public var message: String
    /// What it applies to: the URL, the header name, the timeout or the file path, as given.
    public var what: String

    /// Creates an error.
    public init(_ code: Code, _ message: String, what: String) {
        self.code = code
        self.message = message
        self.what = what
    }

    /// `<what>: <message>`, control characters in `what` written as `\u{…}` escapes.
    public var description: String { "\(Text.escapingControls(what)): \(message)" }
}
