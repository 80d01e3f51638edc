import ArgumentParser
import CommandLineSupport
import PurchaseActionsSQLite

/// `--database PATH`, shared by the commands that read or write the store (Docs/cli.md).
struct DatabaseOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The database file (SQLite; default ./\(SQLiteStore.defaultFileName)). publish and run create it; the other commands read an existing one.",
            valueName: "path"))
    var database: String = SQLiteStore.defaultFileName

    /// Opens the store. `creating`: a missing file is created (publish, run); otherwise a missing
    /// file is exit 66, so a mistyped path never leaves an empty database behind.
    func open(creating: Bool) throws -> SQLiteStore {
        if !creating {
            try InputPath.check(database, is: .file, takes: "--database takes a database written by purchase-actions publish or run")
        }
        return try SQLiteStore(path: database)
    }

    /// Opens an existing store for reading only (`log`, `enrollments`, `outbox`, `stats`): a
    /// missing file is exit 66, and a file that is not a purchase-actions database (an empty file
    /// included) is exit 65 and left untouched.
    func openForReading() throws -> SQLiteStore {
        try InputPath.check(database, is: .file, takes: "--database takes a database written by purchase-actions publish or run")
        return try SQLiteStore(readingOnly: database)
    }
}

/// `--json`, for the commands that print rows.
struct JSONFlag: ParsableArguments {
    @Flag(help: "Print one JSON object a line (canonical JSON, keys sorted) instead of a table.")
    var json = false
}
