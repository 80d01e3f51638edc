public import PurchaseActionsCore

/// The three files of a migration report.
public enum ReportDocument: String, Hashable, Sendable, CaseIterable {
    /// `migration-report.json`: the report for programs (Docs/migration-report.schema.json).
    case json = "migration-report.json"
    /// `migration-report.md`: the report for people, with a Mermaid picture of each workflow.
    case markdown = "migration-report.md"
    /// `migration-report.html`: the report for people in one self-contained file.
    case html = "migration-report.html"

    /// The file's name in the output folder.
    public var fileName: String { rawValue }
}

/// A part of a report document made one workflow at a time: the writer appends each
/// ``ReportFragment``'s bytes to one file per body and copies the file into the document at the end,
/// so the report never holds every workflow's text in memory.
public enum ReportBody: Hashable, Sendable {
    /// The JSON report's `outline` entries.
    case jsonOutline
    /// The JSON report's `workflows` ids.
    case jsonIDs
    /// The Markdown sections of the workflows of one kind.
    case markdown(WorkflowKind)
    /// The HTML sections of the workflows of one kind (with picture markers for ``PictureSplicer``).
    case html(WorkflowKind)

    /// Every body, in a fixed order.
    public static let all: [ReportBody] = [.jsonOutline, .jsonIDs] + WorkflowKind.reportOrder.map { .markdown($0) } + WorkflowKind.reportOrder.map { .html($0) }

    /// A file name for the body while it is written (in the staging folder), such as `.body.markdown.slot`.
    public var fileName: String {
        switch self {
        case .jsonOutline: ".body.json.outline"
        case .jsonIDs: ".body.json.workflows"
        case .markdown(let kind): ".body.markdown.\(kind.rawValue)"
        case .html(let kind): ".body.html.\(kind.rawValue)"
        }
    }

    /// Whether the body holds picture markers, which ``PictureSplicer`` replaces when it is copied.
    public var hasPictureMarkers: Bool {
        if case .html = self { return true }
        return false
    }
}

/// One piece of a finished report document: text, or a body to copy in whole.
public enum ReportPiece: Hashable, Sendable {
    /// Bytes to write as they are.
    case text([UInt8])
    /// The body's file, copied in (through a ``PictureSplicer`` when ``ReportBody/hasPictureMarkers``).
    case body(ReportBody)
    /// The JSON text of these findings of the ending, by their index in document order
    /// (``MigrationReportBuilder/findingsJSON(_:_:)``; a writer holding the findings elsewhere writes
    /// each as ``MigrationReportBuilder/findingsJSONSeparator(index:)`` and
    /// ``MigrationFinding/reportJSONEntry``), a chunk at a time so the whole list is never held as text.
    case findings(Range<Int>)
}

/// What one workflow adds to the report: bytes to append to some of the bodies.
public struct ReportFragment: Hashable, Sendable {
    /// Bytes for one body.
    public struct Part: Hashable, Sendable {
        /// The body they go to.
        public var body: ReportBody
        /// The bytes to append.
        public var bytes: [UInt8]
    }

    /// The parts, one per body the workflow adds to.
    public var parts: [Part]
}

/// A warning of the export reader, as the report lists it.
public struct ReaderWarning: Hashable, Sendable {
    /// The warning, for people.
    public var message: String
    /// Where in the export.
    public var location: FileLocation

    /// Creates a warning.
    public init(_ message: String, at location: FileLocation) {
        self.message = message
        self.location = location
    }
}

/// What the report learns only at the end of an import.
///
/// Either every finding in memory (``init(digest:findings:warnings:)``: tests and small reports),
/// or only their ``FindingSummary`` (``init(digest:summary:warnings:)``), when the writer keeps the
/// findings elsewhere and writes the JSON report's `findings` list itself
/// (``ReportPiece/findings(_:)``, ``MigrationFinding/reportJSONEntry``).
public struct ReportEnding: Hashable, Sendable {
    /// The SHA-256 digest of the export's bytes, 64 lower-case hexadecimal digits.
    public var digest: String
    /// Every finding of the import (after the template findings are added), in document order
    /// (``Migration/documentOrder(_:)``, applied by the initializer); empty when the ending was made
    /// from a summary.
    public var findings: [MigrationFinding]
    /// The totals and the first findings: what the headers show.
    public var summary: FindingSummary
    /// The export reader's warnings.
    public var warnings: [ReaderWarning]

    /// Creates the ending from every finding.
    public init(digest: String, findings: [MigrationFinding], warnings: [ReaderWarning] = []) {
        self.digest = digest
        self.findings = Migration.documentOrder(findings)
        summary = FindingSummary(self.findings)
        self.warnings = warnings
    }

    /// Creates the ending from the findings' summary: the writer supplies the JSON report's
    /// `findings` list, in document order, for each ``ReportPiece/findings(_:)`` piece.
    public init(digest: String, summary: FindingSummary, warnings: [ReaderWarning] = []) {
        self.digest = digest
        findings = []
        self.summary = summary
        self.warnings = warnings
    }
}
