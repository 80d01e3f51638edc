public import CommandLineSupport
public import PurchaseActionsDelivery

/// A deliverer that cannot be set up ends `purchase-actions run` before it starts (Docs/cli.md,
/// "Exit codes"):
///
/// | code | exit |
/// |---|---|
/// | `invalid-url`, `invalid-header`, `invalid-timeout` | 64: `--deliver-to` is not a usable URL |
/// | `not-a-regular-file`, `not-a-recording` | 65: `--record` names something that is not a recording |
/// | `cannot-open` | 74: the `--record` file cannot be opened for appending |
extension DeliveryError: CommandLineError {
    /// The exit status for the error's code.
    public var exitStatus: ExitStatus {
        switch code {
        case .invalidURL, .invalidHeader, .invalidTimeout: .usage
        case .notARegularFile, .notARecording: .invalidData
        case .cannotOpen: .io
        }
    }

    /// `error: <what>: <message>`.
    public var diagnostic: String { "error: \(description)" }
}
