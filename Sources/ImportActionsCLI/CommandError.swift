public import ArgumentParser
import CommandLineSupport

/// A failure of a command that is not the export's fault: the output exists, a file cannot be written.
public struct CommandError: Error, CustomStringConvertible {
    /// What kind of failure, as the exit code it ends the process with.
    public enum Code: Sendable {
        /// The output exists and may not be replaced (exit 73).
        case outputExists
        /// A file could not be written (exit 74).
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
    public var exitCode: ExitCode {
        switch code {
        case .outputExists: ExitStatus.outputExists
        case .io, .oldOutputLeft: ExitStatus.io
        case .usage: ExitStatus.usage
        }
    }
}
