public import Foundation

// The loaders with Foundation's `URL`: `file:` URLs only, read through their path.

extension URL {
    /// The path of a `file:` URL, or a ``LoadError`` (`not-a-file-url`) naming the URL: the loaders
    /// read local files only, never the network.
    func localPath() throws(LoadError) -> String {
        guard isFileURL else {
            throw LoadError(.notAFileURL, "not a file URL; the loaders read local files only (file:///path/to/file)", file: absoluteString)
        }
        return path
    }
}

extension Automation {
    /// ``init(exportFile:limits:)-(String,_)`` for a `file:` URL.
    ///
    /// - Throws: ``LoadError`` `not-a-file-url` for any other URL.
    public init(exportFile url: URL, limits: ExportLimits = .default) throws(LoadError) {
        try self.init(exportFile: url.localPath(), limits: limits)
    }

    /// ``init(folder:limits:)-(String,_)`` for a `file:` URL.
    ///
    /// - Throws: ``LoadError`` `not-a-file-url` for any other URL.
    public init(folder url: URL, limits: WorkflowFolderLimits = WorkflowFolderLimits()) throws(LoadError) {
        try self.init(folder: url.localPath(), limits: limits)
    }
}

extension LoadedAutomation {
    /// ``init(exportFile:limits:)-(String,_)`` for a `file:` URL.
    ///
    /// - Throws: ``LoadError`` `not-a-file-url` for any other URL.
    public init(exportFile url: URL, limits: ExportLimits = .default) throws(LoadError) {
        try self.init(exportFile: url.localPath(), limits: limits)
    }

    /// ``init(folder:limits:)-(String,_)`` for a `file:` URL.
    ///
    /// - Throws: ``LoadError`` `not-a-file-url` for any other URL.
    public init(folder url: URL, limits: WorkflowFolderLimits = WorkflowFolderLimits()) throws(LoadError) {
        try self.init(folder: url.localPath(), limits: limits)
    }
}

extension EventsFile {
    /// ``init(path:)`` for a `file:` URL.
    ///
    /// - Throws: ``LoadError`` `not-a-file-url` for any other URL.
    public init(url: URL) throws(LoadError) {
        try self.init(path: url.localPath())
    }

    /// ``read(_:)-(String)`` for a `file:` URL.
    ///
    /// - Throws: ``LoadError`` `not-a-file-url` for any other URL.
    public static func read(_ url: URL) throws(LoadError) -> [Event] {
        try read(url.localPath())
    }
}
