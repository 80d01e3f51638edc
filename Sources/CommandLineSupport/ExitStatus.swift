public import ArgumentParser

/// How a command ends: the exit codes of Docs/cli.md, from BSD `sysexits.h`, so shells and CI
/// systems can tell kinds of failure apart.
///
/// The only place the numbers are written. Throwing one ends the command with it and prints
/// nothing more (what went wrong was printed already, or an error adopting ``CommandLineError``
/// says it and its status).
public struct ExitStatus: Error, Hashable, Sendable, CustomStringConvertible {
    /// The process's exit code.
    public let code: Int32

    private init(_ code: Int32) { self.code = code }

    /// Done; with `--check`, the export is valid and has no warnings.
    public static let ok = ExitStatus(0)
    /// `--check` found warnings, or `--strict` was given and there were warnings or constructs not
    /// mapped exactly.
    public static let findings = ExitStatus(1)
    /// The command line is wrong: unknown option, missing argument, bad option value.
    public static let usage = ExitStatus(64)
    /// The input is not a valid export, workflow file or event line, or is past a limit.
    public static let invalidData = ExitStatus(65)
    /// An input does not exist, or is the wrong kind: a folder where a file is expected, or the reverse.
    public static let missingInput = ExitStatus(66)
    /// A bug in PurchaseActions.
    public static let internalError = ExitStatus(70)
    /// The output exists and `--force` was not given, or it holds what the command did not write.
    public static let outputExists = ExitStatus(73)
    /// A file could not be read or written.
    public static let io = ExitStatus(74)
    /// Done, but something must be tried again later: `run --drain` left charges not sent (the
    /// payment gateway was not reached).
    public static let tryAgainLater = ExitStatus(75)

    /// The same code as swift-argument-parser's `ExitCode`.
    public var exitCode: ExitCode { ExitCode(code) }

    /// `exit 65`.
    public var description: String { "exit \(code)" }
}
