public import PurchaseActionsCore

extension DunningPolicyFile {
    /// The email templates a policy's `email` actions take their members from, as `publish` reads
    /// them: `DIR/templates/<id>.json` when `folder` holds a `templates` folder (an import's output
    /// folder), else `DIR/<id>.json` (a templates folder itself); hidden names skipped, at most
    /// `WorkflowFolderLimits().templates` files. Throws `LoadError` naming the file of a template
    /// that is not valid.
    public static func templates(folder: String) throws(LoadError) -> [String: WorkflowTemplate] {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        let limits = WorkflowFolderLimits()
        if FileAccess.kind(base + "templates") == .folder { return try MigrationFolder.templates(in: base + "templates", limits: limits) }
        try FileAccess.requireFolder(folder, "a templates folder (<id>.json) or an import's output folder (templates/)")
        return try MigrationFolder.templates(in: folder, limits: limits)
    }
}
