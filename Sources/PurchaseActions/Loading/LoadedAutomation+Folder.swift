extension LoadedAutomation {
    /// Reads every workflow file of a folder, keeping the file each workflow came from.
    ///
    /// - A folder that holds a `workflows` folder is a migration, such as the output folder of
    ///   `import-actions` (Docs/workflow-format.md, "The migration folder"), and is read whole: the
    ///   workflows from `workflows/`, the templates their actions refer to from `templates/` (each
    ///   `<id>.json`, at most `limits.templates` files of at most `limits.templateFileBytes`
    ///   bytes) and the account from `account.json` (at most `limits.accountFileBytes` bytes),
    ///   each when present; the account gives the automation's profile (`AccountProfile(_:)` of the
    ///   file: `{{company.Name}}`, `{{owner.Email}}`) and the product of each plan. The report
    ///   files, `dunning-policy.yaml` (`DunningPolicyFile.load(path:)` reads it) and pictures there
    ///   are not read. A migration's `workflows/` folder given by itself
    ///   (a folder named `workflows` beside a `templates` folder or an `account.json`) is read the
    ///   same way, with the templates and account beside it.
    /// - Only files named `*.json` are read, except hidden ones (a name starting with `.`, such as
    ///   macOS's `._name.json`). Each must be named `<id>.json` after the workflow it holds
    ///   (Docs/workflow-format.md, "Checks beyond the schema").
    /// - At most `limits.files` workflow files, each of at most `limits.fileBytes` bytes: past
    ///   either, nothing is decoded or read whole (`limit-exceeded`).
    /// - Each workflow's `settings.accountTimezone` must be in the system's timezone database
    ///   (`/usr/share/zoneinfo`), which the engine reads its rules from.
    ///
    /// Files are read in the order of their names, so the same folder gives the same automation
    /// and the same first error on every machine.
    ///
    /// - Throws: ``LoadError``: `missing` or `wrong-kind` for a path that is not a folder (or a
    ///   `<id>.json` that is not a file; an export file is named as one for
    ///   `Automation(exportFile:)`; a loop of symbolic links as one), `invalid` for a file that is not a valid workflow (with
    ///   its line and JSON path), a misnamed file, a `*.json` file whose name is not valid UTF-8
    ///   (named with U+FFFD; rename it), an unknown timezone or a folder with no workflow file, an
    ///   invalid or misnamed template file or `account.json`, or an action naming a template that
    ///   is not in `templates/` (at its `template` member), `limit-exceeded` past a limit, `io` when
    ///   a file cannot be read.
    public init(folder given: String, limits: WorkflowFolderLimits = WorkflowFolderLimits()) throws(LoadError) {
        try FileAccess.requireFolder(
            given, "a folder of workflow files (<id>.json)", ifFile: "an export file (XML) is read with Automation(exportFile:) or LoadedAutomation(exportFile:)")
        let separator = given.hasSuffix("/") ? "" : "/"
        var path = given
        var migration = MigrationFolder()
        if FileAccess.kind(given + separator + "workflows") == .folder {
            path = given + separator + "workflows"
            migration = try MigrationFolder(folder: given + separator, limits: limits)
        } else if let parent = MigrationFolder.parent(ofWorkflowsFolder: given) {
            // A migration's own workflows/ folder, given by itself: its templates and account are beside it.
            migration = try MigrationFolder(folder: parent, limits: limits)
        }
        let names = try FileAccess.names(
            in: path, maxNames: limits.files,
            tooMany:
                "the folder holds more than \(limits.files) workflow files (*.json), the most a folder of workflows may hold (Docs/workflow-format.md, \"Limits\")"
        ) { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var workflows: [Workflow] = []
        var files: [String: String] = [:]
        let zones = SystemTimeZoneDatabase()
        let prefix = path + (path.hasSuffix("/") ? "" : "/")
        for name in names.sorted() {
            let file = prefix + name
            let workflow = try Self.workflow(file: file, name: name, maxBytes: limits.fileBytes, templates: migration.templates, zones: zones)
            workflows.append(workflow)
            files[workflow.id] = file
        }
        guard !workflows.isEmpty else { throw LoadError(.invalid, "no workflow files (<id>.json) in the folder", file: path) }
        let automation = Automation(
            workflows: workflows, productOfPlan: migration.account?.productOfPlan ?? [:],
            account: migration.account.map { AccountProfile($0) } ?? AccountProfile())
        self.init(automation: automation, files: files, templates: migration.templates, account: migration.account)
    }

    /// Reads and checks one workflow file named `name`.
    private static func workflow(
        file: String, name: String, maxBytes: Int, templates: [String: WorkflowTemplate], zones: SystemTimeZoneDatabase
    ) throws(LoadError) -> Workflow {
        try FileAccess.requireFile(file, "a workflow file (<id>.json)")
        let bytes = try FileAccess.contents(
            of: file, "a workflow file (<id>.json)", maxBytes: maxBytes,
            tooLarge: "the file is larger than \(maxBytes) bytes, the most a workflow file may hold (Docs/workflow-format.md, \"Limits\")")
        let workflow: Workflow
        do {
            workflow = try Workflow.load(bytes, templates: templates)
        } catch {
            throw LoadError(error, file: file, line: error.line)
        }
        guard name == workflow.id + ".json" else {
            throw LoadError(
                .invalid,
                "the file of workflow '\(workflow.id)' must be named \(workflow.id).json (Docs/workflow-format.md, \"Checks beyond the schema\")",
                file: file, jsonPath: JSONPath.root.member("id"))
        }
        // The engine needs the zone's rules: an unknown one is this file's error, with its place.
        let zone = workflow.settings.accountTimezone
        if zones.rules(named: zone) == nil {
            let path = JSONPath.root.member("settings").member("accountTimezone")
            throw LoadError(
                .invalid,
                "unknown timezone '\(DisplayText.escape(zone))': no such zone in the system's timezone database (/usr/share/zoneinfo; is the tzdata package installed?)",
                file: file, line: JSONValue.position(of: path, in: bytes)?.line, jsonPath: path)
        }
        return workflow
    }
}
