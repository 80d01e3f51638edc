public import ArgumentParser

/// The exit codes of Docs/cli.md.
public enum ExitStatus {
    /// Done.
    public static let ok = ExitCode(0)
    /// `--check` or `--strict` found warnings.
    public static let findings = ExitCode(1)
    /// The command line is wrong.
    public static let usage = ExitCode(64)
    /// The input is not a valid export, workflow file or event line.
    public static let invalidData = ExitCode(65)
    /// An input does not exist, or is the wrong kind: a folder where a file is expected, or the reverse.
    public static let missingInput = ExitCode(66)
    /// A bug.
    public static let internalError = ExitCode(70)
    /// The output exists and `--force` was not given, or it holds what the command did not write.
    public static let outputExists = ExitCode(73)
    /// A file could not be read or written.
    public static let io = ExitCode(74)
}
