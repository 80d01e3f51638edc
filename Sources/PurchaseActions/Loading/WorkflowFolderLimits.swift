/// The most a folder of workflow files may hold (Docs/workflow-format.md, "Limits"): checked before
/// any file is decoded or read whole.
public struct WorkflowFolderLimits: Hashable, Sendable {
    /// The most bytes one workflow file may hold: 16 MiB by default (``WorkflowLimits/fileBytes``).
    public var fileBytes: Int
    /// The most workflow files (`*.json`, not hidden) the folder may hold: 100,000 by default
    /// (``WorkflowLimits/filesPerFolder``).
    public var files: Int

    /// Creates limits; the defaults are the format's.
    public init(fileBytes: Int = WorkflowLimits.fileBytes, files: Int = WorkflowLimits.filesPerFolder) {
        self.fileBytes = fileBytes
        self.files = files
    }
}
