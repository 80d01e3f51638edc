public import CommandLineSupport
public import PurchaseActionsSQLite

/// The store's errors end a command with the exit codes of Docs/cli.md ("Exit codes"):
///
/// | code | exit |
/// |---|---|
/// | `unknown-workflow`, `unknown-version` | 64: the command line names what the store does not hold |
/// | `newer-schema`, `older-schema`, `not-a-database`, `invalid-enrollment`, `step-removed`, `engine` | 65 |
/// | `cannot-open`, `disk-full`, `read-only`, `io` | 74 |
/// | `closed` | 70 (a bug) |
extension StoreError: CommandLineError {
    /// The exit status for the error's code.
    public var exitStatus: ExitStatus {
        switch code {
        case .unknownWorkflow, .unknownVersion: .usage
        case .newerSchema, .olderSchema, .notADatabase, .invalidEnrollment, .stepRemoved, .invalidDunningState, .engine: .invalidData
        case .cannotOpen, .diskFull, .readOnly, .io: .io
        case .closed: .internalError
        }
    }

    /// `<database>: error: <message>` (the message says what to do).
    public var diagnostic: String {
        var text = message
        if code == .io, message.contains("database is locked") || message.contains("database is busy") {
            text += " (another process was writing the database at the same moment: a publish, migrate-enrollments or outbox --retry while the worker runs is allowed, but two writes cannot overlap); nothing of this command's transaction was kept: run it again"
        }
        return path.map { "\($0): error: \(text)" } ?? "error: \(text)"
    }
}
