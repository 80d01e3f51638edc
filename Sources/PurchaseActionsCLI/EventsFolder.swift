#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore

/// The worker's folder of events: its `*.jsonl` files in name order (byte order of the names),
/// read and never deleted or changed (Docs/cli.md, "`purchase-actions run`").
///
/// Names starting with `.` are left out (an editor's or a copy's temporary file), and so is
/// anything that is not a regular file (after following a symbolic link). A `*.jsonl` name that is
/// not valid UTF-8 is an error (exit 65), never skipped. A folder may hold at most
/// ``maximumFiles`` events files.
struct EventsFolder: Sendable {
    /// The most events files the folder may hold: 100,000.
    static let maximumFiles = 100_000

    /// The folder as given.
    let path: String
    /// The folder's absolute path with symbolic links resolved: the stored positions are keyed by
    /// `<this>/<file name>`, so the same file has the same position whatever the working folder.
    let resolved: String

    /// Opens the folder (it must exist and be a folder).
    init(_ path: String) throws {
        try InputPath.check(path, is: .folder, takes: "--events takes a folder of events files (*.jsonl), or - for standard input")
        guard let real = realpath(path, nil) else {
            throw LoadError(.io, "cannot resolve the folder's path: \(String(cString: strerror(errno)))", file: path)
        }
        defer { free(real) }
        self.path = path
        self.resolved = String(cString: real)
    }

    /// One events file: its name, the path to open, its source key and its size now.
    struct File: Sendable {
        var name: String
        var path: String
        var source: String
        var size: Int64
    }

    /// The events files, in name order; more than `maximum` is an error (`limit-exceeded`).
    func files(maximum: Int = EventsFolder.maximumFiles) throws(LoadError) -> [File] {
        guard let directory = opendir(path) else {
            throw LoadError(.io, "cannot list the events folder: \(String(cString: strerror(errno)))", file: path)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".jsonl"), !name.hasPrefix(".") else { continue }
            if name.unicodeScalars.contains("\u{FFFD}") {
                // Its bytes decoded with U+FFFD: the name would not open as written, so it is never skipped quietly.
                throw LoadError(
                    .invalid,
                    "the name of the events file '\(name)' in the folder is not valid UTF-8 (U+FFFD stands for the bytes that are not); rename it",
                    file: path)
            }
            names.append(name)
            if names.count > maximum {
                throw LoadError(
                    .limitExceeded,
                    "the events folder holds more than \(maximum) events files (*.jsonl), the most the worker reads (Docs/cli.md); move the files already read elsewhere",
                    file: path)
            }
        }
        var files: [File] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let filePath = path.hasSuffix("/") ? path + name : path + "/" + name
            var info = stat()
            guard stat(filePath, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            files.append(File(name: name, path: filePath, source: resolved + "/" + name, size: Int64(info.st_size)))
        }
        return files
    }
}
