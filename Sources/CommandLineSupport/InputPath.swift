import PurchaseActions

/// Checks that an input named on the command line exists and is the kind the option takes, before
/// anything reads it: a folder given where a file is expected (or the reverse) is exit 66 with a
/// message saying which (Docs/cli.md, "Exit codes").
public enum InputPath {
    /// What an option takes.
    public enum Expected: Sendable {
        /// A file (a regular file, or a pipe such as `<(zcat events.jsonl.gz)`).
        case file
        /// A folder.
        case folder
    }

    /// A refused input: the message for standard error and exit 66.
    public struct Refusal: CommandLineError, CustomStringConvertible {
        /// `error: <path> is a folder; --events takes an events file (JSON Lines)`.
        public var description: String
        /// Always ``ExitStatus/missingInput`` (66).
        public var exitStatus: ExitStatus { .missingInput }
    }

    /// Checks `path`; `takes` completes the message, such as `--events takes an events file (JSON Lines)`.
    /// Symbolic links are followed: a link to a folder is a folder.
    public static func check(_ path: String, is expected: Expected, takes: String) throws(Refusal) {
        switch FileAccess.kind(path) {
        case .linkLoop:
            throw Refusal(description: "error: \(path) is a loop of symbolic links (following them never ends: ELOOP); \(takes)")
        case .danglingLink:
            throw Refusal(description: "error: \(path) is a symbolic link to nothing (its target does not exist); \(takes)")
        case .missing:
            // Swift's CommandLine.arguments puts U+FFFD for bytes that are not UTF-8: the name
            // looked for is not the one typed.
            if path.unicodeScalars.contains("\u{FFFD}") {
                throw Refusal(
                    description:
                        "\(path): error: no such file or folder, and the name holds U+FFFD: the name given could not be read as UTF-8 (a name that is not valid UTF-8 cannot be passed to this tool); rename the file; \(takes)"
                )
            }
            throw Refusal(description: "\(path): error: no such file or folder; \(takes)")
        case .unreadable:
            // No permission to search a folder on the way, ...: for the reader to report.
            return
        case .file:
            if expected == .folder { throw Refusal(description: "error: \(path) is a file; \(takes)") }
        case .folder:
            if expected == .file { throw Refusal(description: "error: \(path) is a folder; \(takes)") }
        case .pipe where expected == .file:
            return
        case .pipe, .other:
            throw Refusal(description: "error: \(path) is not a file or a folder (a device or socket); \(takes)")
        }
    }
}
