/// The most a folder of workflow files may hold (Docs/workflow-format.md, "Limits"): checked before
/// any file is decoded or read whole.
public struct WorkflowFolderLimits: Hashable, Sendable {
    /// The most bytes one workflow file may hold: 16 MiB by default (``WorkflowLimits/fileBytes``).
    public var fileBytes: Int
    /// The most workflow files (`*.json`, not hidden) the folder may hold: 100,000 by default
    /// (``WorkflowLimits/filesPerFolder``).
    public var files: Int
    /// The most bytes one template file (`templates/<id>.json`) may hold: 16 MiB by default
    /// (``WorkflowLimits/fileBytes``).
    public var templateFileBytes: Int
    /// The most template files (`*.json`, not hidden) a migration folder's `templates/` may hold:
    /// 100,000 by default (``WorkflowLimits/templatesPerFolder``).
    public var templates: Int
    /// The most bytes a migration folder's `account.json` may hold: 160 MiB by default
    /// (``WorkflowLimits/accountFileBytes``).
    public var accountFileBytes: Int

    /// Creates limits; the defaults are the format's.
    public init(
        fileBytes: Int = WorkflowLimits.fileBytes, files: Int = WorkflowLimits.filesPerFolder, templateFileBytes: Int = WorkflowLimits.fileBytes,
        templates: Int = WorkflowLimits.templatesPerFolder, accountFileBytes: Int = WorkflowLimits.accountFileBytes
    ) {
        self.fileBytes = fileBytes
        self.files = files
        self.templateFileBytes = templateFileBytes
        self.templates = templates
        self.accountFileBytes = accountFileBytes
    }
}
