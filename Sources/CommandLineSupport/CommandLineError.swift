public import LegacyImport
public import PurchaseActions

/// An error that says how the command it ends ends: the exit status of Docs/cli.md and the line
/// standard error shows.
///
/// The pattern of hummingbird's `HTTPResponseError` (an error adopts a protocol to say its HTTP
/// status): commands throw, and ``ParsableCommand/mainEscapingErrors()`` prints the error's
/// ``diagnostic`` through ``Terminal/error(_:)`` and exits with its ``exitStatus``. An error that
/// adopts neither this nor swift-argument-parser's own errors is a bug: exit 70
/// (``ExitStatus/internalError``). The library's errors adopt it here, so the mapping from their
/// codes to exit codes is in one place:
///
/// | error | exit status |
/// |---|---|
/// | ``ExitStatus`` | itself (prints nothing) |
/// | `ImportError` | 66 `missing-input`, 74 `io`, else 65 |
/// | `LoadError` | 66 `missing`, `wrong-kind`, `not-a-file-url`; 65 `invalid`, `limit-exceeded`; 74 `io` |
/// | ``InputPath/Refusal`` | 66 |
/// | ``CommandError`` | its code's |
public protocol CommandLineError: Error {
    /// The status the command exits with.
    var exitStatus: ExitStatus { get }
    /// What standard error shows, one line (escaped when printed); empty for nothing.
    var diagnostic: String { get }
}

extension CommandLineError where Self: CustomStringConvertible {
    /// The error's description.
    public var diagnostic: String { description }
}

extension ExitStatus: CommandLineError {
    /// Itself.
    public var exitStatus: ExitStatus { self }
    /// Nothing: what went wrong was printed before.
    public var diagnostic: String { "" }
}

extension ImportError: CommandLineError {
    /// 66 for a missing export, 74 when it cannot be read, 65 for everything else.
    public var exitStatus: ExitStatus {
        switch code {
        case .missingInput: .missingInput
        case .io: .io
        default: .invalidData
        }
    }
}

extension LoadError: CommandLineError {
    /// 66 for a path that is missing, the wrong kind or not a file URL; 65 for content not valid or
    /// past a limit; 74 when a file cannot be read.
    public var exitStatus: ExitStatus {
        switch code {
        case .missing, .wrongKind, .notAFileURL: .missingInput
        case .invalid, .limitExceeded: .invalidData
        case .io: .io
        }
    }
}

/// A failure of a command that is not the input's fault: the output exists, a file cannot be
/// written, the command line names something it may not.
public struct CommandError: CommandLineError, CustomStringConvertible {
    /// What kind of failure, as the exit code it ends the process with.
    public enum Code: Sendable {
        /// The output exists and may not be replaced (exit 73).
        case outputExists
        /// A file could not be read or written (exit 74).
        case io
        /// The command line is wrong (exit 64).
        case usage
        /// The new output is in place, but the old one it replaced could not be deleted (exit 74).
        case oldOutputLeft
    }

    /// What kind of failure.
    public var code: Code
    /// What went wrong and what to do, for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `error: message`.
    public var description: String { "error: \(message)" }

    /// The exit code of Docs/cli.md.
    public var exitStatus: ExitStatus {
        switch code {
        case .outputExists: .outputExists
        case .io, .oldOutputLeft: .io
        case .usage: .usage
        }
    }
}
