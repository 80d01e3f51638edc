/// The checks of `purchase-actions validate`: every workflow file against the workflow format, and
/// every reference between files — `call`, `enroll` and `unenroll` targets, templates, contact
/// fields, and (with `account.json`) tags, products, plans, bundles, payment plans and users —
/// each problem with its file, line and JSON path (Docs/cli.md, "validate").
///
/// ```swift
/// let report = try WorkflowValidation().validate(["migrated"])
/// for problem in report.problems { print(problem) }
/// print(report.summary)
/// ```
///
/// Each path is one of:
/// - an import's output folder (a folder holding `workflows/`): its `workflows/*.json`, with
///   `templates/*.json` and `account.json` when present. Its references are checked within it.
/// - a workflow file inside a migration's `workflows/` folder: checked with the migration's
///   `templates/` and `account.json`, the other workflows of the folder known by their file names.
/// - a folder of workflow files (`*.json`, not hidden) or a workflow file. All of these given
///   together are one set: a `call` in one may name a workflow in another.
///
/// A template no action uses is a warning, except in an import's output (a folder with
/// `migration-report.json`), which holds every template of the export, used or not.
///
/// Unlike the loaders, which stop at the first bad file, it reads every file and reports all it
/// finds: a file's first format error (the reader stops there), then, for files that decode, every
/// broken reference. Every problem has a JSON path (`$` for one about the whole file). It sorts the
/// problems by file, line, column and path, keeps the first ``maxProblems`` and counts the rest
/// (``ValidationReport/omitted``), so the same input gives the same report.
public struct WorkflowValidation: Sendable {
    /// The most problems kept by default: 1,000.
    public static let defaultMaxProblems = 1_000

    /// The most bytes per workflow file and files per folder (as `simulate --workflows`).
    public var limits: WorkflowFolderLimits
    /// The most problems kept; the rest are counted.
    public var maxProblems: Int

    /// Creates a validation with these limits.
    public init(limits: WorkflowFolderLimits = WorkflowFolderLimits(), maxProblems: Int = WorkflowValidation.defaultMaxProblems) {
        self.limits = limits
        self.maxProblems = max(0, maxProblems)
    }

    /// Validates the workflows at `paths` (files or folders, see the type's description).
    ///
    /// - Throws: ``LoadError`` `missing` or `wrong-kind` for a path given that is neither a file
    ///   nor a folder; everything found inside is a problem of the report instead.
    public func validate(_ paths: [String]) throws(LoadError) -> ValidationReport {
        var sink = ProblemSink(maxProblems: maxProblems)
        var bare = Group()
        var groups: [Group] = []
        // Files inside a migration's workflows/ folder, by the migration folder (in the order first given).
        var inMigration: [String: Int] = [:]
        var given: Set<String> = []
        // A path given twice is read once (its workflows would otherwise all be duplicates).
        for path in paths where given.insert(path).inserted {
            switch FileAccess.kind(path) {
            case .folder:
                var folder = path
                while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
                if FileAccess.kind(folder + "/workflows") == .folder {
                    var group = Group(migration: folder + "/")
                    group.folders.append(folder + "/workflows")
                    groups.append(group)
                } else if let parent = Self.migration(ofWorkflowsFolder: folder) {
                    // A migration's own workflows/ folder, given by itself: its templates and account are beside it.
                    var group = Group(migration: parent)
                    group.folders.append(folder)
                    groups.append(group)
                } else {
                    bare.folders.append(folder)
                }
            default:
                try FileAccess.requireFile(path, "a workflow file (<id>.json), a folder of them, or an import's output folder")
                if let parent = Self.migration(ofWorkflowsFolder: Self.folder(of: path)) {
                    // A file inside a migration's workflows/ folder: checked with the migration's templates and
                    // account, and the other workflows of the folder are known by their file names. Files
                    // named by different paths to one folder (`x.json`, `../workflows/y.json`) are one group.
                    let key = MigrationFolder.realPath(parent) ?? parent
                    if let index = inMigration[key] {
                        groups[index].files.append(path)
                    } else {
                        var group = Group(migration: parent)
                        group.files.append(path)
                        group.siblings = Self.folder(of: path)
                        inMigration[key] = groups.count
                        groups.append(group)
                    }
                } else {
                    bare.files.append(path)
                }
            }
        }
        if !bare.folders.isEmpty || !bare.files.isEmpty { groups.append(bare) }
        for group in groups { check(group, into: &sink) }
        // Sorted by file, line, column and path before the cut (Docs/cli.md, "validate").
        sink.resolveLines(in: nil)
        sink.cut()
        return sink.report
    }

    /// Workflow files and folders checked together, with the templates and account they refer to.
    struct Group {
        var folders: [String] = []
        var files: [String] = []
        var templatesFolder: String?
        var accountFile: String?
        /// The migration's `dunning-policy.yaml`, when there is one.
        var policyFile: String?
        /// An import's output (a `migration-report.json` beside `workflows/`): it holds every template
        /// of the export, used or not, so an unused template is no problem there.
        var isImport = false
        /// For files given inside a migration's `workflows/` folder: that folder, whose other
        /// workflows are known by their file names but not read (so the checks over the whole set —
        /// unused templates, workflows nothing starts — are not made).
        var siblings: String?

        /// Bare workflow files and folders.
        init() {}

        /// The workflows of the migration folder `migration` (ending in `/`): its `templates/` and
        /// `account.json` when present.
        init(migration: String) {
            if FileAccess.kind(migration + "templates") != .missing { templatesFolder = migration + "templates" }
            if FileAccess.kind(migration + "account.json") != .missing { accountFile = migration + "account.json" }
            if FileAccess.kind(migration + "dunning-policy.yaml") != .missing { policyFile = migration + "dunning-policy.yaml" }
            isImport = FileAccess.kind(migration + "migration-report.json") != .missing
        }
    }

    /// The folder holding `file` as written (`.` for a bare name).
    static func folder(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// A workflow read, for the checks over the whole group.
    struct Seen {
        var file: String
        var status: Workflow.Status
        var hasTriggers: Bool
        /// Its steps, nested ones included, plus one: its work in the engine's count.
        var weight: Int
        /// The workflows it calls or enrolls into.
        var targets: [String]
    }

    /// A `call` or `enroll` step, for the warning about drafts.
    struct CallSite {
        var file: String
        var path: JSONPath
        var target: String
        var kind: String
    }

    private func check(_ group: Group, into sink: inout ProblemSink) {
        // The templates and the account first: the workflows refer to them.
        var templates: [String: WorkflowTemplate]?
        var templateFiles: [String: String] = [:]
        // Templates whose file is there but could not be read: already a problem of their own file.
        var brokenTemplates: Set<String> = []
        // templates/ not listed (past its limit, not a folder, unreadable): the templates named are not checked.
        var templatesUnchecked = false
        if let folder = group.templatesFolder {
            templates = readTemplates(folder, files: &templateFiles, broken: &brokenTemplates, into: &sink)
            templatesUnchecked = templates == nil
            templates = templates ?? [:]
        }
        var catalogue: ValidationCatalogue?
        if let file = group.accountFile {
            catalogue = readAccountFile(file, into: &sink)
        }
        // The policy's emails run as workflows publish builds with these templates: they count as used.
        let policy = group.policyFile.flatMap { checkPolicyFile($0, into: &sink) }
        // Every workflow file, by name; the ids the names promise are what references may name.
        var files: [(file: String, name: String)] = []
        for folder in group.folders {
            let tooMany =
                "the folder holds more than \(limits.files) workflow files (*.json), the most a folder of workflows may hold (Docs/workflow-format.md, \"Limits\")"
            guard let names = list(folder, maxNames: limits.files, tooMany: tooMany, into: &sink) else { continue }
            if names.isEmpty { sink.add(.noWorkflows, "no workflow files (<id>.json) in the folder", file: folder) }
            files += names.map { (folder + "/" + $0, $0) }
        }
        for file in group.files { files.append((file, Self.lastComponent(file))) }
        var ids = Set(files.map { $0.name.hasSuffix(".json") ? String($0.name.dropLast(5)) : $0.name })
        if let siblings = group.siblings,
            let names = try? FileAccess.names(in: siblings, maxNames: limits.files, tooMany: "", include: { $0.hasSuffix(".json") && !$0.hasPrefix(".") })
        {
            for name in names { ids.insert(String(name.dropLast(5))) }
        }
        var context = FileContext(ids: ids, templates: templates, brokenTemplates: brokenTemplates, catalogue: catalogue)
        context.templatesUnchecked = templatesUnchecked
        if let policy {
            context.usedTemplates.formUnion(policy.emailTemplateIDs)
            if let file = group.policyFile {
                Self.checkPolicyErrors(
                    policy, file: file, templates: group.templatesFolder == nil || templatesUnchecked ? nil : templates, broken: brokenTemplates,
                    into: &sink)
            }
        }
        for (file, name) in files {
            check(file: file, name: name, context: &context, into: &sink)
        }
        // What only the whole set shows.
        for call in context.calls {
            guard let target = context.seen[call.target], target.status == .draft else { continue }
            sink.add(
                .callsDraft,
                "\(call.kind) of workflow '\(DisplayText.escape(call.target))', a draft: the engine runs no draft, so this step is an error record when it runs",
                file: call.file, path: call.path, locate: true)
            sink.resolveLines(in: readAgain(call.file))
        }
        for (id, seen) in context.seen.sorted(by: { $0.key < $1.key }) where group.siblings == nil && !seen.hasTriggers && !context.called.contains(id) {
            sink.add(
                .unreachableWorkflow,
                "workflow '\(DisplayText.escape(id))' has no trigger and no other workflow calls or enrolls into it: nothing starts it",
                file: seen.file, path: JSONPath.root.member("triggers"), locate: true)
            sink.resolveLines(in: readAgain(seen.file))
        }
        overBudget(context, into: &sink)
        // An import writes every template, used or not (nothing dropped); files given alone use only some.
        if let templates, !group.isImport, group.siblings == nil {
            for id in templates.keys.sorted() where !context.usedTemplates.contains(id) {
                let file = templateFiles[id] ?? id
                sink.add(
                    .unusedTemplate, "template '\(DisplayText.escape(id))' is used by no action", file: file, path: JSONPath.root.member("id"),
                    locate: true)
                sink.resolveLines(in: readAgain(file))
            }
        }
    }

    /// Warns about every published workflow one run of which may do more than the engine's work
    /// budget (calls and enrolls counted with repetitions, as `Engine.workflowsOverBudget` does),
    /// from the call graph of the workflows read.
    private func overBudget(_ context: FileContext, into sink: inout ProblemSink) {
        guard !context.order.isEmpty else { return }
        var numbers: [String: Int] = [:]
        for (offset, id) in context.order.enumerated() { numbers[id] = offset }
        var graph = CallGraph()
        graph.addNode(context.order.count - 1)
        var weights: [Int] = []
        weights.reserveCapacity(context.order.count)
        for (offset, id) in context.order.enumerated() {
            guard let seen = context.seen[id] else { continue }
            weights.append(seen.weight)
            for target in seen.targets { if let number = numbers[target] { graph.addEdge(from: offset, to: number) } }
        }
        let expansion = graph.expansion(weights: weights)
        for (offset, id) in context.order.enumerated() {
            guard let seen = context.seen[id], seen.status == .published, offset < expansion.count, expansion[offset] > Engine.defaultWorkBudget else { continue }
            let count = expansion[offset] == Int.max ? "without end (a cycle of calls or enroll steps)" : "\(expansion[offset]) times"
            sink.add(
                .overBudget,
                "workflow '\(DisplayText.escape(id))' runs steps and enrollments, with repetitions, \(count): more than the \(Engine.defaultWorkBudget) the engine runs for one event, so a run of it stops part way (Docs/engine.md, \"The work budget\")",
                file: seen.file, path: JSONPath.root.member("id"), locate: true)
            sink.resolveLines(in: readAgain(seen.file))
        }
    }

    /// The work of a workflow's steps in the engine's count (``CallGraph/workflowExpansion(_:)``):
    /// one, plus one per step, nested ones included.
    static func weight(of steps: [Step]) -> Int {
        var total = 1
        var pending = [steps[...]]
        while var list = pending.popLast() {
            guard let step = list.popFirst() else { continue }
            pending.append(list)
            total = total < Int.max ? total + 1 : total
            switch step.kind {
            case .branch(let branches, let otherwise):
                pending.append(otherwise[...])
                for branch in branches { pending.append(branch.steps[...]) }
            case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                pending.append(onTimeout[...])
            default: break
            }
        }
        return total
    }

    /// What the checks of one file need from the group, and what they leave for the group's checks.
    struct FileContext {
        let ids: Set<String>
        let templates: [String: WorkflowTemplate]?
        let brokenTemplates: Set<String>
        let catalogue: ValidationCatalogue?
        /// templates/ could not be listed: no template named is reported unknown (none was read).
        var templatesUnchecked = false
        var seen: [String: Seen] = [:]
        /// The ids of `seen`, in the order read.
        var order: [String] = []
        var calls: [CallSite] = []
        var called: Set<String> = []
        var usedTemplates: Set<String> = []
        let zones = SystemTimeZoneDatabase()
    }

    private func check(file: String, name: String, context: inout FileContext, into sink: inout ProblemSink) {
        let tooLarge = "the file is larger than \(limits.fileBytes) bytes, the most a workflow file may hold (Docs/workflow-format.md, \"Limits\")"
        guard let bytes = read(file, what: "a workflow file (<id>.json)", maxBytes: limits.fileBytes, tooLarge: tooLarge, into: &sink) else { return }
        // Every problem of the file gets its line in one pass over its bytes.
        defer { sink.resolveLines(in: bytes) }
        sink.report.workflowFiles += 1
        if let found = Self.firstNonUTF8(bytes) {
            sink.add(.invalidJSON, Self.notUTF8Message(found, what: "a workflow file"), file: file, line: found.line, column: found.column)
            return
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            let hint = name.hasSuffix(".xml") ? " (an export is checked with import-actions --check, or run with simulate --export)" : ""
            sink.add(error.code == .limit ? .limitExceeded : .invalidJSON, error.message + hint, file: file, line: error.line, column: error.column)
            return
        }
        var checked = json
        var refused: [JSONPath] = []
        if let templates = context.templates {
            var problems: [(ValidationProblem.Code, String, JSONPath)] = []
            checked = Self.checkTemplates(
                json, templates: templates, broken: context.brokenTemplates, allBroken: context.templatesUnchecked, used: &context.usedTemplates,
                problems: &problems, refused: &refused)
            for (code, message, path) in problems { sink.add(code, message, file: file, path: path, locate: true) }
        }
        let workflow: Workflow
        do {
            workflow = try Workflow(json: checked, templates: context.templates ?? [:])
        } catch {
            // An action already reported for its template fails to decode for the same reason.
            if !refused.contains(where: { error.path.components.starts(with: $0.components) }) {
                sink.add(error.code == .limit ? .limitExceeded : .schema, error.message, file: file, line: error.line, path: error.path, locate: true)
            }
            return
        }
        let idPath = JSONPath.root.member("id")
        if name != workflow.id + ".json" {
            sink.add(
                .misnamedFile,
                "the file of workflow '\(DisplayText.escape(workflow.id))' must be named \(DisplayText.escape(workflow.id)).json (Docs/workflow-format.md, \"Checks beyond the schema\")",
                file: file, path: idPath, locate: true)
        }
        var references = ReferenceCheck(ids: context.ids, catalogue: context.catalogue)
        references.check(workflow)
        if let first = context.seen[workflow.id] {
            sink.add(
                .duplicateWorkflow, "workflow '\(DisplayText.escape(workflow.id))' is also in \(DisplayText.escape(first.file))", file: file, path: idPath,
                locate: true)
        } else {
            context.seen[workflow.id] = Seen(
                file: file, status: workflow.status, hasTriggers: !workflow.triggers.isEmpty, weight: Self.weight(of: workflow.steps),
                targets: references.calls.filter { $0.kind != "unenroll" }.map(\.target))
            context.order.append(workflow.id)
        }
        let zone = workflow.settings.accountTimezone
        if context.zones.rules(named: zone) == nil {
            sink.add(
                .unknownTimezone,
                "unknown timezone '\(DisplayText.escape(zone))': no such zone in the system's timezone database (/usr/share/zoneinfo; is the tzdata package installed?)",
                file: file, path: JSONPath.root.member("settings").member("accountTimezone"), locate: true)
        }
        for (code, message, path) in references.problems { sink.add(code, message, file: file, path: path, locate: true) }
        for call in references.calls {
            if call.target != workflow.id { context.called.insert(call.target) }
            // Kept for the draft check at the end: only those of a published workflow naming one that is there.
            if call.kind != "unenroll", workflow.status == .published, context.ids.contains(call.target) {
                context.calls.append(CallSite(file: file, path: call.path, target: call.target, kind: call.kind))
            }
        }
    }

    /// Every `templates/*.json` file, by template id; `nil` (and a problem) when the folder cannot be
    /// listed: not a folder, unreadable, or holding more than the limit (none of its files is read).
    private func readTemplates(
        _ folder: String, files: inout [String: String], broken: inout Set<String>, into sink: inout ProblemSink
    ) -> [String: WorkflowTemplate]? {
        var templates: [String: WorkflowTemplate] = [:]
        guard FileAccess.kind(folder) == .folder else {
            sink.add(.invalidTemplate, "templates is not a folder: an import's output folder holds its templates in templates/<id>.json", file: folder)
            return nil
        }
        let tooMany =
            "the folder holds more than \(limits.templates) template files (*.json), the most a migration's templates/ may hold (Docs/workflow-format.md, \"Limits\"); none was read, so the templates the workflows name were not checked"
        guard let names = list(folder, maxNames: limits.templates, tooMany: tooMany, into: &sink) else { return nil }
        for name in names {
            let file = folder + "/" + name
            broken.insert(String(name.dropLast(".json".count)))
            let tooLarge =
                "the file is larger than \(limits.templateFileBytes) bytes, the most a template file may hold (Docs/workflow-format.md, \"Limits\")"
            guard let bytes = read(file, what: "a template file (<id>.json)", maxBytes: limits.templateFileBytes, tooLarge: tooLarge, into: &sink)
            else { continue }
            defer { sink.resolveLines(in: bytes) }
            sink.report.templateFiles += 1
            if let found = Self.firstNonUTF8(bytes) {
                sink.add(.invalidTemplate, Self.notUTF8Message(found, what: "a template file"), file: file, line: found.line, column: found.column)
                continue
            }
            do {
                let template = try WorkflowTemplate.load(bytes)
                if name != template.id + ".json" {
                    sink.add(
                        .invalidTemplate, "the file of template '\(DisplayText.escape(template.id))' must be named \(DisplayText.escape(template.id)).json",
                        file: file, path: JSONPath.root.member("id"), locate: true)
                }
                if let first = files[template.id] {
                    sink.add(
                        .invalidTemplate, "template '\(DisplayText.escape(template.id))' is also in \(DisplayText.escape(first))", file: file,
                        path: JSONPath.root.member("id"), locate: true)
                    continue
                }
                templates[template.id] = template
                files[template.id] = file
                broken.remove(template.id)
            } catch {
                sink.add(.invalidTemplate, error.message, file: file, line: error.line, column: error.line != nil && error.path.components.isEmpty ? error.column : nil, path: error.path, locate: true)
            }
        }
        return templates
    }

    /// The migration's dunning policy, read as `DunningPolicyFile.load(path:)` reads it (as
    /// `purchase-actions publish` and `dunning check` do): its first error is an `invalid-policy`
    /// problem with its line, column and JSON path (`limit-exceeded` past 1 MiB, `unreadable` when
    /// it cannot be read).
    /// Reads the migration's dunning policy; a problem (and `nil`) when it cannot be read.
    private func checkPolicyFile(_ file: String, into sink: inout ProblemSink) -> DunningPolicy? {
        do {
            return try DunningPolicyFile.load(path: file)
        } catch {
            let code: ValidationProblem.Code =
                switch error.code {
                case .limitExceeded: .limitExceeded
                case .io: .unreadable
                default: .invalidPolicy
                }
            sink.add(code, error.message, file: file, line: error.line, column: error.column, path: error.jsonPath)
            return nil
        }
    }

    private func readAccountFile(_ file: String, into sink: inout ProblemSink) -> ValidationCatalogue? {
        let tooLarge = "the file is larger than \(limits.accountFileBytes) bytes, the most account.json may hold (Docs/workflow-format.md, \"Limits\")"
        guard let bytes = read(file, what: "an account file (account.json)", maxBytes: limits.accountFileBytes, tooLarge: tooLarge, into: &sink)
        else { return nil }
        defer { sink.resolveLines(in: bytes) }
        sink.report.accountFiles += 1
        if let found = Self.firstNonUTF8(bytes) {
            sink.add(.invalidAccount, Self.notUTF8Message(found, what: "account.json"), file: file, line: found.line, column: found.column)
            return nil
        }
        do {
            return ValidationCatalogue(try AccountFile.load(bytes).catalogue)
        } catch {
            sink.add(.invalidAccount, error.message, file: file, line: error.line, column: error.line != nil && error.path.components.isEmpty ? error.column : nil, path: error.path, locate: true)
            return nil
        }
    }

    /// The `*.json` names of a folder (not hidden), sorted; `nil` (and a problem) when it cannot be
    /// listed or holds more than `maxNames`.
    private func list(_ folder: String, maxNames: Int, tooMany: String, into sink: inout ProblemSink) -> [String]? {
        do {
            return try FileAccess.names(in: folder, maxNames: maxNames, tooMany: tooMany) { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        } catch {
            sink.add(error)
            return nil
        }
    }

    /// A file's bytes within `maxBytes`; `nil` (and a problem) when it cannot be read.
    private func read(_ file: String, what: String, maxBytes: Int, tooLarge: String, into sink: inout ProblemSink) -> [UInt8]? {
        do {
            try FileAccess.requireFile(file, what)
            return try FileAccess.contents(of: file, what, maxBytes: maxBytes, tooLarge: tooLarge)
        } catch {
            sink.add(error)
            return nil
        }
    }

    /// A file read again to give a problem found at the end its line (`nil` if it cannot be).
    private func readAgain(_ file: String) -> [UInt8]? {
        try? FileAccess.contents(of: file, "a file", maxBytes: max(limits.fileBytes, limits.templateFileBytes), tooLarge: "")
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}

/// The problems kept and counted. Every problem is given its line, then the problems are sorted by
/// file, line, column and JSON path (then the order found) and the first ``maxProblems`` kept: the
/// cut never depends on the order files were read in. At most about twice ``maxProblems`` problems
/// (and those of the file being read) are held at once.
struct ProblemSink {
    let maxProblems: Int
    var report = ValidationReport()
    /// The order each kept problem was found in, for ties (parallel to the report's problems).
    private var order: [Int] = []
    /// How many problems were found so far.
    private var found = 0

    init(maxProblems: Int) { self.maxProblems = maxProblems }

    /// How many problems may wait before the held ones are sorted and cut to ``maxProblems``.
    private var holdLimit: Int {
        let (sum, overflow) = maxProblems.addingReportingOverflow(max(maxProblems, 1024))
        return overflow ? Int.max : sum
    }

    /// Counts and keeps a problem. With `locate` and no `line`, its line is found by the next
    /// ``resolveLines(in:)``, from the file's bytes. A problem with no path is about the whole
    /// file: its path is `$`.
    mutating func add(
        _ code: ValidationProblem.Code, _ message: String, file: String, line: Int? = nil, column: Int? = nil, path: JSONPath? = nil,
        locate: Bool = false
    ) {
        switch code.severity {
        case .error: report.errors += 1
        case .warning: report.warnings += 1
        }
        report.counts[code, default: 0] += 1
        if line == nil, locate, path != nil { pending.append(report.problems.count) }
        report.problems.append(ValidationProblem(code, message, file: file, line: line, column: column, jsonPath: path ?? .root))
        order.append(found)
        found += 1
    }

    /// Problems kept whose line is still to be found (indices into the report's problems).
    private var pending: [Int] = []

    /// Gives the problems added with `locate` since the last call the line of their path in
    /// `bytes` (the file they are about), all in one pass; then cuts the problems held when they
    /// are past the hold limit.
    mutating func resolveLines(in bytes: [UInt8]?) {
        defer {
            pending.removeAll()
            if report.problems.count > holdLimit { cut() }
        }
        guard let bytes, !pending.isEmpty else { return }
        // A path and every path holding it: a member a template gave is not in the file, and
        // then the line is that of the nearest value holding it that is (the action naming the template).
        var paths: Set<JSONPath> = []
        for index in pending {
            var path = report.problems[index].jsonPath
            while paths.insert(path).inserted, !path.components.isEmpty { path.components.removeLast() }
        }
        let lines = JSONLineIndex.lines(of: paths, in: bytes)
        for index in pending {
            var path = report.problems[index].jsonPath
            while lines[path] == nil, !path.components.isEmpty { path.components.removeLast() }
            report.problems[index].line = lines[path]
        }
    }

    /// Sorts the problems held (file, line, column, JSON path, then the order found) and keeps the
    /// first ``maxProblems``. Called with no line pending.
    mutating func cut() {
        let sorted = zip(report.problems, order).sorted { a, b in
            let (p, q) = (a.0, b.0)
            if p.file != q.file { return p.file < q.file }
            if (p.line ?? 0) != (q.line ?? 0) { return (p.line ?? 0) < (q.line ?? 0) }
            if (p.column ?? 0) != (q.column ?? 0) { return (p.column ?? 0) < (q.column ?? 0) }
            let (x, y) = (p.jsonPath.description, q.jsonPath.description)
            if x != y { return x < y }
            return a.1 < b.1
        }.prefix(maxProblems)
        report.problems = sorted.map(\.0)
        order = sorted.map(\.1)
    }

    /// A loader's error about a file or folder, as a problem.
    mutating func add(_ error: LoadError) {
        let code: ValidationProblem.Code =
            switch error.code {
            case .limitExceeded: .limitExceeded
            case .invalid: .misnamedFile
            default: .unreadable
            }
        add(code, error.message, file: error.file, line: error.line, column: error.column, path: error.jsonPath)
    }
}
