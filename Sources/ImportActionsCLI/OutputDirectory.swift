#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import PurchaseActionsCore

/// A folder of generated files written atomically: everything goes to a hidden sibling folder, which
/// replaces the destination by rename only when all of it is written.
///
/// A failed run leaves the destination as it was. With `force`, an existing destination is replaced,
/// but only if it holds nothing but what this command writes (``ownEntries(_:)``), so a mistyped
/// `-o` can never wipe an unrelated folder; the old output is then deleted entry by entry, only the
/// entries that were checked, and a failure to delete is reported (exit 74), never ignored.
struct OutputDirectory {
    let destination: String
    let force: Bool
    /// The hidden folder written into (internal: `makeFolder(_:)` in Import+Pictures.swift creates folders in it; the background writer writes into it).
    let staging: String
    private let backup: String
    /// Deletes one checked entry of the old output: a file, or a folder already emptied. Tests
    /// replace it to make a deletion fail.
    var remove: (String, _ isFolder: Bool) -> Int32 = { path, isFolder in isFolder ? rmdir(path) : unlink(path) }

    /// The input the command reads, which an output it replaces may never hold.
    let input: String?

    /// Checks the destination and creates the staging folder beside it. With `force`, an existing
    /// destination that holds `input` (through any links) is not replaced: the input would be
    /// deleted with the old output.
    init(destination: String, force: Bool, input: String? = nil) throws(CommandError) {
        self.destination = destination
        self.force = force
        self.input = input
        let parent = FileSystem.parent(of: destination)
        let name = FileSystem.name(of: destination)
        guard name != ".", name != "..", name != "/" else {
            throw CommandError(.usage, "-o \(destination) names a folder by . or ..; give the output folder's own name, such as -o migrated")
        }
        let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.staging = "\(parent)/.\(name).partial-\(suffix)"
        self.backup = "\(parent)/.\(name).old-\(suffix)"
        _ = try checkDestination()
        do {
            try FileSystem.makeDirectories(staging + "/workflows")
            try FileSystem.makeDirectories(staging + "/templates")
        } catch {
            throw CommandError(.io, "cannot create the output folder next to \(destination): \(error.reason)")
        }
    }

    /// Fails if the destination exists and may not be replaced; returns whether it exists.
    private func checkDestination() throws(CommandError) -> Bool {
        switch FileSystem.kind(destination) {
        case .missing: return false
        case .directory:
            guard force else {
                throw CommandError(.outputExists, "\(destination) already exists; give --force to replace it, or -o to write elsewhere")
            }
            if let input, let inputPath = FileSystem.resolved(input), let folder = FileSystem.resolved(destination),
                inputPath.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
            {
                throw CommandError(
                    .outputExists,
                    "\(destination) holds the export being read (\(input)); not replacing it even with --force, which would delete the export: move the export out of it, or give -o another folder")
            }
            _ = try Self.ownEntries(destination)
            return true
        case .symbolicLink:
            throw CommandError(
                .outputExists,
                "\(destination) is a symbolic link; not replacing it even with --force (that would replace the link, not what it points to): give -o the folder itself, or another name")
        case .file:
            throw CommandError(.outputExists, "\(destination) is a file, not a folder; give -o a folder to write")
        case .other:
            throw CommandError(.outputExists, "\(destination) is not a folder (a device, socket or pipe); give -o a folder to write")
        }
    }

    /// The top-level names an output holds (Docs/cli.md, "import-actions export.xml: writing workflows"): what `--force` may
    /// replace, and what each must be. Folders hold only files named as `names` says.
    static let topLevelFiles: Set<String> = [
        "account.json", "dunning-policy.yaml", "migration-report.json", "migration-report.md", "migration-report.html", ".DS_Store",
    ]
    /// The output's folders and whether a file name may be in each: `workflows/<workflow-id>.json`,
    /// `templates/<template-id>.json`, `pictures/<workflow-id>.dot` and `.svg`.
    static let folders: [String: @Sendable (String) -> Bool] = [
        "workflows": { named($0, [".json"], Workflow.isValidID) },
        "templates": { named($0, [".json"], WorkflowTemplate.isValidID) },
        "pictures": { named($0, [".dot", ".svg"], Workflow.isValidID) },
    ]

    private static func named(_ name: String, _ extensions: [String], _ isID: (String) -> Bool) -> Bool {
        name == ".DS_Store" || extensions.contains { name.hasSuffix($0) && isID(String(name.dropLast($0.count))) }
    }

    /// The entries of an earlier output at `path`, files before the folders holding them (the order
    /// to delete them in), if it holds exactly what this command writes: nothing, or a
    /// `migration-report.json` file, a `workflows` folder of `<workflow-id>.json` files and any of
    /// ``topLevelFiles`` and ``folders`` (and macOS's `.DS_Store` files, at the top or in a
    /// folder). Anything else (another name, or one of these names on a folder, symbolic link or
    /// anything but what the command writes there) throws exit 73 naming it.
    static func ownEntries(_ path: String) throws(CommandError) -> [(path: String, isFolder: Bool)] {
        func foreign(_ entry: String, _ what: String) -> CommandError {
            CommandError(
                .outputExists,
                "\(path) holds files this command did not write (\(entry) is \(what)); not replacing it even with --force, which replaces only a folder holding migration-report.json, workflows/<id>.json and what else import-actions writes (Docs/cli.md, \"Replacing an output with --force\")")
        }
        func entries(_ folder: String) throws(CommandError) -> [String] {
            do {
                return try FileSystem.entries(folder)
            } catch {
                throw CommandError(.io, "cannot read \(folder) to check it before replacing it: \(error.reason)")
            }
        }
        func describe(_ kind: FileSystem.Kind) -> String {
            switch kind {
            case .directory: "a folder"
            case .symbolicLink: "a symbolic link"
            case .file: "a file"
            case .other: "a device, socket or pipe"
            case .missing: "gone"
            }
        }
        var result: [(path: String, isFolder: Bool)] = []
        let top = try entries(path)
        for name in top {
            let full = path + "/" + name
            let kind = FileSystem.kind(full)
            if topLevelFiles.contains(name) {
                guard kind == .file else { throw foreign(full, describe(kind)) }
            } else if folders[name] != nil {
                guard kind == .directory else { throw foreign(full, describe(kind)) }
            } else {
                throw foreign(full, "not a name this command writes")
            }
        }
        if top.filter({ $0 != ".DS_Store" }).isEmpty { return top.map { (path + "/" + $0, false) } }
        guard top.contains("migration-report.json") else { throw foreign(path + "/workflows", "there without a migration-report.json") }
        guard top.contains("workflows") else { throw foreign(path + "/migration-report.json", "there without a workflows folder") }
        let report = String(decoding: FileSystem.prefix(path + "/migration-report.json", limit: 256), as: UTF8.self)
        // The canonical report's first key (keys are sorted): "findings" in format v1, "account" or
        // "behaviourChanges" in format v2.
        let starts = ["{\n  \"findings\": [", "{\n  \"account\": {", "{\n  \"behaviourChanges\": ["]
        guard starts.contains(where: report.hasPrefix) else { throw foreign(path + "/migration-report.json", "not a migration report") }
        for folder in top.filter({ folders[$0] != nil }).sorted() {
            guard let isNamed = folders[folder] else { continue }
            for name in try entries(path + "/" + folder) {
                let full = path + "/" + folder + "/" + name
                let kind = FileSystem.kind(full)
                guard isNamed(name) else { throw foreign(full, "not a name this command writes") }
                guard kind == .file else { throw foreign(full, describe(kind)) }
                result.append((full, false))
            }
            result.append((path + "/" + folder, true))
        }
        result += top.filter { folders[$0] == nil }.map { (path + "/" + $0, false) }
        return result
    }

    /// Writes one new file, `relativePath` inside the folder.
    func write(_ bytes: [UInt8], to relativePath: String) throws(CommandError) {
        do {
            try FileSystem.create(staging + "/" + relativePath, bytes: bytes)
        } catch {
            let reason = error.reason.contains("exists") ? "two outputs have this name (ids that differ only in case, on a case-insensitive disk?)" : error.reason
            throw CommandError(.io, "cannot write \(destination)/\(relativePath): \(reason)")
        }
    }

    /// Moves the finished folder into place, replacing the old one when allowed, then deletes the
    /// old one's checked entries.
    ///
    /// - Important: Between the two renames the destination is briefly missing; if the process is
    ///   killed exactly then, the previous output is in `.<name>.old-<suffix>` beside it (Docs/cli.md).
    /// - Throws: exit 74 when the old output cannot be deleted: the new output is in place, and the
    ///   message says where the rest of the old one is left.
    func commit() throws(CommandError) {
        let replacing = try checkDestination()
        do {
            if replacing { try FileSystem.move(destination, to: backup) }
            try FileSystem.move(staging, to: destination)
        } catch {
            if replacing, FileSystem.kind(destination) == .missing { try? FileSystem.move(backup, to: destination) }
            abandon()
            throw CommandError(.io, "cannot move the output into \(destination): \(error.reason)")
        }
        guard replacing else { return }
        // Checked again as it now is: only what was checked is deleted, and anything that appeared
        // in between stays, reported.
        let entries: [(path: String, isFolder: Bool)]
        do {
            entries = try Self.ownEntries(backup)
        } catch {
            throw leftOver(error.message)
        }
        for entry in entries where remove(entry.path, entry.isFolder) != 0 {
            throw leftOver("cannot delete \(entry.path): \(String(cString: strerror(errno)))")
        }
        if rmdir(backup) != 0 { throw leftOver("cannot delete \(backup): \(String(cString: strerror(errno)))") }
    }

    private func leftOver(_ reason: String) -> CommandError {
        CommandError(
            .oldOutputLeft,
            "\(destination) was written, but the previous output could not be deleted and is left in \(backup) (\(reason)); check it and delete it yourself")
    }

    /// Removes the staging folder; the destination is untouched.
    func abandon() {
        FileSystem.removeTree(staging)
    }
}
