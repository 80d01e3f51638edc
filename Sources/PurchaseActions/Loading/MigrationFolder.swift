#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a migration folder holds beside `workflows/` (Docs/workflow-format.md, "The migration
/// folder"): `templates/<id>.json` and `account.json`, each read when present.
struct MigrationFolder {
    /// The templates by id (none without `templates/`).
    var templates: [String: WorkflowTemplate] = [:]
    /// The account (`nil` without `account.json`).
    var account: AccountFile?

    /// Nothing: a folder of bare workflow files.
    init() {}

    /// Reads `templates/` and `account.json` in `folder` (ending in `/`) within `limits`.
    init(folder: String, limits: WorkflowFolderLimits) throws(LoadError) {
        let templatesFolder = folder + "templates"
        switch FileAccess.kind(templatesFolder) {
        case .missing: break
        case .folder: templates = try Self.templates(in: templatesFolder, limits: limits)
        default: throw LoadError(.wrongKind, "not a folder; expected the migration's templates (templates/<id>.json)", file: templatesFolder)
        }
        let accountPath = folder + "account.json"
        if FileAccess.kind(accountPath) != .missing {
            try FileAccess.requireFile(accountPath, "the migration's account file (account.json)")
            let bytes = try FileAccess.contents(
                of: accountPath, "the migration's account file (account.json)", maxBytes: limits.accountFileBytes,
                tooLarge: "the file is larger than \(limits.accountFileBytes) bytes, the most account.json may hold (Docs/workflow-format.md, \"Limits\")")
            try FileAccess.requireUTF8(bytes, file: accountPath, what: "account.json")
            do {
                account = try AccountFile.load(bytes)
            } catch {
                throw LoadError(error, file: accountPath, line: error.line)
            }
        }
    }

    /// The migration folder (ending in `/`) holding `path` when `path` is a migration's `workflows`
    /// folder: named `workflows`, beside a `templates` folder or an `account.json`. Found by the
    /// path as written (`m/workflows`), else by the folder's real path, so that `.` inside it, `..`
    /// and symbolic links work too; the migration is then `path/../` (`../` for `.`), which the
    /// system resolves through the real folder, so paths stay relative as given.
    static func parent(ofWorkflowsFolder path: String) -> String? {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let folder: String
        if trimmed == "workflows" || trimmed.hasSuffix("/workflows") {
            let parent = String(trimmed.dropLast("workflows".count))
            folder = parent.isEmpty ? "./" : parent
        } else if let real = realPath(trimmed), real.split(separator: "/").last == "workflows" {
            folder = trimmed == "." ? "../" : trimmed == "/" ? "/" : trimmed + "/../"
        } else {
            return nil
        }
        guard FileAccess.kind(folder + "templates") == .folder || FileAccess.kind(folder + "account.json") != .missing else { return nil }
        return folder
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved, or `nil` if it cannot be
    /// (the path does not exist).
    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Every `<id>.json` of a templates folder (hidden names skipped), in name order.
    static func templates(in folder: String, limits: WorkflowFolderLimits) throws(LoadError) -> [String: WorkflowTemplate] {
        let names = try FileAccess.names(
            in: folder, maxNames: limits.templates,
            tooMany:
                "the folder holds more than \(limits.templates) template files (*.json), the most a migration's templates/ may hold (Docs/workflow-format.md, \"Limits\")"
        ) { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var templates: [String: WorkflowTemplate] = [:]
        for name in names.sorted() {
            let file = folder + "/" + name
            try FileAccess.requireFile(file, "a template file (<id>.json)")
            let bytes = try FileAccess.contents(
                of: file, "a template file (<id>.json)", maxBytes: limits.templateFileBytes,
                tooLarge: "the file is larger than \(limits.templateFileBytes) bytes, the most a template file may hold (Docs/workflow-format.md, \"Limits\")")
            try FileAccess.requireUTF8(bytes, file: file, what: "a template file")
            let template: WorkflowTemplate
            do {
                template = try WorkflowTemplate.load(bytes)
            } catch {
                throw LoadError(error, file: file, line: error.line)
            }
            guard name == template.id + ".json" else {
                throw LoadError(
                    .invalid, "the file of template '\(template.id)' must be named \(template.id).json (Docs/workflow-format.md, \"Templates\")", file: file,
                    line: JSONValue.position(of: JSONPath.root.member("id"), in: bytes)?.line, jsonPath: JSONPath.root.member("id"))
            }
            templates[template.id] = template
        }
        return templates
    }
}
